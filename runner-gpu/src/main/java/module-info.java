/**
 * Weft's GPU runner: {@link dev.weft.gpu.GpuTaskRunner} runs task runs on OpenCL devices, one worker per
 * device with {@code GPU=1}, and a call reaches its device through {@link dev.weft.gpu.Gpu}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // JOCL's and Aparapi's jars name none
module dev.weft.gpu {
    requires transitive dev.weft;
    requires transitive dev.weft.kernels;
    requires transitive jocl;
    requires transitive aparapi;
    requires java.logging; // Aparapi logs through java.util.logging, quieted to its errors
    requires org.slf4j;

    exports dev.weft.gpu;

    provides dev.weft.runner.AcceleratorProvider with
            dev.weft.gpu.OpenClAccelerators;
}

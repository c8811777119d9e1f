package dev.weft.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gpu.testing.OpenClHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host without OpenCL gets one line saying what to install, never a JNI stack trace: a JVM whose OpenCL
 * loader finds no driver ({@code OCL_ICD_VENDORS} pointing at an empty folder) starts a flow on the GPU
 * runner.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class NoOpenClTest {

    /** Runs two flows on a {@link GpuTaskRunner}, one after the other, and prints how each ended. */
    public static void main(String[] args) {
        for (int i = 0; i < 2; i++) { // the second finds OpenCL missing as the first did, not a class gone
            dev.weft.State<Integer> state =
                    dev.weft.Flow.of("no-opencl", new GpuTaskRunner(), () -> 1).callForState();
            System.out.println("STATE " + state.type() + ": " + state.message());
        }
    }

    @Test
    void shouldEndTheFlowRunSayingWhatToInstall(@TempDir Path noDrivers) throws IOException, InterruptedException {
        OpenClHost.devices(); // with OpenCL here, so that the JVM below differs only by the loader's folder
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        java.toString(), "-cp", System.getProperty("java.class.path"), NoOpenClTest.class.getName()))
                .redirectErrorStream(true);
        builder.environment().put("OCL_ICD_VENDORS", noDrivers.toString());
        Process jvm = builder.start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output.lines().filter(line -> line.startsWith("STATE CRASHED: ")))
                .hasSize(2)
                .allMatch(line -> line.contains("pocl-opencl-icd (OpenCL on the CPU)"));
        assertThat(output)
                .contains("STATE CRASHED: ")
                .contains("Flow run crashed: its task runner `GpuTaskRunner` failed to start: ")
                .contains("pocl-opencl-icd (OpenCL on the CPU), ocl-icd-libopencl1 and ocl-icd-opencl-dev")
                .doesNotContain("UnsatisfiedLinkError")
                .doesNotContain("\tat org.jocl");
    }
}

/**
 * Weft's core: flows, tasks, futures, states and the task runner SPI, with the sequential and concurrent
 * task runners. Only {@code dev.weft} is API; the engine lives in {@code dev.weft.internal}, opened only
 * to Weft's own runner modules, which build on its placement.
 */
@SuppressWarnings("module") // the runner modules are compiled after this one
module dev.weft {
    requires org.jctools.core;
    requires org.slf4j;
    requires jdk.unsupported; // sun.misc.Signal: a signal ends the process's runs properly

    exports dev.weft;
    exports dev.weft.spi;
    exports dev.weft.internal to
            dev.weft.forkjoin;

    uses dev.weft.spi.SlotStoreProvider;
    uses org.slf4j.spi.SLF4JServiceProvider; // to tell no provider at all from slf4j-nop, chosen on purpose
}

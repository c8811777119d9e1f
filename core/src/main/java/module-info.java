/**
 * Weft's core: flows, tasks, futures, states and the task runner SPI, with the sequential and concurrent
 * task runners. {@code dev.weft} is the API, {@code dev.weft.runner} the toolkit every runner module
 * builds on, {@code dev.weft.spi} what stores implement; the engine in {@code dev.weft.internal} is
 * exported to no one.
 */
module dev.weft {
    requires org.jctools.core;
    requires org.slf4j;
    requires jdk.jfr; // flight-recorder events for flow runs and task runs, made only while recorded
    requires jdk.unsupported; // sun.misc.Signal: a signal ends the process's runs properly

    exports dev.weft;
    exports dev.weft.spi;
    exports dev.weft.runner;
    exports dev.weft.stat;

    uses dev.weft.spi.SlotStoreProvider;
    uses dev.weft.spi.RunHistoryProvider;
    uses dev.weft.spi.DashboardProvider;
    uses dev.weft.runner.AcceleratorProvider;
    uses org.slf4j.spi.SLF4JServiceProvider; // to tell no provider at all from slf4j-nop, chosen on purpose
}

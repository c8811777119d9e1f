/**
 * Weft's core: flows, tasks, futures, states and the task runner SPI, with the sequential and
 * concurrent task runners. Only {@code dev.weft} is API; the engine lives in {@code dev.weft.internal}.
 */
module dev.weft {
    requires org.jctools.core;
    requires org.slf4j;

    exports dev.weft;
}

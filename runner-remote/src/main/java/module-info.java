/**
 * Weft's cluster runner: {@link dev.weft.remote.HazelcastTaskRunner} runs task runs on the worker JVMs of a
 * Hazelcast cluster, and {@link dev.weft.remote.WeftWorker} is such a worker.
 */
@SuppressWarnings("requires-automatic") // Hazelcast's jar names its module in its manifest only
module dev.weft.remote {
    requires transitive dev.weft;
    requires com.hazelcast.core;
    requires org.slf4j;
    requires java.logging; // Hazelcast logs through java.util.logging, quieted to its warnings

    exports dev.weft.remote;
}

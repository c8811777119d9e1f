/**
 * Twins of the seed pages' Dask examples on Weft's cluster runner, the {@link
 * dev.weft.remote.HazelcastTaskRunner}, whose calls run in other JVMs: a subflow on a temporary cluster,
 * the concurrent elevator, priorities and resources, a cluster joined by address, and adaptive scaling.
 * Each example that creates a temporary cluster starts its worker JVMs on this host, from this JVM's class
 * path, and stops them when its flow run ends. {@code docs/cluster.md} shows their code.
 */
package dev.weft.examples.cluster;

/**
 * A Java twin of every example of Prefect's "Task runners" pages (the seed pages of Weft), one class per
 * example, each with a {@code main} that runs its flow and prints what the page says it prints. Where the
 * pages use Dask, the twins run on the {@link dev.weft.forkjoin.ForkJoinTaskRunner}, Weft's local cluster.
 * {@code docs/task-runners.md} shows their code, and {@code docs/concurrency-limits.md} that of the twins
 * of "Task run concurrency limits", which set their limits through the {@link dev.weft.WeftClient} when
 * they start and delete them when they end.
 */
package dev.weft.examples.seed;

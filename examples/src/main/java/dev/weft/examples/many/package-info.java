/**
 * Weft's own examples of working with many runs at once: {@code task.map(...)} submits one run per element,
 * with constants held out of the mapping; {@code TaskFuture.waitAll} and {@code TaskFuture.asCompleted}
 * wait for many runs and hand them over as they end. {@code docs/concepts.md} shows their code, under
 * "Many runs at once".
 */
package dev.weft.examples.many;

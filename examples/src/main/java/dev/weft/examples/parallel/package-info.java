/**
 * Weft's own examples of the {@link dev.weft.forkjoin.ForkJoinTaskRunner}, resources and priorities:
 * recursive fan-outs, {@link dev.weft.Annotate} scopes, blocking calls, and a resource used as a
 * concurrency limit. {@code docs/forkjoin.md} shows their code.
 */
package dev.weft.examples.parallel;

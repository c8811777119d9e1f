/**
 * Weft's own examples of what happens when things go wrong: a task retried with backoff until a flaky
 * server answers, a try cut short by its timeout and retried, runs and a flow run cancelled, and a flow
 * run that times out and cancels the work it had queued. Each simulates its slow or failing service with
 * an object made afresh for every flow run, so that it behaves the same on every run. {@code
 * docs/concepts.md} shows their code, under "Retries, timeouts and cancellation".
 */
package dev.weft.examples.reliability;

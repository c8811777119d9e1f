/**
 * The toolkit for writing a task runner: what every runner module builds on, so that resources,
 * priorities, waiting and lifecycles mean the same on each.
 *
 * <ul>
 *   <li>{@link dev.weft.runner.Placement}: workers with names and resources, added and removed while calls
 *       run; atomic reservation of a call's resources on one worker; priorities; calls handed back as lost
 *       when their worker leaves.
 *   <li>{@link dev.weft.runner.Lifecycle}: new, started, shut down, with the messages of misuse.
 *   <li>{@link dev.weft.runner.WaitHelper}: the hook through which a call's thread that waits for a future
 *       helps its runner instead of parking; {@link dev.weft.runner.Park}, the one park loop.
 *   <li>{@link dev.weft.runner.DrainFlag}, the one drain-under-a-flag scheme; {@link
 *       dev.weft.runner.WaitingCall}, the one ordering rule for waiting calls.
 *   <li>{@link dev.weft.runner.RunnerSpec}: what a runner declares it can do; {@link
 *       dev.weft.runner.TaskFunction} and {@link dev.weft.runner.CallEnvelope}: a call as bytes, for
 *       runners whose calls leave this JVM.
 * </ul>
 */
package dev.weft.runner;

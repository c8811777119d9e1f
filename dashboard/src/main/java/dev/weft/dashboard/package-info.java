/**
 * The Weft dashboard: {@link dev.weft.dashboard.DashboardServer} serves a page of flow runs, live and past,
 * with their task streams and failures, the workers of each runner and process, and the tag concurrency
 * limits, read from the run history and the slot store. {@link dev.weft.dashboard.WeftDashboardProvider}
 * is what {@code Flow.withDashboard()} and {@code weft dashboard} start.
 */
package dev.weft.dashboard;

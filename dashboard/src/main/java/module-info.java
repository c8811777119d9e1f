/**
 * The Weft dashboard in the browser: {@link dev.weft.dashboard.DashboardServer}, served by the JDK's own
 * HTTP server, and the {@link dev.weft.spi.DashboardProvider} that {@code Flow.withDashboard()} finds.
 */
module dev.weft.dashboard {
    requires transitive dev.weft;
    requires jdk.httpserver;
    requires org.slf4j;

    exports dev.weft.dashboard;

    provides dev.weft.spi.DashboardProvider with
            dev.weft.dashboard.WeftDashboardProvider;
}

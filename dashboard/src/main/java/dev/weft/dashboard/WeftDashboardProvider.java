package dev.weft.dashboard;

import dev.weft.spi.DashboardProvider;
import dev.weft.spi.RunHistories;
import dev.weft.spi.SlotStores;

/**
 * Makes {@link DashboardServer} the dashboard that {@code Flow.withDashboard()} serves: registered for
 * {@link java.util.ServiceLoader}, it shows this process's run history ({@link RunHistories#current()}:
 * the store's database where {@code weft-store} is on the path, so also the runs of other processes that
 * share it) and its slot store's limits.
 */
public final class WeftDashboardProvider implements DashboardProvider {
    /** Creates the provider; {@link java.util.ServiceLoader} does. */
    public WeftDashboardProvider() {}

    /**
     * Starts a dashboard of this process's run history and limits.
     *
     * @param host the address to bind, or null for {@link DashboardServer#DEFAULT_HOST}
     * @param port the port, or 0 for any free one
     * @param token the token that allows removing runs from the history, or null to allow none
     * @return the running dashboard
     * @throws java.io.UncheckedIOException if the address cannot be bound, such as a port in use
     */
    @Override
    public Dashboard start(String host, int port, String token) {
        return DashboardServer.start(host, port, token, RunHistories::current, SlotStores::current);
    }
}

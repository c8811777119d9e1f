package dev.weft.internal;

import dev.weft.spi.DashboardProvider;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.ServiceLoader;
import org.slf4j.Logger;

/**
 * The dashboard that flows made with {@code Flow.withDashboard()} serve: one per process, started by the
 * first such flow run on 127.0.0.1 (its port, or any free one if that one is taken), and kept for the
 * process's later runs.
 */
final class Dashboards {
    private static final Logger LOG = Logs.get("dev.weft.flow_runs");
    private static DashboardProvider.Dashboard serving;
    private static boolean missing;

    private Dashboards() {}

    /** Makes sure the dashboard serves, and logs where, as the seed's Dask runner does for its own. */
    static synchronized void serve(int port) {
        if (missing) {
            return;
        }
        if (serving == null) {
            Iterator<DashboardProvider> providers =
                    ServiceLoader.load(DashboardProvider.class).iterator();
            if (!providers.hasNext()) {
                missing = true;
                LOG.warn("This flow asks for the Weft dashboard, which needs dev.weft:weft-dashboard on the class"
                        + " path; it runs without one");
                return;
            }
            DashboardProvider provider = providers.next();
            try {
                serving = provider.start("127.0.0.1", port, null);
            } catch (UncheckedIOException | IllegalStateException e) {
                if (port == 0) {
                    missing = true;
                    LOG.warn("The Weft dashboard could not start: {}", e.getMessage());
                    return;
                }
                LOG.warn("Port {} is already in use; the Weft dashboard takes another one", port);
                serving = provider.start("127.0.0.1", 0, null);
            }
        }
        LOG.info("The Weft dashboard is available at {}", serving.uri());
    }
}

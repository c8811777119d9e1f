package dev.weft.spi;

/**
 * Serves the Weft dashboard; registered for {@link java.util.ServiceLoader} by the {@code weft-dashboard}
 * module. A flow run started with {@link dev.weft.Flow#withDashboard()} finds it here.
 */
public interface DashboardProvider {

    /**
     * Starts serving the dashboard of this process's run history and counters.
     *
     * @param host the address to bind, such as {@code 127.0.0.1}
     * @param port the port, or 0 for any free one
     * @param token the token that allows changes (removing runs from the history), or null to allow none
     * @return the running dashboard
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    Dashboard start(String host, int port, String token);

    /** A dashboard that serves until it is closed. */
    interface Dashboard extends AutoCloseable {
        /**
         * Returns the address of its first page, such as {@code http://127.0.0.1:8787/}.
         *
         * @return the address
         */
        java.net.URI uri();

        /** Stops serving. */
        @Override
        void close();
    }
}

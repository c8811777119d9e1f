package dev.weft.dashboard;

import com.sun.net.httpserver.HttpServer;
import dev.weft.spi.DashboardProvider;
import dev.weft.spi.RunHistory;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Weft dashboard: a web page that shows the flow runs of a run history, live and past, each with its
 * task runs' states, a task stream and its failures; the workers of each runner and process; the tag
 * concurrency limits with their slots. Served by the JDK's own HTTP server, from this jar alone.
 *
 * <p>What it shows comes from the {@link RunHistory} it is given and from the store of concurrency
 * limits, read a few times a second while a page is open and pushed to the page when it changed, at most
 * four times a second. So a dashboard over the store's database shows the runs of every process that
 * shares it. A store that fails or hangs shows as a one-line message on the page.
 *
 * <p>Reading needs nothing: bind to loopback (the default) unless the history may be read by whoever
 * reaches the address. The one change, removing a flow run that ended from the history, needs the token
 * the dashboard was started with; without one, it changes nothing.
 *
 * <p>Thread-safe. Serves on threads of its own until {@link #close()}; they are daemon threads, so a
 * dashboard does not keep the JVM alive by itself.
 */
public final class DashboardServer implements DashboardProvider.Dashboard {
    /** The address the dashboard binds unless told another. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** The port the dashboard takes unless told another: Dask's dashboard's. */
    public static final int DEFAULT_PORT = 8787;

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    private final HttpServer server;
    private final ExecutorService threads;
    private final Sources sources;
    private final Events events;
    private final URI uri;
    private volatile boolean closed;

    private DashboardServer(HttpServer server, ExecutorService threads, Sources sources, Events events, URI uri) {
        this.server = server;
        this.threads = threads;
        this.sources = sources;
        this.events = events;
        this.uri = uri;
    }

    /**
     * Starts a dashboard of a run history, with the limits of this process's slot store ({@link
     * SlotStores#current()}).
     *
     * @param host the address to bind, or null for {@link #DEFAULT_HOST}
     * @param port the port, or 0 for any free one
     * @param token the token that allows removing runs from the history, or null to allow no change
     * @param history the history to show
     * @return the running dashboard
     * @throws UncheckedIOException if the address cannot be bound, such as a port in use
     */
    public static DashboardServer start(String host, int port, String token, RunHistory history) {
        Objects.requireNonNull(history, "history");
        return start(host, port, token, () -> history, SlotStores::current);
    }

    /**
     * Starts a dashboard that finds its history and its slot store anew on each read, such as {@code
     * RunHistories::current} and {@code SlotStores::current}: a store opened later, or one that fails
     * now and works later, is shown when it can be.
     *
     * @param host the address to bind, or null for {@link #DEFAULT_HOST}
     * @param port the port, or 0 for any free one
     * @param token the token that allows removing runs from the history, or null to allow no change
     * @param history finds the history to show; may return null (the history is off) or throw
     * @param slots finds the store of concurrency limits; may throw
     * @return the running dashboard
     * @throws UncheckedIOException if the address cannot be bound, such as a port in use
     * @throws IllegalArgumentException if the port is not from 0 to 65535
     */
    public static DashboardServer start(
            String host, int port, String token, Supplier<RunHistory> history, Supplier<SlotStore> slots) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("A dashboard's port is from 0 to 65535, not " + port);
        }
        String bindHost = host == null || host.isBlank() ? DEFAULT_HOST : host.strip();
        InetSocketAddress address = new InetSocketAddress(bindHost, port);
        if (address.isUnresolved()) {
            throw new UncheckedIOException(
                    new IOException("The dashboard cannot bind to '" + bindHost + "': no such address"));
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (BindException e) {
            throw new UncheckedIOException(
                    new BindException("The dashboard cannot bind to " + bindHost + ":" + port + ": " + e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sources sources = new Sources(history, slots);
        Pages pages = new Pages(sources);
        Events events = new Events(pages);
        InetSocketAddress bound = server.getAddress();
        Access access = new Access(token, bound);
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("weft-dashboard-http-", 0).factory());
        server.setExecutor(threads);
        server.createContext("/", new Routes(pages, events, access, new StaticFiles()));
        startAsDaemon(server);
        URI uri = URI.create("http://" + uriHost(bound.getAddress(), bindHost) + ":" + bound.getPort() + "/");
        LOG.debug(
                "The Weft dashboard serves {} at {}{}",
                sources.describeHistory(),
                uri,
                access.changesAllowed() ? ", with a token for changes" : ", read-only");
        return new DashboardServer(server, threads, sources, events, uri);
    }

    /**
     * Starts the server from a daemon thread, whose daemon status the server's dispatcher thread takes: so
     * the dashboard does not keep the JVM alive once the program's own threads have ended, as a flow's
     * dashboard must not. A program that only serves the dashboard waits itself.
     */
    private static void startAsDaemon(HttpServer server) {
        Thread starter =
                Thread.ofPlatform().daemon().name("weft-dashboard-start").start(server::start);
        boolean interrupted = false;
        while (starter.isAlive()) {
            try {
                starter.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String uriHost(InetAddress address, String asGiven) {
        if (address.isAnyLocalAddress()) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "localhost";
            }
        }
        String literal = address.getHostAddress();
        return address instanceof Inet6Address ? "[" + literal.replaceFirst("%.*", "") + "]" : literal;
    }

    /**
     * Returns the address of the dashboard's first page, such as {@code http://127.0.0.1:8787/}.
     *
     * @return the address
     */
    @Override
    public URI uri() {
        return uri;
    }

    /**
     * Returns the address and port the dashboard is bound to.
     *
     * @return the socket address
     */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Stops serving: open pages are told the stream ended, and the port is free when this returns. Does
     * nothing if already closed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        events.close();
        server.stop(0);
        threads.shutdownNow();
        sources.close();
    }

    @Override
    public String toString() {
        return "DashboardServer(" + uri + ")";
    }
}

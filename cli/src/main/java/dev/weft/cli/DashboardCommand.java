package dev.weft.cli;

import dev.weft.dashboard.DashboardServer;
import dev.weft.spi.RunHistories;
import dev.weft.spi.SlotStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft dashboard}: serves the dashboard of the run history in the store that the settings name, and
 * of its concurrency limits, until Ctrl-C: the flow runs of every process that shares the store, live and
 * past.
 */
@Command(
        name = "dashboard",
        description = {
            "Serves the Weft dashboard in the browser until Ctrl-C.",
            "It shows the flow runs of every process that shares the store (the SQLite file weft.db in Weft's"
                    + " home, or WEFT_DATABASE_URL), live and past, with their task runs, workers and tag"
                    + " concurrency limits.",
            "It binds to 127.0.0.1 unless --host says otherwise, and changes nothing without a token."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Stopped by Ctrl-C or SIGTERM.", "1:The port could not be bound.", "2:Usage error."})
final class DashboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            description = "The address to listen on.%nDefault: ${DEFAULT-VALUE}",
            defaultValue = DashboardServer.DEFAULT_HOST)
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "The port; 0 for any free one.%nDefault: ${DEFAULT-VALUE}",
            defaultValue = "" + DashboardServer.DEFAULT_PORT)
    int port;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "A file whose first line is the token that allows changes (removing flow runs from the"
                    + " history); WEFT_DASHBOARD_TOKEN too. Without one, the dashboard changes nothing.")
    Path tokenFile;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            spec.commandLine().getErr().println("weft dashboard: --port is from 0 to 65535, not " + port);
            return 2;
        }
        String token;
        try {
            token = token();
        } catch (IOException e) {
            spec.commandLine().getErr().println("weft dashboard: cannot read --token-file " + tokenFile + ": " + e);
            return 2;
        }
        DashboardServer server;
        try {
            server = DashboardServer.start(host, port, token, RunHistories::current, SlotStores::current);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            String why = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            spec.commandLine().getErr().println("weft dashboard: " + why);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "weft-dashboard-stop"));
        spec.commandLine().getOut().println("The Weft dashboard is available at " + server.uri());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    private String token() throws IOException {
        if (tokenFile != null) {
            String first = Files.readAllLines(tokenFile).stream()
                    .findFirst()
                    .orElse("")
                    .strip();
            return first.isEmpty() ? null : first;
        }
        String env = System.getenv("WEFT_DASHBOARD_TOKEN");
        return env == null || env.isBlank() ? null : env.strip();
    }
}

package dev.weft.cli;

import dev.weft.Settings;
import dev.weft.examples.Example;
import dev.weft.gpu.OpenClUnavailableException;
import dev.weft.spi.RunHistories;
import dev.weft.spi.RunHistory;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code weft demo}: runs examples from the registry, one after the other, and shows their logs.
 *
 * <p>The examples create, change and delete concurrency limits ({@code small_instance}, {@code database}).
 * So that they never touch the user's limits, nor make other processes see a limit of 2 while they run, the
 * demo runs them on a store of limits in this process's memory, and says so in one line before the first
 * example. Their run history stays in this process's memory too. It never opens the user's store, so a
 * store that is broken or cannot be reached does not break the demo either, and {@code weft runs} does not
 * list the examples' runs. The process's previous store and history are back when the command returns.
 */
@Command(
        name = "demo",
        description = {
            "Runs Weft's examples and shows their output and logs.",
            "The examples are the Java twins of the examples on Prefect's task-runner pages. Without NAME, runs"
                    + " every example, in order.",
            "The examples keep their concurrency limits and their run history in this process's memory: your"
                    + " store is neither opened nor changed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Every example completed.",
            "1:An example failed (the others still ran).",
            "2:Usage error, such as an unknown example name or a setting that does not parse."
        })
final class DemoCommand implements Callable<Integer> {
    /** The most records the examples' run history keeps, in memory. */
    private static final int HISTORY_RECORDS = 10_000;

    /** How long the demo waits, at its end, for the examples' run history to be written. */
    private static final Duration HISTORY_FLUSH = Duration.ofSeconds(5);

    @ParentCommand
    private Weft weft;

    @Spec
    private CommandSpec spec;

    @Option(names = "--list", description = "Lists the examples' names and titles instead of running them.")
    private boolean list;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "An example to run (see --list).")
    private List<String> names = List.of();

    @Override
    public Integer call() {
        List<Example> named = new ArrayList<>();
        for (String name : names) {
            Optional<Example> example = named(name);
            if (example.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .printf("weft demo: unknown example '%s'; the examples are: %s%n", name, knownNames());
                return ExitCode.USAGE;
            }
            named.add(example.get());
        }
        List<Example> examples = names.isEmpty() ? weft.examples() : named;
        if (list) {
            list(examples);
            return ExitCode.OK;
        }
        return run(examples, names.isEmpty());
    }

    private Optional<Example> named(String name) {
        return weft.examples().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    private String knownNames() {
        List<String> known = weft.examples().stream().map(Example::name).toList();
        return known.isEmpty() ? "(none)" : String.join(", ", known);
    }

    private void list(List<Example> examples) {
        int width = examples.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (Example example : examples) {
            spec.commandLine().getOut().printf("%-" + width + "s  %s%n", example.name(), example.title());
        }
    }

    private int run(List<Example> examples, boolean all) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings;
        SlotStore previous;
        try {
            settings = Settings.load();
            previous = SlotStores.use(SlotStores.inMemory());
        } catch (IllegalArgumentException e) { // a setting that does not parse
            err.printf("weft demo: %s%n", e.getMessage());
            return ExitCode.USAGE;
        }
        RunHistory previousHistory = RunHistories.use(RunHistories.inMemory(HISTORY_RECORDS));
        try {
            out.printf(
                    "The demo keeps its concurrency limits in memory; your limits in %s are not touched.%n%n",
                    usersStore(settings));
            return run(examples, all, out, err);
        } finally {
            SlotStores.use(previous);
            // the examples' last records first, or they would go to the history put back
            RunHistories.flush(HISTORY_FLUSH);
            RunHistories.use(previousHistory);
        }
    }

    /** Returns the first exception of that type in the chain of causes, or null. */
    private static Throwable cause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    /** Names the store the settings name, as people know it, without opening it or showing a password. */
    static String usersStore(Settings settings) {
        Optional<String> url = settings.databaseUrl();
        if (url.isPresent()) {
            return "the database " + ConcurrencyLimitCommand.withoutPasswords(url.get(), url);
        }
        Path file = settings.home().resolve("weft.db").toAbsolutePath();
        Path userHome = Path.of(System.getProperty("user.home")).toAbsolutePath();
        return "SQLite file " + (file.startsWith(userHome) ? "~/" + userHome.relativize(file) : file.toString());
    }

    private int run(List<Example> examples, boolean all, PrintWriter out, PrintWriter err) {
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Example example = examples.get(i);
            if (i > 0) {
                out.println();
            }
            out.printf("== %s [%s]%n   source: %s%n%n", example.title(), example.name(), example.source());
            // the example writes to System.out itself: the header must be out before it starts
            out.flush();
            try {
                example.main().run();
            } catch (Exception e) {
                Throwable noOpenCl = cause(e, OpenClUnavailableException.class);
                if (all && noOpenCl != null) { // the whole demo runs where OpenCL is not installed too
                    out.printf("%n   skipped: %s%n", noOpenCl.getMessage());
                    out.flush();
                    continue;
                }
                failed.add(example.name());
                err.printf("weft demo: example '%s' failed: %s%n", example.name(), Weft.summary(e));
                err.flush();
            }
        }
        if (failed.isEmpty()) {
            return ExitCode.OK;
        }
        err.printf(
                "weft demo: %d of %d examples failed: %s%n", failed.size(), examples.size(), String.join(", ", failed));
        return ExitCode.SOFTWARE;
    }
}

package dev.weft.cli;

import dev.weft.Settings;
import dev.weft.StateType;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunHistoryProvider;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import dev.weft.spi.StoreException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code weft runs}: the run history that flows of every process sharing the store wrote, in the store
 * that {@link Settings#load()} names, or that {@code --home} and {@code --database-url} name. Each
 * subcommand opens the history through the first {@link RunHistoryProvider} on the class path (the
 * store's) and closes it before it returns.
 *
 * <p>Arguments are checked before the history opens: an invalid state, limit or age exits 2 without
 * touching it. An unknown flow run, a store that fails, and a class path without a store exit 1. Each error
 * is one line on standard error; a database URL in it never shows its password.
 */
@Command(
        name = "runs",
        description = {
            "Lists, shows and removes the flow runs and task runs in the run history.",
            "Every flow run and task run of a process that has the store on its class path is recorded in the"
                    + " store: the SQLite file weft.db in Weft's home, or the database that --database-url or"
                    + " WEFT_DATABASE_URL names; flow runs show there from when they begin."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {RunsCommand.EXIT_OK, RunsCommand.EXIT_FAILED, RunsCommand.EXIT_USAGE})
final class RunsCommand {
    static final String EXIT_OK = "0:Success.";
    static final String EXIT_FAILED = "1:No such flow run, or the store failed or could not be reached.";
    static final String EXIT_USAGE = "2:Usage error, such as an unknown state or an invalid limit.";

    private static final String NAME = "weft runs";

    @ParentCommand
    private Weft weft;

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions store;

    @Command(
            name = "ls",
            description = {
                "Lists flow runs, newest first: each with its flow, state, start, duration, its task runs counted"
                        + " by state, and the process it ran in.",
                "Subflow runs are flow runs of their own."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {EXIT_OK, "1:The store failed or could not be reached.", EXIT_USAGE})
    int ls(
            @Option(
                            names = "--state",
                            paramLabel = "STATE",
                            description = "Only flow runs in this state, such as failed or running.")
                    String state,
            @Option(
                            names = "--name",
                            paramLabel = "NAME",
                            description = "Only flow runs of this name or id, or of the flow of this name.")
                    String name,
            @Option(
                            names = "--limit",
                            paramLabel = "N",
                            defaultValue = "" + RunQuery.DEFAULT_LIMIT,
                            description = "The most flow runs to list. Default: ${DEFAULT-VALUE}.")
                    int limit) {
        RunQuery query;
        try {
            query = RunQuery.all().limit(positive("--limit", limit));
            if (state != null) {
                query = query.inState(RunsFormat.parseState(state));
            }
        } catch (IllegalArgumentException e) {
            return usageError("ls", e.getMessage());
        }
        RunQuery wanted = name == null ? query : query.named(name);
        return withHistory("ls", history -> {
            List<RunRecord> runs = history.flowRuns(wanted);
            if (runs.isEmpty()) {
                out().printf("No flow runs in %s.%n", history.describe());
                return ExitCode.OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"Name", "Flow", "State", "Started", "Duration", "Task runs", "Process"});
            for (RunRecord run : runs) {
                rows.add(new String[] {
                    run.name(),
                    run.label(),
                    RunsFormat.state(run.state()),
                    RunsFormat.time(run.started()),
                    RunsFormat.duration(run.duration()),
                    RunsFormat.counts(history.countTaskRuns(run.flowRunId())),
                    run.process() == null ? "-" : run.process()
                });
            }
            RunsFormat.table(out(), rows, 4);
            return ExitCode.OK;
        });
    }

    @Command(
            name = "show",
            description = {
                "Shows a flow run: its id, flow, state, message, task runner, process and times, then its task"
                        + " runs in the order they started, with the message of each that did not complete.",
                "RUN is a flow run's name or id, or a flow's name for its newest run."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {EXIT_OK, EXIT_FAILED, EXIT_USAGE})
    int show(
            @Parameters(paramLabel = "RUN", description = "The flow run's name or id, such as olivine-swan.")
                    String run,
            @Option(
                            names = "--state",
                            paramLabel = "STATE",
                            description = "Only task runs in this state, such as failed.")
                    String state,
            @Option(
                            names = "--limit",
                            paramLabel = "N",
                            defaultValue = "" + RunQuery.DEFAULT_LIMIT,
                            description = "The most task runs to show. Default: ${DEFAULT-VALUE}.")
                    int limit) {
        StateType only;
        try {
            positive("--limit", limit);
            only = state == null ? null : RunsFormat.parseState(state);
        } catch (IllegalArgumentException e) {
            return usageError("show", e.getMessage());
        }
        return withHistory("show", history -> {
            Optional<RunRecord> found = find(history, run);
            if (found.isEmpty()) {
                return failed("show", "No flow run found for: " + run);
            }
            RunRecord flow = found.get();
            Map<StateType, Long> counts = history.countTaskRuns(flow.flowRunId());
            header(flow, counts);
            List<RunRecord> tasks = history.taskRuns(flow.flowRunId(), only, limit);
            long total = only == null
                    ? counts.values().stream().mapToLong(Long::longValue).sum()
                    : counts.getOrDefault(only, 0L);
            PrintWriter out = out();
            out.println();
            if (tasks.isEmpty()) {
                out.println(only == null ? "No task runs." : "No task runs in state " + RunsFormat.state(only) + ".");
                return ExitCode.OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"Task run", "State", "Started", "Duration", "Worker", "Message"});
            for (RunRecord task : tasks) {
                rows.add(new String[] {
                    task.name(),
                    RunsFormat.state(task.state()),
                    RunsFormat.time(task.started()),
                    RunsFormat.duration(task.duration()),
                    task.worker() == null ? "-" : task.worker(),
                    task.state() == StateType.COMPLETED || task.message() == null ? "" : oneLine(task.message())
                });
            }
            RunsFormat.table(out, rows, 3);
            if (total > tasks.size()) {
                out.printf("... %d more task runs: --limit %d shows them all.%n", total - tasks.size(), total);
            }
            return ExitCode.OK;
        });
    }

    @Command(
            name = "rm",
            description = {
                "Removes flow runs that ended, with their task runs and subflow runs: the one RUN names, those"
                        + " that ended longer ago than --older-than, or --all. Flow runs still running are kept."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                EXIT_OK,
                "1:No such flow run, it is still running, or the store failed.",
                "2:Usage error: none or more than one of RUN, --older-than and --all, or an invalid age."
            })
    int rm(
            @Parameters(
                            paramLabel = "RUN",
                            arity = "0..1",
                            description = "The flow run's name or id, such as olivine-swan.")
                    String run,
            @Option(
                            names = "--older-than",
                            paramLabel = "AGE",
                            description = "Every flow run that ended longer ago than AGE, such as 7d, 12h or 30m.")
                    String olderThan,
            @Option(names = "--all", description = "Every flow run that ended.") boolean all) {
        int given = (run != null ? 1 : 0) + (olderThan != null ? 1 : 0) + (all ? 1 : 0);
        if (given != 1) {
            return usageError("rm", "give exactly one of RUN, --older-than AGE and --all");
        }
        Duration age;
        try {
            age = olderThan == null ? null : RunsFormat.parseAge("--older-than", olderThan);
        } catch (IllegalArgumentException e) {
            return usageError("rm", e.getMessage());
        }
        return withHistory("rm", history -> {
            int removed;
            if (run != null) {
                // a run's own name or id only: not the newest run of a flow, as show takes
                Optional<RunRecord> found = history.flowRun(run);
                if (found.isEmpty()) {
                    return failed("rm", "No flow run found for: " + run);
                }
                if (found.get().ended() == null) {
                    return failed("rm", "The flow run " + found.get().name() + " is still running: it is kept");
                }
                removed = history.remove(RunQuery.all().named(found.get().flowRunId()));
            } else if (age != null) {
                removed =
                        history.remove(RunQuery.all().endedBefore(Instant.now().minus(age)));
            } else {
                removed = history.remove(RunQuery.all());
            }
            out().printf(
                            "Removed %d flow run%s, with %s task runs and subflow runs, from %s.%n",
                            removed, removed == 1 ? "" : "s", removed == 1 ? "its" : "their", history.describe());
            return ExitCode.OK;
        });
    }

    /** A flow run by its id or name, else the newest run of the flow of that name. */
    private static Optional<RunRecord> find(RunHistory history, String nameOrId) {
        Optional<RunRecord> run = history.flowRun(nameOrId);
        if (run.isPresent()) {
            return run;
        }
        return history.flowRuns(RunQuery.all().named(nameOrId).limit(1)).stream()
                .findFirst();
    }

    private void header(RunRecord flow, Map<StateType, Long> counts) {
        PrintWriter out = out();
        out.printf("name: %s%nid: %s%nflow: %s%n", flow.name(), flow.flowRunId(), flow.label());
        if (flow.parentId() != null) {
            out.printf("parent: %s%n", flow.parentId());
        }
        out.printf("state: %s%n", RunsFormat.state(flow.state()));
        if (flow.message() != null) {
            out.printf("message: %s%n", oneLine(flow.message()));
        }
        out.printf(
                "runner: %s%nprocess: %s%nstarted: %s%nended: %s%nduration: %s%ntask runs: %s%n",
                flow.runner() == null ? "-" : flow.runner(),
                flow.process() == null ? "-" : flow.process(),
                RunsFormat.time(flow.started()),
                RunsFormat.time(flow.ended()),
                RunsFormat.duration(flow.duration()),
                RunsFormat.counts(counts));
    }

    /** Opens the history on the settings with this command's options, runs {@code call} on it and closes it. */
    private int withHistory(String command, Function<RunHistory, Integer> call) {
        String problem = store.problem();
        if (problem != null) {
            return usageError(command, problem);
        }
        Settings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            // a setting in the environment or the system properties that does not parse
            return usageError(command, e.getMessage());
        }
        Optional<RunHistoryProvider> provider =
                ServiceLoader.load(RunHistoryProvider.class).findFirst();
        if (provider.isEmpty()) {
            return failed(
                    command,
                    "no store of the run history is on the class path, so there is none to read: add"
                            + " dev.weft:weft-store");
        }
        RunHistory history;
        try {
            history = provider.get().open(settings);
        } catch (StoreException e) {
            return failed(command, ConcurrencyLimitCommand.storeError(settings, e));
        } catch (IllegalArgumentException e) {
            return usageError(command, e.getMessage()); // a retention setting that does not parse
        }
        try (history) {
            return call.apply(history);
        } catch (StoreException e) {
            return failed(command, ConcurrencyLimitCommand.storeError(settings, e));
        } catch (RuntimeException | LinkageError e) {
            return failed(
                    command,
                    "the run history in " + ConcurrencyLimitCommand.database(settings) + " failed: "
                            + ConcurrencyLimitCommand.withoutPasswords(Weft.summary(e), settings.databaseUrl()));
        }
    }

    private Settings settings() {
        return store.applyTo(weft.clients().settings().get());
    }

    private static int positive(String option, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be 1 or more, not " + n);
        }
        return n;
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private int failed(String command, String message) {
        spec.commandLine().getErr().printf("%s %s: %s%n", NAME, command, message);
        return ExitCode.SOFTWARE;
    }

    private int usageError(String command, String message) {
        spec.commandLine().getErr().printf("%s %s: %s%n", NAME, command, message);
        return ExitCode.USAGE;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}

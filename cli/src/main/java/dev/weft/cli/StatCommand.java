package dev.weft.cli;

import dev.weft.stat.ProcessCounters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft stat}: the live counts of every Weft process of this user on this host, read from their
 * counters files without talking to them, as Aeron's {@code AeronStat} reads its media drivers.
 */
@Command(
        name = "stat",
        description = {
            "Shows the live counts of every Weft process on this host.",
            "They are read from the processes' counters files, without talking to them: per task runner the task"
                    + " runs submitted, running, completed, failed, crashed and cancelled since the process"
                    + " began; per tag the runs holding their slots and those waiting for one."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Success.", "1:The counters could not be read.", "2:Usage error."})
final class StatCommand implements Callable<Integer> {
    private static final String[] RUNNER_METRICS = {
        "submitted", "running", "completed", "failed", "crashed", "cancelled"
    };

    @Spec
    CommandSpec spec;

    @Option(names = "--pid", paramLabel = "PID", description = "Only this process.")
    Long pid;

    @Option(
            names = {"-w", "--watch"},
            paramLabel = "SECONDS",
            description = "Prints the counts again every SECONDS, until Ctrl-C.")
    Double watch;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Where the counters files are; by default weft.counters.dir, WEFT_COUNTERS_DIR, else"
                    + " /dev/shm/weft-USER (or weft-USER in the temporary directory).")
    Path dir;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (watch != null && !(watch > 0)) {
            spec.commandLine().getErr().println("weft stat: --watch takes a number of seconds more than 0");
            return 2;
        }
        Path directory = dir != null ? dir : ProcessCounters.directory();
        for (; ; ) {
            List<ProcessCounters> all;
            try {
                all = ProcessCounters.readAll(directory);
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("weft stat: " + e.getMessage());
                return 1;
            }
            if (pid != null) {
                all = all.stream().filter(p -> p.pid() == pid).toList();
            }
            print(out, all, directory);
            out.flush();
            if (watch == null) {
                return 0;
            }
            Thread.sleep((long) (watch * 1000));
            out.println();
        }
    }

    private void print(PrintWriter out, List<ProcessCounters> all, Path directory) {
        if (all.isEmpty()) {
            out.println(
                    pid != null
                            ? "No Weft process " + pid + " on this host (" + directory + ")"
                            : "No Weft process running on this host (" + directory + ")");
            return;
        }
        Instant now = Instant.now();
        for (ProcessCounters p : all) {
            out.printf("Process %d  %s  up %s%n", p.pid(), p.command(), describe(Duration.between(p.started(), now)));
            Map<String, Map<String, Long>> runners = p.of(ProcessCounters.Kind.RUNNER);
            if (runners.isEmpty()) {
                out.println("  no task runs yet");
            } else {
                List<String[]> rows = new ArrayList<>();
                List<String> header = new ArrayList<>(List.of("task runner"));
                header.addAll(List.of(RUNNER_METRICS));
                rows.add(header.toArray(String[]::new));
                runners.forEach((name, counts) -> {
                    List<String> row = new ArrayList<>(List.of(name));
                    for (String m : RUNNER_METRICS) {
                        row.add(Long.toString(counts.getOrDefault(m, 0L)));
                    }
                    rows.add(row.toArray(String[]::new));
                });
                table(out, rows);
            }
            Map<String, Map<String, Long>> tags = p.of(ProcessCounters.Kind.TAG);
            if (!tags.isEmpty()) {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"tag", "slots held", "waiting"});
                tags.forEach((name, counts) -> rows.add(new String[] {
                    name,
                    Long.toString(counts.getOrDefault("held", 0L)),
                    Long.toString(counts.getOrDefault("waiting", 0L))
                }));
                table(out, rows);
            }
        }
    }

    /** Prints rows as a table: the first column left-aligned, the numbers right-aligned, two spaces in. */
    private static void table(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                if (i == 0) {
                    line.append(String.format("%-" + widths[0] + "s", row[0]));
                } else {
                    line.append("  ").append(String.format("%" + widths[i] + "s", row[i]));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String describe(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}

package dev.weft.examples.testing;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a transcript with a log block as the seed pages print it, line by line.
 *
 * <p>What differs from run to run is a wildcard: the time stamps, flow run names ({@code
 * 'olivine-swan'}) and the 8 hex digits of a task run's key ({@code 'hello_local-a087a829-0'}; the task's
 * name and call index must match). A wildcard must stand for the same text wherever the seed repeats it,
 * so a flow run begins and finishes under one name and the calls of one task share one key. Python's
 * {@code None} reads as Java's {@code null}. The seed's Dask examples run on another {@link Runner}: on the
 * {@code ForkJoinTaskRunner} by default, where {@code DaskTaskRunner} reads as {@code ForkJoinTaskRunner},
 * and Dask's line about the cluster it creates reads as the runner's {@code Creating a local cluster of
 * <workers> x <threads>[, each with <resources>] on a ForkJoinPool}, whatever the size (it depends on the
 * machine's cores); or on a {@link #temporaryCluster temporary cluster} of the {@code HazelcastTaskRunner}.
 * Dask's line about its dashboard is left out: Weft has no dashboard yet.
 */
public final class SeedLog {
    /** Dask's line about the cluster it creates, as the seed prints it. */
    private static final String DASK_CLUSTER =
            "Creating a new Dask cluster with `distributed.deploy.local.LocalCluster`";

    /** What the {@code ForkJoinTaskRunner} logs in its place. */
    private static final String LOCAL_CLUSTER =
            "Creating a local cluster of \\d+ workers? x \\d+ threads?(?:, (?:each )?with \\{[^}]*\\})? on a ForkJoinPool";

    /** What each worker JVM of a temporary cluster logs once started; its console is the flow's. */
    private static final String WORKER_STARTED = "Started Weft worker 'worker-\\d+' at 127\\.0\\.0\\.1:\\d+ in cluster"
            + " 'weft-[0-9a-f]{8}', \\d+ threads?(?:, with \\{[^}]*\\})?";

    /** What the {@code HazelcastTaskRunner} logs once its temporary cluster has all its workers. */
    private static final String CLUSTER_CREATED = "Created temporary cluster 'weft-[0-9a-f]{8}' on 127\\.0\\.0\\.1:"
            + " \\d+ workers? x \\d+ threads?(?:, with \\{[^}]*\\})?";

    /**
     * The runner that a twin of a Dask example runs on: its name, which stands for {@code DaskTaskRunner},
     * and the patterns of the lines it logs where Dask logs the cluster it creates.
     *
     * @param name the runner's class name, as its log lines print it
     * @param clusterLines a regular expression per line, in order
     */
    public record Runner(String name, List<String> clusterLines) {}

    /** The {@code ForkJoinTaskRunner}, Weft's local cluster, as the seed twins of {@code seed} run on it. */
    public static final Runner FORK_JOIN = new Runner("ForkJoinTaskRunner", List.of(LOCAL_CLUSTER));

    /**
     * A temporary cluster of the {@code HazelcastTaskRunner}: each of its worker JVMs logs that it started,
     * then the runner logs the cluster it created.
     *
     * @param workers how many worker JVMs it starts
     * @return the runner
     */
    public static Runner temporaryCluster(int workers) {
        List<String> lines = new ArrayList<>(Collections.nCopies(workers, WORKER_STARTED));
        lines.add(CLUSTER_CREATED);
        return new Runner("HazelcastTaskRunner", List.copyOf(lines));
    }

    /** Logged by Dask only: Weft has no dashboard yet. */
    private static final String DASK_DASHBOARD = "The Dask dashboard is available at";

    /** A time stamp, a flow run's name, or a task run's key: the parts of a line that vary. */
    private static final Pattern VARYING = Pattern.compile("^(?<time>\\d{2}:\\d{2}:\\d{2}\\.\\d{3})(?= \\| )"
            + "|(?<=[Ff]low run '|[Ss]ubflow run ')(?<flow>[a-z]+-[a-z]+)(?=')"
            + "|(?<='[a-z0-9_]{1,100}-)(?<key>[0-9a-f]{8})(?=-\\d+')");

    private static final String TIME = "\\d{2}:\\d{2}:\\d{2}\\.\\d{3}";
    private static final String FLOW_RUN = "[a-z]+-[a-z]+";
    private static final String KEY = "[0-9a-f]{8}";

    private SeedLog() {}

    /**
     * Asserts that {@code transcript} reads as {@code seedBlock}, line for line.
     *
     * @param transcript the lines an example printed
     * @param seedBlock the seed's log block, one line per line
     */
    public static void assertMatches(List<String> transcript, String seedBlock) {
        assertMatches(transcript, seedBlock, FORK_JOIN);
    }

    /**
     * Asserts that {@code transcript} reads as {@code seedBlock}, line for line, with {@code runner} in Dask's
     * place.
     *
     * @param transcript the lines an example printed
     * @param seedBlock the seed's log block, one line per line
     * @param runner the runner the twin runs Dask's part on
     */
    public static void assertMatches(List<String> transcript, String seedBlock, Runner runner) {
        List<Line> expected = expectedLines(seedBlock, runner);
        Map<String, String> bound = new HashMap<>();
        int n = Math.max(expected.size(), transcript.size());
        for (int i = 0; i < n; i++) {
            if (i >= expected.size() || i >= transcript.size()) {
                fail(report(
                        "The transcript has " + transcript.size() + " lines where the seed has " + expected.size(),
                        expected,
                        transcript));
            }
            Line line = expected.get(i);
            Matcher m = line.pattern.matcher(transcript.get(i));
            if (!m.matches()) {
                fail(report("Line " + (i + 1) + " differs from the seed's", expected, transcript));
            }
            for (int g = 0; g < line.seedValues.size(); g++) {
                String seedValue = line.seedValues.get(g);
                String actual = m.group(g + 1);
                String before = bound.putIfAbsent(seedValue, actual);
                if (before != null && !before.equals(actual)) {
                    fail(report(
                            "Line " + (i + 1) + " has '" + actual + "' where the seed's '" + seedValue + "' stood for '"
                                    + before + "' before",
                            expected,
                            transcript));
                }
            }
        }
    }

    /** One expected line: its pattern, and the seed's text behind each of its wildcards, in order. */
    private record Line(String seed, Pattern pattern, List<String> seedValues) {}

    private static List<Line> expectedLines(String seedBlock, Runner runner) {
        List<Line> lines = new ArrayList<>();
        for (String raw : seedBlock.strip().split("\n")) {
            if (raw.contains(DASK_DASHBOARD)) {
                continue;
            }
            String seed = raw.replace("DaskTaskRunner", runner.name()).replace("=None", "=null");
            StringBuilder regex = new StringBuilder();
            List<String> seedValues = new ArrayList<>();
            Matcher m = VARYING.matcher(seed);
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(seed.substring(last, m.start())));
                if (m.group("time") != null) {
                    regex.append("(?:").append(TIME).append(')');
                } else {
                    regex.append('(')
                            .append(m.group("flow") != null ? FLOW_RUN : KEY)
                            .append(')');
                    seedValues.add(m.group());
                }
                last = m.end();
            }
            String rest = seed.substring(last);
            if (rest.endsWith(DASK_CLUSTER)) {
                regex.append(Pattern.quote(rest.substring(0, rest.length() - DASK_CLUSTER.length())));
                for (String clusterLine : runner.clusterLines()) {
                    lines.add(new Line(
                            seed.replace(DASK_CLUSTER, clusterLine), Pattern.compile(regex + clusterLine), seedValues));
                }
                continue;
            }
            regex.append(Pattern.quote(rest));
            lines.add(new Line(seed, Pattern.compile(regex.toString()), seedValues));
        }
        return lines;
    }

    private static String report(String what, List<Line> expected, List<String> transcript) {
        StringBuilder b = new StringBuilder(what).append(".\n\nThe seed, as read for Weft:\n");
        expected.forEach(line -> b.append("  ").append(line.seed).append('\n'));
        b.append("\nThe transcript:\n");
        transcript.forEach(line -> b.append("  ").append(line).append('\n'));
        return b.toString();
    }
}

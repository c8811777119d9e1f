package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Transcript;
import dev.weft.gpu.testing.OpenClHost;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ExamplesTest {
    /** Examples that only call the client: they run no flow. */
    private static final Set<String> WITHOUT_FLOW = Set.of("concurrency-limit-client");

    /**
     * Examples whose point is a flow run that does not complete, and the state each of their flow runs ends
     * in: a run aborted by a limit of 0, a deadlock reported in a subflow, a request no retry can mend,
     * cancelled runs and flow runs, a flow run that times out.
     */
    private static final Map<String, String> NOT_COMPLETED = Map.of(
            "zero-concurrency-limit", "Cancelled",
            "subflow-concurrency-limits", "Failed",
            "flaky-download", "Failed",
            "cancel-runs", "Cancelled",
            "flow-timeout", "TimedOut");

    /** Examples that run on OpenCL devices: without OpenCL they are skipped, except in CI. */
    private static final Set<String> ON_OPENCL = Set.of("gpu-resources", "gpu-pipeline");

    @Test
    void shouldNameEveryExampleOnce() {
        List<String> names = Examples.all().stream().map(Example::name).toList();

        assertThat(names).doesNotHaveDuplicates().allMatch(name -> name.matches("[a-z0-9]+(-[a-z0-9]+)*"));
    }

    @Test
    void shouldFindExamplesByName() {
        assertThat(Examples.named("subflow")).map(Example::name).hasValue("subflow");
        assertThat(Examples.named("monte-carlo-pi")).isPresent();
        assertThat(Examples.named("no-such-example")).isEmpty();
        assertThat(ON_OPENCL).allMatch(name -> Examples.named(name).isPresent(), "is an example");
    }

    @Test
    void shouldRegisterEveryClassWithAMain() throws Exception {
        assertThat(Examples.all())
                .hasSize(mainClasses("")
                        + mainClasses("seed")
                        + mainClasses("science")
                        + mainClasses("parallel")
                        + mainClasses("reliability")
                        + mainClasses("many")
                        + mainClasses("cluster")
                        + mainClasses("gpu"));
    }

    @Test
    // the examples of a temporary cluster start worker JVMs, a few seconds each on an idle machine
    @Timeout(value = 480, unit = TimeUnit.SECONDS)
    void shouldRunEveryExampleToACompletedFlowRun() throws Exception {
        boolean openCl = OpenClHost.available();
        for (Example example : Examples.all()) {
            if (WITHOUT_FLOW.contains(example.name()) || NOT_COMPLETED.containsKey(example.name())) {
                continue;
            }
            if (ON_OPENCL.contains(example.name()) && !openCl) {
                continue; // outside CI, a host without OpenCL runs the others; the GPU examples' own tests say so
            }
            List<String> logged = Transcript.logged(Transcript.of(example.main()));

            assertThat(logged)
                    .as(example.name())
                    .anyMatch(line -> line.matches("Flow run '[a-z]+-[a-z]+' finished in state Completed\\(.*"))
                    .noneMatch(line -> line.contains("finished in state Failed"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldEndTheFlowRunsThatShowAFailureInTheStateTheyShow() throws Exception {
        for (Map.Entry<String, String> shown : NOT_COMPLETED.entrySet()) {
            Example example = Examples.named(shown.getKey()).orElseThrow();

            List<String> logged = Transcript.logged(Transcript.of(example.main()));

            assertThat(logged)
                    .as(example.name())
                    .filteredOn(line -> line.startsWith("Flow run '"))
                    .isNotEmpty()
                    .allMatch(line ->
                            line.matches("Flow run '[a-z]+-[a-z]+' finished in state " + shown.getValue() + "\\(.*"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRunTheExamplesWithoutAFlowWithoutFlowRuns() throws Exception {
        for (String name : WITHOUT_FLOW) {
            List<String> transcript =
                    Transcript.of(Examples.named(name).orElseThrow().main());

            assertThat(Transcript.logged(transcript)).as(name).isEmpty();
            assertThat(Transcript.printed(transcript)).as(name).isNotEmpty();
        }
    }

    /**
     * Counts the top-level classes of a package of this module ({@code ""} for {@code dev.weft.examples}
     * itself) that have a {@code public static main}.
     */
    private static int mainClasses(String subpackage) throws URISyntaxException, IOException {
        Path classes = Path.of(Examples.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path dir = classes.resolve("dev/weft/examples").resolve(subpackage);
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> "dev.weft.examples." + (subpackage.isEmpty() ? "" : subpackage + ".")
                            + name.substring(0, name.length() - 6))
                    .filter(ExamplesTest::hasMain)
                    .count();
        }
    }

    private static boolean hasMain(String className) {
        try {
            Method main = Class.forName(className).getMethod("main", String[].class);
            return Modifier.isStatic(main.getModifiers());
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return false;
        }
    }
}

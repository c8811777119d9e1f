package dev.weft.cli;

import static dev.weft.cli.Console.weft;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.SequentialTaskRunner;
import dev.weft.Settings;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.WeftClient;
import dev.weft.examples.Example;
import dev.weft.gpu.OpenClUnavailableException;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DemoCommandTest {
    private static final Task0<Void> HELLO_LOCAL = Task.of("hello_local", () -> {
        System.out.println("Hello!");
    });
    private static final Task0<Void> EXPLODE = Task.of("explode", () -> {
        throw new IllegalStateException("boom");
    });

    private static final Flow<Void> MY_FLOW = Flow.of("my-flow", () -> {
                HELLO_LOCAL.submit();
            })
            .withTaskRunner(new SequentialTaskRunner());
    private static final Flow<Void> BROKEN_FLOW = Flow.of("broken-flow", () -> {
                EXPLODE.submit();
            })
            .withTaskRunner(new SequentialTaskRunner());

    private static final Example HELLO = new Example(
            "hello", "Hello from a task", "test fixture: one task on a SequentialTaskRunner", MY_FLOW::call);
    private static final Example BROKEN =
            new Example("broken", "A task that throws", "test fixture", BROKEN_FLOW::call);
    private static final Example GOODBYE =
            new Example("goodbye", "Goodbye without Weft", "test fixture", () -> System.out.println("Goodbye!"));

    private static final List<Example> EXAMPLES = List.of(HELLO, BROKEN, GOODBYE);

    /** The demo's first line, for the settings of this test JVM (the build sets weft.home). */
    private static final String IN_MEMORY_NOTE = "The demo keeps its concurrency limits in memory; your limits in "
            + DemoCommand.usersStore(Settings.load()) + " are not touched.";

    @Test
    void shouldPrintTheHeaderThenTheExamplesOutputAndItsLogInTheSeedFormat() {
        Console.Result result = weft(EXAMPLES, "demo", "hello");

        String run = "hello_local-" + HELLO_LOCAL.key() + "-0";
        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsExactly(
                        IN_MEMORY_NOTE,
                        "",
                        "== Hello from a task [hello]",
                        "   source: test fixture: one task on a SequentialTaskRunner",
                        "",
                        "TIME | Beginning flow run 'NAME' for flow 'my-flow'...",
                        "TIME | Starting task runner `SequentialTaskRunner`...",
                        "TIME | Submitting task run '" + run + "' to task runner...",
                        "Hello!",
                        "TIME | Task run '" + run + "' finished in state Completed(message=null, type=COMPLETED)",
                        "TIME | Shutting down task runner `SequentialTaskRunner`...",
                        "TIME | Flow run 'NAME' finished in state Completed(message='All states completed.',"
                                + " type=COMPLETED)");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void shouldRunEveryExampleInRegistryOrderWhenNoNameIsGiven() {
        Console.Result result = weft(List.of(HELLO, GOODBYE), "demo");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsSubsequence(
                        "== Hello from a task [hello]", "Hello!", "== Goodbye without Weft [goodbye]", "Goodbye!");
    }

    @Test
    void shouldSkipAnExampleThatNeedsOpenClWhereThereIsNoneWhenRunningThemAllButFailItWhenNamed() {
        Example gpu = new Example("gpu", "On a device", "test fixture", () -> {
            throw new IllegalStateException(
                    "the flow run crashed", new OpenClUnavailableException("OpenCL has no platform on this host"));
        });
        Console.Result all = weft(List.of(HELLO, gpu, GOODBYE), "demo");
        assertThat(all.exitCode()).isZero();
        assertThat(all.outLines())
                .containsSubsequence(
                        "== On a device [gpu]", "   skipped: OpenCL has no platform on this host", "Goodbye!");
        assertThat(all.err()).isEmpty();

        Console.Result named = weft(List.of(HELLO, gpu, GOODBYE), "demo", "gpu");
        assertThat(named.exitCode()).isEqualTo(1);
        assertThat(named.err()).contains("weft demo: example 'gpu' failed: ");
    }

    @Test
    void shouldRunOnlyTheNamedExamplesInTheGivenOrder() {
        Console.Result result = weft(EXAMPLES, "demo", "goodbye", "hello");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsSubsequence(
                        "== Goodbye without Weft [goodbye]", "Goodbye!", "== Hello from a task [hello]", "Hello!")
                .noneMatch(line -> line.contains("broken"));
    }

    @Test
    void shouldRunTheExamplesOnLimitsInMemoryAndGiveTheProcessItsStoreBack() {
        Example where = new Example("where", "Where limits live", "test fixture", () -> {
            try (WeftClient client = WeftClient.open()) {
                client.createConcurrencyLimit("small_instance", 2);
                System.out.println("limits in " + client.describe());
            }
        });
        SlotStore mine = SlotStores.inMemory();
        mine.create("small_instance", 7);
        SlotStore before = SlotStores.use(mine);
        try {
            Console.Result result = weft(List.of(where), "demo");

            assertThat(result.exitCode()).isZero();
            assertThat(result.outLines().getFirst()).isEqualTo(IN_MEMORY_NOTE);
            assertThat(result.outLines()).anyMatch(line -> line.startsWith("limits in memory"));
            assertThat(SlotStores.current())
                    .as("the process's store after the demo")
                    .isSameAs(mine);
            assertThat(mine.read("small_instance").orElseThrow().limit()).isEqualTo(7);
        } finally {
            SlotStores.use(before);
        }
    }

    @Test
    void shouldNameTheUsersStoreWithoutItsPasswordOrTheHomeFolder() {
        Path userHome = Path.of(System.getProperty("user.home"));
        Settings defaults = new Settings(
                userHome.resolve(".weft"), Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE);

        assertThat(DemoCommand.usersStore(defaults)).isEqualTo("SQLite file ~/.weft/weft.db");
        assertThat(DemoCommand.usersStore(
                        defaults.withDatabaseUrl("jdbc:postgresql://db.example.org/weft?user=ann&password=s3cret")))
                .isEqualTo("the database jdbc:postgresql://db.example.org/weft?user=ann&password=***");
    }

    @Test
    void shouldListNamesAndTitlesWithoutRunningAnything() {
        Console.Result result = weft(EXAMPLES, "demo", "--list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines())
                .containsExactly(
                        "hello    Hello from a task", "broken   A task that throws", "goodbye  Goodbye without Weft");
    }

    @Test
    void shouldRejectAnUnknownNameInOneLineNamingTheKnownOnesWithExitCode2() {
        Console.Result result = weft(EXAMPLES, "demo", "hello", "nope");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly("weft demo: unknown example 'nope'; the examples are: hello, broken, goodbye");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldReportAFailingExampleInOneLineRunTheOthersAndExitWith1() {
        Console.Result result = weft(EXAMPLES, "demo");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines())
                .hasSize(2)
                .satisfiesExactly(
                        line -> assertThat(line)
                                .startsWith("weft demo: example 'broken' failed: dev.weft.RunFailedException: ")
                                .endsWith("Failed: 1/1 states failed."),
                        line -> assertThat(line).isEqualTo("weft demo: 1 of 3 examples failed: broken"));
        assertThat(result.outLines()).containsSubsequence("Hello!", "== A task that throws [broken]", "Goodbye!");
    }
}

package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Settings;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process stopped by a signal ends its runs properly: final states that say why, {@code finally} blocks
 * run, the final lines logged, slots given back before the JVM exits; a second signal exits at once. And a
 * process with no SLF4J provider still shows Weft's lines.
 */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class ProcessStopTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroyForcibly);
    }

    private Process start(List<String> jvmOptions, String classPath, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                "--enable-native-access=ALL-UNNAMED",
                "-Dweft.home=" + dir.resolve("home")));
        command.addAll(jvmOptions);
        command.add(StoppedProcess.class.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
        assertThat(kill.waitFor()).isZero();
    }

    @Test
    void shouldEndRunsAndGiveBackSlotsWhenTheProcessGetsSigterm() throws Exception {
        Settings settings =
                new Settings(dir.resolve("home"), Optional.empty(), Optional.empty(), Duration.ofSeconds(30));
        try (JdbcSlotStore store = JdbcSlotStore.open(settings)) {
            store.create("db", 2);
            Process p = start(List.of(), System.getProperty("java.class.path"), "hold", "db");
            Output out = new Output(p);
            out.await("ready", Duration.ofSeconds(60));
            assertThat(store.read("db").orElseThrow().activeSlots()).hasSize(2);

            long signalled = System.nanoTime();
            signal(p, "TERM"); // not destroy(), which closes the output pipe too
            while (!store.read("db").orElseThrow().activeSlots().isEmpty()
                    && System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(10)) {
                Thread.sleep(10);
            }
            long freedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            assertThat(store.read("db").orElseThrow().activeSlots()).isEmpty();
            assertThat(freedMs).as("ms until the slots were free").isLessThan(2_000);

            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            String all = out.all();
            assertThat(all.lines().filter(line -> line.startsWith("finally ")))
                    .as("finally blocks run")
                    .hasSize(2);
            assertThat(all)
                    .contains("The process received SIGTERM: ending 1 flow run")
                    .containsPattern("Task run 'holds-[0-9a-f]{8}-[0-2]' finished in state Crashed\\(message='Task run"
                            + " crashed: the process received SIGTERM; the run was interrupted while it ran',"
                            + " type=CRASHED\\)")
                    .containsPattern("Task run 'holds-[0-9a-f]{8}-[0-2]' finished in state Cancelled\\(message='The"
                            + " process received SIGTERM before it started', type=CANCELLED\\)")
                    .containsPattern("Flow run '[a-z]+-[a-z]+' finished in state Crashed\\(message='Flow run crashed:"
                            + " the process received SIGTERM; 2/3 states crashed, 1/3 cancelled.', type=CRASHED\\)");
            assertThat(all).doesNotContain("Exception in thread");
        }
    }

    /**
     * Skips the calling test where this process ignores SIGINT, as a shell's background job does: its child
     * JVMs inherit that, and no SIGINT can reach them.
     */
    private static void assumeSigintCanBeDelivered() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseUnsignedLong(
                        line.substring("SigIgn:".length()).strip(), 16);
                Assumptions.assumeTrue(
                        (ignored & (1L << (2 - 1))) == 0, // bit 0 is signal 1; SIGINT is 2
                        "this process ignores SIGINT (a shell's background job?), and so would the JVM it starts");
            }
        }
    }

    @Test
    void shouldExitAtOnceOnASecondSignal() throws Exception {
        assumeSigintCanBeDelivered();
        Process p = start(List.of("-Dweft.shutdown.grace=60s"), System.getProperty("java.class.path"), "stubborn");
        Output out = new Output(p);
        out.await("ready", Duration.ofSeconds(60));
        signal(p, "INT");
        out.await("ignoring the interrupt", Duration.ofSeconds(30)); // the first one is being handled
        long second = System.nanoTime();
        signal(p, "INT");
        assertThat(p.waitFor(20, TimeUnit.SECONDS))
                .as("exited well before the 60 s grace period")
                .isTrue();
        assertThat(p.exitValue()).isEqualTo(130);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - second)).isLessThan(20);
        assertThat(out.all()).contains("The process received SIGINT: ending 1 flow run");
    }

    @Test
    void shouldLogTheEndOfAFlowRunWhoseBodyOutlivesTheGracePeriod() throws Exception {
        Process p = start(List.of("-Dweft.shutdown.grace=500ms"), System.getProperty("java.class.path"), "stubborn");
        Output out = new Output(p);
        out.await("ready", Duration.ofSeconds(60));
        signal(p, "TERM");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143);
        assertThat(out.all())
                .containsPattern("Task run 'stubborn-[0-9a-f]{8}-0' finished in state Crashed\\(message='Task run"
                        + " crashed: the process received SIGTERM; the run was interrupted while it ran'")
                .containsPattern("Flow run '[a-z]+-[a-z]+' finished in state Crashed\\(message='Flow run crashed: the"
                        + " process received SIGTERM, and its body did not return within 500ms.', type=CRASHED\\)");
    }

    @Test
    void shouldPrintWeftsLinesWhenTheApplicationHasNoSlf4jProvider() throws Exception {
        String withoutLogback = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("logback"))
                .collect(Collectors.joining(File.pathSeparator));
        Process p = start(List.of(), withoutLogback, "plain");
        Output out = new Output(p);
        out.await("ready", Duration.ofSeconds(60));
        signal(p, "TERM");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String all = out.all();
        assertThat(all)
                .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| No SLF4J provider is on the class path: Weft"
                        + " prints its own lines here")
                .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| Beginning flow run '[a-z]+-[a-z]+' for flow"
                        + " 'plain'\\.\\.\\.$")
                .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| Submitting task run 'sleeps-[0-9a-f]{8}-0' to"
                        + " task runner\\.\\.\\.$")
                .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| ERROR \\| Flow run '[a-z]+-[a-z]+' finished in"
                        + " state Crashed");
    }

    /** What a process prints, collected as it comes. */
    private static final class Output {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();
        private final Thread reader;

        Output(Process p) {
            reader = Thread.ofPlatform().daemon(true).start(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(output lost: " + e + ")");
                }
            });
        }

        /** Waits for a line that contains {@code text}; fails with everything printed so far. */
        void await(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (; ; ) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("No line with '" + text + "' within " + timeout
                            + "; the process printed:\n" + String.join("\n", seen));
                }
                seen.add(line);
                if (line.contains(text)) {
                    return;
                }
            }
        }

        /** Everything printed, once the process has ended. */
        String all() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(30));
            lines.drainTo(seen);
            return String.join("\n", seen);
        }
    }
}

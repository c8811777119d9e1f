package dev.weft.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.contract.LogCapture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers and drivers that die: nothing is lost, and nothing is left behind. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class ClusterFailureTest {
    static final Task1<Integer, Integer> SLOW_SQUARE = Task.of("slow_square", (Integer x) -> {
        Thread.sleep(1500);
        return x * x;
    });

    @Test
    void shouldRunTheCallsOfAKilledWorkerAgainOnTheOthers() {
        List<String> lines;
        State<List<Integer>> state;
        try (LogCapture logs = LogCapture.start()) {
            state = Flow.of("survivor", () -> {
                        List<TaskFuture<Integer>> fs = new ArrayList<>();
                        for (int i = 0; i < 8; i++) {
                            fs.add(SLOW_SQUARE.submit(i));
                        }
                        Thread.sleep(700); // both workers hold two running calls each
                        ProcessHandle victim =
                                ProcessHandle.current().children().findFirst().orElseThrow();
                        victim.destroyForcibly(); // kill -9
                        return fs.stream().map(TaskFuture::result).toList();
                    })
                    .withTaskRunner(HazelcastTaskRunner.builder()
                            .workers(2)
                            .threadsPerWorker(2)
                            .build())
                    .callForState();
            lines = logs.lines();
        }
        assertThat(state.isCompleted())
                .as("%s\n%s", state, String.join("\n", lines))
                .isTrue();
        assertThat(state.result()).containsExactly(0, 1, 4, 9, 16, 25, 36, 49);
        // the killed worker held the calls it ran and those sent ahead to it: each runs again, on the other
        String left = lines.stream()
                .filter(l ->
                        l.matches("Worker 'worker-\\d' at .* left cluster 'weft-.*; its \\d calls run again elsewhere"))
                .findFirst()
                .orElseThrow();
        int lost = Integer.parseInt(left.replaceAll(".*; its (\\d) calls run again elsewhere", "$1"));
        assertThat(lost).isBetween(2, 8);
        assertThat(lines.stream().filter(l -> l.contains("was lost: worker 'worker-")))
                .hasSize(lost);
        assertThat(ProcessHandle.current().children()).isEmpty();
    }

    @Test
    void shouldCrashWaitingCallsOnceTheLastWorkerIsGone() {
        State<List<Integer>> state = Flow.of("orphaned", () -> {
                    List<TaskFuture<Integer>> fs = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        fs.add(SLOW_SQUARE.submit(i));
                    }
                    Thread.sleep(500);
                    ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
                    return fs.stream().map(f -> f.result()).toList();
                })
                .withTaskRunner(HazelcastTaskRunner.builder()
                        .workers(1)
                        .threadsPerWorker(1)
                        .build())
                .callForState();
        assertThat(state.isCompleted()).isFalse();
        assertThat(state.message())
                .contains("Task run 'slow_square-")
                .contains("finished in state Crashed")
                .contains("every worker of cluster 'weft-")
                .contains("this temporary cluster starts no new ones");
        assertThat(ProcessHandle.current().children()).isEmpty();
    }

    @Test
    void shouldStopTheWorkersOfADriverKilledWithSignalNine() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DriverMain.class.getName());
        builder.redirectErrorStream(true);
        Process driver = builder.start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.contains("driver-ready")) {
                // the driver's start-up lines
            }
            assertThat(line).as("the driver's flow started").isNotNull();
            List<ProcessHandle> workers = driver.descendants().toList();
            assertThat(workers).hasSize(2);
            driver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(workers)
                    .as("worker JVMs 10 s after their driver was killed")
                    .noneMatch(ProcessHandle::isAlive);
        } finally {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
        }
    }

    @Test
    void shouldSaySoWhenItLosesAClusterJoinedByAddress() throws Exception {
        ClusterSecret secret = ClusterSecret.of("the secret of a cluster that goes away");
        WeftWorker only = WeftWorker.builder()
                .name("only")
                .address("127.0.0.1:" + freePort())
                .clusterName("fleeting")
                .threads(1)
                .secret(secret)
                .start();
        List<TaskFuture<Integer>> futures = new ArrayList<>();
        State<Void> state;
        List<String> lines;
        try (LogCapture logs = LogCapture.start()) {
            state = Flow.of("stranded", () -> {
                        for (int i = 0; i < 3; i++) {
                            futures.add(SLOW_SQUARE.submit(i));
                        }
                        Thread.sleep(500); // one runs, two wait for the worker's one thread
                        only.close();
                    })
                    .withTaskRunner(HazelcastTaskRunner.builder()
                            .address(only.address())
                            .clusterName("fleeting")
                            .secret(secret)
                            .startTimeout(Duration.ofSeconds(3))
                            .build())
                    .callForState();
            lines = logs.lines();
        } finally {
            only.close();
        }
        assertThat(futures)
                .allSatisfy(f ->
                        assertThat(f.state().isCrashed()).as("%s", f.state()).isTrue());
        assertThat(futures.get(2).state().message())
                .as(String.join("\n", lines))
                .startsWith("Task run crashed: ")
                .contains("cluster 'fleeting'");
        assertThat(state.isCompleted()).isFalse();
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).contains("cluster 'fleeting'").containsAnyOf("lost", "left"));
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

package dev.weft.dashboard;

import static dev.weft.dashboard.Records.flow;
import static dev.weft.dashboard.Records.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.StateType;
import dev.weft.spi.RunHistories;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunRecord;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the page reads, over HTTP: flow runs newest first with their counts per state, filtered by state
 * and name; one flow run with its failures; its task stream; the workers of each runner and process; the
 * tag limits with their slots; and the page itself, from the jar.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class DashboardApiTest {
    private static final String HERE = "1111@here";
    private static final String THERE = "2222@there";
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private final RunHistory history = RunHistories.inMemory(10_000);
    private final SlotStore slots = SlotStores.inMemory();
    private DashboardServer dashboard;
    private Client client;

    @BeforeEach
    void start() {
        // an older run that ended, in another process; a newer one that failed in part; one that runs now
        List<RunRecord> records = new ArrayList<>();
        records.add(flow("f-old", "olivine-swan", "etl", StateType.COMPLETED, T0, T0.plusSeconds(2), THERE));
        for (int i = 0; i < 3; i++) {
            records.add(
                    task("f-old", "load-aaaa0000-" + i, StateType.COMPLETED, null, T0, T0.plusMillis(100 + i), "w-1"));
        }
        records.add(
                flow("f-mid", "witty-ocelot", "train", StateType.FAILED, T0.plusSeconds(5), T0.plusSeconds(9), HERE));
        for (int i = 0; i < 5; i++) {
            records.add(task(
                    "f-mid",
                    "fit-bbbb0000-" + i,
                    StateType.COMPLETED,
                    null,
                    T0.plusSeconds(5),
                    T0.plusSeconds(6).plusMillis(i),
                    "weft-forkjoin-" + (1 + i % 2)));
        }
        records.add(task(
                "f-mid",
                "fit-bbbb0000-5",
                StateType.FAILED,
                "Task run encountered an exception: IllegalStateException: sensor 7 out of range",
                T0.plusSeconds(6),
                T0.plusSeconds(7),
                "weft-forkjoin-1"));
        records.add(task(
                "f-mid",
                "fit-bbbb0000-6",
                StateType.CRASHED,
                "Its worker was lost 3 times",
                null,
                T0.plusSeconds(8),
                null));
        records.add(flow("f-new", "candid-caribou", "etl", StateType.RUNNING, T0.plusSeconds(10), null, HERE));
        history.write(records);
        slots.create("database", 3);
        slots.create("gpu", 0);
        dashboard = DashboardServer.start("127.0.0.1", 0, null, () -> history, () -> slots);
        client = new Client(dashboard.uri());
    }

    @AfterEach
    void stop() {
        dashboard.close();
        slots.close();
    }

    @Test
    void shouldListFlowRunsNewestFirstWithTheCountsOfTheirTaskRunsPerState() throws Exception {
        Client.Answer answer = client.get("api/flow-runs");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.response().headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        List<Map<String, Object>> runs = list(answer.json().get("runs"));
        assertThat(runs)
                .extracting(r -> r.get("name"))
                .containsExactly("candid-caribou", "witty-ocelot", "olivine-swan");
        Map<String, Object> failed = runs.get(1);
        assertThat(failed)
                .containsEntry("id", "f-mid")
                .containsEntry("flow", "train")
                .containsEntry("state", "FAILED")
                .containsEntry("started", T0.plusSeconds(5).toEpochMilli())
                .containsEntry("ended", T0.plusSeconds(9).toEpochMilli())
                .containsEntry("runner", "ForkJoinTaskRunner")
                .containsEntry("process", HERE);
        assertThat(failed.get("counts")).isEqualTo(Map.of("COMPLETED", 5L, "FAILED", 1L, "CRASHED", 1L));
        assertThat(runs.get(0)).containsEntry("state", "RUNNING").containsEntry("ended", null);
        assertThat(runs.get(0).get("counts")).isEqualTo(Map.of());
    }

    @Test
    void shouldFilterFlowRunsByStateAndByName() throws Exception {
        assertThat(list(client.get("api/flow-runs?state=failed").json().get("runs")))
                .extracting(r -> r.get("name"))
                .containsExactly("witty-ocelot");
        assertThat(list(client.get("api/flow-runs?name=etl").json().get("runs")))
                .extracting(r -> r.get("name"))
                .containsExactly("candid-caribou", "olivine-swan");
        assertThat(list(client.get("api/flow-runs?name=etl&state=RUNNING&limit=1")
                        .json()
                        .get("runs")))
                .extracting(r -> r.get("name"))
                .containsExactly("candid-caribou");
        Client.Answer wrong = client.get("api/flow-runs?state=sleepy");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("error").toString()).contains("No state 'sleepy'");
        assertThat(client.get("api/flow-runs?limit=0").status()).isEqualTo(400);
    }

    @Test
    void shouldShowOneFlowRunWithItsCountsAndTheMessagesOfItsFailures() throws Exception {
        Map<String, Object> page = client.get("api/flow-runs/f-mid").json();

        assertThat(map(page.get("run"))).containsEntry("name", "witty-ocelot").containsEntry("message", "Some failed.");
        assertThat(map(page.get("run")).get("counts")).isEqualTo(Map.of("COMPLETED", 5L, "FAILED", 1L, "CRASHED", 1L));
        List<Map<String, Object>> failures = list(page.get("failures"));
        assertThat(failures).extracting(f -> f.get("state")).containsExactly("FAILED", "CRASHED");
        assertThat(failures.get(0))
                .containsEntry("name", "fit-bbbb0000-5")
                .containsEntry("task", "fit")
                .containsEntry("worker", "weft-forkjoin-1");
        assertThat(failures.get(0).get("message").toString()).contains("sensor 7 out of range");
        assertThat(failures.get(1)).containsEntry("message", "Its worker was lost 3 times");
        // by its name too: the newest run of that name
        assertThat(map(client.get("api/flow-runs/witty-ocelot").json().get("run")))
                .containsEntry("id", "f-mid");
        Client.Answer missing = client.get("api/flow-runs/no-such-run");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").toString())
                .startsWith("No flow run 'no-such-run' in this process's memory");
    }

    @Test
    void shouldListTaskRunsAndTheTaskStreamOfTheRunsThatEndedLast() throws Exception {
        List<Map<String, Object>> failed = list(
                client.get("api/flow-runs/f-mid/task-runs?state=FAILED").json().get("taskRuns"));
        assertThat(failed).extracting(t -> t.get("name")).containsExactly("fit-bbbb0000-5");

        List<List<Object>> bars =
                lists(client.get("api/flow-runs/f-mid/stream?limit=3").json().get("bars"));
        // [seq, name, state, started, ended, worker], oldest of the three first
        assertThat(bars)
                .extracting(b -> b.get(1))
                .containsExactly("fit-bbbb0000-4", "fit-bbbb0000-5", "fit-bbbb0000-6");
        assertThat(bars.get(1))
                .containsExactly(
                        2L,
                        "fit-bbbb0000-5",
                        "FAILED",
                        T0.plusSeconds(6).toEpochMilli(),
                        T0.plusSeconds(7).toEpochMilli(),
                        "weft-forkjoin-1");
        assertThat(bars.get(2))
                .containsExactly(
                        3L, "fit-bbbb0000-6", "CRASHED", null, T0.plusSeconds(8).toEpochMilli(), null);
    }

    @Test
    void shouldTellWhichWorkersOfWhichRunnerAndProcessRanHowManyRuns() throws Exception {
        dev.weft.Flow.of("counted-here", () -> 1).call(); // this process counts its runs from here on
        Map<String, Object> workers = client.get("api/workers").json();

        assertThat(workers).containsEntry("flowRunsRead", 3L);
        List<Map<String, Object>> all = list(workers.get("processes"));
        // the Weft processes that run on this host show too, with their live counts: this one among them
        String self = ProcessHandle.current().pid() + "@";
        assertThat(all)
                .filteredOn(p -> String.valueOf(p.get("process")).startsWith(self))
                .singleElement()
                .satisfies(p -> assertThat(p.get("counters")).isNotNull());
        List<Map<String, Object>> processes = all.stream()
                .filter(p -> p.get("process").equals(HERE) || p.get("process").equals(THERE))
                .toList();
        assertThat(processes).extracting(p -> p.get("process")).containsExactly(HERE, THERE);
        // processes not on this host, or gone: no live counts
        assertThat(processes.get(0)).containsEntry("counters", null);
        Map<String, Object> here = list(processes.get(0).get("runners")).getFirst();
        assertThat(here)
                .containsEntry("runner", "ForkJoinTaskRunner")
                .containsEntry("flowRuns", 2L)
                .containsEntry("live", 1L)
                .containsEntry("taskRuns", 7L)
                .containsEntry("failed", 2L)
                .containsEntry("sampled", false);
        assertThat(list(here.get("workers")))
                .containsExactly(
                        Map.of("worker", "weft-forkjoin-1", "taskRuns", 4L, "failed", 1L),
                        Map.of("worker", "weft-forkjoin-2", "taskRuns", 2L, "failed", 0L),
                        Map.of("worker", "(not said)", "taskRuns", 1L, "failed", 1L));
        Map<String, Object> there = list(processes.get(1).get("runners")).getFirst();
        assertThat(list(there.get("workers"))).containsExactly(Map.of("worker", "w-1", "taskRuns", 3L, "failed", 0L));
    }

    @Test
    void shouldShowEachTagLimitWithTheRunsThatHoldItsSlots() throws Exception {
        UUID run = UUID.randomUUID();
        slots.acquire("host-a:4242:1", run, "query-24bdb5eb-2", List.of("database"), Duration.ofMinutes(1));

        List<Map<String, Object>> limits = list(client.get("api/limits").json().get("limits"));

        assertThat(limits).extracting(l -> l.get("tag")).containsExactly("database", "gpu");
        assertThat(limits.get(0)).containsEntry("limit", 3L).containsEntry("active", 1L);
        assertThat(list(limits.get(0).get("slots")).getFirst())
                .containsEntry("runId", run.toString())
                .containsEntry("runName", "query-24bdb5eb-2")
                .containsEntry("host", "host-a")
                .containsEntry("pid", 4242L);
        assertThat(limits.get(1)).containsEntry("limit", 0L).containsEntry("active", 0L);
    }

    @Test
    void shouldServeThePageItselfFromTheJarWithAPolicyThatLoadsNothingFromElsewhere() throws Exception {
        Client.Answer page = client.get("");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"app.js\"").contains("Weft dashboard");
        assertThat(page.response().headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(
                        p -> assertThat(p).contains("default-src 'none'").contains("script-src 'self'"));
        assertThat(client.get("app.js").response().headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        assertThat(client.get("style.css").status()).isEqualTo(200);
        assertThat(client.get("nothing-here.js").status()).isEqualTo(404);
        assertThat(client.get("api/nothing-here").status()).isEqualTo(404);
        Map<String, Object> info = client.get("api/info").json();
        assertThat(info).containsEntry("changes", false);
        assertThat(info.get("history").toString()).startsWith("this process's memory");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object json) {
        return (List<Map<String, Object>>) json;
    }

    @SuppressWarnings("unchecked")
    static List<List<Object>> lists(Object json) {
        return (List<List<Object>>) json;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object json) {
        return (Map<String, Object>) json;
    }
}

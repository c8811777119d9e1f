package dev.weft.dashboard;

import dev.weft.ConcurrencyLimit;
import dev.weft.StateType;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import dev.weft.stat.ProcessCounters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What each page shows, as JSON, read from the run history and the slot store: the flow runs with their
 * counts, one flow run, its failures and its task stream, the workers, the tag limits. Each part has a
 * bound (the {@code *_MAX} constants), so that what is sent stays small whatever the history holds.
 *
 * <p>Thread-safe. Every method may throw {@link Sources.Unavailable}.
 */
final class Pages {
    /** How many flow runs the list shows unless asked for another number. */
    static final int RUNS_DEFAULT = 100;
    /** The most flow runs a list shows. */
    static final int RUNS_MAX = 500;
    /** The most failed runs, and as many crashed, a flow run's page shows. */
    static final int FAILURES_MAX = 50;
    /** The most task runs one request of the API lists. */
    static final int TASK_RUNS_MAX = 1000;
    /** The most task runs a task stream shows: the latest to end. */
    static final int STREAM_MAX = 2000;
    /** How many of the newest flow runs the workers page adds up. */
    static final int WORKERS_FLOW_RUNS = 50;
    /** How many of a flow run's latest task runs the workers page reads to tell its workers. */
    static final int WORKERS_SAMPLE_MAX = 10_000;
    /** The most workers the page names per runner; the rest are added up as one line. */
    static final int WORKERS_SHOWN_MAX = 100;
    /** The most slots the page names per limit. */
    static final int SLOTS_SHOWN_MAX = 200;
    /** The most characters of a state's message in a list. */
    static final int LIST_MESSAGE_MAX_CHARS = 300;
    /** The most characters of a failed run's message. */
    static final int MESSAGE_MAX_CHARS = 4000;

    private static final String NOT_SAID = "(not said)";

    private final Sources sources;
    private final Counts counts = new Counts();
    private final Map<String, WorkerSample> samples = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WorkerSample> eldest) {
            return size() > 4 * WORKERS_FLOW_RUNS;
        }
    };

    Pages(Sources sources) {
        this.sources = sources;
    }

    Sources sources() {
        return sources;
    }

    /** Lists flow runs, newest first, each with its counts: a JSON array. */
    String runs(RunQuery query) {
        List<RunRecord> flows = sources.history(h -> h.flowRuns(query));
        Json j = new Json().beginArray();
        for (RunRecord flow : flows) {
            flow(j, flow, counts(flow), LIST_MESSAGE_MAX_CHARS);
        }
        return j.endArray().toString();
    }

    Optional<RunRecord> flowRun(String nameOrId) {
        return sources.history(h -> h.flowRun(nameOrId));
    }

    Map<StateType, Long> counts(RunRecord flow) {
        return counts.of(flow, sources);
    }

    /** One flow run with its counts: a JSON object. */
    String run(RunRecord flow, Map<StateType, Long> counted) {
        return flow(new Json(), flow, counted, MESSAGE_MAX_CHARS).toString();
    }

    /** A flow run's failed runs and crashed runs, each kind the first {@link #FAILURES_MAX}: a JSON array. */
    String failures(String flowRunId) {
        List<RunRecord> failed = new ArrayList<>();
        failed.addAll(sources.history(h -> h.taskRuns(flowRunId, StateType.FAILED, FAILURES_MAX)));
        failed.addAll(sources.history(h -> h.taskRuns(flowRunId, StateType.CRASHED, FAILURES_MAX)));
        return tasks(failed, MESSAGE_MAX_CHARS);
    }

    /** A flow run's task runs in the order they started: a JSON array. */
    String taskRuns(String flowRunId, StateType state, int limit) {
        return tasks(sources.history(h -> h.taskRuns(flowRunId, state, limit)), LIST_MESSAGE_MAX_CHARS);
    }

    /** A flow run's task runs that ended last, newest first. */
    List<RunRecord> latest(String flowRunId, int limit) {
        return sources.history(h -> h.latestTaskRuns(flowRunId, limit));
    }

    /** What the history is and where, and whether changes are allowed: a JSON object. */
    String info(boolean changes) {
        return new Json()
                .beginObject()
                .member("history", describeOrNull())
                .member("changes", changes)
                .member("process", RunRecord.process(ProcessHandle.current().pid()))
                .endObject()
                .toString();
    }

    private String describeOrNull() {
        try {
            return sources.history(h -> h.describe());
        } catch (Sources.Unavailable e) {
            return null; // the page says why on its error line
        }
    }

    /** The tag concurrency limits with their slots, by tag: a JSON array. */
    String limits() {
        List<ConcurrencyLimit> limits = sources.slots(s -> s.readAll());
        Json j = new Json().beginArray();
        for (ConcurrencyLimit limit : limits) {
            j.beginObject()
                    .member("tag", limit.tag())
                    .member("limit", limit.limit())
                    .member("active", limit.slots().size())
                    .member("created", limit.created())
                    .member("updated", limit.updated())
                    .name("slots")
                    .beginArray();
            for (ConcurrencyLimit.Slot slot : limit.slots()
                    .subList(0, Math.min(SLOTS_SHOWN_MAX, limit.slots().size()))) {
                j.beginObject()
                        .member("runId", slot.runId().toString())
                        .member("runName", slot.runName())
                        .member("host", slot.host())
                        .member("pid", slot.pid())
                        .member("acquired", slot.acquired())
                        .endObject();
            }
            j.endArray().endObject();
        }
        return j.endArray().toString();
    }

    /** What a runner of a process did, added up over the flow runs read. */
    private static final class Tally {
        long flowRuns;
        long live;
        long taskRuns;
        long failed;
        boolean sampled;
        final Map<String, long[]> workers = new HashMap<>();
    }

    /** The task runs of one flow run per worker: {runs, failed or crashed}, from its latest runs. */
    private record WorkerSample(RunRecord flow, long total, Map<String, long[]> byWorker, boolean sampled) {}

    /**
     * The workers of each runner of each process, from the newest {@link #WORKERS_FLOW_RUNS} flow runs: a
     * JSON object. A process that runs on this host carries {@code counters}, its live counts from its
     * counters file ({@link ProcessCounters}): per runner the task runs submitted, running, completed,
     * failed, crashed and cancelled, per tag the runs holding and waiting for slots; others carry null.
     */
    String workers() {
        List<RunRecord> flows = sources.history(h -> h.flowRuns(RunQuery.all().limit(WORKERS_FLOW_RUNS)));
        Map<String, Map<String, Tally>> byProcess = new TreeMap<>();
        for (RunRecord flow : flows) {
            Map<StateType, Long> counted = counts(flow);
            long total = Counts.total(counted);
            WorkerSample sample = sample(flow, total);
            Tally t = byProcess
                    .computeIfAbsent(orNotSaid(flow.process()), p -> new TreeMap<>())
                    .computeIfAbsent(orNotSaid(flow.runner()), r -> new Tally());
            t.flowRuns++;
            t.live += flow.ended() == null ? 1 : 0;
            t.taskRuns += total;
            t.failed += counted.getOrDefault(StateType.FAILED, 0L) + counted.getOrDefault(StateType.CRASHED, 0L);
            t.sampled |= sample.sampled();
            sample.byWorker().forEach((w, n) -> {
                long[] sum = t.workers.computeIfAbsent(w, k -> new long[2]);
                sum[0] += n[0];
                sum[1] += n[1];
            });
        }
        Map<String, ProcessCounters> live = liveCounters();
        for (String process : live.keySet()) {
            byProcess.computeIfAbsent(process, p -> new TreeMap<>()); // live, but no flow run in the history yet
        }
        Json j = new Json()
                .beginObject()
                .member("flowRunsRead", flows.size())
                .member("flowRunsReadMax", WORKERS_FLOW_RUNS)
                .name("processes")
                .beginArray();
        for (Map.Entry<String, Map<String, Tally>> p : byProcess.entrySet()) {
            j.beginObject().member("process", p.getKey());
            // the process's live counts, from its counters file: null for a process that ended, or that runs
            // on another host
            ProcessCounters counters = live.get(p.getKey());
            j.name("counters");
            if (counters == null) {
                j.nullValue();
            } else {
                j.beginObject();
                counts(j, "runners", counters.of(ProcessCounters.Kind.RUNNER));
                counts(j, "tags", counters.of(ProcessCounters.Kind.TAG));
                j.endObject();
            }
            j.name("runners").beginArray();
            for (Map.Entry<String, Tally> r : p.getValue().entrySet()) {
                runner(j, r.getKey(), r.getValue());
            }
            j.endArray().endObject();
        }
        return j.endArray().endObject().toString();
    }

    /** The live counts of the Weft processes on this host, by {@code pid@host}; empty if none can be read. */
    private static Map<String, ProcessCounters> liveCounters() {
        Map<String, ProcessCounters> live = new TreeMap<>();
        try {
            for (ProcessCounters p : ProcessCounters.readAll()) {
                live.put(RunRecord.process(p.pid()), p);
            }
        } catch (RuntimeException e) {
            // no counters here: the page shows the history alone
        }
        return live;
    }

    private static void counts(Json j, String name, Map<String, Map<String, Long>> by) {
        j.name(name).beginArray();
        by.forEach((subject, metrics) -> {
            j.beginObject().member("name", subject);
            metrics.forEach((metric, value) -> j.member(metric, value));
            j.endObject();
        });
        j.endArray();
    }

    private static void runner(Json j, String name, Tally t) {
        List<Map.Entry<String, long[]>> workers = new ArrayList<>(t.workers.entrySet());
        workers.sort(Comparator.comparing((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                .thenComparing(Map.Entry::getKey));
        j.beginObject()
                .member("runner", name)
                .member("flowRuns", t.flowRuns)
                .member("live", t.live)
                .member("taskRuns", t.taskRuns)
                .member("failed", t.failed)
                .member("sampled", t.sampled)
                .member("workerCount", workers.size())
                .name("workers")
                .beginArray();
        long otherRuns = 0;
        long otherFailed = 0;
        for (int i = 0; i < workers.size(); i++) {
            long[] n = workers.get(i).getValue();
            if (i < WORKERS_SHOWN_MAX) {
                j.beginObject()
                        .member("worker", workers.get(i).getKey())
                        .member("taskRuns", n[0])
                        .member("failed", n[1])
                        .endObject();
            } else {
                otherRuns += n[0];
                otherFailed += n[1];
            }
        }
        j.endArray();
        j.name("others")
                .beginObject()
                .member("workers", Math.max(0, workers.size() - WORKERS_SHOWN_MAX))
                .member("taskRuns", otherRuns)
                .member("failed", otherFailed)
                .endObject();
        j.endObject();
    }

    private WorkerSample sample(RunRecord flow, long total) {
        synchronized (samples) {
            WorkerSample known = samples.get(flow.flowRunId());
            if (known != null && known.flow().equals(flow) && known.total() == total) {
                return known;
            }
        }
        List<RunRecord> latest = latest(flow.flowRunId(), WORKERS_SAMPLE_MAX);
        Map<String, long[]> byWorker = new HashMap<>();
        for (RunRecord t : latest) {
            long[] n = byWorker.computeIfAbsent(orNotSaid(t.worker()), k -> new long[2]);
            n[0]++;
            n[1] += t.state() == StateType.FAILED || t.state() == StateType.CRASHED ? 1 : 0;
        }
        WorkerSample sample = new WorkerSample(flow, total, byWorker, total > latest.size());
        synchronized (samples) {
            samples.put(flow.flowRunId(), sample);
        }
        return sample;
    }

    private static String orNotSaid(String s) {
        return s == null || s.isBlank() ? NOT_SAID : s;
    }

    // ---- records as JSON ---------------------------------------------------------------------------------

    private static Json flow(Json j, RunRecord r, Map<StateType, Long> counted, int messageMax) {
        return j.beginObject()
                .member("id", r.flowRunId())
                .member("name", r.name())
                .member("flow", r.label())
                .member("parent", r.parentId())
                .member("state", r.state().name())
                .member("message", Sources.cut(r.message(), messageMax))
                .member("started", r.started())
                .member("ended", r.ended())
                .member("runner", r.runner())
                .member("process", r.process())
                .name("tags")
                .strings(r.tags())
                .name("counts")
                .counts(Counts.byName(counted))
                .endObject();
    }

    private static String tasks(List<RunRecord> runs, int messageMax) {
        Json j = new Json().beginArray();
        for (RunRecord r : runs) {
            j.beginObject()
                    .member("name", r.name())
                    .member("task", r.label())
                    .member("state", r.state().name())
                    .member("message", Sources.cut(r.message(), messageMax))
                    .member("started", r.started())
                    .member("ended", r.ended())
                    .member("worker", r.worker())
                    .name("tags")
                    .strings(r.tags())
                    .endObject();
        }
        return j.endArray().toString();
    }

    /**
     * Writes one bar of a task stream, compactly, as an array: {@code [seq, name, state, started, ended,
     * worker]}, times in milliseconds since the epoch or null.
     */
    static void bar(Json j, long seq, RunRecord r) {
        j.beginArray()
                .value(seq)
                .value(r.name())
                .value(r.state().name())
                .value(r.started())
                .value(r.ended())
                .value(r.worker())
                .endArray();
    }
}

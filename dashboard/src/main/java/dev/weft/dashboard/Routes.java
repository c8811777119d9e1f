package dev.weft.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.weft.StateType;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of the dashboard: the page's files, the JSON API under {@code /api/}, the events at
 * {@code /api/events}. Reads are open to whoever reaches the address; the one change, {@code DELETE
 * /api/flow-runs/<id>}, needs the token ({@link Access}). A store that fails answers 503 with its one-line
 * message; nothing waits on it longer than {@link Sources#READ_TIMEOUT}.
 *
 * <pre>
 * GET    /api/info                           what the history is; whether changes are allowed
 * GET    /api/flow-runs?state=&amp;name=&amp;limit=      flow runs, newest first, with counts per state
 * GET    /api/flow-runs/ID                   one flow run with its counts and failures
 * GET    /api/flow-runs/ID/task-runs?state=&amp;limit=  its task runs, in the order they started
 * GET    /api/flow-runs/ID/stream?limit=     its task runs that ended last, as bars
 * GET    /api/workers                        the workers of each runner and process
 * GET    /api/limits                         the tag concurrency limits and their slots
 * GET    /api/events?view=runs|run|workers|limits&amp;id=&amp;state=&amp;name=   server-sent events
 * DELETE /api/flow-runs/ID                   removes a flow run that ended, with its task runs
 * </pre>
 */
final class Routes implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

    private final Pages pages;
    private final Events events;
    private final Access access;
    private final StaticFiles files;

    Routes(Pages pages, Events events, Access access, StaticFiles files) {
        this.pages = pages;
        this.events = events;
        this.access = access;
        this.files = files;
    }

    /** A request that is wrong as asked: answered 400 with its message. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (BadRequest e) {
                Http.error(exchange, 400, e.getMessage());
            } catch (Sources.Unavailable e) {
                Http.error(exchange, 503, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("The Weft dashboard failed to answer {}", exchange.getRequestURI(), e);
                Http.error(exchange, 500, "The dashboard failed: " + Sources.oneLine(e));
            }
        } catch (IOException e) {
            // the page went away, or its answer had begun already
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        if (!access.addressedHere(exchange)) {
            Http.error(exchange, 403, "This dashboard answers requests addressed to 127.0.0.1 or localhost only");
            return;
        }
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        if (!path.startsWith("/api/")) {
            if (method.equals("GET") || method.equals("HEAD")) {
                files.serve(exchange, path);
            } else {
                notAllowed(exchange, "GET, HEAD");
            }
            return;
        }
        List<String> parts = Arrays.stream(path.substring("/api/".length()).split("/"))
                .map(Http::decode)
                .toList();
        Map<String, String> params = Http.query(exchange);
        boolean flowRun = parts.size() >= 2 && parts.get(0).equals("flow-runs");
        if (method.equals("DELETE")) {
            if (flowRun && parts.size() == 2) {
                remove(exchange, parts.get(1));
            } else {
                notAllowed(exchange, "GET");
            }
            return;
        }
        if (!method.equals("GET")) {
            notAllowed(exchange, flowRun && parts.size() == 2 ? "GET, DELETE" : "GET");
            return;
        }
        String what = String.join("/", flowRun ? parts.subList(2, parts.size()) : parts);
        if (flowRun) {
            switch (what) {
                case "" -> flowRun(exchange, parts.get(1));
                case "task-runs" -> taskRuns(exchange, parts.get(1), params);
                case "stream" -> stream(exchange, parts.get(1), params);
                default -> Http.error(exchange, 404, "No such page: " + path);
            }
            return;
        }
        switch (what) {
            case "info" -> Http.json(exchange, 200, pages.info(access.changesAllowed()));
            case "flow-runs" -> Http.json(exchange, 200, "{\"runs\":" + pages.runs(query(params)) + "}");
            case "workers" -> Http.json(exchange, 200, pages.workers());
            case "limits" -> Http.json(exchange, 200, "{\"limits\":" + pages.limits() + "}");
            case "events" -> events.serve(exchange, view(params));
            default -> Http.error(exchange, 404, "No such page: " + path);
        }
    }

    private static void notAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        Http.error(exchange, 405, exchange.getRequestMethod() + " is not allowed here; " + allowed + " is");
    }

    private static RunQuery query(Map<String, String> params) {
        RunQuery q = RunQuery.all().limit(limit(params, Pages.RUNS_DEFAULT, Pages.RUNS_MAX));
        if (params.containsKey("name")) {
            q = q.named(params.get("name"));
        }
        StateType state = state(params);
        return state == null ? q : q.inState(state);
    }

    private static View.Key view(Map<String, String> params) {
        String view = params.getOrDefault("view", "runs");
        return switch (view) {
            case "runs" -> new View.Key(View.Kind.RUNS, params.get("name"), state(params));
            case "run" -> {
                String id = params.get("id");
                if (id == null) {
                    throw new BadRequest("view=run needs the flow run's id: /api/events?view=run&id=...");
                }
                yield new View.Key(View.Kind.RUN, id, null);
            }
            case "workers" -> new View.Key(View.Kind.WORKERS, null, null);
            case "limits" -> new View.Key(View.Kind.LIMITS, null, null);
            default -> throw new BadRequest("No view '" + view + "': runs, run, workers or limits");
        };
    }

    private static StateType state(Map<String, String> params) {
        String state = params.get("state");
        if (state == null) {
            return null;
        }
        try {
            return StateType.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("No state '" + state + "': one of " + Arrays.toString(StateType.values()));
        }
    }

    private static int limit(Map<String, String> params, int byDefault, int max) {
        String limit = params.get("limit");
        if (limit == null) {
            return byDefault;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BadRequest("limit is a number from 1 to " + max + ", not '" + limit + "'");
    }

    private RunRecord found(HttpExchange exchange, String nameOrId) throws IOException {
        Optional<RunRecord> flow = pages.flowRun(nameOrId);
        if (flow.isEmpty()) {
            Http.error(
                    exchange,
                    404,
                    "No flow run '" + nameOrId + "' in " + pages.sources().describeHistory());
            return null;
        }
        return flow.get();
    }

    private void flowRun(HttpExchange exchange, String nameOrId) throws IOException {
        RunRecord flow = found(exchange, nameOrId);
        if (flow != null) {
            Http.json(
                    exchange,
                    200,
                    "{\"run\":" + pages.run(flow, pages.counts(flow)) + ",\"failures\":"
                            + pages.failures(flow.flowRunId()) + "}");
        }
    }

    private void taskRuns(HttpExchange exchange, String nameOrId, Map<String, String> params) throws IOException {
        RunRecord flow = found(exchange, nameOrId);
        if (flow != null) {
            int limit = limit(params, Pages.TASK_RUNS_MAX, Pages.TASK_RUNS_MAX);
            Http.json(exchange, 200, "{\"taskRuns\":" + pages.taskRuns(flow.flowRunId(), state(params), limit) + "}");
        }
    }

    private void stream(HttpExchange exchange, String nameOrId, Map<String, String> params) throws IOException {
        RunRecord flow = found(exchange, nameOrId);
        if (flow != null) {
            List<RunRecord> latest = pages.latest(flow.flowRunId(), limit(params, Pages.STREAM_MAX, Pages.STREAM_MAX));
            Json j = new Json().beginObject().name("bars").beginArray();
            for (int i = latest.size() - 1; i >= 0; i--) {
                Pages.bar(j, latest.size() - i, latest.get(i)); // oldest first, numbered from 1
            }
            Http.json(exchange, 200, j.endArray().endObject().toString());
        }
    }

    private void remove(HttpExchange exchange, String nameOrId) throws IOException {
        switch (access.change(exchange)) {
            case NO_TOKEN_SET -> {
                Http.error(
                        exchange,
                        403,
                        "This dashboard was started without a token, so it changes nothing; start it with one"
                                + " (weft dashboard --token ...) to remove runs");
                return;
            }
            case MISSING -> {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"weft-dashboard\"");
                Http.error(exchange, 401, "Removing a run needs the dashboard's token (Authorization: Bearer ...)");
                return;
            }
            case WRONG -> {
                Http.error(exchange, 403, "That is not the dashboard's token");
                return;
            }
            case ALLOWED -> {}
        }
        RunRecord flow = found(exchange, nameOrId);
        if (flow == null) {
            return;
        }
        if (flow.ended() == null) {
            Http.error(
                    exchange,
                    409,
                    "Flow run '" + flow.name() + "' is still running; only runs that ended can be removed");
            return;
        }
        int removed = pages.sources().history(h -> h.remove(RunQuery.all().named(flow.flowRunId())));
        LOG.info("The Weft dashboard removed flow run '{}' ({}) from the run history", flow.name(), flow.flowRunId());
        Http.json(
                exchange,
                200,
                new Json()
                        .beginObject()
                        .member("removed", removed)
                        .member("id", flow.flowRunId())
                        .member("name", flow.name())
                        .endObject()
                        .toString());
    }
}

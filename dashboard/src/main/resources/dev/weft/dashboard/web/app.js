// The Weft dashboard: one page, routes in the address's hash, data from /api/events (server-sent events)
// and /api/... (JSON). Every text from the history is set with textContent, never parsed as HTML.
"use strict";

const STATES = ["COMPLETED", "FAILED", "CRASHED", "CANCELLED", "RUNNING", "AWAITING_RETRY", "QUEUED", "PENDING"];
const STATE_NAMES = {
  PENDING: "Pending", QUEUED: "Queued", RUNNING: "Running", AWAITING_RETRY: "Awaiting retry",
  COMPLETED: "Completed", FAILED: "Failed", CRASHED: "Crashed", CANCELLED: "Cancelled",
};
const STREAM_MAX = 2000; // the most bars the task stream keeps: the server sends the latest ones
const REQUEST_TIMEOUT_MS = 10000;

const app = {
  info: null, // /api/info
  source: null, // the EventSource of the page shown
  route: null,
  page: null, // the page shown: {update(u)}, and filter(route) for the list
};

// ---- small helpers -------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k === "style") e.style.cssText = v; // through the CSSOM: the page's policy refuses style attributes
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e.setAttribute(k, v);
  }
  return append(e, children);
}

// Adds children to a parent: nodes, texts, and arrays of them; null is nothing.
function append(parent, children) {
  for (const c of children.flat(2)) {
    if (c === null || c === undefined || c === false) continue;
    parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return parent;
}

// Puts children in a parent in place of those it had.
function fill(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

function badge(state) {
  return el("span", { class: "badge s-" + state, "data-state": state, text: STATE_NAMES[state] || state });
}

function number(n) {
  return Number(n).toLocaleString("en-US");
}

function plural(n, what) {
  return number(n) + " " + what + (n === 1 ? "" : "s");
}

function time(ms) {
  if (ms === null || ms === undefined) return "";
  const d = new Date(ms);
  const now = new Date();
  const t = d.toLocaleTimeString("en-GB", { hour12: false });
  return d.toDateString() === now.toDateString() ? t : d.toISOString().slice(0, 10) + " " + t;
}

function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) return "";
  if (ms < 1000) return Math.round(ms) + " ms";
  const s = ms / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 2 : 1) + " s";
  const m = Math.floor(s / 60);
  if (m < 60) return m + " m " + Math.floor(s % 60) + " s";
  return Math.floor(m / 60) + " h " + (m % 60) + " m";
}

function runDuration(run) {
  if (!run.started) return "";
  return duration((run.ended || Date.now()) - run.started);
}

function total(counts) {
  return Object.values(counts || {}).reduce((a, b) => a + b, 0);
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message || "";
  box.title = message || "";
  box.hidden = !message;
}

function setLive(state, title) {
  const live = document.getElementById("live");
  live.dataset.live = state;
  live.textContent = state === "open" ? "live" : state === "lost" ? "disconnected" : "connecting";
  live.title = title || "";
}

async function request(method, path, headers) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(path, { method, headers: headers || {}, signal: abort.signal, cache: "no-store" });
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = { error: response.status + " " + response.statusText };
    }
    return { status: response.status, body };
  } catch (e) {
    const why = e.name === "AbortError" ? "did not answer within " + REQUEST_TIMEOUT_MS / 1000 + " s" : "cannot be reached";
    return { status: 0, body: { error: "The dashboard " + why + " (" + method + " " + path + ")" } };
  } finally {
    clearTimeout(timer);
  }
}

// ---- routes and events ---------------------------------------------------------------------------------

function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "run" && parts[1]) return { page: "run", id: parts[1] };
  if (parts[0] === "workers") return { page: "workers" };
  if (parts[0] === "limits") return { page: "limits" };
  return { page: "runs", state: params.get("state") || "", name: params.get("name") || "" };
}

function listen(params) {
  if (app.source) app.source.close();
  setLive("connecting", "Connecting");
  const source = new EventSource("api/events?" + new URLSearchParams(params).toString());
  app.source = source;
  source.onopen = () => setLive("open", "Receiving changes as they happen");
  source.addEventListener("update", (event) => {
    if (source !== app.source) return;
    const update = JSON.parse(event.data);
    if ("error" in update) showError(update.error);
    app.page.update(update);
  });
  source.onerror = () => {
    if (source !== app.source) return;
    setLive("lost", "Lost the connection; trying again");
    showError("Lost the connection to the dashboard; trying again…");
    if (source.readyState === EventSource.CLOSED) setTimeout(() => source === app.source && listen(params), 2000);
  };
  const clearOnOpen = () => {
    if (document.getElementById("error").textContent.startsWith("Lost the connection")) showError(null);
  };
  source.addEventListener("open", clearOnOpen);
}

function show() {
  const route = parseRoute();
  const same = app.route && JSON.stringify(app.route) === JSON.stringify(route);
  if (same) return;
  const samePage = app.route && app.route.page === route.page && route.page === "runs";
  app.route = route;
  for (const a of document.querySelectorAll("[data-nav]")) {
    a.classList.toggle("active", a.dataset.nav === (route.page === "run" ? "runs" : route.page));
  }
  showError(null);
  if (!samePage) {
    const main = document.getElementById("main");
    fill(main);
    const make = { runs: runsPage, run: runPage, workers: workersPage, limits: limitsPage }[route.page];
    app.page = make(main, route);
  } else {
    app.page.filter(route);
  }
  if (route.page === "runs") listen(Object.fromEntries(Object.entries({ view: "runs", state: route.state, name: route.name }).filter(([, v]) => v)));
  else if (route.page === "run") listen({ view: "run", id: route.id });
  else listen({ view: route.page });
}

// ---- flow runs ---------------------------------------------------------------------------------------

function countChips(counts) {
  const chips = el("div", { class: "chips" });
  for (const s of STATES) {
    if (counts && counts[s]) {
      chips.append(el("span", { class: "chip s-" + s, "data-state": s, title: STATE_NAMES[s], text: number(counts[s]) }));
    }
  }
  return chips;
}

function runsPage(main, route) {
  const state = el("select", { id: "filter-state", "aria-label": "State" },
    el("option", { value: "", text: "Every state" }),
    STATES.map((s) => el("option", { value: s, text: STATE_NAMES[s] })));
  const name = el("input", { id: "filter-name", type: "search", placeholder: "Flow, flow run name or id", "aria-label": "Name" });
  const apply = () => {
    const q = new URLSearchParams();
    if (state.value) q.set("state", state.value);
    if (name.value.trim()) q.set("name", name.value.trim());
    location.hash = "#/" + (q.toString() ? "?" + q.toString() : "");
  };
  let typing = null;
  state.addEventListener("change", apply);
  name.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(apply, 350);
  });
  const body = el("tbody", { id: "runs" });
  const summary = el("span", { class: "muted small", id: "runs-summary" });
  main.append(
    el("div", { class: "filters" },
      el("h1", { text: "Flow runs" }), summary, el("span", { class: "spacer", style: "flex:1" }),
      el("label", { for: "filter-state", text: "State" }), state,
      el("label", { for: "filter-name", text: "Name" }), name),
    el("div", { class: "table-wrap" },
      el("table", {},
        el("thead", {}, el("tr", {},
          el("th", { text: "Flow run" }), el("th", { text: "Flow" }), el("th", { text: "State" }),
          el("th", { text: "Started" }), el("th", { class: "num", text: "Duration" }),
          el("th", { text: "Runner" }), el("th", { text: "Process" }),
          el("th", { class: "num", text: "Task runs" }), el("th", { text: "By state" }))),
        body)));
  let runs = null;
  const filter = (r) => {
    state.value = r.state || "";
    if (document.activeElement !== name) name.value = r.name || "";
  };
  filter(route);
  const render = () => {
    if (runs === null) return;
    fill(body);
    if (runs.length === 0) {
      body.append(el("tr", {}, el("td", { colspan: 9, class: "empty", text: "No flow runs yet" + (route.state || route.name ? " that match" : "") + "." })));
    }
    for (const r of runs) {
      body.append(el("tr", { "data-run-id": r.id, "data-run-name": r.name },
        el("td", {}, el("a", { href: "#/run/" + encodeURIComponent(r.id), text: r.name }),
          r.parent ? el("div", { class: "muted small", text: "subflow" }) : null),
        el("td", { text: r.flow }),
        el("td", { title: r.message || "" }, badge(r.state)),
        el("td", { class: "small", text: time(r.started) }),
        el("td", { class: "num small", "data-since": r.ended ? null : r.started, text: runDuration(r) }),
        el("td", { class: "small", text: r.runner || "" }),
        el("td", { class: "small mono", text: r.process || "" }),
        el("td", { class: "num", "data-total": total(r.counts), text: number(total(r.counts)) }),
        el("td", {}, countChips(r.counts))));
    }
    const live = runs.filter((r) => !r.ended).length;
    summary.textContent = runs.length + " shown" + (live ? ", " + live + " running" : "");
  };
  return {
    update(u) {
      if ("runs" in u) {
        runs = u.runs;
        render();
      }
    },
    filter(r) {
      route = r;
      filter(r);
      runs = null;
    },
  };
}

// ---- one flow run ------------------------------------------------------------------------------------

function runPage(main, route) {
  const head = el("div", { class: "panel", id: "run-head" }, el("p", { class: "muted", text: "Loading flow run " + route.id + "…" }));
  const tiles = el("div", { class: "tiles", id: "counts" });
  const canvas = el("canvas", { class: "stream", id: "stream", height: 200, "data-bars": 0 });
  const streamNote = el("span", { class: "muted small", id: "stream-note" });
  const failures = el("div", { id: "failures" });
  const legend = el("div", { class: "legend" },
    ["COMPLETED", "FAILED", "CRASHED", "CANCELLED", "RUNNING"].map((s) => el("span", {}, el("i", { class: "s-" + s }), STATE_NAMES[s])));
  main.append(head, tiles,
    el("h2", {}, "Task stream ", streamNote),
    el("div", { class: "stream-box" }, canvas), legend,
    el("h2", { text: "Failures" }), failures);
  const stream = taskStream(canvas, streamNote);
  let run = null;
  const renderHead = () => {
    if (run === null) return;
    const remove = app.info && app.info.changes && run.ended
      ? el("button", { class: "danger", id: "remove", onclick: () => removeRun(run) }, "Remove from history")
      : null;
    fill(head, 
      el("div", { class: "run-head" },
        el("h1", { id: "run-name", text: run.name }), badge(run.state),
        el("span", { class: "muted", text: "flow " }), el("b", { text: run.flow }),
        el("span", { class: "spacer" }), remove),
      run.message ? el("div", { class: "muted", id: "run-message", text: run.message }) : null,
      el("div", { class: "meta" },
        meta("Started", time(run.started)), meta("Ended", run.ended ? time(run.ended) : "running"),
        meta("Duration", runDuration(run), run.ended ? null : run.started), meta("Task runner", run.runner),
        meta("Process", run.process), meta("Id", run.id),
        run.parent ? el("div", {}, el("span", { text: "Subflow of" }), el("a", { href: "#/run/" + encodeURIComponent(run.parent), text: run.parent })) : null,
        run.tags && run.tags.length ? meta("Tags", run.tags.join(", ")) : null));
    fill(tiles, 
      el("div", { class: "tile total", "data-state": "TOTAL" }, el("b", { text: number(total(run.counts)) }), el("span", { text: "Task runs" })),
      STATES.filter((s) => run.counts[s]).map((s) =>
        el("div", { class: "tile s-" + s, "data-state": s }, el("b", { text: number(run.counts[s]) }), el("span", { text: STATE_NAMES[s] }))));
  };
  return {
    info: renderHead,
    update(u) {
      if ("run" in u) {
        if (u.run === null) {
          fill(head, el("p", { class: "empty", text: "No flow run " + route.id + " in the history." }));
          fill(tiles);
        } else {
          run = u.run;
          renderHead();
          if (!("stream" in u)) stream.add([], false, total(run.counts)); // its note says how many there are
        }
      }
      if ("failures" in u) renderFailures(failures, u.failures);
      if ("stream" in u) stream.add(u.stream.bars, u.stream.reset, run ? total(run.counts) : 0);
    },
  };
}

function meta(label, value, since) {
  return el("div", { title: value || "" }, el("span", { text: label }), el("b", { class: "value", "data-since": since, text: value || "—" }));
}

// The durations of the runs that still run, in place: the rest of the page changes only when its data does.
function tickDurations() {
  for (const e of document.querySelectorAll("[data-since]")) {
    e.textContent = duration(Date.now() - Number(e.dataset.since));
  }
}

function renderFailures(box, list) {
  if (!list.length) {
    fill(box, el("p", { class: "muted", text: "No task run failed or crashed." }));
    return;
  }
  fill(box, el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, el("th", { text: "Task run" }), el("th", { text: "State" }), el("th", { text: "Message" }),
      el("th", { text: "Worker" }), el("th", { text: "Ended" }))),
    el("tbody", {}, list.map((t) => el("tr", { class: "failure", "data-task-run": t.name },
      el("td", { class: "mono", text: t.name }), el("td", {}, badge(t.state)),
      el("td", {}, el("pre", { class: "message", text: t.message || "" })),
      el("td", { class: "small", text: t.worker || "" }), el("td", { class: "small", text: time(t.ended) })))))));
}

async function removeRun(run) {
  let token = sessionStorage.getItem("weft-token");
  if (!token) {
    token = prompt("The dashboard's token, to remove flow run '" + run.name + "' and its task runs from the history:");
    if (!token) return;
  }
  const answer = await request("DELETE", "api/flow-runs/" + encodeURIComponent(run.id), { Authorization: "Bearer " + token });
  if (answer.status === 200) {
    sessionStorage.setItem("weft-token", token);
    location.hash = "#/";
  } else {
    if (answer.status === 401 || answer.status === 403) sessionStorage.removeItem("weft-token");
    showError(answer.body.error || "The run could not be removed (" + answer.status + ")");
  }
}

// ---- the task stream: one bar per task run from its start to its end, rows by worker -------------------

const STATE_COLORS = {};

function stateColor(state) {
  if (!STATE_COLORS[state]) {
    const v = getComputedStyle(document.documentElement).getPropertyValue("--s-" + state.toLowerCase()).trim();
    STATE_COLORS[state] = v || "#b8bec8";
  }
  return STATE_COLORS[state];
}

function taskStream(canvas, note) {
  const bars = new Map(); // name -> {seq, name, state, start, end, worker}
  let total = 0;
  let lanes = []; // [{label, bars: []}]
  let scale = null;
  let pending = false;
  const LABEL_W = 150;

  function add(list, reset, totalRuns) {
    if (reset) bars.clear();
    for (const [seq, name, state, start, end, worker] of list) {
      bars.set(name, { seq, name, state, start, end, worker });
    }
    if (bars.size > STREAM_MAX) {
      const oldest = [...bars.values()].sort((a, b) => a.seq - b.seq).slice(0, bars.size - STREAM_MAX);
      for (const b of oldest) bars.delete(b.name);
    }
    total = Math.max(totalRuns, bars.size); // the stream may be read a moment after the counts
    redraw();
  }

  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  }

  // Rows: one per worker when there are few, each split into lanes where its runs overlap (a worker with
  // threads); otherwise lanes packed greedily, first fit, as many runs ran on threads of their own.
  function pack(drawn) {
    const workers = new Set(drawn.map((b) => b.worker || ""));
    const byWorker = workers.size <= 40 && !workers.has("");
    const groups = new Map();
    for (const b of drawn) {
      const key = byWorker ? b.worker : "";
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(b);
    }
    const keys = [...groups.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const rows = [];
    for (const key of keys) {
      const list = groups.get(key).sort((a, b) => a.start - b.start);
      const ends = [];
      const mine = [];
      for (const b of list) {
        let lane = ends.findIndex((end) => end <= b.start);
        if (lane < 0) {
          if (ends.length < 64) {
            lane = ends.length;
            ends.push(0);
            mine.push({ label: ends.length === 1 ? key : "", bars: [] });
          } else {
            lane = ends.indexOf(Math.min(...ends));
          }
        }
        ends[lane] = b.end;
        mine[lane].bars.push(b);
      }
      rows.push(...mine);
    }
    return { rows, byWorker };
  }

  function draw() {
    const drawn = [...bars.values()].filter((b) => b.start && b.end);
    const width = canvas.clientWidth || 800;
    const packed = pack(drawn);
    lanes = packed.rows;
    const laneH = Math.max(3, Math.min(18, Math.floor(420 / Math.max(1, lanes.length))));
    const left = packed.byWorker ? LABEL_W : 8;
    const height = Math.max(120, lanes.length * laneH + 34);
    const ratio = window.devicePixelRatio || 1;
    canvas.style.height = height + "px";
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = "11px system-ui, sans-serif";
    canvas.dataset.bars = String(drawn.length);
    canvas.dataset.lanes = String(lanes.length);
    const never = bars.size - drawn.length;
    note.textContent = drawn.length
      ? "the latest " + number(drawn.length) + " of " + number(total) + " task runs, " + lanes.length + " rows" + (never ? "; " + never + " never ran" : "")
      : "no task run has ended yet";
    if (!drawn.length) {
      scale = null;
      g.fillStyle = "#6b7280";
      g.fillText("The task runs appear here as they end.", 12, 24);
      return;
    }
    let t0 = Infinity;
    let t1 = -Infinity;
    for (const b of drawn) {
      t0 = Math.min(t0, b.start);
      t1 = Math.max(t1, b.end);
    }
    if (t1 <= t0) t1 = t0 + 1;
    const plotW = width - left - 10;
    const x = (t) => left + ((t - t0) / (t1 - t0)) * plotW;
    scale = { t0, t1, left, plotW, laneH, top: 4 };
    lanes.forEach((lane, i) => {
      const y = 4 + i * laneH;
      if (lane.label && laneH >= 9) {
        g.fillStyle = "#6b7280";
        g.fillText(lane.label.length > 22 ? lane.label.slice(0, 21) + "…" : lane.label, 6, y + laneH - 3);
      }
      for (const b of lane.bars) {
        g.fillStyle = stateColor(b.state);
        const x0 = x(b.start);
        g.fillRect(x0, y + 1, Math.max(1, x(b.end) - x0), Math.max(1, laneH - 2));
      }
    });
    const axisY = 4 + lanes.length * laneH + 6;
    g.strokeStyle = "#e3e6eb";
    g.beginPath();
    g.moveTo(left, axisY);
    g.lineTo(left + plotW, axisY);
    g.stroke();
    g.fillStyle = "#6b7280";
    for (let i = 0; i <= 5; i++) {
      const t = t0 + ((t1 - t0) * i) / 5;
      const label = i === 0 ? time(t) : "+" + duration(t - t0);
      const tx = Math.min(left + plotW - g.measureText(label).width, Math.max(left, x(t) - g.measureText(label).width / 2));
      g.fillText(label, tx, axisY + 14);
    }
  }

  const tooltip = document.getElementById("tooltip");
  canvas.addEventListener("mousemove", (e) => {
    if (!scale) return;
    const r = canvas.getBoundingClientRect();
    const px = e.clientX - r.left;
    const lane = lanes[Math.floor((e.clientY - r.top - scale.top) / scale.laneH)];
    const t = scale.t0 + ((px - scale.left) / scale.plotW) * (scale.t1 - scale.t0);
    const slack = (3 / scale.plotW) * (scale.t1 - scale.t0);
    const hit = lane && lane.bars.find((b) => b.start - slack <= t && t <= b.end + slack);
    if (!hit) {
      tooltip.hidden = true;
      return;
    }
    tooltip.textContent = hit.name + " · " + (STATE_NAMES[hit.state] || hit.state) + " · " + duration(hit.end - hit.start) + (hit.worker ? " · " + hit.worker : "");
    tooltip.style.left = e.clientX + 12 + "px";
    tooltip.style.top = e.clientY + 12 + "px";
    tooltip.hidden = false;
  });
  canvas.addEventListener("mouseleave", () => (tooltip.hidden = true));
  window.addEventListener("resize", redraw);
  return { add, redraw };
}

// ---- workers -----------------------------------------------------------------------------------------

function workersPage(main) {
  const body = el("div", { class: "cards", id: "workers" }, el("p", { class: "muted", text: "Loading…" }));
  const note = el("p", { class: "muted small", id: "workers-note" });
  main.append(el("h1", { text: "Workers" }), note, body);
  return {
    update(u) {
      if (!("workers" in u)) return;
      const w = u.workers;
      note.textContent = "What ran where, over the newest " + plural(w.flowRunsRead, "flow run") + " (at most " + w.flowRunsReadMax + "), by process and task runner.";
      fill(body);
      if (!w.processes.length) body.append(el("p", { class: "panel empty", text: "No flow runs yet." }));
      for (const p of w.processes) {
        const here = app.info && app.info.process === p.process;
        body.append(el("section", { class: "panel card", "data-process": p.process },
          el("h2", {}, el("span", { class: "mono", text: p.process }), here ? el("span", { class: "muted small", text: "this dashboard's process" }) : null),
          p.counters ? countersTable(p.counters) : null,
          p.runners.map((r) => runnerTable(r))));
      }
    },
  };
}

// The live counts of a process on this host, from its counters file (what `weft stat` prints).
function countersTable(c) {
  const metrics = ["submitted", "running", "completed", "failed", "crashed", "cancelled"];
  const rows = c.runners.map((r) => el("tr", { "data-counted-runner": r.name },
    el("td", { class: "mono", text: r.name }), metrics.map((m) => el("td", { class: "num", "data-metric": m, text: number(r[m] || 0) }))));
  const tags = c.tags.map((t) => el("tr", { "data-counted-tag": t.name },
    el("td", { class: "mono", text: "tag " + t.name }), el("td", { class: "num", colspan: 6, text: number(t.held || 0) + " holding slots, " + number(t.waiting || 0) + " waiting" })));
  return el("div", { class: "counters" },
    el("p", {}, el("b", { text: "Live counts" }), " — since the process began, from its counters file"),
    el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, el("th", { text: "Task runner" }), metrics.map((m) => el("th", { class: "num", text: m })))),
      el("tbody", {}, rows.length ? rows : [el("tr", {}, el("td", { colspan: 7, class: "muted", text: "No task run yet." }))], tags))));
}

function runnerTable(r) {
  const most = Math.max(1, ...r.workers.map((w) => w.taskRuns));
  const rows = r.workers.map((w) => el("tr", { "data-worker": w.worker },
    el("td", { class: "mono", text: w.worker }),
    el("td", { class: "num", text: number(w.taskRuns) }),
    el("td", { class: "num", text: w.failed ? number(w.failed) : "" }),
    el("td", { class: "bar-cell" }, el("div", { class: "meter" }, el("div", { style: "width:" + (100 * w.taskRuns) / most + "%" })))));
  if (r.others.workers) {
    rows.push(el("tr", {}, el("td", { class: "muted", text: "and " + number(r.others.workers) + " other workers" }),
      el("td", { class: "num", text: number(r.others.taskRuns) }), el("td", { class: "num", text: r.others.failed ? number(r.others.failed) : "" }), el("td")));
  }
  if (!rows.length) {
    rows.push(el("tr", {}, el("td", { colspan: 4, class: "muted", text: "No task run has ended yet." })));
  }
  return el("div", { class: "runner", "data-runner": r.runner },
    el("p", {}, el("b", { text: r.runner }), " — " + plural(r.flowRuns, "flow run") + (r.live ? " (" + r.live + " running)" : "") +
      ", " + plural(r.taskRuns, "task run") + (r.failed ? ", " + number(r.failed) + " failed or crashed" : "") +
      ", " + plural(r.workerCount, "worker") + (r.sampled ? " (counted over each flow run's latest task runs)" : "")),
    el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, el("th", { text: "Worker" }), el("th", { class: "num", text: "Task runs" }), el("th", { class: "num", text: "Failed" }), el("th"))),
      el("tbody", {}, rows))));
}

// ---- tag limits --------------------------------------------------------------------------------------

function limitsPage(main) {
  const body = el("div", { id: "limits" }, el("p", { class: "muted", text: "Loading…" }));
  main.append(el("h1", { text: "Tag concurrency limits" }),
    el("p", { class: "muted small", text: "How many task runs with each tag may run at once, anywhere that shares the store, and the runs that hold a slot now." }),
    body);
  return {
    update(u) {
      if (!("limits" in u)) return;
      fill(body);
      if (!u.limits.length) {
        body.append(el("p", { class: "panel empty" }, "No tag has a concurrency limit. Create one with ", el("code", { text: "weft concurrency-limit create TAG LIMIT" }), "."));
        return;
      }
      body.append(el("div", { class: "table-wrap" }, el("table", {},
        el("thead", {}, el("tr", {}, el("th", { text: "Tag" }), el("th", { class: "num", text: "Active slots" }), el("th", { text: "" }), el("th", { text: "Held by" }))),
        el("tbody", {}, u.limits.map((l) => el("tr", { "data-tag": l.tag },
          el("td", { class: "mono", text: l.tag }),
          el("td", { class: "num", "data-active": l.active, text: l.active + " / " + l.limit }),
          el("td", { class: "bar-cell" }, el("div", { class: "meter" + (l.active >= l.limit ? " full" : "") },
            el("div", { style: "width:" + (l.limit ? (100 * l.active) / l.limit : 100) + "%" }))),
          el("td", { class: "small" }, l.slots.length
            ? l.slots.map((s) => el("div", {}, el("span", { class: "mono", text: s.runName }), el("span", { class: "muted", text: " · pid " + s.pid + "@" + s.host + " · since " + time(s.acquired) })))
            : el("span", { class: "muted", text: l.limit === 0 ? "limit 0: every run with this tag is aborted" : "none" }))))))));
    },
  };
}

// ---- start -------------------------------------------------------------------------------------------

function start() {
  window.addEventListener("hashchange", show);
  show();
  setInterval(tickDurations, 1000);
  // what the history is, and whether this dashboard allows changes: the page does not wait for it
  request("GET", "api/info").then((info) => {
    if (info.status !== 200) {
      showError(info.body.error);
      return;
    }
    app.info = info.body;
    document.getElementById("history").textContent = info.body.history || "";
    if (app.page.info) app.page.info();
  });
}

start();

// Supervisor dashboard: every number comes from GET /dashboard/api/summary (the engine's
// statistics); the /supervisor socket only hints "refresh". Actions go to the routing API.
import { io } from "/chat/vendor/socket.io.js";
import { api, percent, seconds } from "./console-api.js";
import { button, request, setUpCalls } from "./dashboard-calls.js";

const root = document.getElementById("dashboard");
const call = api(root.dataset.csrf);
const $ = (id) => document.getElementById(id);
const live = setUpCalls(request(root.dataset.csrf));
let summary = { agents: [], queues: [], waiting: [], intervals: [] };
let chart = null;
let waitingChart = null;
let pending = null;

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

async function refresh() {
  pending = null;
  try {
    const [next, waiting] = await Promise.all([
      call("GET", "/dashboard/api/summary"), call("GET", "/dashboard/api/waiting")]);
    summary = next;
    $("updated").textContent = `updated ${new Date().toLocaleTimeString()}`;
    render();
    renderWaitingChart(waiting);
    live.refresh();
  } catch (error) {
    $("action-error").textContent = error.message;
  }
}

function soon() { // coalesce bursts of hints into one fetch
  if (!pending) pending = setTimeout(refresh, 250);
}

function render() {
  $("alerts").replaceChildren(...summary.alerts.map((alert) => {
    const item = document.createElement("li");
    item.className = `alert ${alert.kind}`;
    item.textContent = alert.message;
    return item;
  }));
  $("tiles").replaceChildren(...summary.queues.map(tile));
  renderAgents();
  renderWaiting();
  renderChart();
}

function tile(q) {
  const card = document.createElement("div");
  card.className = "card tile";
  card.dataset.queue = q.queue_id;
  const facts = [
    ["Waiting", q.waiting], ["Longest wait", seconds(q.longest_wait)],
    ["Offered today", q.offered], ["Answered today", q.answered],
    ["Service level", percent(q.service_level)], ["ASA", seconds(q.asa)],
    ["Abandonment", percent(q.abandonment)], ["AHT", seconds(q.aht)],
    ["Occupancy", percent(q.occupancy)],
    ["Agents needed (Erlang C)", `${q.agents_needed} needed · ${q.eligible} signed in · ${q.available} available`],
  ];
  const title = document.createElement("h2");
  title.textContent = q.queue_id;
  const list = document.createElement("dl");
  list.className = "facts";
  for (const [name, value] of facts) {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = value;
    dd.dataset.fact = name;
    list.append(dt, dd);
  }
  card.append(title, list);
  return card;
}

function renderAgents() {
  const text = $("agent-filter").value.trim().toLowerCase();
  const status = $("status-filter").value;
  const state = $("state-filter").value;
  const rows = summary.agents.filter((a) =>
    (!status || a.status === status) && (!state || a.state === state) &&
    (!text || [a.name, ...a.queues, ...a.tasks].join(" ").toLowerCase().includes(text)));
  $("agents").tBodies[0].replaceChildren(...rows.map((a) => {
    const tr = document.createElement("tr");
    tr.append(cell(a.name), cell(a.status), cell(a.state), cell(seconds(a.in_state)),
              taskCell(a.current || []), cell(a.queues.join(", ")));
    const actions = document.createElement("td");
    const select = document.createElement("select");
    select.setAttribute("aria-label", `Status of ${a.name}`);
    for (const s of ["available", "break", "offline"]) select.append(new Option(s, s, false, s === a.status));
    select.onchange = () => command("set_status", { agent_id: a.agent_id, status: select.value });
    actions.append(select);
    tr.append(actions);
    return tr;
  }));
}

function taskCell(tasks) { // what the agent holds, with the actions it allows
  const td = document.createElement("td");
  for (const t of tasks) {
    const item = document.createElement("div");
    item.className = "task-actions";
    item.append(`${t.task_id} (${t.channel || "?"})`);
    if (t.channel !== "voice") item.append(button("Transcript", `Transcript of ${t.task_id}`, () => live.read(t.task_id)));
    else if (t.state === "assigned") {
      for (const mode of ["monitor", "whisper", "barge"]) {
        item.append(button(mode[0].toUpperCase() + mode.slice(1), `${mode} ${t.task_id}`, () => live.coach(t.task_id, mode)));
      }
    }
    td.append(item);
  }
  return td;
}

function renderWaiting() {
  const queues = summary.queues.map((q) => q.queue_id);
  $("waiting").tBodies[0].replaceChildren(...summary.waiting.map((t) => {
    const tr = document.createElement("tr");
    tr.append(cell(t.task_id), cell(t.queue_id), cell(seconds(t.waited)), cell(t.priority));
    const actions = document.createElement("td");
    const up = document.createElement("button");
    up.type = "button";
    up.textContent = "Priority +1";
    up.onclick = () => command("reprioritise", { task_id: t.task_id, priority: t.priority + 1 });
    const move = document.createElement("select");
    move.setAttribute("aria-label", `Move ${t.task_id}`);
    move.append(new Option("move to…", ""), ...queues.filter((q) => q !== t.queue_id).map((q) => new Option(q, q)));
    move.onchange = () => move.value && command("move", { task_id: t.task_id, queue_id: move.value });
    actions.append(up, move);
    if (t.channel && t.channel !== "voice") {
      actions.append(button("Transcript", `Transcript of ${t.task_id}`, () => live.read(t.task_id)));
    }
    tr.append(actions);
    return tr;
  }));
}

async function command(kind, payload) {
  $("action-error").textContent = "";
  try {
    await call("POST", "/api/v1/routing/commands", { kind, payload });
  } catch (error) {
    $("action-error").textContent = `${kind}: ${error.message}`;
  }
  refresh();
}

function renderChart() {
  if (!window.Chart) return;
  const labels = summary.intervals.map((i) => new Date(i.start * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
  const data = [
    { type: "bar", label: "Contacts offered", data: summary.intervals.map((i) => i.offered), yAxisID: "y" },
    { type: "line", label: "Service level %", data: summary.intervals.map((i) => i.service_level === null ? null : Math.round(i.service_level * 100)), yAxisID: "sl" },
  ];
  if (chart) {
    chart.data.labels = labels;
    chart.data.datasets.forEach((set, n) => { set.data = data[n].data; });
    chart.update("none");
    return;
  }
  chart = new window.Chart($("chart"), {
    data: { labels, datasets: data },
    options: { animation: false, scales: { y: { beginAtZero: true }, sl: { position: "right", min: 0, max: 100 } } },
  });
}

const minute = (t) => new Date(t * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

function renderWaitingChart(series) { // computed by the server from the event log
  $("waiting-now").textContent = `${series.total.at(-1) ?? 0} waiting now`;
  if (!window.Chart) return;
  const labels = series.times.map(minute);
  const sets = Object.entries(series.queues).map(([queue, data]) => ({ label: queue, data, stepped: true }));
  if (waitingChart && waitingChart.data.datasets.length === sets.length) {
    waitingChart.data.labels = labels;
    waitingChart.data.datasets.forEach((set, n) => { set.data = sets[n].data; });
    waitingChart.update("none");
    return;
  }
  if (waitingChart) waitingChart.destroy();
  waitingChart = new window.Chart($("waiting-chart"), {
    type: "line",
    data: { labels, datasets: sets },
    options: { animation: false, elements: { point: { radius: 0 } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

$("agent-filter").oninput = renderAgents;
$("status-filter").onchange = renderAgents;
$("state-filter").onchange = renderAgents;
const socket = io("/supervisor");
socket.on("connect", () => { $("connection").textContent = "live"; refresh(); });
socket.on("disconnect", () => { $("connection").textContent = "reconnecting…"; });
socket.on("refresh", soon);
setInterval(refresh, 10000); // numbers move with time even without events (waits, occupancy)

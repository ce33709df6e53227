// Supervisor dashboard: every number comes from GET /dashboard/api/summary (the engine's
// statistics); the /supervisor socket only hints "refresh". Actions go to the routing API.
import { io } from "/chat/vendor/socket.io.js";
import { api, percent, seconds } from "./console-api.js";
import { button, request, setUpCalls } from "./dashboard-calls.js";
import { renderCommunity } from "./dashboard-community.js";
import { cell, sortable } from "./dashboard-table.js";
import { describeIntervals, describeWaiting, setUpWallboard } from "./dashboard-wallboard.js";
import { renderCsat } from "./dashboard-csat.js";

const root = document.getElementById("dashboard");
const call = api(root.dataset.csrf);
const $ = (id) => document.getElementById(id);
const live = setUpCalls(request(root.dataset.csrf));
let summary = { agents: [], queues: [], waiting: [], intervals: [] };
let chart = null;
let waitingChart = null;
let pending = null;
const STATUSES = ["available", "break", "paused", "offline"];
const CONFIRM_MS = 10000; // how long "Confirm sign out" waits for the second click
const armed = new Map(); // agent_id → until when a sign-out waits for its confirmation
const QUEUE_KEY = "crowdline.dashboard.queue";
const sortAgents = sortable($("agents"), { key: "name" }, renderAgents);
const sortWaiting = sortable($("waiting"), { key: "waited", dir: -1 }, renderWaiting);
const inQueue = (queueId) => !$("queue-filter").value || queueId === $("queue-filter").value;

async function refresh() {
  pending = null;
  try {
    const [next, waiting] = await Promise.all([
      call("GET", "/dashboard/api/summary"), call("GET", "/dashboard/api/waiting")]);
    summary = next;
    $("updated").textContent = `updated ${new Date().toLocaleTimeString()}`;
    render();
    renderCommunity(summary.community || []);
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
  renderQueueChoices();
  $("alerts").replaceChildren(...summary.alerts.filter((a) => inQueue(a.queue_id)).map((alert) => {
    const item = document.createElement("li");
    item.className = `alert ${alert.kind}`;
    item.textContent = alert.message;
    return item;
  }));
  $("tiles").replaceChildren(...summary.queues.filter((q) => inQueue(q.queue_id)).map(tile));
  renderAgents();
  renderWaiting();
  renderChart();
  renderCsat($("csat"), summary.csat, summary.agents, inQueue);
}

function tile(q) {
  const card = document.createElement("div");
  card.className = `card tile wait-${q.wait_level}`;
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
    if (name === "Longest wait") dd.className = `wait ${q.wait_level}`;
    list.append(dt, dd);
  }
  card.append(title, list);
  return card;
}

function renderQueueChoices() {
  const select = $("queue-filter");
  const chosen = select.value || localStorage.getItem(QUEUE_KEY) || "";
  const ids = summary.queues.map((q) => q.queue_id);
  if ([...select.options].slice(1).map((o) => o.value).join() !== ids.join()) {
    select.replaceChildren(new Option("all queues", ""), ...ids.map((id) => new Option(id, id)));
  }
  select.value = ids.includes(chosen) ? chosen : "";
}

function agentValue(a, key) {
  if (key in a.today) return a.today[key];
  if (key === "queues") return a.queues.join(", ");
  return typeof a[key] === "string" ? a[key].toLowerCase() : a[key];
}

function renderAgents() {
  const body = $("agents").tBodies[0];
  if (body.contains(document.activeElement) && document.activeElement.tagName === "SELECT") {
    return; // the supervisor is choosing a status: re-render when they are done (blur)
  }
  const text = $("agent-filter").value.trim().toLowerCase();
  const status = $("status-filter").value;
  const state = $("state-filter").value;
  const rows = summary.agents.filter((a) =>
    (!status || a.status === status) && (!state || a.state === state) &&
    (!$("queue-filter").value || a.queues.includes($("queue-filter").value)) &&
    (!text || [a.name, ...a.queues, ...a.tasks, ...(a.current || []).map((t) => t.customer)]
      .join(" ").toLowerCase().includes(text)));
  body.replaceChildren(...sortAgents(rows, agentValue).map((a) => {
    const tr = document.createElement("tr");
    tr.dataset.agent = a.agent_id;
    tr.append(cell(a.name, "Agent"), cell(a.status, "Status"), cell(a.state, "State"),
              cell(seconds(a.in_state), "In state"), taskCell(a.current || []),
              cell(a.queues.join(", "), "Queues"), cell(a.today.contacts, "Contacts"),
              cell(seconds(a.today.aht), "AHT"), cell(percent(a.today.occupancy), "Occupancy"),
              cell(percent(a.today.acceptance), "Acceptance"), agentActions(a));
    return tr;
  }));
}

function agentActions(a) { // the current status is always the one shown
  const td = document.createElement("td");
  td.dataset.label = "Actions";
  const box = document.createElement("div");
  box.className = "row-actions";
  td.append(box);
  const select = document.createElement("select");
  select.setAttribute("aria-label", `Status of ${a.name}`);
  const choices = STATUSES.includes(a.status) ? STATUSES : [a.status, ...STATUSES];
  for (const s of choices) select.append(new Option(s, s, s === a.status, s === a.status));
  // Once sent, leave the dropdown: the table re-renders (it waits while a dropdown is open).
  select.onchange = () => { select.blur(); command("set_status", { agent_id: a.agent_id, status: select.value }); };
  select.onblur = () => setTimeout(renderAgents, 0);
  box.append(select);
  if (a.status === "available") {
    box.append(button("Pause", `Pause ${a.name}`, () => command("set_status", { agent_id: a.agent_id, status: "paused" })));
  }
  if (a.status !== "offline") {
    const confirming = (armed.get(a.agent_id) || 0) > Date.now(); // survives a re-render
    const out = button(confirming ? "Confirm sign out" : "Sign out", `Sign out ${a.name}`, () => {
      if ((armed.get(a.agent_id) || 0) > Date.now()) {
        armed.delete(a.agent_id);
        return command("set_status", { agent_id: a.agent_id, status: "offline" });
      }
      armed.set(a.agent_id, Date.now() + CONFIRM_MS); // a second click confirms: it withdraws their offers
      out.textContent = "Confirm sign out";
      out.classList.add("danger");
      setTimeout(renderAgents, CONFIRM_MS + 50);
    });
    if (confirming) out.classList.add("danger");
    box.append(out);
  }
  return td;
}

function taskCell(tasks) { // what the agent holds, with the actions it allows
  const td = document.createElement("td");
  td.dataset.label = "Task";
  for (const t of tasks) {
    const item = document.createElement("div");
    item.className = "task-actions";
    item.title = t.task_id;
    item.append(`${t.customer} · ${channelName(t.channel)}`);
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

const CHANNELS = { voice: "call", web: "web chat", sms: "SMS", whatsapp: "WhatsApp" };
const channelName = (c) => CHANNELS[c] || c || "?";

function renderWaiting() {
  const queues = summary.queues.map((q) => q.queue_id);
  const body = $("waiting").tBodies[0];
  if (body.contains(document.activeElement) && document.activeElement.tagName === "SELECT") return;
  const rows = summary.waiting.filter((t) => inQueue(t.queue_id));
  const value = (t, key) => (key === "channel" ? channelName(t.channel) : key === "customer" ? t.customer.toLowerCase() : t[key]);
  body.replaceChildren(...sortWaiting(rows, value).map((t) => {
    const tr = document.createElement("tr");
    tr.dataset.task = t.task_id;
    tr.title = t.task_id;
    const waited = cell("", "Waited");
    const level = document.createElement("span");
    level.className = `wait ${t.level}`;
    level.textContent = seconds(t.waited);
    waited.append(level);
    tr.append(cell(t.customer, "Customer"), cell(channelName(t.channel), "Channel"),
              cell(t.queue_id, "Queue"), waited, cell(t.priority, "Priority"));
    const td = document.createElement("td");
    td.dataset.label = "Actions";
    const actions = document.createElement("div");
    actions.className = "row-actions";
    td.append(actions);
    const up = document.createElement("button");
    up.type = "button";
    up.textContent = "Priority +1";
    up.setAttribute("aria-label", `Priority +1 for ${t.customer} (${t.task_id})`);
    up.onclick = () => command("reprioritise", { task_id: t.task_id, priority: t.priority + 1 });
    const move = document.createElement("select");
    move.setAttribute("aria-label", `Move ${t.customer} (${t.task_id})`);
    move.onblur = () => setTimeout(renderWaiting, 0);
    move.append(new Option("move to…", ""), ...queues.filter((q) => q !== t.queue_id).map((q) => new Option(q, q)));
    move.onchange = () => { move.blur(); if (move.value) command("move", { task_id: t.task_id, queue_id: move.value }); };
    actions.append(up, move);
    if (t.channel && t.channel !== "voice") {
      actions.append(button("Transcript", `Transcript of ${t.task_id}`, () => live.read(t.task_id)));
    }
    tr.append(td);
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
  $("chart-text").textContent = describeIntervals(summary.intervals);
  $("chart").setAttribute("aria-label", `Contacts and service level per 15 minutes today. ${describeIntervals(summary.intervals)}`);
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
  $("waiting-chart-text").textContent = describeWaiting(series);
  $("waiting-chart").setAttribute("aria-label", `Waiting contacts per queue, each minute of the last hour. ${describeWaiting(series)}`);
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
$("queue-filter").onchange = () => { localStorage.setItem(QUEUE_KEY, $("queue-filter").value); render(); };
setUpWallboard($("wallboard-toggle"));
const socket = io("/supervisor");
socket.on("connect", () => { $("connection").textContent = "live"; refresh(); });
socket.on("disconnect", () => { $("connection").textContent = "reconnecting…"; });
socket.on("refresh", soon);
setInterval(refresh, 10000); // numbers move with time even without events (waits, occupancy)

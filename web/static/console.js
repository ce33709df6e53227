// Agent console: state comes from GET /console/api/state after every (re)connect and push;
// the /agent socket only says "something changed" (pushes may be lost).
import { io } from "/chat/vendor/socket.io.js";
import { api, percent } from "./console-api.js";

const root = document.getElementById("console");
const call = api(root.dataset.csrf);
const reasons = JSON.parse(document.getElementById("reasons").textContent);
const $ = (id) => document.getElementById(id);
let state = { offers: [], tasks: [], now: Date.now() / 1000 };
let skew = 0; // server clock - browser clock, seconds
let followUp = null;

function fillReasons() {
  const select = $("status-reason");
  select.replaceChildren(...reasons[$("status-choice").value].map((r) => new Option(r.replace(/_/g, " ") || "—", r)));
}

async function refresh() {
  try {
    state = await call("GET", "/console/api/state");
    skew = state.now - Date.now() / 1000;
    render();
    // The carrier's call progress is not pushed: look again shortly while a call connects.
    if (state.tasks.some((t) => t.channel === "voice" && t.state === "assigned" && t.call !== "in-progress")) {
      clearTimeout(followUp);
      followUp = setTimeout(refresh, 1000);
    }
    const day = await call("GET", "/console/api/my-day");
    $("day-contacts").textContent = day.contacts;
    $("day-talk").textContent = day.talk_minutes;
    $("day-earnings").textContent = day.earnings;
    $("day-acceptance").textContent = percent(day.acceptance_rate);
  } catch (error) {
    $("status-error").textContent = error.message;
  }
}

function render() {
  $("status").textContent = state.status;
  $("state").textContent = state.state;
  $("offers").replaceChildren(...state.offers.map(offerCard));
  // Keep the card of a task whose state did not change, so a refresh never clears what the
  // agent is typing (a reply, wrap-up notes).
  const shown = new Map([...document.querySelectorAll(".task")].map((card) => [card.dataset.task, card]));
  $("tasks").replaceChildren(...state.tasks.map((task) => {
    const card = shown.get(task.task_id);
    if (!card || card.dataset.state !== task.state) return taskCard(task);
    fillTask(card, task);
    return card;
  }));
  tick();
}

function offerCard(offer) {
  const card = $("offer-template").content.firstElementChild.cloneNode(true);
  card.dataset.reservation = offer.reservation_id;
  card.dataset.deadline = offer.deadline;
  card.querySelector(".channel").textContent = offer.channel === "voice" ? "call" : `${offer.channel} chat`;
  card.querySelector(".customer").textContent = [offer.customer, offer.choice].filter(Boolean).join(" · ");
  card.querySelector(".accept").onclick = () => answer(offer, "accept");
  card.querySelector(".reject").onclick = () => answer(offer, "reject");
  return card;
}

async function answer(offer, action) {
  try {
    await call("POST", `/api/v1/routing/me/offers/${encodeURIComponent(offer.reservation_id)}/${action}`, {});
  } catch (error) {
    $("status-error").textContent = `${action}: ${error.message}`;
  }
  refresh();
}

function taskCard(task) {
  const card = $("task-template").content.firstElementChild.cloneNode(true);
  const voice = task.channel === "voice";
  card.dataset.task = task.task_id;
  card.dataset.state = task.state;
  card.querySelector(".channel").textContent = voice ? "Call" : `Chat (${task.channel})`;
  card.querySelector(".customer").textContent = [task.customer, task.choice].filter(Boolean).join(" · ");
  card.querySelector(".task-state").textContent = task.state;
  fillTask(card, task);
  const reply = card.querySelector(".reply-form");
  reply.hidden = voice || task.state !== "assigned";
  reply.onsubmit = (event) => sendReply(event, task, card);
  const hangUp = card.querySelector(".hang-up");
  hangUp.hidden = task.state !== "assigned";
  hangUp.textContent = voice ? "Hang up" : "End chat";
  hangUp.onclick = () => act(card, "POST", "/console/api/hang-up", { task_id: task.task_id });
  callControls(card, task, voice && task.state === "assigned");
  const wrap = card.querySelector(".wrap-up-form");
  wrap.hidden = task.state !== "wrapping";
  wrap.onsubmit = (event) => {
    event.preventDefault();
    const form = new FormData(wrap);
    act(card, "POST", "/console/api/wrap-up",
        { task_id: task.task_id, disposition: form.get("disposition"), notes: form.get("notes") });
  };
  return card;
}

function fillTask(card, task) {
  card.dataset.wrapUntil = task.wrap_until || "";
  card.querySelector(".call-state").textContent = task.channel === "voice" ? `Your phone: ${task.call}` : "";
  card.querySelector(".transcript").replaceChildren(...task.transcript.map(messageItem));
}

function callControls(card, task, live) {
  const controls = card.querySelector(".call-controls");
  controls.hidden = !live;
  if (!live) return;
  const hold = controls.querySelector(".hold");
  const target = controls.querySelector(".transfer-queue");
  target.replaceChildren(...state.queues.map((q) => new Option(q, q, false, q === task.queue_id)));
  hold.onclick = () => {
    const onHold = hold.textContent === "Resume";
    emit(card, "hold", { task_id: task.task_id, hold: !onHold }, (ack) => {
      hold.textContent = ack.on_hold ? "Resume" : "Hold";
    });
  };
  controls.querySelector(".transfer").onclick = () =>
    emit(card, "transfer", { task_id: task.task_id, queue_id: target.value }, refresh);
}

function emit(card, event, data, done) {
  card.querySelector(".error").textContent = "";
  socket.emit(event, data, (ack) => {
    if (!ack || !ack.ok) card.querySelector(".error").textContent = ack ? ack.error : `${event}: no answer`;
    else done(ack);
  });
}

function messageItem(message) {
  const item = document.createElement("li");
  item.className = message.author_kind || "";
  item.textContent = `${message.author || message.author_kind}: ${message.body}`;
  return item;
}

async function act(card, method, url, body) {
  try {
    await call(method, url, body);
    refresh();
  } catch (error) {
    card.querySelector(".error").textContent = error.message;
  }
}

function sendReply(event, task, card) {
  event.preventDefault();
  const input = card.querySelector("input[name=body]");
  socket.emit("reply", { task_id: task.task_id, body: input.value }, (ack) => {
    if (!ack || !ack.ok) { card.querySelector(".error").textContent = ack ? ack.error : "not sent"; return; }
    input.value = "";
    card.querySelector(".transcript").append(messageItem(ack.message));
  });
}

function tick() {
  const now = Date.now() / 1000 + skew;
  for (const card of document.querySelectorAll(".offer")) {
    card.querySelector(".countdown").textContent = Math.max(0, Math.ceil(card.dataset.deadline - now));
  }
  for (const card of document.querySelectorAll(".task")) {
    const until = Number(card.dataset.wrapUntil);
    if (until) card.querySelector(".wrap-timer").textContent = Math.max(0, Math.ceil(until - now));
  }
}

$("status-choice").onchange = fillReasons;
$("status-form").onsubmit = async (event) => {
  event.preventDefault();
  $("status-error").textContent = "";
  try {
    await call("POST", "/console/api/status", { status: $("status-choice").value, reason: $("status-reason").value });
  } catch (error) {
    $("status-error").textContent = error.message;
  }
  refresh();
};

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
  const offer = state.offers[0];
  const key = event.key.toLowerCase();
  if (offer && (key === "a" || key === "r")) answer(offer, key === "a" ? "accept" : "reject");
});

const socket = io("/agent");
socket.on("connect", () => { $("connection").textContent = "connected"; refresh(); });
socket.on("disconnect", () => { $("connection").textContent = "reconnecting…"; });
for (const name of ["offer", "offer_ended", "assigned", "wrapping", "completed", "transferred"]) {
  socket.on(name, refresh);
}
socket.on("chat_message", (message) => {
  const card = document.querySelector(`.task[data-task="${CSS.escape(message.task_id || "")}"]`);
  if (card) card.querySelector(".transcript").append(messageItem(message)); else refresh();
});

fillReasons();
setInterval(tick, 500);
setInterval(refresh, 15000); // a safety net when a push was lost

// Agent console: state comes from GET /console/api/state after every (re)connect and push;
// the /agent socket only says "something changed" (pushes may be lost).
import { io } from "/chat/vendor/socket.io.js";
import { api, percent } from "./console-api.js";
import { BrowserPhone } from "./phone.js";

const root = document.getElementById("console");
const call = api(root.dataset.csrf);
const reasons = JSON.parse(document.getElementById("reasons").textContent);
const $ = (id) => document.getElementById(id);
let state = { offers: [], tasks: [], queues: [], endpoint: "phone", now: 0 }; // until the first refresh
let skew = 0; // server clock - browser clock, seconds
let followUp = null;
const STAGE = { reserved: 0, assigned: 1, wrapping: 2 };
const TYPING_SECONDS = 4; // a typing notice disappears after this, or on the next message
const TYPING_EVERY = 2000; // ms between two "typing" events of the agent, per chat
const phone = new BrowserPhone({ call, sdkUrl: root.dataset.voiceSdk, onChange: () => renderPhone() });
const answeredCalls = new Map(); // task_id → CallSid of the browser call answered for it

function fillReasons() {
  const select = $("status-reason");
  select.replaceChildren(...reasons[$("status-choice").value].map((r) => new Option(r.replace(/_/g, " ") || "—", r)));
}

async function refresh() {
  try {
    const fresh = await call("GET", "/console/api/state");
    // Refreshes overlap and the server answers them in any order: an older view never
    // replaces a newer one (it would bring back a card the agent has moved past).
    if (fresh.now < state.now) return;
    state = fresh;
    skew = state.now - Date.now() / 1000;
    render();
    syncPhone();
    answerAccepted();
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
  const choice = $("status-choice"); // shows the current status unless the agent is choosing
  if (!choice.dataset.chosen && choice.value !== state.status &&
      [...choice.options].some((o) => o.value === state.status)) {
    choice.value = state.status;
    fillReasons();
  }
  $("state").textContent = state.state;
  $("offers").replaceChildren(...state.offers.map(offerCard));
  // Keep the card of a task whose state did not change, so a refresh never clears what the
  // agent is typing (a reply, wrap-up notes).
  // A task only moves forward (assigned → wrapping): a card never goes back to an earlier state.
  const shown = new Map([...document.querySelectorAll(".task")].map((card) => [card.dataset.task, card]));
  $("tasks").replaceChildren(...state.tasks.map((task) => {
    const card = shown.get(task.task_id);
    if (card && STAGE[card.dataset.state] > STAGE[task.state]) return card;
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
  card.querySelector(".browser-call").textContent = phone.has(offer.call_sid) ? "Ringing in this browser" : "";
  return card;
}

// A call offer ringing this browser: Accept answers it (the server bridges it straight into
// the caller's conference), Reject declines it. The offer itself is decided by the engine.
async function answer(shown, action) {
  const offer = state.offers.find((o) => o.reservation_id === shown.reservation_id) || shown;
  const sid = offer.channel === "voice" && state.endpoint === "browser" ? offer.call_sid : null;
  try {
    await call("POST", `/api/v1/routing/me/offers/${encodeURIComponent(offer.reservation_id)}/${action}`, {});
    if (sid && action === "accept") { answeredCalls.set(offer.task_id, sid); phone.accept(sid); }
  } catch (error) {
    $("status-error").textContent = `${action}: ${error.message}`;
  }
  if (sid && action === "reject") phone.reject(sid);
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
  reply.querySelector("input[name=body]").oninput = () => typing(card, task);
  card.querySelector(".transcript").hidden = voice;
  card.querySelector(".typing").hidden = voice;
  const hangUp = card.querySelector(".hang-up");
  hangUp.hidden = task.state !== "assigned";
  hangUp.textContent = voice ? "Hang up" : "End chat";
  hangUp.onclick = () => act(card, "POST", "/console/api/hang-up", { task_id: task.task_id });
  callControls(card, task, voice && task.state === "assigned");
  const wrap = card.querySelector(".wrap-up-form");
  wrap.hidden = task.state !== "wrapping";
  wrap.querySelector("select[name=disposition]").replaceChildren(
    ...task.dispositions.map((d) => new Option(d.label, d.code)));
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
  card.dataset.callSid = task.call_sid || answeredCalls.get(task.task_id) || "";
  card.querySelector(".call-state").textContent = task.channel === "voice" ? `Your phone: ${task.call}` : "";
  card.querySelector(".transcript").replaceChildren(...task.transcript.map(messageItem));
  card.querySelector(".past-contacts").replaceChildren(...pastContacts(task.past_contacts));
  const hold = card.querySelector(".hold");
  if (!hold.disabled) hold.textContent = task.on_hold ? "Resume" : "Hold";
  card.querySelector(".mute").dataset.muted = task.muted ? "1" : "";
  fillCall(card);
}

function pastContacts(found) {
  if (!found.length) {
    const none = document.createElement("li");
    none.textContent = "No earlier contacts";
    return [none];
  }
  return found.map((c) => {
    const item = document.createElement("li");
    const when = new Date(c.at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    const channel = c.channel === "voice" ? "call" : `${c.channel} chat`;
    item.textContent = [when, channel, c.queue_id, c.outcome || "open", c.disposition].filter(Boolean).join(" · ");
    return item;
  });
}

// The call state and mute button of a voice card: the browser call's own state when the agent
// takes calls in this browser, else what the server knows of the home-phone leg.
function fillCall(card) {
  const mute = card.querySelector(".mute");
  const browser = state.endpoint === "browser" ? phone.describe(card.dataset.callSid) : null;
  if (browser) {
    card.querySelector(".call-state").textContent =
      `In this browser: ${browser.status}${browser.muted ? " (muted)" : ""}`;
  }
  const muted = browser ? browser.muted : Boolean(mute.dataset.muted);
  mute.textContent = muted ? "Unmute" : "Mute";
}

// A call that rings this browser for a task already accepted (keyboard A, or before the ring
// reached the page) is answered at once: the agent has said yes.
function answerAccepted() {
  if (state.endpoint !== "browser") return;
  for (const task of state.tasks) {
    const ringing = phone.describe(task.call_sid);
    if (task.state === "assigned" && ringing?.status === "ringing") {
      answeredCalls.set(task.task_id, task.call_sid);
      phone.accept(task.call_sid);
    }
  }
}

function renderPhone() {
  answerAccepted();
  for (const card of document.querySelectorAll(".task")) fillCall(card);
  for (const card of document.querySelectorAll(".offer")) {
    const offer = state.offers.find((o) => o.reservation_id === card.dataset.reservation);
    card.querySelector(".browser-call").textContent = offer && phone.has(offer.call_sid) ? "Ringing in this browser" : "";
  }
  // A call that rings before the console knows which offer it belongs to: look again.
  if ([...phone.calls.keys()].some((sid) => !state.offers.some((o) => o.call_sid === sid)
      && !state.tasks.some((t) => t.call_sid === sid) && ![...answeredCalls.values()].includes(sid))) {
    clearTimeout(followUp);
    followUp = setTimeout(refresh, 300);
  }
  if (phone.lastError) $("phone-status").textContent = `Browser phone error: ${phone.lastError}`;
  else if (phone.state === "registered") $("phone-status").textContent = "Browser phone ready";
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
    hold.disabled = true;
    emit(card, "hold", { task_id: task.task_id, hold: !onHold }, (ack) => {
      hold.textContent = ack.on_hold ? "Resume" : "Hold";
    }, () => { hold.disabled = false; });
  };
  const mute = controls.querySelector(".mute");
  mute.onclick = () => {
    if (state.endpoint === "browser" && phone.has(card.dataset.callSid)) {
      phone.toggleMute(card.dataset.callSid);
      return;
    }
    emit(card, "mute", { task_id: task.task_id, mute: !mute.dataset.muted }, (ack) => {
      mute.dataset.muted = ack.muted ? "1" : "";
      fillCall(card);
    });
  };
  controls.querySelector(".transfer").onclick = () =>
    emit(card, "transfer", { task_id: task.task_id, queue_id: target.value }, refresh);
}

function emit(card, event, data, done, always = () => {}) {
  card.querySelector(".error").textContent = "";
  socket.emit(event, data, (ack) => {
    always();
    if (!ack || !ack.ok) card.querySelector(".error").textContent = ack ? ack.error : `${event}: no answer`;
    else done(ack);
  });
}

// The agent types in a chat: tell the customer, at most once per TYPING_EVERY.
function typing(card, task) {
  const now = Date.now();
  if (now - Number(card.dataset.typedAt || 0) < TYPING_EVERY) return;
  card.dataset.typedAt = now;
  socket.emit("typing", { task_id: task.task_id });
}

function showTyping(info) {
  const card = document.querySelector(`.task[data-task="${CSS.escape(info.task_id || "")}"]`);
  if (!card) return;
  const line = card.querySelector(".typing");
  line.textContent = `${info.name || "The customer"} is typing…`;
  clearTimeout(line.timer);
  line.timer = setTimeout(() => { line.textContent = ""; }, TYPING_SECONDS * 1000);
}

// Take calls on my phone or in this browser; the browser needs the Voice SDK registered.
async function syncPhone() {
  $("voice-endpoint").value = state.endpoint;
  if (state.endpoint !== "browser") {
    if (phone.device) phone.stop(); // switched back to the phone (here or in another tab)
    return;
  }
  if (phone.device || phone.state === "starting") return;
  $("phone-status").textContent = "Starting the browser phone…";
  try {
    await phone.start();
  } catch (error) {
    $("phone-status").textContent = `Browser phone unavailable: ${error.message}`;
    await call("PUT", "/api/v1/channels/voice/endpoint", { kind: "phone" }).catch(() => {});
    state.endpoint = "phone";
    $("voice-endpoint").value = "phone";
  }
}

$("voice-endpoint").onchange = async () => {
  const kind = $("voice-endpoint").value;
  try {
    await call("PUT", "/api/v1/channels/voice/endpoint", { kind });
    if (kind === "phone") { phone.stop(); $("phone-status").textContent = "Calls ring your phone"; }
  } catch (error) {
    $("phone-status").textContent = error.message;
  }
  refresh();
};

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
  if (!card) { refresh(); return; }
  card.querySelector(".transcript").append(messageItem(message));
  card.querySelector(".typing").textContent = "";
});
socket.on("typing", showTyping);

fillReasons();
setInterval(tick, 500);
setInterval(refresh, 15000); // a safety net when a push was lost
// The status dropdown follows the current status until the agent picks another one, and
// again once they have set it (render() above).
$("status-choice").addEventListener("change", () => { $("status-choice").dataset.chosen = "1"; });
$("status-form").addEventListener("submit", () => { delete $("status-choice").dataset.chosen; });

// Agent console: state comes from GET /console/api/state after every (re)connect and push;
// the /agent socket only says "something changed" (pushes may be lost).
import { io } from "/chat/vendor/socket.io.js";
import { api, percent } from "./console-api.js";
import { BrowserPhone } from "./phone.js";
import { Drafts } from "./console-drafts.js";
import { OfferAlerts } from "./console-alerts.js";

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
const drafts = new Drafts(`crowdline.drafts.${root.dataset.agent}`);
const alerts = new OfferAlerts();

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
    drafts.keepOnly(state.tasks.map((t) => t.task_id));
    alerts.update(state.offers);
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
    $("day-live").textContent = `${day.in_progress_minutes} min`;
    $("day-acceptance").textContent = percent(day.acceptance_rate);
    await renderHistory();
  } catch (error) {
    $("status-error").textContent = error.message;
  }
}

function render() {
  const focus = rememberFocus();
  $("status").textContent = state.status;
  const choice = $("status-choice"); // shows the current status unless the agent is choosing
  if (!choice.dataset.chosen && choice.value !== state.status &&
      [...choice.options].some((o) => o.value === state.status)) {
    choice.value = state.status;
    fillReasons();
  }
  $("state").textContent = state.state;
  renderPaused();
  // Cards are kept and updated in place, never re-inserted: taking a node out of the page
  // blurs it, and the agent's next keystrokes would land on the page (see the shortcuts).
  const offers = new Map([...document.querySelectorAll(".offer")].map((card) => [card.dataset.reservation, card]));
  place($("offers"), state.offers.map((offer) => {
    const card = offers.get(offer.reservation_id);
    if (!card) return offerCard(offer);
    fillOffer(card, offer);
    return card;
  }));
  // A task only moves forward (assigned → wrapping): a card never goes back to an earlier state.
  const shown = new Map([...document.querySelectorAll(".task")].map((card) => [card.dataset.task, card]));
  place($("tasks"), state.tasks.map((task) => {
    const card = shown.get(task.task_id);
    if (card && STAGE[card.dataset.state] > STAGE[task.state]) return card;
    if (!card || card.dataset.state !== task.state) return taskCard(task);
    fillTask(card, task);
    return card;
  }));
  restoreFocus(focus);
  tick();
}

// A paused agent is told why and how to take contacts again.
function renderPaused() {
  const note = $("paused-note");
  note.hidden = !state.paused;
  if (!state.paused) return;
  note.querySelector(".why").textContent = state.paused.reason === "missed_offers"
    ? `You are paused: ${state.paused.missed_offers} offers in a row went unanswered, so no more `
      + "contacts are offered to you. Go available when you are back."
    : "You are paused by a supervisor: no contacts are offered to you. Go available to take contacts again.";
}

// Make `box`'s children exactly `nodes`, in order, moving only the nodes out of place.
function place(box, nodes) {
  const keep = new Set(nodes);
  for (const child of [...box.children]) if (!keep.has(child)) child.remove();
  nodes.forEach((node, i) => { if (box.children[i] !== node) box.insertBefore(node, box.children[i] || null); });
}

function rememberFocus() {
  const field = document.activeElement;
  if (!field || !field.matches("input, textarea")) return null;
  return { field, start: field.selectionStart, end: field.selectionEnd };
}

// A card that had to move keeps the agent's place: focus, caret and selection come back.
function restoreFocus(focus) {
  if (!focus || !focus.field.isConnected || document.activeElement === focus.field) return;
  focus.field.focus();
  try { focus.field.setSelectionRange(focus.start, focus.end); } catch { /* not a text field */ }
}

function offerCard(offer) {
  const card = $("offer-template").content.firstElementChild.cloneNode(true);
  card.dataset.reservation = offer.reservation_id;
  card.dataset.deadline = offer.deadline;
  card.querySelector(".channel").textContent = offer.channel === "voice" ? "call"
    : offer.channel === "task" ? "contact" : `${offer.channel} chat`;
  card.querySelector(".customer").textContent = [offer.customer, offer.choice].filter(Boolean).join(" · ");
  card.querySelector(".accept").onclick = () => answer(offer, "accept");
  card.querySelector(".reject").onclick = () => answer(offer, "reject");
  fillOffer(card, offer);
  return card;
}

function fillOffer(card, offer) {
  card.dataset.deadline = offer.deadline;
  card.querySelector(".browser-call").textContent = phone.has(offer.call_sid) ? "Ringing in this browser" : "";
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
  const body = reply.querySelector("input[name=body]");
  body.value = drafts.get(task.task_id, "reply");
  body.oninput = () => { drafts.put(task.task_id, "reply", body.value); typing(card, task); };
  body.onkeydown = (event) => { if (event.key === "Tab" && expandShortcut(body, task)) event.preventDefault(); };
  cannedBox(card, task, body);
  card.querySelector(".transcript").hidden = voice;
  card.querySelector(".typing").hidden = voice;
  const hangUp = card.querySelector(".hang-up");
  hangUp.hidden = task.state !== "assigned";
  hangUp.textContent = voice ? "Hang up" : "End chat";
  hangUp.onclick = () => act(card, "POST", "/console/api/hang-up", { task_id: task.task_id });
  callControls(card, task, voice && task.state === "assigned");
  transferControls(card, task, task.state === "assigned");
  const wrap = card.querySelector(".wrap-up-form");
  wrap.hidden = task.state !== "wrapping";
  wrap.querySelector("select[name=disposition]").replaceChildren(
    ...task.dispositions.map((d) => new Option(d.label, d.code)));
  wrap.querySelector(".extend").onclick = () =>
    act(card, "POST", "/console/api/wrap-up/extend", { task_id: task.task_id, seconds: 30 });
  const notes = wrap.querySelector("textarea[name=notes]");
  notes.value = drafts.get(task.task_id, "notes");
  notes.oninput = () => drafts.put(task.task_id, "notes", notes.value);
  wrap.onsubmit = (event) => {
    event.preventDefault();
    const form = new FormData(wrap);
    act(card, "POST", "/console/api/wrap-up",
        { task_id: task.task_id, disposition: form.get("disposition"), notes: form.get("notes") });
  };
  return card;
}

// Canned responses of the agent's programs, fetched once (and after a reconnect).
let canned = [];
async function loadCanned() {
  try { canned = (await call("GET", "/console/api/canned")).items; } catch { canned = []; }
  for (const card of document.querySelectorAll(".task")) fillCanned(card);
}

function cannedFor(task) {
  return canned.filter((c) => !task.program || c.program === task.program);
}

// "/greet" (or a unique start of a shortcut) just before the caret + Tab → the response's text.
function expandShortcut(input, task) {
  const before = input.value.slice(0, input.selectionStart);
  const match = before.match(/(^|\s)\/([a-z0-9_-]+)$/);
  if (!match) return false;
  const mine = cannedFor(task);
  const found = mine.find((c) => c.shortcut === match[2])
    || (mine.filter((c) => c.shortcut.startsWith(match[2])).length === 1
      ? mine.find((c) => c.shortcut.startsWith(match[2])) : null);
  if (!found) return false;
  insertText(input, task, found.body, before.length - match[2].length - 1);
  return true;
}

function insertText(input, task, text, from = input.selectionStart) {
  const after = input.value.slice(input.selectionEnd);
  input.value = (input.value.slice(0, from) + text + after).slice(0, 2000);
  const caret = Math.min(from + text.length, input.value.length);
  input.focus();
  input.setSelectionRange(caret, caret);
  drafts.put(task.task_id, "reply", input.value);
}

function cannedBox(card, task, body) {
  const search = card.querySelector(".canned-search");
  const list = card.querySelector(".canned-list");
  list.id = `canned-${task.task_id}`;
  search.setAttribute("list", list.id);
  fillCanned(card, task);
  search.onchange = search.oninput = () => {
    const wanted = search.value.trim().toLowerCase();
    const found = cannedFor(task).find((c) => `${c.title} (/${c.shortcut})`.toLowerCase() === wanted);
    if (!found) return;
    search.value = "";
    insertText(body, task, body.value && !body.value.endsWith(" ") ? ` ${found.body}` : found.body, body.value.length);
  };
}

function fillCanned(card, task = state.tasks.find((t) => t.task_id === card.dataset.task)) {
  const list = card.querySelector(".canned-list");
  if (!task || !list) return;
  const mine = cannedFor(task);
  card.querySelector(".canned-box").hidden = task.channel === "voice" || task.state !== "assigned" || !mine.length;
  list.replaceChildren(...mine.map((c) => {
    const option = document.createElement("option");
    option.value = `${c.title} (/${c.shortcut})`;
    option.label = c.body.slice(0, 80);
    return option;
  }));
}

function fillTask(card, task) {
  card.dataset.wrapUntil = task.wrap_until || "";
  card.dataset.assignedAt = task.state === "assigned" ? task.assigned_at || "" : "";
  card.dataset.callSid = task.call_sid || answeredCalls.get(task.task_id) || "";
  card.querySelector(".call-state").textContent = task.channel === "voice" ? `Your phone: ${task.call}` : "";
  const transcript = card.querySelector(".transcript");
  const ids = task.transcript.map((m) => String(m.id)).join(",");
  if ([...transcript.children].map((li) => li.dataset.id).join(",") !== ids) {
    transcript.replaceChildren(...task.transcript.map(messageItem)); // only when it changed:
    transcript.scrollTop = transcript.scrollHeight; // a refresh keeps the agent's scroll
  }
  card.querySelector(".past-contacts").replaceChildren(...pastContacts(task.past_contacts));
  const hold = card.querySelector(".hold");
  if (!hold.dataset.busy) hold.textContent = task.on_hold ? "Resume" : "Hold";
  card.querySelector(".mute").dataset.muted = task.muted ? "1" : "";
  // Hold and mute act on the carrier's call: offered once the agent's phone is on it.
  card.dataset.connected = task.call === "in-progress" ? "1" : "";
  if (task.state === "assigned") fillTargets(card, task);
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
    if (c.channel !== "voice") item.append(" ", transcriptButton(c.task_id));
    return item;
  });
}

function transcriptButton(taskId) {
  const open = document.createElement("button");
  open.type = "button";
  open.className = "link";
  open.textContent = "Transcript";
  open.onclick = () => showTranscript(taskId);
  return open;
}

// A past or earlier contact's chat, read-only, in a dialog.
async function showTranscript(taskId) {
  const dialog = $("transcript-dialog");
  try {
    const found = await call("GET", `/console/api/contacts/${encodeURIComponent(taskId)}/transcript`);
    dialog.querySelector(".summary").textContent =
      [found.customer, `${found.channel} chat`, found.disposition].filter(Boolean).join(" · ");
    const lines = found.messages.map(messageItem);
    if (!lines.length) { const none = document.createElement("li"); none.textContent = "No messages"; lines.push(none); }
    dialog.querySelector(".transcript").replaceChildren(...lines);
    dialog.showModal();
  } catch (error) {
    $("status-error").textContent = `transcript: ${error.message}`;
  }
}
$("transcript-dialog").querySelector(".close").onclick = () => $("transcript-dialog").close();

// Today's contacts and how each left the agent (a chat lost with the console shows here too).
async function renderHistory() {
  const found = (await call("GET", "/console/api/history")).contacts;
  const list = document.querySelector(".history-list");
  if (!found.length) return;
  list.replaceChildren(...found.map((c) => {
    const item = document.createElement("li");
    item.dataset.task = c.task_id;
    const when = new Date(c.at * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    const channel = c.channel === "voice" ? "call" : `${c.channel} chat`;
    item.textContent = [when, channel, c.customer, c.ended, c.disposition].filter(Boolean).join(" · ");
    if (c.channel !== "voice" && c.channel !== "task") item.append(" ", transcriptButton(c.task_id));
    return item;
  }));
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
  const connected = browser ? browser.status === "connected" : Boolean(card.dataset.connected);
  mute.disabled = !connected;
  const hold = card.querySelector(".hold");
  hold.disabled = !connected || Boolean(hold.dataset.busy);
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
  hold.onclick = () => {
    const onHold = hold.textContent === "Resume";
    hold.disabled = true;
    hold.dataset.busy = "1";
    emit(card, "hold", { task_id: task.task_id, hold: !onHold }, (ack) => {
      hold.textContent = ack.on_hold ? "Resume" : "Hold";
    }, () => { delete hold.dataset.busy; fillCall(card); });
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
}

// Any conversation in progress can go to a queue (its own by default) or a named colleague.
function transferControls(card, task, live) {
  const controls = card.querySelector(".transfer-controls");
  controls.hidden = !live;
  if (!live) return;
  fillTargets(card, task);
  controls.querySelector(".transfer").onclick = () => {
    const [kind, id] = controls.querySelector(".transfer-target").value.split(":", 2);
    const body = { task_id: task.task_id, [kind === "agent" ? "agent_id" : "queue_id"]: id };
    emit(card, "transfer", body, refresh);
  };
}

function fillTargets(card, task) {
  const target = card.querySelector(".transfer-target");
  const wanted = JSON.stringify([state.queues, state.colleagues]);
  if (target.dataset.filled === wanted) return; // keep the agent's choice across refreshes
  const chosen = target.value;
  const group = (label, options) => {
    const box = document.createElement("optgroup");
    box.label = label;
    box.append(...options);
    return box;
  };
  target.replaceChildren(
    group("Queues", state.queues.map((q) => new Option(q, `queue:${q}`, false, q === task.queue_id))),
    group("Agents", (state.colleagues || []).map((a) => new Option(a.name, `agent:${a.agent_id}`))),
  );
  if (chosen && [...target.options].some((o) => o.value === chosen)) target.value = chosen;
  target.dataset.filled = wanted;
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

// One chat line: its time (the agent's local clock, the full date on hover), author, text.
function messageItem(message) {
  const item = document.createElement("li");
  item.className = message.author_kind || "";
  item.dataset.id = message.id;
  const at = message.at ? new Date(/[zZ]|[+-]\d\d:\d\d$/.test(message.at) ? message.at : `${message.at}Z`) : null;
  if (at && !Number.isNaN(at.getTime())) {
    const time = document.createElement("time");
    time.dateTime = at.toISOString();
    time.title = at.toLocaleString();
    time.textContent = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    item.append(time);
  }
  item.append(`${message.author || message.author_kind}: ${message.body}`);
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
    drafts.put(task.task_id, "reply", "");
    card.querySelector(".transcript").append(messageItem(ack.message));
  });
}

// 75 s → "1:15", 3725 s → "1:02:05"
function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

function tick() {
  const now = Date.now() / 1000 + skew;
  for (const card of document.querySelectorAll(".offer")) {
    card.querySelector(".countdown").textContent = Math.max(0, Math.ceil(card.dataset.deadline - now));
  }
  for (const card of document.querySelectorAll(".task")) {
    const until = Number(card.dataset.wrapUntil);
    if (until) card.querySelector(".wrap-timer").textContent = Math.max(0, Math.ceil(until - now));
    const since = Number(card.dataset.assignedAt);
    card.querySelector(".talk-timer").textContent = since ? clock(now - since) : "";
  }
  $("status-since").textContent = state.status_since ? `for ${clock(now - state.status_since)}` : "";
}

$("status-choice").onchange = fillReasons;
$("resume").onclick = async () => {
  try {
    await call("POST", "/console/api/status", { status: "available", reason: "" });
  } catch (error) {
    $("status-error").textContent = error.message;
  }
  refresh();
};
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

// A and R answer the offer in focus (else the first one), only from the page itself: never
// from a text field, and never within SHORTCUT_QUIET ms of typing in one (a sentence whose
// field went away — its task moved on — must not answer offers letter by letter).
const SHORTCUT_QUIET = 1500;
const TEXT_FIELD = "textarea, [contenteditable], input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit])";
let typedAt = 0;
document.addEventListener("input", (event) => { if (event.target.matches?.(TEXT_FIELD)) typedAt = Date.now(); }, true);
document.addEventListener("keydown", (event) => {
  if (event.target.closest?.(TEXT_FIELD)) { typedAt = Date.now(); return; }
  if (event.target.closest?.("select")) return;
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || event.isComposing) return;
  if (Date.now() - typedAt < SHORTCUT_QUIET) return;
  const key = event.key.toLowerCase();
  if (key !== "a" && key !== "r") return;
  const focused = event.target.closest?.(".offer")?.dataset.reservation;
  const offer = state.offers.find((o) => o.reservation_id === focused) || state.offers[0];
  if (offer) answer(offer, key === "a" ? "accept" : "reject");
});

const socket = io("/agent");
socket.on("connect", () => { $("connection").textContent = "connected"; refresh(); loadCanned(); });
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

// A chat's lines, the agent's replies and the typing notices both ways.
import { drafts, refresh, socket } from "./context.js";

const TYPING_SECONDS = 4; // a typing notice disappears after this, or on the next message
const TYPING_EVERY = 2000; // ms between two "typing" events of the agent, per chat

// One chat line: its time (the agent's local clock, the full date on hover), author, text.
export function messageItem(message) {
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

// The transcript of a card, replaced only when its messages changed (a refresh keeps the
// agent's scroll).
export function fillTranscript(card, task) {
  const transcript = card.querySelector(".transcript");
  const ids = task.transcript.map((m) => String(m.id)).join(",");
  if ([...transcript.children].map((li) => li.dataset.id).join(",") !== ids) {
    transcript.replaceChildren(...task.transcript.map(messageItem));
    transcript.scrollTop = transcript.scrollHeight;
  }
}

export function sendReply(event, task, card) {
  event.preventDefault();
  const input = card.querySelector("input[name=body]");
  socket.emit("reply", { task_id: task.task_id, body: input.value }, (ack) => {
    if (!ack || !ack.ok) { card.querySelector(".error").textContent = ack ? ack.error : "not sent"; return; }
    input.value = "";
    drafts.put(task.task_id, "reply", "");
    card.querySelector(".transcript").append(messageItem(ack.message));
  });
}

// The agent types in a chat: tell the customer, at most once per TYPING_EVERY.
export function typing(card, task) {
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

// Pushed chat lines go straight into their card; a line for a card not shown yet re-reads.
export function installChat() {
  socket.on("chat_message", (message) => {
    const card = document.querySelector(`.task[data-task="${CSS.escape(message.task_id || "")}"]`);
    if (!card) { refresh(); return; }
    card.querySelector(".transcript").append(messageItem(message));
    card.querySelector(".typing").textContent = "";
  });
  socket.on("typing", showTyping);
}

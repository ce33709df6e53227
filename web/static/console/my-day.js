// The agent's day: figures, today's contacts, a customer's past contacts and their transcripts.
import { percent } from "../console-api.js";
import { $, call } from "./context.js";
import { messageItem } from "./chat.js";

export async function renderMyDay() {
  const day = await call("GET", "/console/api/my-day");
  $("day-contacts").textContent = day.contacts;
  $("day-talk").textContent = day.talk_minutes;
  $("day-earnings").textContent = day.earnings;
  $("day-acceptance").textContent = percent(day.acceptance_rate);
  await renderHistory();
}

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

export function pastContacts(found) {
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

export function installTranscriptDialog() {
  $("transcript-dialog").querySelector(".close").onclick = () => $("transcript-dialog").close();
}

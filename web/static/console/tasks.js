// Task cards: one per conversation the agent holds (assigned → wrapping), updated in place.
import { $, act, answeredCalls, drafts, urls } from "./context.js";
import { fillTranscript, sendReply, typing } from "./chat.js";
import { cannedBox, expandShortcut } from "./canned.js";
import { callControls, fillCall } from "./calls.js";
import { fillConsult, fillTargets, transferControls } from "./transfer.js";
import { pastContacts } from "./my-day.js";

export const STAGE = { reserved: 0, assigned: 1, wrapping: 2 };

export function taskCard(task) {
  const card = $("task-template").content.firstElementChild.cloneNode(true);
  const voice = task.channel === "voice";
  const question = task.channel === "community"; // an escalated community question
  card.dataset.task = task.task_id;
  card.dataset.state = task.state;
  card.querySelector(".channel").textContent = voice ? "Call" : question ? "Community question" : `Chat (${task.channel})`;
  card.querySelector(".customer").textContent = [task.customer, task.choice].filter(Boolean).join(" · ");
  card.querySelector(".task-state").textContent = task.state;
  fillTask(card, task);
  replyBox(card, task, voice);
  card.querySelector(".transcript").hidden = voice;
  card.querySelector(".typing").hidden = voice;
  const hangUp = card.querySelector(".hang-up");
  hangUp.hidden = task.state !== "assigned";
  hangUp.textContent = voice ? "Hang up" : question ? "Close unanswered" : "End chat";
  hangUp.onclick = () => act(card, "POST", `${urls.api}/hang-up`, { task_id: task.task_id });
  callControls(card, task, voice && task.state === "assigned");
  transferControls(card, task, task.state === "assigned");
  wrapUpForm(card, task);
  return card;
}

function replyBox(card, task, voice) {
  const reply = card.querySelector(".reply-form");
  reply.hidden = voice || task.state !== "assigned";
  // A community question's reply is the agent's answer, posted to the thread under their name.
  if (task.channel === "community") reply.querySelector("button[type=submit]").textContent = "Post answer";
  reply.onsubmit = (event) => sendReply(event, task, card);
  const body = reply.querySelector("input[name=body]");
  body.value = drafts.get(task.task_id, "reply");
  body.oninput = () => { drafts.put(task.task_id, "reply", body.value); typing(card, task); };
  body.onkeydown = (event) => { if (event.key === "Tab" && expandShortcut(body, task)) event.preventDefault(); };
  cannedBox(card, task, body);
}

function wrapUpForm(card, task) {
  const wrap = card.querySelector(".wrap-up-form");
  wrap.hidden = task.state !== "wrapping";
  wrap.querySelector("select[name=disposition]").replaceChildren(
    ...task.dispositions.map((d) => new Option(d.label, d.code)));
  wrap.querySelector(".extend").onclick = () =>
    act(card, "POST", `${urls.api}/wrap-up/extend`, { task_id: task.task_id, seconds: 30 });
  const notes = wrap.querySelector("textarea[name=notes]");
  notes.value = drafts.get(task.task_id, "notes");
  notes.oninput = () => drafts.put(task.task_id, "notes", notes.value);
  wrap.onsubmit = (event) => {
    event.preventDefault();
    const form = new FormData(wrap);
    act(card, "POST", `${urls.api}/wrap-up`,
        { task_id: task.task_id, disposition: form.get("disposition"), notes: form.get("notes") });
  };
}

export function fillTask(card, task) {
  card.dataset.wrapUntil = task.wrap_until || "";
  card.dataset.assignedAt = task.state === "assigned" ? task.assigned_at || "" : "";
  card.dataset.callSid = task.call_sid || answeredCalls.get(task.task_id) || "";
  card.querySelector(".call-state").textContent = task.channel === "voice" ? `Your phone: ${task.call}` : "";
  fillTranscript(card, task);
  card.querySelector(".past-contacts").replaceChildren(...pastContacts(task.past_contacts));
  const hold = card.querySelector(".hold");
  if (!hold.dataset.busy) hold.textContent = task.on_hold ? "Resume" : "Hold";
  card.querySelector(".mute").dataset.muted = task.muted ? "1" : "";
  // Hold and mute act on the carrier's call: offered once the agent's phone is on it.
  card.dataset.connected = task.call === "in-progress" ? "1" : "";
  if (task.state === "assigned") fillTargets(card, task);
  fillConsult(card, task);
  fillCall(card);
}

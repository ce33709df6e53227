// Agent console: state comes from GET /console/api/state after every (re)connect and push;
// the /agent socket only says "something changed" (pushes may be lost).
import { $, alerts, call, drafts, hooks, lookAgain, place, setState, socket, state } from "./context.js";
import { fillOffer, installShortcuts, offerCard } from "./offers.js";
import { STAGE, fillTask, taskCard } from "./tasks.js";
import { answerAccepted, installEndpointChoice, renderPhone, syncPhone } from "./calls.js";
import { installChat } from "./chat.js";
import { consultPushed } from "./transfer.js";
import { loadCanned } from "./canned.js";
import { installStatus, renderStatus, tick } from "./status.js";
import { installTranscriptDialog, renderMyDay } from "./my-day.js";

async function refresh() {
  try {
    const fresh = await call("GET", "/console/api/state");
    // Refreshes overlap and the server answers them in any order: an older view never
    // replaces a newer one (it would bring back a card the agent has moved past).
    if (fresh.now < state.now) return;
    setState(fresh);
    drafts.keepOnly(state.tasks.map((t) => t.task_id));
    alerts.update(state.offers);
    render();
    syncPhone();
    answerAccepted();
    // The carrier's call progress is not pushed: look again shortly while a call connects.
    if (state.tasks.some((t) => t.channel === "voice" && t.state === "assigned" && t.call !== "in-progress")) {
      lookAgain(1000);
    }
    await renderMyDay();
  } catch (error) {
    $("status-error").textContent = error.message;
  }
}

function render() {
  const focus = rememberFocus();
  renderStatus();
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

hooks.refresh = refresh;
hooks.renderPhone = renderPhone;
installStatus();
installShortcuts();
installEndpointChoice();
installTranscriptDialog();
installChat();
socket.on("connect", () => { $("connection").textContent = "connected"; refresh(); loadCanned(); });
socket.on("disconnect", () => { $("connection").textContent = "reconnecting…"; });
for (const name of ["offer", "offer_ended", "assigned", "wrapping", "completed", "transferred"]) {
  socket.on(name, refresh);
}
socket.on("consult", consultPushed);
// A booked block starts soon (workforce reminders), or a supervisor asks to fill a block.
for (const name of ["schedule_reminder", "schedule_message"]) {
  socket.on(name, (note) => {
    $("schedule-reminder").textContent = note.text;
    $("schedule-reminder").hidden = false;
  });
}
setInterval(tick, 500);
setInterval(refresh, 15000); // a safety net when a push was lost

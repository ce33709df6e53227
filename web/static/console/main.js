// Agent console: state comes from GET /console/api/state after every (re)connect and push;
// the /agent socket only says "something changed" (pushes may be lost).
import { $, alerts, call, drafts, hooks, lookAgain, setState, socket, state } from "./context.js";
import { installShortcuts } from "./offers.js";
import { render } from "./board.js";
import { answerAccepted, installEndpointChoice, renderPhone, syncPhone } from "./calls.js";
import { installChat } from "./chat.js";
import { consultPushed } from "./transfer.js";
import { loadCanned } from "./canned.js";
import { installStatus, tick } from "./status.js";
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

// Volunteer console (a community super user's, /community/<program>/volunteer): the agent
// console's board, status and chat parts on the volunteer's own endpoints and /volunteer
// socket; no calls, pay, schedule or training. State is re-read after every (re)connect and push.
import { $, alerts, call, drafts, hooks, setState, socket, state, urls } from "./context.js";
import { installShortcuts } from "./offers.js";
import { render } from "./board.js";
import { installChat } from "./chat.js";
import { installStatus, tick } from "./status.js";

async function refresh() {
  try {
    const fresh = await call("GET", `${urls.api}/state`);
    if (fresh.now < state.now) return; // an older answer never replaces a newer view
    setState(fresh);
    drafts.keepOnly(state.tasks.map((t) => t.task_id));
    alerts.update(state.offers);
    render();
    // Handing a chat back sends it to the certified paid agents of its queue.
    for (const button of document.querySelectorAll(".task .transfer")) button.textContent = "Hand to a paid agent";
  } catch (error) {
    $("status-error").textContent = error.message;
  }
}

hooks.refresh = refresh;
installStatus();
installShortcuts();
installChat();
socket.on("connect", () => { $("connection").textContent = "connected"; refresh(); });
socket.on("disconnect", () => { $("connection").textContent = "reconnecting…"; });
for (const name of ["offer", "offer_ended", "assigned", "wrapping", "completed", "transferred"]) {
  socket.on(name, refresh);
}
setInterval(tick, 500);
setInterval(refresh, 15000); // a safety net when a push was lost

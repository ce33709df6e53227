// A call card's state and controls (hold, mute), and where calls ring: the agent's phone or
// this browser (the Voice SDK, see phone.js).
import { $, answeredCalls, call, emit, lookAgain, phone, refresh, state } from "./context.js";

// The call state and mute button of a voice card: the browser call's own state when the agent
// takes calls in this browser, else what the server knows of the home-phone leg.
export function fillCall(card) {
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
export function answerAccepted() {
  if (state.endpoint !== "browser") return;
  for (const task of state.tasks) {
    const ringing = phone.describe(task.call_sid);
    if (task.state === "assigned" && ringing?.status === "ringing") {
      answeredCalls.set(task.task_id, task.call_sid);
      phone.accept(task.call_sid);
    }
  }
}

export function renderPhone() {
  answerAccepted();
  for (const card of document.querySelectorAll(".task")) fillCall(card);
  for (const card of document.querySelectorAll(".offer")) {
    const offer = state.offers.find((o) => o.reservation_id === card.dataset.reservation);
    card.querySelector(".browser-call").textContent = offer && phone.has(offer.call_sid) ? "Ringing in this browser" : "";
  }
  // A call that rings before the console knows which offer it belongs to: look again.
  if ([...phone.calls.keys()].some((sid) => !state.offers.some((o) => o.call_sid === sid)
      && !state.tasks.some((t) => t.call_sid === sid) && ![...answeredCalls.values()].includes(sid))) {
    lookAgain(300);
  }
  if (phone.lastError) $("phone-status").textContent = `Browser phone error: ${phone.lastError}`;
  else if (phone.state === "registered") $("phone-status").textContent = "Browser phone ready";
}

export function callControls(card, task, live) {
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

// Take calls on my phone or in this browser; the browser needs the Voice SDK registered.
export async function syncPhone() {
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

export function installEndpointChoice() {
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
}

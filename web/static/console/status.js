// The agent's status (set by them, with a reason), why they are paused, and the clocks: offer
// countdowns, talk and wrap-up timers, time in status.
import { $, call, refresh, skew, state, urls } from "./context.js";

const reasons = JSON.parse(document.getElementById("reasons").textContent);

export function fillReasons() {
  const select = $("status-reason");
  select.replaceChildren(...reasons[$("status-choice").value].map((r) => new Option(r.replace(/_/g, " ") || "—", r)));
}

export function renderStatus() {
  $("status").textContent = state.status;
  const choice = $("status-choice"); // shows the current status unless the agent is choosing
  if (!choice.dataset.chosen && choice.value !== state.status &&
      [...choice.options].some((o) => o.value === state.status)) {
    choice.value = state.status;
    fillReasons();
  }
  $("state").textContent = state.state;
  renderPaused();
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

// 75 s → "1:15", 3725 s → "1:02:05"
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

export function tick() {
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

async function setStatus(status, reason) {
  try {
    await call("POST", `${urls.api}/status`, { status, reason });
  } catch (error) {
    $("status-error").textContent = error.message;
  }
  refresh();
}

export function installStatus() {
  $("status-choice").onchange = fillReasons;
  $("resume").onclick = () => setStatus("available", "");
  $("status-form").onsubmit = (event) => {
    event.preventDefault();
    $("status-error").textContent = "";
    setStatus($("status-choice").value, $("status-reason").value);
  };
  fillReasons();
  // The status dropdown follows the current status until the agent picks another one, and
  // again once they have set it (renderStatus above).
  $("status-choice").addEventListener("change", () => { $("status-choice").dataset.chosen = "1"; });
  $("status-form").addEventListener("submit", () => { delete $("status-choice").dataset.chosen; });
}

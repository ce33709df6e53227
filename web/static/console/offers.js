// Offer cards (a call or chat offered with a countdown) and the A / R keyboard shortcuts.
import { $, answeredCalls, call, phone, refresh, state, urls } from "./context.js";

export function offerCard(offer) {
  const card = $("offer-template").content.firstElementChild.cloneNode(true);
  card.dataset.reservation = offer.reservation_id;
  card.dataset.deadline = offer.deadline;
  card.querySelector(".channel").textContent = offer.channel === "voice" ? "call"
    : offer.channel === "task" ? "contact" : offer.channel === "community" ? "community question"
    : `${offer.channel} chat`;
  card.querySelector(".customer").textContent = [offer.customer, offer.choice].filter(Boolean).join(" · ");
  card.querySelector(".accept").onclick = () => answer(offer, "accept");
  card.querySelector(".reject").onclick = () => answer(offer, "reject");
  fillOffer(card, offer);
  return card;
}

export function fillOffer(card, offer) {
  card.dataset.deadline = offer.deadline;
  card.querySelector(".browser-call").textContent = phone.has(offer.call_sid) ? "Ringing in this browser" : "";
}

// A call offer ringing this browser: Accept answers it (the server bridges it straight into
// the caller's conference), Reject declines it. The offer itself is decided by the engine.
async function answer(shown, action) {
  const offer = state.offers.find((o) => o.reservation_id === shown.reservation_id) || shown;
  const sid = offer.channel === "voice" && state.endpoint === "browser" ? offer.call_sid : null;
  try {
    await call("POST", `${urls.offers}/${encodeURIComponent(offer.reservation_id)}/${action}`, {});
    if (sid && action === "accept") { answeredCalls.set(offer.task_id, sid); phone.accept(sid); }
  } catch (error) {
    $("status-error").textContent = `${action}: ${error.message}`;
  }
  if (sid && action === "reject") phone.reject(sid);
  refresh();
}

// A and R answer the offer in focus (else the first one), only from the page itself: never
// from a text field, and never within SHORTCUT_QUIET ms of typing in one (a sentence whose
// field went away — its task moved on — must not answer offers letter by letter).
const SHORTCUT_QUIET = 1500;
const TEXT_FIELD = "textarea, [contenteditable], input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit])";

export function installShortcuts() {
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
}

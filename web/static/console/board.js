// The console's board: offer cards and conversation cards, kept and updated in place (the
// agent console and the volunteer console both render it).
import { $, place, state } from "./context.js";
import { fillOffer, offerCard } from "./offers.js";
import { STAGE, fillTask, taskCard } from "./tasks.js";
import { renderStatus, tick } from "./status.js";

export function render() {
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

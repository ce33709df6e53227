// Transfer of a conversation in progress to a queue (its own by default) or a named colleague,
// and the warm transfer of a call: consult the colleague first (the caller holds), then
// complete (the call is theirs) or cancel (the caller is back with the agent).
import { emit, refresh, state } from "./context.js";

// Why a consult ended without the call changing hands, as the agent reads it.
const ENDED = {
  declined: (name) => `${name} declined the consult: your caller is back with you`,
  left: (name) => `${name} left the consult: your caller is back with you`,
  unreachable: (name) => `${name} cannot be called: your caller is back with you`,
};

function target(card) {
  const [kind, id] = card.querySelector(".transfer-target").value.split(":", 2);
  return { [kind === "agent" ? "agent_id" : "queue_id"]: id };
}

export function transferControls(card, task, live) {
  const controls = card.querySelector(".transfer-controls");
  controls.hidden = !live;
  if (!live) return;
  fillTargets(card, task);
  controls.querySelector(".transfer").onclick = () =>
    emit(card, "transfer", { task_id: task.task_id, ...target(card) }, refresh);
  const consult = controls.querySelector(".consult");
  consult.hidden = task.channel !== "voice";
  consult.onclick = () => emit(card, "consult", { task_id: task.task_id, ...target(card) }, (ack) => {
    card.dataset.consultName = ack.name;
    fillConsult(card, { ...task, consult: { name: ack.name, state: "ringing" } });
    refresh();
  });
  const box = card.querySelector(".consult-box");
  box.querySelector(".consult-complete").onclick = () =>
    emit(card, "end_consult", { task_id: task.task_id, complete: true }, refresh);
  box.querySelector(".consult-cancel").onclick = () =>
    emit(card, "end_consult", { task_id: task.task_id, complete: false }, refresh);
}

// The consult of a call as the server knows it: calling the colleague, or them on the line
// (Complete is offered then); transfer is not offered meanwhile.
export function fillConsult(card, task) {
  const box = card.querySelector(".consult-box");
  const consult = task.consult;
  const open = Boolean(consult) && (consult.state === "ringing" || consult.state === "connected");
  box.hidden = !open;
  card.querySelector(".transfer-controls").hidden = task.state !== "assigned" || open;
  if (open) {
    card.dataset.consultName = consult.name;
    box.querySelector(".consult-state").textContent = consult.state === "connected"
      ? `${consult.name} is on the line; your caller is on hold.`
      : `Calling ${consult.name}… your caller is on hold.`;
    box.querySelector(".consult-complete").disabled = consult.state !== "connected";
  } else if (consult?.state === "ended" && card.dataset.consultError !== consult.error) {
    card.dataset.consultError = consult.error;
    card.querySelector(".error").textContent = `${consult.error}: your caller is back with you`;
  }
}

// Pushed by the server as the consult moves on; the card re-reads the state either way.
export function consultPushed(info) {
  const card = document.querySelector(`.task[data-task="${CSS.escape(info.task_id || "")}"]`);
  const explain = ENDED[info.reason];
  if (card && info.state === "canceled" && explain) {
    card.querySelector(".error").textContent = explain(card.dataset.consultName || "Your colleague");
  } else if (card && info.error) {
    card.querySelector(".error").textContent = info.error;
  }
  refresh();
}

export function fillTargets(card, task) {
  const target = card.querySelector(".transfer-target");
  const wanted = JSON.stringify([state.queues, state.colleagues]);
  if (target.dataset.filled === wanted) return; // keep the agent's choice across refreshes
  const chosen = target.value;
  const group = (label, options) => {
    const box = document.createElement("optgroup");
    box.label = label;
    box.append(...options);
    return box;
  };
  target.replaceChildren(
    group("Queues", state.queues.map((q) => new Option(q, `queue:${q}`, false, q === task.queue_id))),
    group("Agents", (state.colleagues || []).map((a) => new Option(a.name, `agent:${a.agent_id}`))),
  );
  if (chosen && [...target.options].some((o) => o.value === chosen)) target.value = chosen;
  target.dataset.filled = wanted;
}

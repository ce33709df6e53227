// Transfer of a conversation in progress to a queue (its own by default) or a named colleague.
import { emit, refresh, state } from "./context.js";

export function transferControls(card, task, live) {
  const controls = card.querySelector(".transfer-controls");
  controls.hidden = !live;
  if (!live) return;
  fillTargets(card, task);
  controls.querySelector(".transfer").onclick = () => {
    const [kind, id] = controls.querySelector(".transfer-target").value.split(":", 2);
    const body = { task_id: task.task_id, [kind === "agent" ? "agent_id" : "queue_id"]: id };
    emit(card, "transfer", body, refresh);
  };
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

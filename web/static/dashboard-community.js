// The dashboard's community card: deflection rate, self-service score, questions escalated to
// paid agents and their service level, the moderation backlog and the median time from flag to
// review, per program, today
// (computed by the server: channels/community_view.py).
import { percent } from "./console-api.js";

function td(label, text) {
  const cell = document.createElement("td");
  cell.dataset.label = label;
  cell.textContent = text;
  return cell;
}

function minutes(seconds) {
  return seconds < 60 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

export function renderCommunity(rows) {
  const body = document.querySelector("#community tbody");
  if (!body) return;
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement("tr");
    tr.dataset.program = row.program;
    tr.append(td("Program", row.name), td("Deflection rate", percent(row.deflection_rate)),
      td("Self-service score", percent(row.self_service_score)), td("Solved by self-service", String(row.solved)),
      td("Still needed help", String(row.need_help)), td("Contacts queued", String(row.contacts)),
      td("Escalated to agents", String(row.escalated)),
      td("Escalation SL", row.escalation_sl === null ? "–" : percent(row.escalation_sl)),
      td("Waiting for review", String(row.review_backlog)),
      td("Flag → review (median)", row.median_review_seconds === null ? "–" : minutes(row.median_review_seconds)));
    return tr;
  }));
}

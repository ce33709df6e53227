// The dashboard's CSAT table: surveys offered today per program, queue and agent, as computed
// by the server (quality.csat.board in GET /dashboard/api/summary).
import { percent } from "./console-api.js";

const LEVELS = [["programs", "Program"], ["queues", "Queue"], ["agents", "Agent"]];

export function renderCsat(table, csat, agents, inQueue) {
  const names = new Map(agents.map((a) => [a.agent_id, a.name]));
  const rows = [];
  for (const [key, label] of LEVELS) {
    for (const group of (csat && csat[key]) || []) {
      if (key === "queues" && !inQueue(group.id)) continue;
      const name = key === "agents" ? names.get(group.id) || group.id : group.id;
      rows.push(row(label, name, group));
    }
  }
  if (!rows.length) {
    const empty = document.createElement("tr");
    const cell = document.createElement("td");
    cell.colSpan = 7;
    cell.className = "muted";
    cell.textContent = "No survey offered yet today.";
    empty.append(cell);
    rows.push(empty);
  }
  table.tBodies[0].replaceChildren(...rows);
}

function row(level, name, group) {
  const tr = document.createElement("tr");
  const average = group.average === null ? "–" : group.average.toFixed(2);
  const values = [level, name, group.offered, group.answered, percent(group.response_rate), average,
    percent(group.csat)];
  const heads = ["Level", "Name", "Surveys", "Answered", "Response rate", "Average (1–5)", "CSAT"];
  values.forEach((value, n) => {
    const td = document.createElement("td");
    td.dataset.label = heads[n];
    td.textContent = String(value);
    tr.append(td);
  });
  return tr;
}

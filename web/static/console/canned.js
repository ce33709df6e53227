// Canned responses of the agent's programs: "/shortcut" + Tab in a reply, or search by title.
import { call, drafts, state } from "./context.js";

let canned = [];

// Fetched once (and after a reconnect); every chat card's list follows.
export async function loadCanned() {
  try { canned = (await call("GET", "/console/api/canned")).items; } catch { canned = []; }
  for (const card of document.querySelectorAll(".task")) fillCanned(card);
}

function cannedFor(task) {
  return canned.filter((c) => !task.program || c.program === task.program);
}

// "/greet" (or a unique start of a shortcut) just before the caret + Tab → the response's text.
export function expandShortcut(input, task) {
  const before = input.value.slice(0, input.selectionStart);
  const match = before.match(/(^|\s)\/([a-z0-9_-]+)$/);
  if (!match) return false;
  const mine = cannedFor(task);
  const found = mine.find((c) => c.shortcut === match[2])
    || (mine.filter((c) => c.shortcut.startsWith(match[2])).length === 1
      ? mine.find((c) => c.shortcut.startsWith(match[2])) : null);
  if (!found) return false;
  insertText(input, task, found.body, before.length - match[2].length - 1);
  return true;
}

function insertText(input, task, text, from = input.selectionStart) {
  const after = input.value.slice(input.selectionEnd);
  input.value = (input.value.slice(0, from) + text + after).slice(0, 2000);
  const caret = Math.min(from + text.length, input.value.length);
  input.focus();
  input.setSelectionRange(caret, caret);
  drafts.put(task.task_id, "reply", input.value);
}

export function cannedBox(card, task, body) {
  const search = card.querySelector(".canned-search");
  const list = card.querySelector(".canned-list");
  list.id = `canned-${task.task_id}`;
  search.setAttribute("list", list.id);
  fillCanned(card, task);
  search.onchange = search.oninput = () => {
    const wanted = search.value.trim().toLowerCase();
    const found = cannedFor(task).find((c) => `${c.title} (/${c.shortcut})`.toLowerCase() === wanted);
    if (!found) return;
    search.value = "";
    insertText(body, task, body.value && !body.value.endsWith(" ") ? ` ${found.body}` : found.body, body.value.length);
  };
}

function fillCanned(card, task = state.tasks.find((t) => t.task_id === card.dataset.task)) {
  const list = card.querySelector(".canned-list");
  if (!task || !list) return;
  const mine = cannedFor(task);
  card.querySelector(".canned-box").hidden = task.channel === "voice" || task.state !== "assigned" || !mine.length;
  list.replaceChildren(...mine.map((c) => {
    const option = document.createElement("option");
    option.value = `${c.title} (/${c.shortcut})`;
    option.label = c.body.slice(0, 80);
    return option;
  }));
}

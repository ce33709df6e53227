// "My schedule": the week's bookable blocks from the schedule API; book, join the waitlist,
// release. Every change re-reads the list (the server's counts are the truth).
import { api, latestRead } from "./schedule-api.js";

const root = document.getElementById("schedule");
const call = api(root.dataset.csrf);
const week = document.getElementById("week");
const body = document.querySelector("#blocks tbody");
const message = document.getElementById("message");

const when = new Intl.DateTimeFormat(undefined, {
  weekday: "short", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
});

function cell(label, text) {
  const td = document.createElement("td");
  td.dataset.label = label;
  td.textContent = text;
  return td;
}

function say(text) {
  message.textContent = text;
  message.hidden = !text;
}

function actionFor(block) {
  const button = document.createElement("button");
  button.type = "button";
  if (block.my_state === "booked" || block.my_state === "waitlisted") {
    button.textContent = block.my_state === "booked" ? "Release" : "Leave waitlist";
    button.className = "secondary";
    button.onclick = () => act("DELETE", block, "");
  } else if (block.booked >= block.needed) {
    button.textContent = "Join waitlist";
    button.onclick = () => act("POST", block, "?waitlist=true");
  } else {
    button.textContent = "Book";
    button.onclick = () => act("POST", block, "");
  }
  return button;
}

function row(block) {
  const tr = document.createElement("tr");
  tr.dataset.block = block.id;
  const start = new Date(block.start);
  tr.append(cell("When", `${when.format(start)} – ${new Date(block.end).toTimeString().slice(0, 5)}`));
  tr.append(cell("Queue", `${block.queue_id} (${block.program})`));
  tr.append(cell("Seats", `${block.booked} / ${block.needed}`));
  const amount = Number(block.bonus_per_minute);
  const bonus = cell("Bonus", "");
  const inner = document.createElement("span");  // one grid item in the 390 px card layout
  inner.textContent = amount > 0 ? `+${amount.toFixed(2)}/min` : "–";
  if (block.hot) {
    const badge = document.createElement("span");
    badge.className = "badge hot";
    badge.textContent = "hot";
    inner.prepend(badge, " ");
  }
  bonus.append(inner);
  tr.append(bonus, cell("Me", block.my_state === "released" ? "–" : block.my_state || "–"));
  const action = document.createElement("td");
  action.append(actionFor(block));
  tr.append(action);
  return tr;
}

async function act(method, block, query) {
  say("");
  try {
    const done = await call(method, `/api/v1/workforce/blocks/${block.id}/commit${query}`);
    say(`Block ${when.format(new Date(block.start))}: ${done.state}${done.late ? " (late release)" : ""}.`);
  } catch (error) {
    say(error.message);
  }
  await load();
}

const read = latestRead(document.getElementById("blocks"),
  () => call("GET", `/api/v1/workforce/blocks?week=${encodeURIComponent(week.value)}`),
  (data) => {
    body.replaceChildren(...data.items.map(row));
    document.getElementById("empty").hidden = data.items.length > 0;
    const mine = data.items.filter((b) => b.my_state === "booked").length;
    document.getElementById("summary").textContent =
      `${data.items.length} blocks open · ${mine} booked by you (${mine / 2} h)`;
  });

async function load() {
  try {
    await read();
  } catch (error) {
    say(error.message);
  }
}

async function reliability() {
  try {
    const data = await call("GET", `/api/v1/workforce/adherence?agent_id=${root.dataset.agent}&day=${root.dataset.today}`);
    document.getElementById("reliability").textContent =
      data.reliability === null ? "no blocks yet" : `${Math.round(data.reliability * 100)}%`;
  } catch (error) {
    document.getElementById("reliability").textContent = "–";
  }
}

week.addEventListener("change", load);
load();
reliability();

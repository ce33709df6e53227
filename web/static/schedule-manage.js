// The supervisor's schedule: publish a week from the forecast, then edit each block's needed
// count and hot-block bonus (PATCH), seeing how many seats are booked.
import { api, latestRead } from "./schedule-api.js";

const root = document.getElementById("manage");
const call = api(root.dataset.csrf);
const week = document.getElementById("week");
const body = document.querySelector("#blocks tbody");
const message = document.getElementById("message");
const when = new Intl.DateTimeFormat(undefined, {
  weekday: "short", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
});

function say(text) {
  message.textContent = text;
  message.hidden = !text;
}

function cell(label, content) {
  const td = document.createElement("td");
  td.dataset.label = label;
  td.append(content);
  return td;
}

function input(label, value, attrs) {
  const field = document.createElement("input");
  Object.assign(field, { value, ...attrs });
  field.setAttribute("aria-label", label);
  return field;
}

function row(block) {
  const tr = document.createElement("tr");
  tr.dataset.block = block.id;
  const needed = input(`Needed at ${block.start}`, block.needed, { type: "number", min: 0, max: 10000, step: 1 });
  const bonus = input(`Bonus at ${block.start}`, block.bonus_per_minute, { type: "number", min: 0, max: 100, step: "0.01" });
  const save = document.createElement("button");
  save.type = "button";
  save.textContent = "Save";
  save.onclick = async () => {
    say("");
    try {
      await call("PATCH", `/api/v1/workforce/blocks/${block.id}`, {
        needed: Number(needed.value), bonus_per_minute: bonus.value || "0",
      });
    } catch (error) {
      say(error.message); // the row keeps what was typed, to be corrected: no reload
      return;
    }
    await load(); // then say so: a reload after the message would wipe what is typed next
    say(`Saved ${when.format(new Date(block.start))} ${block.queue_id}.`);
  };
  const booked = document.createElement("a"); // who committed, and a message to fill it
  booked.href = `/schedule/blocks/${block.id}`;
  booked.textContent = `${block.booked}${block.booked < block.needed ? " (under-booked)" : ""}`;
  tr.append(cell("When", when.format(new Date(block.start))), cell("Queue", block.queue_id),
    cell("Status", `${block.status}${block.hot ? " · hot" : ""}`), cell("Booked", booked),
    cell("Needed", needed), cell("Bonus / min", bonus), cell("", save));
  return tr;
}

const read = latestRead(document.getElementById("blocks"),
  () => call("GET", `/api/v1/workforce/blocks?week=${encodeURIComponent(week.value)}`),
  (data) => {
    body.replaceChildren(...data.items.map(row));
    document.getElementById("empty").hidden = data.items.length > 0;
    const needed = data.items.reduce((n, b) => n + b.needed, 0);
    const booked = data.items.reduce((n, b) => n + b.booked, 0);
    document.getElementById("summary").textContent =
      `${data.items.length} blocks · ${booked} of ${needed} seats booked` +
      (needed ? ` (${Math.round((100 * booked) / needed)}%)` : "");
  });

async function load() {
  try {
    await read();
  } catch (error) {
    say(error.message);
  }
}

document.getElementById("publish").addEventListener("click", async () => {
  say("Publishing…");
  let done;
  try {
    done = await call("POST", "/api/v1/workforce/publish", { week: week.value });
  } catch (error) {
    say(error.message);
    return;
  }
  await load();
  say(`Published ${done.week}: ${done.items.map((q) => `${q.queue_id} ${q.blocks} blocks (${q.method})`).join(", ") || "no queues"}.`);
});
week.addEventListener("change", load);
load();

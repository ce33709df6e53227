// Sortable dashboard tables: each <th data-sort="key"> gets a button; clicking it sorts by that
// column (again: the other way). The choice is kept per table in localStorage, so the 10 s
// refresh and a reload keep the supervisor's order. aria-sort tells screen readers.
const KEY = "crowdline.dashboard.sort";

function load() {
  try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch { return {}; }
}

export function sortable(table, defaults, onChange) {
  const saved = load()[table.id];
  const order = { key: defaults.key, dir: defaults.dir || 1, ...(saved || {}) };
  const heads = [...table.tHead.querySelectorAll("th[data-sort]")];
  for (const th of heads) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.replaceChildren(button);
    button.onclick = () => {
      order.dir = order.key === th.dataset.sort ? -order.dir : 1;
      order.key = th.dataset.sort;
      localStorage.setItem(KEY, JSON.stringify({ ...load(), [table.id]: order }));
      mark();
      onChange();
    };
  }
  function mark() {
    for (const th of heads) {
      const on = th.dataset.sort === order.key;
      th.setAttribute("aria-sort", on ? (order.dir > 0 ? "ascending" : "descending") : "none");
    }
  }
  mark();
  return function sort(rows, value) { // value(row, key) → number | string | null
    return [...rows].sort((a, b) => {
      const x = value(a, order.key), y = value(b, order.key);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1; // unknown figures last, either way
      if (y === null || y === undefined) return -1;
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return c * order.dir;
    });
  };
}

export function cell(text, label) { // label: the column name shown beside the value at 390 px
  const td = document.createElement("td");
  td.textContent = text;
  if (label) td.dataset.label = label;
  return td;
}

// JSON over fetch for the schedule pages, with the page's CSRF token; a call without a body
// sends no Content-Type (the API refuses an empty "JSON" body). Errors carry the server's
// message and, when it names fields, their reasons.
export function api(csrf) {
  return async function call(method, url, body) {
    const headers = { "X-CSRFToken": csrf };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, {
      method, credentials: "same-origin", headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const fields = Object.entries(data.fields || {}).map(([k, v]) => `${k}: ${v}`).join("; ");
      throw new Error([data.error || `HTTP ${response.status}`, fields].filter(Boolean).join(" — "));
    }
    return data;
  };
}

// Reads a list into a table, the latest read winning: picking a week while the first read is
// under way starts a second one, and the older answer arriving last must not replace the rows
// (and what is being typed in them). The table is aria-busy while a read is outstanding.
export function latestRead(table, read, render) {
  let serial = 0;
  return async function load() {
    const mine = ++serial;
    table.setAttribute("aria-busy", "true");
    try {
      const data = await read();
      if (mine === serial) render(data);
    } finally {
      if (mine === serial) table.setAttribute("aria-busy", "false");
    }
  };
}

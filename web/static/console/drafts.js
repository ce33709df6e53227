// What the agent has typed and not sent (chat replies, wrap-up notes), per task, kept in the
// browser's localStorage so that a reload or a crashed tab loses nothing. Drafts of tasks the
// agent no longer holds are dropped at the next refresh.
export class Drafts {
  constructor(key) {
    this.key = key;
  }

  read() {
    try { return JSON.parse(localStorage.getItem(this.key) || "{}"); } catch { return {}; }
  }

  write(all) {
    try { localStorage.setItem(this.key, JSON.stringify(all)); } catch { /* storage full or off */ }
  }

  get(taskId, field) {
    return this.read()[taskId]?.[field] || "";
  }

  put(taskId, field, text) {
    const all = this.read();
    all[taskId] = { ...all[taskId], [field]: text };
    if (!text) delete all[taskId][field];
    if (!Object.keys(all[taskId]).length) delete all[taskId];
    this.write(all);
  }

  keepOnly(taskIds) {
    const all = this.read();
    const held = new Set(taskIds);
    if (Object.keys(all).every((id) => held.has(id))) return;
    for (const id of Object.keys(all)) if (!held.has(id)) delete all[id];
    this.write(all);
  }
}

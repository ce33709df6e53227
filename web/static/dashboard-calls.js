// Supervisor actions on live contacts: read a chat's transcript as it grows (GET
// /api/v1/channels/transcript, re-read every 2 s and on each "refresh" hint while open) and
// monitor / whisper / barge on a call (POST /api/v1/channels/voice/coach, ringing my phone).
const $ = (id) => document.getElementById(id);
const PHONE_KEY = "crowdline.coach-phone";
const POLL = 2000; // chat messages are not routing events: no hint announces them
const E164 = /^\+[1-9]\d{6,14}$/; // the page's first check; the server validates with phonenumbers
let open = null;
let timer = null;

// JSON over fetch; an error names the server's reason and each bad field ("phone: …").
export function request(csrf) {
  return async function call(method, url, body) {
    const response = await fetch(url, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const fields = Object.entries(data.fields || {}).map(([name, why]) => `${name}: ${why}`);
      const reason = data.error || data.message || `HTTP ${response.status}`;
      throw new Error(fields.length && !fields.includes(reason) ? `${reason} (${fields.join("; ")})` : reason);
    }
    return data;
  };
}

export function button(label, name, onclick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.setAttribute("aria-label", name);
  b.onclick = onclick;
  return b;
}

export function setUpCalls(call) {
  const phone = $("coach-phone");
  phone.value = localStorage.getItem(PHONE_KEY) || "";
  phone.onchange = () => localStorage.setItem(PHONE_KEY, phone.value.trim());
  $("transcript-close").onclick = closeTranscript;
  return {
    read: (taskId) => openTranscript(call, taskId),
    coach: (taskId, mode) => coach(call, taskId, mode),
    refresh: () => open && loadTranscript(call),
  };
}

function openTranscript(call, taskId) {
  open = taskId;
  $("transcript-panel").hidden = false;
  $("transcript-task").textContent = taskId;
  $("transcript").replaceChildren();
  $("transcript-meta").textContent = "loading…";
  clearInterval(timer);
  timer = setInterval(() => loadTranscript(call), POLL);
  loadTranscript(call);
  $("transcript-panel").scrollIntoView({ block: "nearest" });
}

function closeTranscript() {
  open = null;
  clearInterval(timer);
  $("transcript-panel").hidden = true;
}

async function loadTranscript(call) {
  const taskId = open;
  try {
    const t = await call("GET", `/api/v1/channels/transcript?task_id=${encodeURIComponent(taskId)}`);
    if (taskId !== open) return;
    $("transcript-error").textContent = "";
    const outcome = t.ended ? `ended: ${t.outcome || "closed"}`
      : t.agent_id ? "in progress · an agent is serving" : "in progress · waiting for an agent";
    $("transcript-meta").textContent = `${t.channel} with ${t.customer} · ${outcome}`;
    const list = $("transcript");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 8;
    list.replaceChildren(...t.messages.map((m) => {
      const item = document.createElement("li");
      item.className = m.author_kind;
      item.textContent = `${m.author}: ${m.body}`;
      item.title = m.at;
      return item;
    }));
    if (atBottom) list.scrollTop = list.scrollHeight;
  } catch (error) {
    if (taskId === open) $("transcript-error").textContent = `transcript: ${error.message}`;
  }
}

async function coach(call, taskId, mode) {
  const input = $("coach-phone");
  const phone = input.value.trim().replace(/[\s().-]/g, "");
  $("coach-error").textContent = "";
  $("coach-result").textContent = "";
  input.removeAttribute("aria-invalid");
  if (!phone || !E164.test(phone)) {
    $("coach-error").textContent = phone
      ? `${mode}: "${input.value.trim()}" is not a phone number in E.164 form, e.g. +15551234567`
      : `${mode}: enter your phone (E.164, e.g. +15551234567) first`;
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return;
  }
  try {
    const result = await call("POST", "/api/v1/channels/voice/coach", { task_id: taskId, mode, phone });
    $("coach-result").textContent = `${mode} on ${taskId}: ringing ${phone} (call ${result.call_sid})`;
  } catch (error) {
    $("coach-error").textContent = `${mode} on ${taskId}: ${error.message}`;
  }
}

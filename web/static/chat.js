// The customer chat widget: socket.io-client (from node_modules, served by the app) on /chat.
// The chat token lives in sessionStorage so a reload or reconnect resumes the same chat, and
// after every (re)connect the transcript is fetched again: pushes may be lost.
const root = document.getElementById("chat");
const { io } = await import(root.dataset.client);
const socket = io("/chat");
const $ = (id) => document.getElementById(id);
const KEY = `crowdline-chat:${root.dataset.entry}`;
const TYPING_SECONDS = 4; // the agent's typing notice disappears after this, or on a message
const TYPING_EVERY = 2000; // ms between two "typing" events sent by the customer
let typedAt = 0;
let typingTimer = null;
let finished = false; // the chat ended: nothing more to compare
let rateWith = null; // {token, task_id} of the chat that ended, while its survey is open

function show(message) {
  const item = document.createElement("li");
  item.className = message.author_kind;
  item.textContent = message.author_kind === "customer" ? message.body : `${message.author}: ${message.body}`;
  $("messages").append(item);
}

function open(transcript) {
  $("start").hidden = true;
  $("conversation").hidden = false;
  $("send").hidden = false;
  $("again").hidden = true;
  $("messages").replaceChildren();
  transcript.forEach(show);
}

const joined = (agent) => (agent ? `${agent} has joined the chat.` : "An agent has joined.");

// The chat is over: no send box (a message could not reach anyone), a new chat on offer.
function end(text, survey) {
  finished = true;
  const token = sessionStorage.getItem(KEY);
  if (token && root.dataset.task) rateWith = { token, task_id: root.dataset.task };
  sessionStorage.removeItem(KEY);
  if (survey && rateWith) askRating();
  $("status").textContent = text;
  $("typing").textContent = "";
  $("send").hidden = true;
  $("again").hidden = false;
}

function resync(always) {
  const token = sessionStorage.getItem(KEY);
  if (!token) return;
  socket.emit("resume", { token }, (answer) => {
    if (!answer.ok) { sessionStorage.removeItem(KEY); return; }
    root.dataset.task = answer.task_id;
    if (always || answer.transcript.length !== $("messages").children.length) open(answer.transcript);
    if (answer.ended) end("This chat has ended.", answer.survey === "pending");
    else $("status").textContent = answer.agent ? joined(answer.agent) : "Waiting for an agent…";
  });
}

socket.on("connect", () => resync(true));
// A push can be lost (a blip on the connection): compare with the server now and then.
setInterval(() => { if (socket.connected && !finished) resync(false); }, 4000);
socket.on("chat_message", (message) => { $("typing").textContent = ""; show(message); });
socket.on("typing", () => {
  $("typing").textContent = "Agent is typing…";
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => { $("typing").textContent = ""; }, TYPING_SECONDS * 1000);
});
$("body").addEventListener("input", () => {
  const token = sessionStorage.getItem(KEY);
  if (!token || Date.now() - typedAt < TYPING_EVERY) return;
  typedAt = Date.now();
  socket.emit("typing", { token });
});
socket.on("agent_joined", (info) => { $("status").textContent = joined(info && info.agent); });
socket.on("closed", (info) => {
  end(info.busy ? "All agents are busy; please try again later." : "This chat has ended.",
    Boolean(info.survey));
});

// The CSAT rating after the chat (POST /chat/rating with the chat's token), once.
function askRating() {
  $("rating").hidden = false;
  $("rated").hidden = true;
}

$("rating").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const error = event.target.querySelector(".error");
  const button = event.target.querySelector("button");
  button.disabled = true; // a double click sends one rating
  try {
    const response = await fetch("/chat/rating", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...rateWith, rating: Number(form.get("rating")), comment: form.get("comment") }),
    });
    const answer = await response.json().catch(() => ({}));
    if (response.ok || response.status === 409) {
      $("rating").hidden = true;
      $("rated").hidden = false;
      rateWith = null;
    } else {
      error.textContent = answer.error || `The rating was not sent (${response.status}).`;
      error.hidden = false;
    }
  } finally {
    button.disabled = false;
  }
});

$("start").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const body = form.get("body");
  socket.emit("start", { entry: root.dataset.entry, name: form.get("name"), body }, (answer) => {
    const error = event.target.querySelector(".error");
    if (!answer.ok) { error.textContent = answer.error; error.hidden = false; return; }
    sessionStorage.setItem(KEY, answer.token);
    root.dataset.task = answer.task_id;
    $("rating").hidden = true;
    $("rated").hidden = true;
    finished = false;
    $("status").textContent = "Waiting for an agent…";
    open(body ? [{ author_kind: "customer", body }] : []);
  });
});

$("send").addEventListener("submit", (event) => {
  event.preventDefault();
  const body = $("body").value;
  socket.emit("send_message", { token: sessionStorage.getItem(KEY), body }, (answer) => {
    if (answer.ok) { show(answer.message); $("body").value = ""; }
    else if (answer.fields && answer.fields.token) end("This chat has ended.");
    else $("status").textContent = answer.error;
  });
});

$("leave").addEventListener("click", () => {
  socket.emit("leave", { token: sessionStorage.getItem(KEY) }, () => end("This chat has ended."));
});

$("again").addEventListener("click", () => { // the name stays; the first message is new
  $("conversation").hidden = true;
  $("start").hidden = false;
  $("first").value = "";
  $("first").focus();
});

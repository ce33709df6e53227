// What every part of the agent console shares: the page's elements, the server's last view of
// the agent (replaced by each refresh, read through a live binding), the /agent socket, the
// browser phone and the drafts. Nothing here renders.
import { io } from "/chat/vendor/socket.io.js";
import { api } from "../console-api.js";
import { BrowserPhone } from "../phone.js";
import { Drafts } from "./drafts.js";
import { OfferAlerts } from "./alerts.js";

export const root = document.getElementById("console");
// The console's endpoints and socket namespace: the agent's by default; the volunteer console
// (a community super user's, /community/<program>/volunteer) names its own on the page.
export const urls = {
  api: root.dataset.api || "/console/api",
  offers: root.dataset.offers || "/api/v1/routing/me/offers",
};
export const call = api(root.dataset.csrf);
export const $ = (id) => document.getElementById(id);

export let state = { offers: [], tasks: [], queues: [], endpoint: "phone", now: 0 }; // until the first refresh
export let skew = 0; // server clock - browser clock, seconds

// The server's view replaces the last one; the browser's clock is set against the server's.
export function setState(fresh) {
  state = fresh;
  skew = state.now - Date.now() / 1000;
}

// Set by the entry module: re-read the state, re-render the browser phone's parts.
export const hooks = { refresh: () => {}, renderPhone: () => {} };
export const refresh = () => hooks.refresh();

export const phone = new BrowserPhone({ call, sdkUrl: root.dataset.voiceSdk, onChange: () => hooks.renderPhone() });
export const answeredCalls = new Map(); // task_id → CallSid of the browser call answered for it
export const drafts = new Drafts(`crowdline.drafts.${root.dataset.agent}`);
export const alerts = new OfferAlerts();
export const socket = io(root.dataset.namespace || "/agent");

// A socket event about one card: its error line shows the server's refusal.
export function emit(card, event, data, done, always = () => {}) {
  card.querySelector(".error").textContent = "";
  socket.emit(event, data, (ack) => {
    always();
    if (!ack || !ack.ok) card.querySelector(".error").textContent = ack ? ack.error : `${event}: no answer`;
    else done(ack);
  });
}

// An HTTP action on one card, then a refresh; a refusal shows on the card.
export async function act(card, method, url, body) {
  try {
    await call(method, url, body);
    refresh();
  } catch (error) {
    card.querySelector(".error").textContent = error.message;
  }
}

// Make `box`'s children exactly `nodes`, in order, moving only the nodes out of place.
export function place(box, nodes) {
  const keep = new Set(nodes);
  for (const child of [...box.children]) if (!keep.has(child)) child.remove();
  nodes.forEach((node, i) => { if (box.children[i] !== node) box.insertBefore(node, box.children[i] || null); });
}

// Look again in `ms` (one pending look at a time): call progress is not pushed.
let followUp = null;
export function lookAgain(ms) {
  clearTimeout(followUp);
  followUp = setTimeout(refresh, ms);
}

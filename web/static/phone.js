// The browser phone: the Twilio Voice JS SDK (served by the app from node_modules) registered
// as `client:agent-<id>` with an access token from POST /api/v1/channels/voice/token.
// Calls ringing the browser are kept by CallSid, so the console ties each one to its offer card
// (the offer's `call_sid`). The SDK's Device is the only thing taken from the page's global
// scope: `window.CrowdlineVoiceDevice` when defined (tests stand in at the Twilio edge there),
// else `Twilio.Device` from the SDK script.
const TOKEN_URL = "/api/v1/channels/voice/token";

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`cannot load the Voice SDK from ${src}`));
    document.head.append(script);
  });
}

async function deviceClass(sdkUrl) {
  if (window.CrowdlineVoiceDevice) return window.CrowdlineVoiceDevice;
  if (!window.Twilio?.Device) await loadScript(sdkUrl);
  return window.Twilio.Device;
}

export class BrowserPhone {
  // call: the console's JSON helper (CSRF header); onChange: re-render the console.
  constructor({ call, sdkUrl, onChange }) {
    this.call = call;
    this.sdkUrl = sdkUrl;
    this.onChange = onChange;
    this.device = null;
    this.calls = new Map(); // CallSid → SDK Call, from ringing until it ends
    this.state = "off"; // off | starting | registered | error
  }

  async token() {
    return (await this.call("POST", TOKEN_URL, {})).token;
  }

  // Resolves once registered; rejects with the server's reason (503: not configured).
  async start() {
    if (this.device) return;
    this.state = "starting";
    const token = await this.token().catch((error) => { this.state = "off"; throw error; });
    const Device = await deviceClass(this.sdkUrl);
    const device = new Device(token, { closeProtection: true });
    this.device = device;
    device.on("incoming", (call) => this.ring(call));
    device.on("tokenWillExpire", async () => device.updateToken(await this.token()));
    device.on("error", (error) => { this.lastError = error?.message || String(error); this.onChange(); });
    device.on("registered", () => { this.state = "registered"; this.lastError = null; this.onChange(); });
    device.on("unregistered", () => { if (this.device === device) this.state = "off"; this.onChange(); });
    await device.register();
    this.state = "registered";
    this.onChange();
  }

  stop() {
    if (this.device) this.device.destroy();
    this.device = null;
    this.calls.clear();
    this.state = "off";
    this.onChange();
  }

  ring(call) {
    const sid = call.parameters?.CallSid;
    if (!sid) return;
    this.calls.set(sid, call);
    const gone = () => { if (this.calls.get(sid) === call) this.calls.delete(sid); this.onChange(); };
    for (const name of ["cancel", "disconnect", "reject"]) call.on(name, gone);
    for (const name of ["accept", "mute", "reconnecting", "reconnected"]) call.on(name, () => this.onChange());
    call.on("error", (error) => { this.lastError = error?.message || String(error); this.onChange(); });
    if (this.autoAccept === sid) call.accept();
    this.onChange();
  }

  has(sid) {
    return Boolean(sid) && this.calls.has(sid);
  }

  // Answer the ringing call for an offer already accepted in the console (or later, on ring).
  accept(sid) {
    const call = sid && this.calls.get(sid);
    if (call) call.accept(); else this.autoAccept = sid;
  }

  reject(sid) {
    const call = sid && this.calls.get(sid);
    if (call) call.reject();
  }

  toggleMute(sid) {
    const call = this.calls.get(sid);
    if (call) call.mute(!call.isMuted());
  }

  // What the agent reads on the task card: ringing, connecting, connected (muted).
  describe(sid) {
    const call = sid && this.calls.get(sid);
    if (!call) return null;
    const status = call.status();
    const shown = { open: "connected", pending: "ringing" }[status] || status;
    return { status: shown, muted: call.isMuted() };
  }
}

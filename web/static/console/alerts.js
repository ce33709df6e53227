// How a new offer gets the agent's attention: a short tone (Web Audio, no file to load), a
// desktop notification when the console is not in view (permission asked once, on the
// agent's first click, never again if refused) and the tab title flashing until the agent
// looks at the console or the offer is gone.
const ASKED = "crowdline.notifications.asked";

export class OfferAlerts {
  constructor() {
    this.seen = new Set();
    this.title = document.title;
    this.flashing = null;
    this.audio = null;
    this.away = document.hidden;
    document.addEventListener("click", () => this.askOnce(), { once: true, capture: true });
    document.addEventListener("visibilitychange", () => { this.away = document.hidden; if (!this.away) this.stopFlash(); });
    window.addEventListener("blur", () => { this.away = true; });
    window.addEventListener("focus", () => { this.away = false; this.stopFlash(); });
  }

  askOnce() {
    // The audio context may only start after a user gesture: this click is one.
    try { this.audio = this.audio || new AudioContext(); } catch { this.audio = null; }
    if (!("Notification" in window) || Notification.permission !== "default") return;
    if (localStorage.getItem(ASKED)) return;
    localStorage.setItem(ASKED, "1");
    Notification.requestPermission().catch(() => {});
  }

  // Called with the pending offers after each refresh: alerts once per new offer.
  update(offers) {
    const fresh = offers.filter((o) => !this.seen.has(o.reservation_id));
    this.seen = new Set(offers.map((o) => o.reservation_id));
    if (!offers.length) this.stopFlash();
    if (!fresh.length) return;
    const what = describe(fresh[0]);
    this.tone();
    if (this.away || document.hidden) { // the agent is looking at another window or tab
      this.flash(`● ${what}`);
      this.notify(what, fresh[0]);
    }
  }

  tone() {
    const audio = this.audio;
    if (!audio || audio.state === "closed") return;
    const now = audio.currentTime;
    for (const [at, freq] of [[0, 880], [0.18, 1175]]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + at);
      gain.gain.exponentialRampToValueAtTime(0.2, now + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.16);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + at);
      osc.stop(now + at + 0.17);
    }
  }

  notify(what, offer) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    try {
      const note = new Notification(what, { body: offer.customer || "", tag: offer.reservation_id });
      note.onclick = () => { window.focus(); note.close(); };
    } catch { /* some browsers only notify from a service worker */ }
  }

  flash(text) {
    if (this.flashing) return;
    let on = false;
    this.flashing = setInterval(() => {
      on = !on;
      document.title = on ? text : this.title;
    }, 1000);
    document.title = text;
  }

  stopFlash() {
    clearInterval(this.flashing);
    this.flashing = null;
    document.title = this.title;
  }
}

function describe(offer) {
  if (offer.channel === "voice") return "Incoming call";
  return offer.channel === "task" ? "Incoming contact" : `Incoming ${offer.channel} chat`;
}

// Wallboard mode for a TV: large tiles, alerts and lists without the supervisor's controls,
// full screen when the browser allows it. /dashboard?view=wallboard opens in this mode (a TV's
// kiosk browser bookmarks it); the button toggles it and asks for full screen. Also the text
// alternatives of the two charts (what a screen reader says instead of the canvas).
const hhmm = (t) => new Date(t * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

export function setUpWallboard(toggle) {
  const params = new URLSearchParams(location.search);
  let viaButton = false;
  function set(on) {
    document.body.classList.toggle("wallboard", on);
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "Exit wallboard" : "Wallboard (full screen)";
    if (on) params.set("view", "wallboard"); else params.delete("view");
    const query = params.toString();
    history.replaceState(null, "", `${location.pathname}${query ? `?${query}` : ""}`);
  }
  toggle.onclick = async () => {
    const on = !document.body.classList.contains("wallboard");
    set(on);
    viaButton = on;
    try {
      if (on && document.documentElement.requestFullscreen) await document.documentElement.requestFullscreen();
      else if (!on && document.fullscreenElement) await document.exitFullscreen();
    } catch { /* full screen refused (no permission, kiosk): the large layout still applies */ }
  };
  document.addEventListener("fullscreenchange", () => { // Esc leaves full screen: leave the mode too
    if (!document.fullscreenElement && viaButton) { viaButton = false; set(false); }
  });
  set(params.get("view") === "wallboard");
}

export function describeIntervals(intervals) {
  if (!intervals.length) return "No contacts offered yet today.";
  const offered = intervals.reduce((n, i) => n + i.offered, 0);
  const answered = intervals.reduce((n, i) => n + i.answered, 0);
  const parts = intervals.slice(-4).map((i) => `${hhmm(i.start)}: ${i.offered} offered, ${i.answered} answered, service level ${i.service_level === null ? "none" : `${Math.round(i.service_level * 100)}%`}`);
  return `Today ${offered} contacts offered and ${answered} answered. Latest intervals: ${parts.join("; ")}.`;
}

export function describeWaiting(series) {
  const now = Object.entries(series.queues).map(([queue, counts]) => `${queue} ${counts.at(-1) ?? 0}`);
  const peak = Math.max(0, ...series.total);
  return `Waiting now: ${series.total.at(-1) ?? 0} (${now.join(", ") || "no queues"}); at most ${peak} in the last hour.`;
}

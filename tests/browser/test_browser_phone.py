"""The browser phone in a real browser, on a live contact center: the console fetches an access
token, registers the Voice SDK's Device, ties the call ringing the browser to the offer card,
answers it on Accept (the carrier then bridges the agent into the caller's conference), shows
the call state and mutes with call.mute().

The SDK is replaced only at the Twilio edge, through phone.js's injection point
`window.CrowdlineVoiceDevice` (installed by an init script): the stand-in Device and Call keep
the SDK's interface, and what they would tell Twilio (answer, reject) goes to the simulated
carrier, which then plays the call exactly as Twilio would (signed webhooks)."""

from __future__ import annotations

import base64
import json

import pytest
from playwright.sync_api import expect

from channels.links import conference_name
from tests.browser.conftest import ARTIFACTS
from tests.browser.live import CALLER, NUMBER, go_available, new_context, sign_in
from tests.waiting import wait_until

pytestmark = pytest.mark.browser

STAND_IN = """
(() => {
  const edge = { tokens: [], registrations: 0, device: null, calls: {} };
  window.__twilioEdge = edge;
  class Emitter {
    constructor() { this.handlers = {}; }
    on(name, handler) { (this.handlers[name] ||= []).push(handler); return this; }
    emit(name, ...args) { for (const handler of this.handlers[name] || []) handler(...args); }
  }
  class Call extends Emitter {
    constructor(sid, to) {
      super();
      this.parameters = { CallSid: sid, From: "+15550001000", To: to };
      this.state = "pending";
      this.muted = false;
    }
    status() { return this.state; }
    isMuted() { return this.muted; }
    accept() {
      this.state = "open";
      window.twilioEdge("accept", this.parameters.CallSid);
      this.emit("accept", this);
    }
    reject() {
      this.state = "closed";
      window.twilioEdge("reject", this.parameters.CallSid);
      this.emit("reject");
    }
    mute(muted = true) {
      this.muted = muted;
      window.twilioEdge(muted ? "mute" : "unmute", this.parameters.CallSid);
      this.emit("mute", muted, this);
    }
    disconnect() { this.state = "closed"; this.emit("disconnect", this); }
  }
  window.CrowdlineVoiceDevice = class Device extends Emitter {
    constructor(token, options) { super(); edge.tokens.push(token); edge.device = this; }
    async register() { edge.registrations += 1; this.emit("registered"); }
    updateToken(token) { edge.tokens.push(token); }
    destroy() { edge.device = null; }
    ring(sid, to) {
      const call = new Call(sid, to);
      edge.calls[sid] = call;
      this.emit("incoming", call);
    }
  };
})();
"""


@pytest.fixture
def settings(settings):
    """Browser-phone credentials (fake: nothing reaches Twilio, the token is only decoded)."""
    return settings.with_(
        twilio_account_sid="AC" + "1" * 32,
        twilio_api_key="SK" + "2" * 32,
        twilio_api_secret="s" * 32,
        twilio_twiml_app_sid="AP" + "3" * 32,
    )


def browser_phone_console(center, browser, name: str):
    """A console with the SDK stand-in; returns (context, page, what reached the edge)."""
    context = new_context(browser)
    context.add_init_script(STAND_IN)
    edge: list[tuple[str, str]] = []

    def twilio_edge(kind: str, call_sid: str) -> None:
        edge.append((kind, call_sid))
        if kind == "accept":
            center.carrier.answer(call_sid)
        elif kind == "reject":
            center.carrier.decline(call_sid)

    context.expose_function("twilioEdge", twilio_edge)
    console = sign_in(context, center, center.agents[name][1], "/console")
    expect(console.locator("#connection")).to_have_text("connected")
    console.get_by_label("Take calls on").select_option("browser")
    expect(console.locator("#phone-status")).to_have_text("Browser phone ready")
    return context, console, edge


def ring_browser(center, console, name: str) -> str:
    """Wait for the carrier to ring `client:agent-<id>` and deliver it to the page's Device."""
    address = f"client:agent-{center.agents[name][0]}"

    def rung() -> list[str]:
        with center.carrier.lock:
            return [c.sid for c in center.carrier.calls.values() if c.to == address]

    until(console, rung, f"the carrier rings {address}")
    sid = rung()[0]
    console.evaluate("([sid, to]) => window.__twilioEdge.device.ring(sid, to)", [sid, address])
    return sid


def until(page, predicate, what: str) -> None:
    """Wait for state outside the page (the carrier, the stand-in's calls into Python). The
    page's calls into Python (`twilioEdge`) are only served while Playwright waits, so the
    pause is Playwright's own, never time.sleep."""
    wait_until(predicate, message=what, pause=lambda seconds: page.wait_for_timeout(seconds * 1000))


def jwt_claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_browser_agent_answers_on_accept_sees_the_call_and_mutes(center, browser):
    context, console, edge = browser_phone_console(center, browser, "ann")
    tokens = console.evaluate("window.__twilioEdge.tokens")
    assert console.evaluate("window.__twilioEdge.registrations") == 1
    grants = jwt_claims(tokens[0])["grants"]
    assert grants["identity"] == f"agent-{center.agents['ann'][0]}"
    assert grants["voice"]["incoming"] == {"allow": True}
    go_available(console)

    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    leg_sid = ring_browser(center, console, "ann")
    offer = console.get_by_role("dialog", name="Incoming offer")
    expect(offer.locator(".browser-call")).to_have_text("Ringing in this browser")
    offer.get_by_role("button", name="Accept (A)").click()

    task = console.locator(f'.task[data-task="{call_sid}"]')
    expect(task.locator(".task-state")).to_have_text("assigned")
    expect(task.locator(".call-state")).to_have_text("In this browser: connected")
    until(console, lambda: center.carrier.bridged(conference_name(call_sid)), "the call is bridged")
    assert ("accept", leg_sid) in edge
    agent_call = center.carrier.calls[leg_sid]
    assert not any("Press 1" in said for said in agent_call.heard)  # no whisper in the browser

    task.get_by_role("button", name="Mute", exact=True).click()
    expect(task.get_by_role("button", name="Unmute")).to_be_visible()
    expect(task.locator(".call-state")).to_have_text("In this browser: connected (muted)")
    task.get_by_role("button", name="Unmute").click()
    expect(task.get_by_role("button", name="Mute", exact=True)).to_be_visible()
    until(console, lambda: ("unmute", leg_sid) in edge, "the call is unmuted")
    assert [e for e in edge if e[0] in ("mute", "unmute")] == [
        ("mute", leg_sid),
        ("unmute", leg_sid),
    ]
    assert not [r for r in center.carrier.requests if r[0] == "mute"]  # not the conference's
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console.screenshot(path=str(ARTIFACTS / "console-browser-phone.png"), full_page=True)

    task.get_by_role("button", name="Hang up").click()
    expect(task.locator(".task-state")).to_have_text("wrapping")
    task.get_by_role("button", name="Finish wrap-up").click()
    expect(console.locator(".task")).to_have_count(0)
    context.close()


def test_browser_agent_rejects_and_the_ringing_call_is_declined(center, browser):
    context, console, edge = browser_phone_console(center, browser, "ann")
    go_available(console)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    leg_sid = ring_browser(center, console, "ann")
    offer = console.get_by_role("dialog", name="Incoming offer")
    expect(offer.locator(".browser-call")).to_have_text("Ringing in this browser")
    offer.get_by_role("button", name="Reject (R)").click()

    expect(console.get_by_role("dialog", name="Incoming offer")).to_have_count(0)
    until(console, lambda: ("reject", leg_sid) in edge, "the ringing call is rejected")
    assert center.task(call_sid).agent_id is None  # the caller keeps their place in line
    context.close()

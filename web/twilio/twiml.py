"""The TwiML documents Crowdline answers with (built with twilio.twiml, never by hand)."""

from __future__ import annotations

from twilio.twiml.voice_response import Dial, VoiceResponse

from channels.expected_wait import Wait, spoken
from channels.links import Links, conference_name
from channels.models import EntryPoint

VOICE = "Polly.Joanna"
GATHER_SECONDS = 6
VOICEMAIL_SECONDS = 120


def goodbye(message: str) -> VoiceResponse:
    response = VoiceResponse()
    response.say(message, voice=VOICE)
    response.hangup()
    return response


def menu(entry: EntryPoint, links: Links, *, retry: bool = False) -> VoiceResponse:
    """Greeting and the IVR options; no key within GATHER_SECONDS → the default queue."""
    response = VoiceResponse()
    gather = response.gather(
        num_digits=1, action=links.menu(), method="POST", timeout=GATHER_SECONDS
    )
    if retry:
        gather.say("Sorry, that is not an option.", voice=VOICE)
    elif entry.greeting:
        gather.say(entry.greeting, voice=VOICE)
    for option in entry.menu:
        gather.say(f"For {option['label']}, press {option['digit']}.", voice=VOICE)
    response.redirect(links.menu(), method="POST")
    return response


def hold_in_conference(task_id: str, links: Links, *, recorded: bool = False,
                       consent: str | None = None) -> VoiceResponse:  # fmt: skip
    """The caller waits in the task's conference, hearing the hold URL until an agent joins;
    the conference ends when the caller leaves. `recorded`: Twilio records the conference from
    its start (the agent joining) and reports the recording to links.call_recording; `consent`
    is said first (once per call, not again after a transfer)."""
    response = VoiceResponse()
    if consent:
        response.say(consent, voice=VOICE)
    dial = Dial()
    record = {"record": "record-from-start", "recording_status_callback_event": "completed",
              "recording_status_callback": links.call_recording(task_id),
              "recording_status_callback_method": "POST"} if recorded else {}  # fmt: skip
    dial.conference(
        conference_name(task_id),
        start_conference_on_enter=False,
        end_conference_on_exit=True,
        wait_url=links.hold(task_id),
        wait_method="POST",
        beep=False,
        **record,
    )
    response.append(dial)
    response.say("Thank you for calling. Goodbye.", voice=VOICE)
    response.hangup()
    return response


def hold_music(wait: Wait | None, music_url: str | None) -> VoiceResponse:
    """Place in line and expected wait (when known), then music or a pause."""
    response = VoiceResponse()
    if wait is not None:
        place = "next" if wait.position == 1 else f"number {wait.position}"
        said = f"Please hold. You are {place} in line."
        if wait.expected_seconds is not None:
            said += f" Your expected wait is {spoken(wait.expected_seconds)}."
        response.say(said, voice=VOICE)
    else:
        response.say("Please hold; an agent will be with you shortly.", voice=VOICE)
    if music_url:
        response.play(music_url)
    else:
        response.pause(length=20)
    return response


def whisper(program: str, choice: str, action: str) -> VoiceResponse:
    """What the agent hears on answering: program, the caller's choice, press 1 to accept."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=action, method="POST", timeout=GATHER_SECONDS)
    about = f" about {choice}" if choice else ""
    gather.say(f"Crowdline call for {program}{about}. Press 1 to accept.", voice=VOICE)
    response.say("No answer received. Goodbye.", voice=VOICE)
    response.hangup()
    return response


def agent_joins(task_id: str) -> VoiceResponse:
    """The accepting agent enters the caller's conference; their leaving does not end it (the
    status callback wraps up, and a transfer keeps the caller)."""
    response = VoiceResponse()
    dial = Dial()
    dial.conference(
        conference_name(task_id),
        start_conference_on_enter=True,
        end_conference_on_exit=False,
        beep=False,
    )
    response.append(dial)
    response.hangup()
    return response


def voicemail(
    task_id: str, links: Links, *, why: str = "All our agents are busy."
) -> VoiceResponse:
    response = VoiceResponse()
    response.say(
        f"{why} Please leave a message after the tone, and press pound when you are done.",
        voice=VOICE,
    )
    response.record(
        action=links.recording(task_id), method="POST", max_length=VOICEMAIL_SECONDS,
        finish_on_key="#", play_beep=True,
    )  # fmt: skip
    response.say("We did not get a message. Goodbye.", voice=VOICE)
    response.hangup()
    return response


def survey(action: str, *, retry: bool = False) -> VoiceResponse:
    """The CSAT question after the agent left: one key 1–5; no key → thanks and goodbye."""
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=action, method="POST", timeout=GATHER_SECONDS)
    if retry:
        gather.say("Sorry, please press a key from 1 to 5.", voice=VOICE)
    else:
        gather.say(
            "Before you go: how satisfied were you with this call? Press 1 for very "
            "dissatisfied, up to 5 for very satisfied.",
            voice=VOICE,
        )
    response.say("Thank you for calling. Goodbye.", voice=VOICE)
    response.hangup()
    return response

"""Schemas of the channels API: entry points (numbers, widgets), voice, transcripts."""

from __future__ import annotations

from typing import Literal

import phonenumbers
from pydantic import BaseModel, Field, StrictBool, field_validator
from pydantic_core import PydanticCustomError

from web.api.schemas import Strict, text


class MenuOption(Strict):
    digit: str = Field(pattern=r"^[0-9]$")
    label: str = Field(min_length=1, max_length=120)
    queue_id: str = Field(min_length=1, max_length=64)
    language: str | None = Field(default=None, max_length=8)


class EntryPointIn(Strict):
    address: str = Field(description="E.164 number (+15550001000) or web:<slug> for the widget")
    program: str = Field(description="the client program's code")
    queue_id: str = Field(description="queue when there is no menu or no key is pressed")
    greeting: str = Field(default="", max_length=500)
    language: str | None = Field(default=None, max_length=8)
    menu: list[MenuOption] = Field(default_factory=list, max_length=10)
    announce_position: StrictBool = True
    is_active: StrictBool = True


class EntryPointOut(BaseModel):
    id: int
    address: str
    program: str
    queue_id: str
    greeting: str
    language: str | None
    menu: list[dict]
    announce_position: bool
    is_active: bool


class EntryPointList(BaseModel):
    items: list[EntryPointOut]


class VoiceTokenOut(BaseModel):
    token: str = Field(description="Twilio access token for the Voice JS SDK")
    identity: str
    ttl: int = Field(description="seconds the token is valid")


class VoiceEndpointIn(Strict):
    kind: Literal["phone", "browser"]


class VoiceEndpointOut(BaseModel):
    kind: str


class TranscriptQuery(Strict):
    task_id: str = Field(min_length=1, max_length=64)


class MessageOut(BaseModel):
    id: int
    task_id: str
    author_kind: str
    author: str
    body: str
    at: str


class TranscriptOut(BaseModel):
    task_id: str
    channel: str
    customer: str
    outcome: str | None = Field(description="answered once an agent joined; final when ended")
    ended: bool = Field(description="false while the contact is live (waiting or being served)")
    agent_id: str | None
    recording_url: str | None
    messages: list[MessageOut]


class CoachIn(Strict):
    task_id: str = Field(min_length=1, max_length=64)
    mode: Literal["monitor", "whisper", "barge"]
    phone: str = Field(max_length=40, description="the supervisor's phone, E.164")

    @field_validator("phone")
    @classmethod
    def _e164(cls, value: str) -> str:
        """A possible number in international form (as entry points: fictional 555 numbers
        pass), returned in E.164 (+15551234567); anything else is refused before dialling."""
        try:
            number = phonenumbers.parse(value.strip(), None)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_possible_number(number):
            raise PydanticCustomError(
                "phone", "phone must be a number in E.164 form, e.g. +15551234567"
            ) from None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class CoachOut(BaseModel):
    call_sid: str


class DispositionCodeIn(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$", description="e.g. resolved")
    label: text(80, required=False) = Field(
        default="", description="shown to agents (default: code)"
    )
    conversion: bool = Field(default=False, description="counts as a conversion in ROI")


class DispositionsIn(Strict):
    codes: list[DispositionCodeIn] = Field(
        max_length=50, description="in display order; [] returns the queue to the default list"
    )


class DispositionCodeOut(BaseModel):
    code: str
    label: str
    conversion: bool = Field(description="counts as a conversion in ROI")


class DispositionsOut(BaseModel):
    queue_id: str
    default: bool = Field(description="true when the queue uses the default list")
    codes: list[DispositionCodeOut]

"""Channel tables: entry points (numbers and widgets), contacts, call legs, transcripts and
webhook receipts. Twilio's ids (CallSid, MessageSid, ConversationSid, RecordingSid) carry unique
constraints: they are the idempotency keys of the webhooks."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agents.models import Program
from database.base import Base, UTCDateTime, utcnow


class ContactChannel(enum.StrEnum):
    VOICE = "voice"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    WEB = "web"

    @property
    def routing_channel(self) -> str:
        """The engine's channel (capacity is counted per routing channel)."""
        return {"voice": "voice", "sms": "sms"}.get(self.value, "chat")


class Outcome(enum.StrEnum):
    """How a contact ended; every contact gets one (DESIGN: never lost)."""

    ANSWERED = "answered"
    ABANDONED = "abandoned"
    VOICEMAIL = "voicemail"
    CALLBACK = "callback"
    NO_AGENT = "no_agent"
    CANCELED = "canceled"


class EntryPoint(Base):
    """Where contacts come in: a phone number (E.164, voice and SMS/WhatsApp) or a web widget
    (`web:<slug>`), for one client program, with an optional IVR menu choosing the queue.

    menu: [{"digit": "1", "label": "Claims in English", "queue_id": "claims", "language": "en"}].
    """

    __tablename__ = "channel_entry_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64), unique=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="RESTRICT"))
    queue_id: Mapped[str] = mapped_column(String(64))
    greeting: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(8))
    menu: Mapped[list] = mapped_column(JSON, default=list)
    announce_position: Mapped[bool] = mapped_column(default=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    program: Mapped[Program] = relationship(lazy="joined")

    def option(self, digit: str | None) -> dict | None:
        return next((o for o in self.menu or [] if str(o.get("digit")) == digit), None)


class Contact(Base):
    """One customer contact = one routing task (task_id: the CallSid, the ConversationSid, or
    `WC…` for the web widget)."""

    __tablename__ = "channel_contacts"

    task_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    entry_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("channel_entry_points.id", ondelete="SET NULL"), index=True
    )
    customer: Mapped[str] = mapped_column(String(120), default="")
    conversation_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    queue_id: Mapped[str | None] = mapped_column(String(64))
    choice: Mapped[str] = mapped_column(String(120), default="")
    language: Mapped[str | None] = mapped_column(String(8))
    enqueued: Mapped[bool] = mapped_column(default=False)
    agent_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(20))
    disposition: Mapped[str | None] = mapped_column(String(40))  # the agent's wrap-up code
    recording_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    recording_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    customer_left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    entry_point: Mapped[EntryPoint | None] = relationship(lazy="joined")


class CallLeg(Base):
    """One call of a contact: the caller's, an agent's offer call, a callback, a supervisor's."""

    __tablename__ = "channel_call_legs"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    task_id: Mapped[str] = mapped_column(
        ForeignKey("channel_contacts.task_id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))  # caller | agent | callback | supervisor
    agent_id: Mapped[str | None] = mapped_column(String(64))
    reservation_id: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    accepted: Mapped[bool] = mapped_column(default=False)
    #: The caller's leg held by the agent (music), an agent's leg muted: what the console shows.
    on_hold: Mapped[bool] = mapped_column(default=False, server_default=false())
    muted: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TranscriptMessage(Base):
    """One chat message. task_id is not a foreign key on purpose: a Conversations message may
    arrive before its conversation (callbacks come out of order) and is kept all the same."""

    __tablename__ = "channel_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64), index=True)
    message_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    author_kind: Mapped[str] = mapped_column(String(16))  # customer | agent | system
    author: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookReceipt(Base):
    """An effect that must happen once (a status callback, a wrap-up): its key is stored in the
    same transaction as the effect, so a replay finds it and does nothing."""

    __tablename__ = "channel_receipts"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgentVoiceEndpoint(Base):
    """Where an agent takes calls: `phone` (home phone from the roster) or `browser`."""

    __tablename__ = "channel_agent_endpoints"

    agent_id: Mapped[int] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), default="phone")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DispositionCode(Base):
    """A wrap-up code of one routing queue, in display order. A queue with none uses the
    default list (channels.dispositions.DEFAULT_CODES), so nothing needs seeding."""

    __tablename__ = "channel_disposition_codes"
    __table_args__ = (UniqueConstraint("queue_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[str] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(80), default="")
    position: Mapped[int] = mapped_column(default=0)
    # A contact wrapped up with this code counts as a conversion in the program's ROI.
    is_conversion: Mapped[bool] = mapped_column(default=False, server_default=false())


class CannedResponse(Base):
    """A ready-made chat reply of one client program, inserted by agents from the console
    (`/shortcut` then Tab, or the search list); supervisors manage them."""

    __tablename__ = "channel_canned_responses"
    __table_args__ = (UniqueConstraint("program_id", "shortcut"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    shortcut: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

"""Community tables: members (their own accounts, apart from staff and agents), posts
(questions, answers, comments in one table), votes, and each program's community settings.

The full-text index is dialect-specific and lives only in the migration: an FTS5 table kept
by triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Enum, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database.base import Base, UTCDateTime, utcnow


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, create_constraint=True, length=20,
                values_callable=lambda members: [m.value for m in members])  # fmt: skip


class PostKind(enum.StrEnum):
    QUESTION = "question"
    ANSWER = "answer"
    COMMENT = "comment"


class PostStatus(enum.StrEnum):
    """visible to all; held until a moderator releases it; hidden by a moderator."""

    VISIBLE = "visible"
    HELD = "held"
    HIDDEN = "hidden"


class CommunitySettings(Base):
    """One program's community; a program without a row has the defaults."""

    __tablename__ = "community_settings"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    # Anonymous visitors may read a public community; a private one needs a signed-in member.
    is_public: Mapped[bool] = mapped_column(default=True)
    # Minutes a question may stay unanswered before it is escalated to a paid agent.
    escalate_after_minutes: Mapped[int] = mapped_column(Integer, default=120)
    # The routing queue escalated questions go to; None: the program's first queue by id.
    escalation_queue_id: Mapped[str | None] = mapped_column(String(64))
    # Hold a member's posts for review until a moderator has released one of them.
    hold_first_posts: Mapped[bool] = mapped_column(default=False)
    # Cost of one agent contact, for the cost avoided by deflection when the ROI report of the
    # period has none (no contact answered); None: unknown.
    cost_per_contact: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    # The queue whose web chats opted-in super users may take, unpaid, before certified agents
    # (dispatcher.core.volunteers); None: no volunteers (the default).
    volunteer_queue_id: Mapped[str | None] = mapped_column(String(64))


class Member(Base):
    """A community member: a customer's account, never a roster user."""

    __tablename__ = "community_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Staff-invited (or, later, earned) super users may mark official answers and moderate.
    is_super_user: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # sha256 of the emailed verification token; cleared once used.
    verify_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # Bumped on sign-out everywhere: older session cookies no longer sign this member in.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Volunteer(Base):
    """A super user who opted in to the volunteer queue of a program's community."""

    __tablename__ = "community_volunteers"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("community_members.id", ondelete="CASCADE"), primary_key=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Post(Base):
    """A question (has a title), an answer (parent = the question) or a comment (parent =
    the question or answer commented on). `thread_id` is the question every post belongs to.
    The author is a member or a roster user (staff, or a paid agent answering an escalation)."""

    __tablename__ = "community_posts"
    __table_args__ = (
        Index("ix_community_posts_program_id_kind_created_at", "program_id", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    kind: Mapped[PostKind] = mapped_column(_enum(PostKind, "community_post_kind"))
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_posts.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_posts.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_members.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[PostStatus] = mapped_column(
        _enum(PostStatus, "community_post_status"), default=PostStatus.VISIBLE
    )
    score: Mapped[int] = mapped_column(Integer, default=0)
    # Questions: the accepted answer. Answers: marked official by staff or a super user.
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_posts.id", ondelete="SET NULL")
    )
    is_official: Mapped[bool] = mapped_column(default=False)
    is_urgent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Questions: when the first visible answer arrived (time to first answer).
    first_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Questions: when it became a routed `community` task for a paid agent (once).
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[Member | None] = relationship(lazy="joined")
    user = relationship("User", lazy="joined")

    @property
    def author_name(self) -> str:
        if self.member is not None:
            return self.member.display_name
        if self.user is not None:
            return self.user.display_name
        return "deleted member"

    @property
    def author_kind(self) -> str:
        """member, super user, staff or agent: who answered, for the thread and the stats."""
        if self.member is not None:
            return "super user" if self.member.is_super_user else "member"
        if self.user is not None:
            return "agent" if self.user.role.value == "agent" else "staff"
        return "member"


class Vote(Base):
    """A member's helpful (+1) or unhelpful (-1) vote on an answer or question; one each."""

    __tablename__ = "community_votes"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("community_posts.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("community_members.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FlagReason(enum.StrEnum):
    SPAM = "spam"
    ABUSE = "abuse"
    WRONG = "wrong"


class FlagStatus(enum.StrEnum):
    """open until a moderator reviews it: upheld (the post is hidden) or dismissed."""

    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class Flag(Base):
    """A reader's report that a post is spam, abusive or wrong; one open flag per flagger."""

    __tablename__ = "community_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("community_posts.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_members.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[FlagReason] = mapped_column(_enum(FlagReason, "community_flag_reason"))
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[FlagStatus] = mapped_column(
        _enum(FlagStatus, "community_flag_status"), default=FlagStatus.OPEN, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeflectionOutcome(enum.StrEnum):
    """solved: a suggested article or answered question was enough; need_help: the customer
    went on to chat or post anyway."""

    SOLVED = "solved"
    NEED_HELP = "need_help"


class Deflection(Base):
    """One customer's verdict on the suggestions shown before a chat (`chat`) or a question
    (`ask`): the deflection rate of a program is solved / all verdicts."""

    __tablename__ = "community_deflections"
    __table_args__ = (Index("ix_community_deflections_program_id_created_at", "program_id",
                            "created_at"),)  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(10))
    query: Mapped[str] = mapped_column(String(200), default="")
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_posts.id", ondelete="SET NULL")
    )
    outcome: Mapped[DeflectionOutcome] = mapped_column(
        _enum(DeflectionOutcome, "community_deflection_outcome")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModerationAction(enum.StrEnum):
    """hide: the post leaves the community (its open flags are upheld); restore: it is
    visible again, or released from review (its open flags are dismissed)."""

    HIDE = "hide"
    RESTORE = "restore"


class ModerationEntry(Base):
    """The moderation audit log: who hid or restored which post, when and why (append-only)."""

    __tablename__ = "community_moderation_log"
    __table_args__ = (Index("ix_community_moderation_log_program_id_created_at", "program_id",
                            "created_at"),)  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(
        ForeignKey("community_posts.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[ModerationAction] = mapped_column(
        _enum(ModerationAction, "community_moderation_action")
    )
    reason: Mapped[str] = mapped_column(String(500))
    # The moderator: a super user (member) or a staff user.
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_members.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[Member | None] = relationship(lazy="joined")
    user = relationship("User", lazy="joined")

    @property
    def moderator(self) -> str:
        who = self.member or self.user
        return who.display_name if who is not None else "deleted moderator"

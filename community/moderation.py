"""Moderation: the review queue (posts with open flags, and posts held for review), hiding and
restoring a post with a reason, the audit log, and the review figures (backlog, median time
from flag to review)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from agents.validation import validate_text
from community.errors import Forbidden, InvalidValue
from community.models import (
    Flag,
    FlagStatus,
    Member,
    ModerationAction,
    ModerationEntry,
    Post,
    PostKind,
    PostStatus,
)
from community.posts import Author, can_moderate
from database.clock import SYSTEM, Clock, utcnow

MIN_REASON = 3
MAX_REASON = 500
QUEUE_LIMIT = 100


@dataclass
class ReviewItem:
    """A post waiting for a moderator: held, flagged, or both; `waiting_since` is its oldest
    open flag or, when held, its creation."""

    post: Post
    flags: list[Flag] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.post.status is PostStatus.HELD

    @property
    def waiting_since(self) -> datetime:
        moments = [f.created_at for f in self.flags] + ([self.post.created_at] if self.held else [])
        return min(moments)


def review_queue(*, session: Session, program_id: int,
                 limit: int = QUEUE_LIMIT) -> list[ReviewItem]:  # fmt: skip
    """Held posts and posts with open flags of the program, longest waiting first."""
    flagged = select(Flag.post_id).where(Flag.status == FlagStatus.OPEN)
    found = session.scalars(
        select(Post).where(
            Post.program_id == program_id,
            or_(Post.status == PostStatus.HELD, Post.id.in_(flagged)),
        ).order_by(Post.created_at, Post.id).limit(limit * 2)
    ).all()  # fmt: skip
    items = {post.id: ReviewItem(post) for post in found}
    for flag in session.scalars(
        select(Flag).where(Flag.status == FlagStatus.OPEN, Flag.post_id.in_(list(items)))
        .order_by(Flag.created_at)
    ):  # fmt: skip
        items[flag.post_id].flags.append(flag)
    ordered = sorted(items.values(), key=lambda item: (item.waiting_since, item.post.id))
    return ordered[:limit]


def parse_action(raw: str) -> ModerationAction:
    try:
        return ModerationAction(str(raw or "").strip().lower())
    except ValueError:
        choices = ", ".join(action.value for action in ModerationAction)
        raise InvalidValue(f"action must be one of: {choices}", field="action") from None


def _clean_reason(reason: str) -> str:
    text = validate_text(reason or "", field="reason", max_length=MAX_REASON, required=False)
    if len(text) < MIN_REASON:
        raise InvalidValue(f"reason must be at least {MIN_REASON} characters", field="reason")
    return text


def moderate(*, session: Session, post: Post, actor: Author, action: str, reason: str,
             clock: Clock = SYSTEM) -> ModerationEntry:  # fmt: skip
    """Hide or restore `post` (a held post is released by restoring it), review its open flags
    (upheld when hidden, dismissed when restored) and write the audit log entry."""
    if not can_moderate(actor):
        raise Forbidden("only staff and super users moderate", field="post_id")
    kind, text, now = parse_action(action), _clean_reason(reason), utcnow(clock)
    if kind is ModerationAction.HIDE:
        post.status = PostStatus.HIDDEN
    else:
        post.status = PostStatus.VISIBLE
        _answered(session, post, now)
    verdict = FlagStatus.UPHELD if kind is ModerationAction.HIDE else FlagStatus.DISMISSED
    for flag in session.scalars(
        select(Flag).where(Flag.post_id == post.id, Flag.status == FlagStatus.OPEN)
    ):  # fmt: skip
        flag.status, flag.reviewed_at = verdict, now
    who = {"member_id": actor.id} if isinstance(actor, Member) else {"user_id": actor.id}
    entry = ModerationEntry(program_id=post.program_id, post_id=post.id, action=kind, reason=text,
                            created_at=now, **who)  # fmt: skip
    session.add(entry)
    session.flush()
    return entry


def _answered(session: Session, post: Post, now: datetime) -> None:
    """A released answer is the question's first answer if none was visible before."""
    if post.kind is not PostKind.ANSWER or post.thread_id is None:
        return
    question = session.get(Post, post.thread_id)
    if question is not None and question.first_answered_at is None:
        question.first_answered_at = now


def audit_log(*, session: Session, program_id: int, limit: int = 50) -> list[ModerationEntry]:
    """The program's moderation decisions, newest first."""
    return list(session.scalars(
        select(ModerationEntry).where(ModerationEntry.program_id == program_id)
        .order_by(ModerationEntry.created_at.desc(), ModerationEntry.id.desc()).limit(limit)
    ))  # fmt: skip


@dataclass(frozen=True)
class ReviewFigures:
    """backlog: posts waiting (held, or with an open flag); median_review_seconds: median of
    reviewed_at - created_at over the flags reviewed in the period (None: none reviewed)."""

    backlog: int
    flags_reviewed: int
    median_review_seconds: float | None


def review_figures(*, session: Session, program_id: int, since: datetime | None = None,
                   until: datetime | None = None) -> ReviewFigures:  # fmt: skip
    held = session.scalar(select(func.count(Post.id)).where(
        Post.program_id == program_id, Post.status == PostStatus.HELD)) or 0  # fmt: skip
    flagged = session.scalar(
        select(func.count(func.distinct(Flag.post_id))).join(Post, Post.id == Flag.post_id)
        .where(Post.program_id == program_id, Flag.status == FlagStatus.OPEN,
               Post.status != PostStatus.HELD)
    ) or 0  # fmt: skip
    query = (select(Flag.created_at, Flag.reviewed_at).join(Post, Post.id == Flag.post_id)
             .where(Post.program_id == program_id, Flag.reviewed_at.is_not(None)))  # fmt: skip
    if since is not None:
        query = query.where(Flag.reviewed_at >= since)
    if until is not None:
        query = query.where(Flag.reviewed_at < until)
    waits = [(reviewed - created).total_seconds() for created, reviewed in session.execute(query)]
    median = statistics.median(waits) if waits else None
    return ReviewFigures(backlog=held + flagged, flags_reviewed=len(waits),
                         median_review_seconds=median)  # fmt: skip

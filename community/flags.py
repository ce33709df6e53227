"""Flags on posts (spam, abuse, wrong): readers raise them, moderators review them later."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.validation import validate_text
from community.errors import Duplicate, InvalidValue
from community.models import Flag, FlagReason, FlagStatus, Member, Post
from community.posts import Author, check_author
from database.clock import SYSTEM, Clock, utcnow


def parse_reason(raw: str) -> FlagReason:
    try:
        return FlagReason(str(raw).strip().lower())
    except ValueError:
        choices = ", ".join(reason.value for reason in FlagReason)
        raise InvalidValue(f"reason must be one of: {choices}", field="reason") from None


def flag(*, session: Session, post: Post, author: Author, reason: str, note: str = "",
         clock: Clock = SYSTEM) -> Flag:  # fmt: skip
    """Record a flag; the same flagger cannot hold two open flags on one post."""
    fields = check_author(author)
    kind = parse_reason(reason)
    note = validate_text(note or "", field="note", max_length=500, required=False)
    who = Flag.member_id == author.id if isinstance(author, Member) else Flag.user_id == author.id
    open_flag = session.scalar(
        select(Flag.id).where(Flag.post_id == post.id, Flag.status == FlagStatus.OPEN, who)
    )
    if open_flag is not None:
        raise Duplicate("you already flagged this post; a moderator will review it",
                        field="post_id")  # fmt: skip
    ids = {"member_id": author.id} if "member" in fields else {"user_id": author.id}
    made = Flag(post_id=post.id, reason=kind, note=note, created_at=utcnow(clock), **ids)
    session.add(made)
    session.flush()
    return made

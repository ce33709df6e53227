"""A program's community analytics for a period [since, until): the participation pyramid,
questions answered and how fast, who answered (the crowd, staff, paid agents), moderation,
deflection and the cost it avoided.

- pyramid: members are community-wide accounts; super users = verified active super users,
  contributors = other verified active members who posted in the program in the period,
  readers = the remaining verified active members (the 90-9-1 chart; shares of all three).
- questions: asked in the period and not hidden; answer_rate = answered / asked;
  median_first_answer_seconds over the answered ones (first visible answer - asked).
- answered_by: visible answers posted in the period by members, super users (together the
  crowd), staff (supervisors, admins) and paid agents; shares of all answers.
- cost_avoided = solved deflections × cost per contact (given by the caller)."""

from __future__ import annotations

import statistics
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agents.models import Role, User
from community import deflection, moderation
from community.models import Member, Post, PostKind, PostStatus


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def pyramid(*, session: Session, program_id: int, since: datetime, until: datetime) -> dict:
    active = (Member.is_active.is_(True), Member.verified_at.is_not(None))
    super_users = session.scalar(select(func.count(Member.id)).where(
        *active, Member.is_super_user.is_(True))) or 0  # fmt: skip
    members = session.scalar(select(func.count(Member.id)).where(*active)) or 0
    contributors = session.scalar(
        select(func.count(func.distinct(Post.member_id))).join(Member, Member.id == Post.member_id)
        .where(*active, Member.is_super_user.is_(False), Post.program_id == program_id,
               Post.created_at >= since, Post.created_at < until,
               Post.status != PostStatus.HIDDEN)
    ) or 0  # fmt: skip
    readers = members - super_users - contributors
    return {"readers": readers, "contributors": contributors, "super_users": super_users,
            "reader_share": _share(readers, members),
            "contributor_share": _share(contributors, members),
            "super_user_share": _share(super_users, members)}  # fmt: skip


def questions(*, session: Session, program_id: int, since: datetime, until: datetime) -> dict:
    rows = session.execute(
        select(Post.created_at, Post.first_answered_at, Post.escalated_at,
               Post.accepted_answer_id)
        .where(Post.program_id == program_id, Post.kind == PostKind.QUESTION,
               Post.status != PostStatus.HIDDEN, Post.created_at >= since,
               Post.created_at < until)
    ).all()  # fmt: skip
    waits = [(r.first_answered_at - r.created_at).total_seconds() for r in rows
             if r.first_answered_at is not None]  # fmt: skip
    return {"asked": len(rows), "answered": len(waits),
            "answer_rate": _share(len(waits), len(rows)),
            "median_first_answer_seconds": statistics.median(waits) if waits else None,
            "accepted": sum(1 for r in rows if r.accepted_answer_id is not None),
            "escalated": sum(1 for r in rows if r.escalated_at is not None)}  # fmt: skip


def answered_by(*, session: Session, program_id: int, since: datetime, until: datetime) -> dict:
    rows = session.execute(
        select(Member.is_super_user, User.role, func.count(Post.id))
        .select_from(Post)
        .outerjoin(Member, Member.id == Post.member_id)
        .outerjoin(User, User.id == Post.user_id)
        .where(Post.program_id == program_id, Post.kind == PostKind.ANSWER,
               Post.status == PostStatus.VISIBLE, Post.created_at >= since,
               Post.created_at < until)
        .group_by(Member.is_super_user, User.role)
    ).all()  # fmt: skip
    counts = {"members": 0, "super_users": 0, "staff": 0, "agents": 0}
    for is_super, role, n in rows:
        if role is not None:
            counts["agents" if role is Role.AGENT else "staff"] += n
        else:
            counts["super_users" if is_super else "members"] += n
    total = sum(counts.values())
    crowd = counts["members"] + counts["super_users"]
    return {**counts, "total": total, "crowd_share": _share(crowd, total),
            "staff_share": _share(counts["staff"], total),
            "agent_share": _share(counts["agents"], total)}  # fmt: skip


def cents(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def program_stats(*, session: Session, program_id: int, since: datetime, until: datetime,
                  cost_per_contact: Decimal | None) -> dict:  # fmt: skip
    """Every figure of the period; `cost_per_contact` None: cost avoided unknown (null)."""
    period = {"session": session, "program_id": program_id, "since": since, "until": until}
    verdicts = deflection.counts(session=session, since=since, until=until).get(
        program_id, deflection.DeflectionCounts(0, 0))
    review = moderation.review_figures(**period)
    avoided = None if cost_per_contact is None else cents(verdicts.solved * cost_per_contact)
    return {
        "pyramid": pyramid(**period),
        "questions": questions(**period),
        "answered_by": answered_by(**period),
        "moderation": {"backlog": review.backlog, "flags_reviewed": review.flags_reviewed,
                       "median_review_seconds": review.median_review_seconds},
        "deflection": {"solved": verdicts.solved, "need_help": verdicts.need_help,
                       "rate": verdicts.rate},
        "cost_per_contact": None if cost_per_contact is None else cents(cost_per_contact),
        "cost_avoided": avoided,
    }  # fmt: skip

"""Reputation: points from what the community judged useful, and the rank they give.

points = 15 × accepted answers + 2 × helpful (+1) votes received − 1 × unhelpful (−1) votes
received + 3 × the member's flags moderators upheld − 3 × their flags dismissed, counted over
visible posts only, never below 0. Ranks by points: newcomer 0, regular 10, helper 50,
expert 200. Super-user candidates: the top 1% of members by points (at least one member),
among those with 50 points or more; staff invite them (`is_super_user`)."""

from __future__ import annotations

import math
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from community.models import Flag, FlagStatus, Member, Post, PostStatus, Vote

ACCEPTED, HELPFUL, UNHELPFUL, UPHELD, DISMISSED = 15, 2, -1, 3, -3
RANKS = (("expert", 200), ("helper", 50), ("regular", 10), ("newcomer", 0))
CANDIDATE_FLOOR = 50
TOP_SHARE = 0.01


def rank_for(points: int) -> str:
    return next(name for name, floor in RANKS if points >= floor)


def points(*, session: Session, member_ids: list[int] | None = None) -> dict[int, int]:
    """member id → points (members with none are left out)."""
    totals: dict[int, int] = defaultdict(int)
    question = aliased(Post)
    accepted = (select(Post.member_id, func.count(Post.id))
                .join(question, question.accepted_answer_id == Post.id)
                .where(Post.status == PostStatus.VISIBLE, Post.member_id.is_not(None))
                .group_by(Post.member_id))  # fmt: skip
    votes = (select(Post.member_id, Vote.value, func.count())
             .join(Post, Post.id == Vote.post_id)
             .where(Post.status == PostStatus.VISIBLE, Post.member_id.is_not(None))
             .group_by(Post.member_id, Vote.value))  # fmt: skip
    reviewed = (select(Flag.member_id, Flag.status, func.count(Flag.id))
                .where(Flag.member_id.is_not(None),
                       Flag.status.in_((FlagStatus.UPHELD, FlagStatus.DISMISSED)))
                .group_by(Flag.member_id, Flag.status))  # fmt: skip
    if member_ids is not None:
        accepted = accepted.where(Post.member_id.in_(member_ids))
        votes = votes.where(Post.member_id.in_(member_ids))
        reviewed = reviewed.where(Flag.member_id.in_(member_ids))
    for member_id, n in session.execute(accepted):
        totals[member_id] += ACCEPTED * n
    for member_id, value, n in session.execute(votes):
        totals[member_id] += (HELPFUL if value > 0 else UNHELPFUL) * n
    for member_id, status, n in session.execute(reviewed):
        totals[member_id] += (UPHELD if status is FlagStatus.UPHELD else DISMISSED) * n
    return {member_id: max(0, total) for member_id, total in totals.items()}


def ranks(*, session: Session, member_ids: list[int]) -> dict[int, str]:
    """member id → rank, for every id given (no points: newcomer)."""
    found = points(session=session, member_ids=member_ids) if member_ids else {}
    return {member_id: rank_for(found.get(member_id, 0)) for member_id in member_ids}


def super_user_candidates(*, session: Session) -> list[tuple[int, int]]:
    """(member id, points) of the top 1% of active members by points, best first, among
    those with CANDIDATE_FLOOR points or more and not super users yet."""
    active = session.scalar(select(func.count(Member.id)).where(Member.is_active.is_(True))) or 0
    seats = max(1, math.floor(active * TOP_SHARE))
    supers = set(session.scalars(select(Member.id).where(Member.is_super_user.is_(True))))
    ranked = sorted(((p, m) for m, p in points(session=session).items()
                     if p >= CANDIDATE_FLOOR and m not in supers), reverse=True)  # fmt: skip
    return [(member_id, p) for p, member_id in ranked[:seats]]

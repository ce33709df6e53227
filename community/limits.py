"""Posting rules by the member's standing: a new member (fewer than NEW_MEMBER_POSTS visible
posts) may put at most NEW_MEMBER_LINKS links in a post, anyone else MEMBER_LINKS; staff and
paid agents are not limited. How often one may post is the web layer's (Flask-Limiter).
Where a program holds first posts, a member's posts wait for review (status held) until a
moderator has released one of them (they then have a visible post)."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from community.errors import InvalidValue
from community.models import CommunitySettings, Member, Post, PostStatus

NEW_MEMBER_POSTS = 3
NEW_MEMBER_LINKS = 1
MEMBER_LINKS = 10
# A URL with a scheme, a www. host or a Markdown link target: what a reader could click.
_LINK = re.compile(r"(?:https?|ftp|mailto):|www\.|\]\(", re.IGNORECASE)


def count_links(body: str) -> int:
    return len(_LINK.findall(body or ""))


def is_new(*, session: Session, member: Member) -> bool:
    posted = session.scalar(select(func.count(Post.id)).where(
        Post.member_id == member.id, Post.status == PostStatus.VISIBLE)) or 0  # fmt: skip
    return posted < NEW_MEMBER_POSTS


def check_links(*, session: Session, author, body: str, field: str = "body") -> None:
    """InvalidValue naming `field` when the body has more links than the author may post."""
    if not isinstance(author, Member):
        return
    found = count_links(body)
    if found <= NEW_MEMBER_LINKS:
        return
    allowed = NEW_MEMBER_LINKS if is_new(session=session, member=author) else MEMBER_LINKS
    if found > allowed:
        rank = "new members" if allowed == NEW_MEMBER_LINKS else "members"
        raise InvalidValue(f"{field} has {found} links; {rank} may post at most {allowed}",
                           field=field)  # fmt: skip


def held_for_review(*, session: Session, author, settings: CommunitySettings) -> bool:
    """A member's post is held when their program holds first posts and they have none
    visible yet; super users (moderators), staff and paid agents are never held."""
    if not isinstance(author, Member) or author.is_super_user or not settings.hold_first_posts:
        return False
    return not session.scalar(select(func.count(Post.id)).where(
        Post.member_id == author.id, Post.status == PostStatus.VISIBLE))  # fmt: skip

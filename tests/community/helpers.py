"""Factories for community rows: verified members and posted questions."""

from __future__ import annotations

import itertools

from community import members, posts

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_member(session, *, name: str | None = None, verified: bool = True, super_user=False):
    n = next(_seq)
    member, token = members.sign_up(
        session=session,
        email=f"member{n}@example.org",
        display_name=name or f"Member {n}",
        password=PASSWORD,
    )
    if verified:
        members.verify(session=session, token=token)
    member.is_super_user = super_user
    session.flush()
    return member


def make_question(
    session, program, author, *, title="How do I reset my router?", body="It blinks."
):
    return posts.ask(session=session, program=program, author=author, title=title, body=body)

"""The living demo's community: seeded threads, and simulated members whose actions land."""

from __future__ import annotations

from sqlalchemy import func, select

from community.models import Deflection, Flag, Member, Post, PostKind
from crowdline import demo_community


def test_the_demo_seeds_a_community_once_and_its_members_act(db_session, program):
    demo_community.seed_community(
        session=db_session, program_code=program.code, password="a long demo password"
    )
    demo_community.seed_community(
        session=db_session, program_code=program.code, password="a long demo password"
    )
    members = db_session.scalars(select(Member)).all()
    assert len(members) == len(demo_community.NAMES)
    assert [m.email for m in members if m.is_super_user] == [demo_community.SUPER_USER]
    questions = db_session.scalars(select(Post).where(Post.kind == PostKind.QUESTION)).all()
    assert len(questions) == len(demo_community.THREADS)
    assert any(q.accepted_answer_id for q in questions)
    assert db_session.scalar(select(func.count()).where(Post.is_official.is_(True))) == 1
    crowd = demo_community.CommunityMembers(None, program.code, seed=7)
    before = sum(
        db_session.scalar(select(func.count()).select_from(model))
        for model in (Post, Flag, Deflection)
    )
    for _ in range(12):
        crowd.act(db_session)
    after = sum(
        db_session.scalar(select(func.count()).select_from(model))
        for model in (Post, Flag, Deflection)
    )
    assert after >= before + 12

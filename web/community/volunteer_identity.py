"""Who acts on a volunteer page or socket: a signed-in, verified super user (never a roster
user: a session signed in as an agent or staff is no volunteer session), and their engine
agent "volunteer-<member id>" (dispatcher.core.volunteers)."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from community.models import Volunteer
from dispatcher.core.volunteers import volunteer_id
from web import db
from web.community.identity import current_member


def current_super_user():
    """The signed-in verified super user, or None (anyone else, and any roster session)."""
    if current_user.is_authenticated:
        return None
    member = current_member()
    if member is None or not member.is_super_user or not member.is_verified:
        return None
    return member


def my_volunteer_id() -> str | None:
    """The routing id of the signed-in super user volunteering for some program, or None."""
    member = current_super_user()
    if member is None:
        return None
    found = db.session().scalar(
        select(Volunteer.program_id).where(Volunteer.member_id == member.id).limit(1)
    )
    return volunteer_id(member.id) if found is not None else None

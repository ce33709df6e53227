"""Member accounts: sign up, verify the email address, sign in, sign out everywhere."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.passwords import DUMMY_HASH, hash_password, verify_password
from agents.validation import normalise_email, validate_text
from community.errors import Duplicate, InvalidValue
from community.models import Member
from database.clock import SYSTEM, Clock, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def get_by_email(*, session: Session, email: str) -> Member | None:
    return session.scalar(select(Member).where(Member.email == email.strip().lower()))


def sign_up(
    *, session: Session, email: str, display_name: str, password: str
) -> tuple[Member, str]:
    """A new, unverified member and the plain verification token to email them (only its
    hash is stored)."""
    email = normalise_email(email)
    display_name = validate_text(display_name, field="display_name", max_length=60)
    password_hash = hash_password(password)
    if get_by_email(session=session, email=email) is not None:
        raise Duplicate("a member with this email already exists; sign in instead", field="email")
    token = secrets.token_urlsafe(32)
    member = Member(
        email=email,
        display_name=display_name,
        password_hash=password_hash,
        verify_token_hash=_digest(token),
    )
    session.add(member)
    session.flush()
    return member, token


def verify(*, session: Session, token: str, clock: Clock = SYSTEM) -> Member:
    """Mark the member whose emailed token this is as verified; the token works once."""
    if not token or len(token) > 100:
        raise InvalidValue("the verification link is not valid", field="token")
    member = session.scalar(select(Member).where(Member.verify_token_hash == _digest(token)))
    if member is None:
        raise InvalidValue("the verification link is not valid or was already used", field="token")
    member.verified_at = utcnow(clock)
    member.verify_token_hash = None
    return member


def authenticate(*, session: Session, email: str, password: str) -> Member | None:
    """The active member with these credentials, or None (same cost whether or not it exists)."""
    member = get_by_email(session=session, email=email)
    if member is None:
        verify_password(DUMMY_HASH, password)
        return None
    if not member.is_active or not verify_password(member.password_hash, password):
        return None
    return member


def session_identity(member: Member) -> str:
    return f"{member.id}:{member.session_version}"


def from_identity(*, session: Session, identity: str) -> Member | None:
    """The member a session cookie names, if still valid (same version, active)."""
    member_id, _, version = str(identity).partition(":")
    if not (member_id.isascii() and member_id.isdecimal() and len(member_id) < 10):
        return None
    if not (version.isascii() and version.isdecimal() and len(version) < 10):
        return None
    member = session.get(Member, int(member_id))
    if member is None or not member.is_active or member.session_version != int(version):
        return None
    return member

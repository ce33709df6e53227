"""User accounts: create, authenticate, reset passwords, deactivate."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agents import audit
from agents.errors import Duplicate, InvalidValue, NotFound
from agents.models import Agent, Role, User
from agents.passwords import DUMMY_HASH, hash_password, verify_password
from agents.validation import normalise_email, validate_text
from database.clock import SYSTEM, Clock, utcnow


def get_by_email(*, session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def user_or_raise(*, session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}", field="user_id")
    return user


def count_users(*, session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


def parse_role(raw: str) -> Role:
    try:
        return Role(str(raw).strip().lower())
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise InvalidValue(f"role '{raw}' is not one of: {choices}", field="role") from None


def create_user(
    *,
    session: Session,
    email: str,
    display_name: str,
    password: str,
    role: Role | str,
    actor_id: int | None = None,
) -> User:
    """A new user; agents also get an empty roster profile at the applicant stage."""
    role = parse_role(role) if isinstance(role, str) else role
    email = normalise_email(email)
    display_name = validate_text(display_name, field="display_name", max_length=120)
    password_hash = hash_password(password)
    if get_by_email(session=session, email=email) is not None:
        raise Duplicate(f"a user with email {email} already exists", field="email")
    user = User(email=email, display_name=display_name, password_hash=password_hash, role=role)
    session.add(user)
    if role is Role.AGENT:
        session.add(Agent(user=user))
    session.flush()
    audit.record(
        session=session,
        actor_id=actor_id,
        action="user.create",
        entity_type="user",
        entity_id=user.id,
        after={"email": email, "role": role.value},
    )
    return user


def authenticate(*, session: Session, email: str, password: str,
                 clock: Clock = SYSTEM) -> User | None:  # fmt: skip
    """The active user with these credentials, or None (same cost whether or not email exists)."""
    user = get_by_email(session=session, email=email)
    if user is None:
        verify_password(DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow(clock)
    return user


def reset_password(
    *, session: Session, user: User, password: str, actor_id: int | None = None
) -> None:
    """New password; every existing session of the user is signed out."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    audit.record(
        session=session,
        actor_id=actor_id,
        action="user.reset_password",
        entity_type="user",
        entity_id=user.id,
    )

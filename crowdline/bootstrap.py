"""First start of the embedded default: an administrator so the new user can sign in at once."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from agents.models import Role
from agents.users import count_users, create_user

FIRST_ADMIN_EMAIL = "admin@example.com"


def first_admin(*, session: Session) -> tuple[str, str] | None:
    """Create an admin with a random password when there is no user at all; return the login."""
    if count_users(session=session):
        return None
    password = secrets.token_urlsafe(12)
    create_user(
        session=session,
        email=FIRST_ADMIN_EMAIL,
        display_name="Administrator",
        password=password,
        role=Role.ADMIN,
    )
    return FIRST_ADMIN_EMAIL, password

"""API tokens: created by admins for a user, shown once, stored as SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents import audit
from agents.errors import NotFound
from agents.models import ApiToken, User
from agents.validation import validate_text
from database.clock import SYSTEM, Clock, utcnow

TOKEN_PREFIX = "cl_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    *, session: Session, actor_id: int | None, user: User, name: str
) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain token is returned once and never stored."""
    name = validate_text(name, field="name", max_length=80)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        token_hash=_digest(plain),
        prefix=plain[:10],
        user_id=user.id,
        created_by_id=actor_id,
    )
    session.add(token)
    session.flush()
    audit.record(
        session=session,
        actor_id=actor_id,
        action="token.create",
        entity_type="api_token",
        entity_id=token.id,
        after={"name": name, "user_id": user.id},
    )
    return token, plain


def user_for_token(*, session: Session, plain: str, clock: Clock = SYSTEM) -> User | None:
    """The active user a valid, unrevoked token acts as; None otherwise."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    token.last_used_at = utcnow(clock)
    return token.user


def list_tokens(*, session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(*, session: Session, actor_id: int | None, token_id: int,
                 clock: Clock = SYSTEM) -> ApiToken:  # fmt: skip
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no API token with id {token_id}", field="token_id")
    if token.revoked_at is None:
        token.revoked_at = utcnow(clock)
        audit.record(
            session=session,
            actor_id=actor_id,
            action="token.revoke",
            entity_type="api_token",
            entity_id=token.id,
        )
    return token

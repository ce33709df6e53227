"""API tokens: admins create them for a user (shown once), list and revoke them."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from spectree import Response

from agents import tokens, users
from agents.models import ApiToken, Role
from web import db
from web.access import roles_required
from web.api.blueprint import bp
from web.api.schemas import ErrorOut, TokenCreate, TokenCreated, TokenList, TokenOut
from web.api.spec import api_spec

TAGS = ["tokens"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}


def token_out(row: ApiToken, cls=TokenOut, **extra):
    return cls(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        user_id=row.user_id,
        role=row.user.role,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
        **extra,
    )


@bp.get("/tokens")
@roles_required(Role.ADMIN)
@api_spec.validate(resp=Response(HTTP_200=TokenList, **ERRORS), tags=TAGS)
def list_tokens():
    return TokenList(items=[token_out(t) for t in tokens.list_tokens(session=db.session())])


@bp.post("/tokens")
@roles_required(Role.ADMIN)
@api_spec.validate(json=TokenCreate, resp=Response(HTTP_201=TokenCreated, **ERRORS), tags=TAGS)
def create_token():
    """The plain token is in this response only; Crowdline keeps its SHA-256."""
    body: TokenCreate = request.context.json
    session = db.session()
    user = users.user_or_raise(session=session, user_id=body.user_id)
    token, plain = tokens.create_token(
        session=session, actor_id=current_user.id, user=user, name=body.name
    )
    return token_out(token, TokenCreated, token=plain), 201


@bp.delete("/tokens/<int:token_id>")
@roles_required(Role.ADMIN)
@api_spec.validate(resp=Response(HTTP_200=TokenOut, **ERRORS), tags=TAGS)
def revoke_token(token_id: int):
    token = tokens.revoke_token(session=db.session(), actor_id=current_user.id, token_id=token_id)
    return token_out(token)

"""Role checks for pages and API routes, and how users are loaded from sessions and tokens."""

from __future__ import annotations

from functools import wraps

from flask import Response, abort, render_template, request
from flask_login import current_user

from agents.models import Role, User
from web import db
from web.extensions import login_manager

STAFF = (Role.SUPERVISOR, Role.ADMIN)
ANY_ROLE = tuple(Role)


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    user_id, _, version = identity.partition(":")
    if not (
        user_id.isascii() and user_id.isdecimal() and version.isascii() and version.isdecimal()
    ):
        return None
    user = db.session().get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def uses_bearer_token() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def roles_required(*roles: Role):
    """Pages: anonymous → login redirect (API: 401 JSON), wrong role → 403."""
    allowed = frozenset(roles)

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed
        return wrapper

    return decorate


def refuse_page(message: str):
    """Abort a page with 403 and the reason (e.g. a program the supervisor has no duty in)."""
    abort(Response(render_template("error.html", status=403, message=message), status=403))

"""Who is acting on a community page: a member (signed in under their own session key,
never through Flask-Login, so a member is never a roster user), or a staff user."""

from __future__ import annotations

from flask import current_app, g, session
from flask_login import current_user

from agents.models import Role
from community import members
from community.mail import Mailer, OutboxMailer, SmtpMailer
from web import db

SESSION_KEY = "community_member"
MAILER = "crowdline.community_mailer"


def current_member():
    """The signed-in, active member of this request, or None."""
    if "community_member" not in g:
        identity = session.get(SESSION_KEY)
        g.community_member = (
            members.from_identity(session=db.session(), identity=identity) if identity else None
        )
    return g.community_member


def sign_in(member) -> None:
    # A fresh session: nothing from before the sign-in survives (fixation), staff included.
    session.clear()
    session[SESSION_KEY] = members.session_identity(member)
    g.community_member = member


def sign_out() -> None:
    session.pop(SESSION_KEY, None)
    g.community_member = None


def staff_user():
    """The signed-in supervisor or admin, or None."""
    if current_user.is_authenticated and current_user.role in (Role.SUPERVISOR, Role.ADMIN):
        return current_user._get_current_object()
    return None


def mailer() -> Mailer:
    """SMTP when configured, else the instance's outbox folder (built once per app)."""
    if MAILER not in current_app.extensions:
        settings = current_app.config["CROWDLINE_SETTINGS"]
        mail = settings.mail
        current_app.extensions[MAILER] = (
            SmtpMailer(host=mail.smtp_host, port=mail.smtp_port, user=mail.smtp_user,
                       password=mail.smtp_password, starttls=mail.smtp_starttls)
            if mail.smtp_host
            else OutboxMailer(settings.instance_path / "outbox")
        )  # fmt: skip
    return current_app.extensions[MAILER]

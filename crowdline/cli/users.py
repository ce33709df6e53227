"""`crowdline users create|reset-password` and `crowdline tokens create|revoke`."""

from __future__ import annotations

import click

from agents import tokens, users
from agents.errors import RosterError
from crowdline.cli.group import open_database
from database.engine import make_session_factory


@click.group("users")
def users_group():
    """Create users and reset passwords."""


def _session():
    _settings, engine = open_database()
    return make_session_factory(engine)


def _fail(error: RosterError):
    raise click.BadParameter(
        error.message, param_hint=f"--{(error.field or 'value').replace('_', '-')}"
    )


@users_group.command("create")
@click.option("--role", required=True, type=click.Choice(["agent", "supervisor", "admin"]))
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="CROWDLINE_PASSWORD",
    help="Prompted when omitted (or CROWDLINE_PASSWORD).",
)
def users_create(role: str, email: str, display_name: str, password: str):
    """Create a user with ROLE (agents also get a roster profile)."""
    try:
        with _session().begin() as session:
            user = users.create_user(
                session=session,
                email=email,
                display_name=display_name,
                password=password,
                role=role,
            )
            click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")
    except RosterError as error:
        _fail(error)


@users_group.command("reset-password")
@click.option("--email", required=True)
@click.option(
    "--password",
    prompt="New password",
    hide_input=True,
    confirmation_prompt=True,
    envvar="CROWDLINE_PASSWORD",
)
def users_reset_password(email: str, password: str):
    """Set a new password; the user's existing sessions are signed out."""
    try:
        with _session().begin() as session:
            user = users.get_by_email(session=session, email=email)
            if user is None:
                raise click.BadParameter(f"no user with email {email}", param_hint="--email")
            users.reset_password(session=session, user=user, password=password)
            click.echo(f"Password changed for {user.email}; their sessions are signed out.")
    except RosterError as error:
        _fail(error)


@click.group("tokens")
def tokens_group():
    """API tokens (bearer) acting as a user."""


@tokens_group.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What the token is for.")
def tokens_create(email: str, name: str):
    """Create a token and print it once."""
    try:
        with _session().begin() as session:
            user = users.get_by_email(session=session, email=email)
            if user is None:
                raise click.BadParameter(f"no user with email {email}", param_hint="--email")
            token, plain = tokens.create_token(session=session, actor_id=None, user=user, name=name)
            click.echo(f"Token {token.id} for {user.email} (shown once):\n{plain}")
    except RosterError as error:
        _fail(error)


@tokens_group.command("revoke")
@click.argument("token_id", type=click.IntRange(1, 2**31 - 1))
def tokens_revoke(token_id: int):
    """Revoke token TOKEN_ID at once."""
    try:
        with _session().begin() as session:
            tokens.revoke_token(session=session, actor_id=None, token_id=token_id)
            click.echo(f"Token {token_id} revoked.")
    except RosterError as error:
        raise click.BadParameter(error.message, param_hint="TOKEN_ID") from None

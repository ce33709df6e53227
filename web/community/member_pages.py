"""Members' own sign-up (with email verification), sign-in and sign-out."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for

from community import members
from community.errors import CommunityError
from community.mail import verification_message
from web import db
from web.auth import _safe_next
from web.community import identity
from web.community.blueprint import bp
from web.community.forms import ActionForm, JoinForm, SignInForm
from web.extensions import limiter
from web.forms import attach_error


def _verify_link(token: str) -> str:
    settings = current_app.config["CROWDLINE_SETTINGS"]
    path = url_for("community.verify", token=token)
    base = (settings.public_url or request.host_url).rstrip("/")
    return base + path


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], scope="community-join",
               error_message="Too many sign-ups from this address; try again later.")  # fmt: skip
def join():
    """Public: sign up; a verification link is mailed (outbox folder or SMTP)."""
    form = JoinForm()
    if not form.validate_on_submit():
        return render_template("community/join.html", form=form), 400 if form.errors else 200
    session = db.session()
    try:
        member, token = members.sign_up(session=session, email=form.email.data,
                                        display_name=form.display_name.data,
                                        password=form.password.data)  # fmt: skip
    except CommunityError as error:
        attach_error(form, error)
        return render_template("community/join.html", form=form), 422
    sender = current_app.config["CROWDLINE_SETTINGS"].mail.sender
    identity.mailer().send(verification_message(sender=sender, to=member.email,
                                                name=member.display_name,
                                                link=_verify_link(token)))  # fmt: skip
    identity.sign_in(member)
    flash(f"Welcome, {member.display_name}. We sent a link to {member.email}: "
          "follow it to start posting.", "info")  # fmt: skip
    return redirect(url_for("community.index"))


@bp.get("/verify/<token>")
def verify(token: str):
    """Public: the emailed link; verifies the member and signs them in."""
    try:
        member = members.verify(session=db.session(), token=token)
    except CommunityError as error:
        return render_template("error.html", status=400, message=error.message), 400
    identity.sign_in(member)
    flash("Your email is confirmed: you can ask and answer now.", "info")
    return redirect(url_for("community.index"))


def _failed(response) -> bool:
    return response.status_code == 401


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed, scope="community-signin",
               error_message="Too many failed sign-ins; try again later.")  # fmt: skip
def signin():
    """Public: a member signs in (members never use the staff and agent /login)."""
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("community/signin.html", form=form), 400 if form.errors else 200
    member = members.authenticate(session=db.session(), email=form.email.data,
                                  password=form.password.data)  # fmt: skip
    if member is None:
        form.password.errors.append("Email or password is wrong, or the account is closed.")
        return render_template("community/signin.html", form=form), 401
    identity.sign_in(member)
    flash(f"Welcome back, {member.display_name}.", "info")
    return redirect(_safe_next(request.args.get("next")) or url_for("community.index"))


@bp.post("/signout")
def signout():
    """Public: the member signs out (staff sessions are not touched)."""
    if ActionForm().validate_on_submit():
        identity.sign_out()
        flash("You are signed out of the community.", "info")
    return redirect(url_for("community.index", program=g.community_program.code))

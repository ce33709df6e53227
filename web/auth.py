"""Login and logout pages; failed logins are throttled per account and per address."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from agents.models import Role
from agents.users import authenticate
from web import db
from web.extensions import limiter, login_manager

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])


class LogoutForm(FlaskForm):
    pass


def _account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()


def _failed(response) -> bool:
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_failed,
    scope="login-address",
    error_message="Too many failed sign-ins from this address; try again later.",
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
    scope="login-account",
    error_message="Too many failed sign-ins for this account; try again later.",
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("login.html", form=form), status
    user = authenticate(session=db.session(), email=form.email.data, password=form.password.data)
    if user is None:
        form.password.errors.append("Email or password is wrong, or the account is disabled.")
        return render_template("login.html", form=form), 401
    next_url = _safe_next(request.args.get("next"))
    # A fresh session at login: nothing from the anonymous session survives (fixation).
    session.clear()
    login_user(user)
    flash(f"Welcome, {user.display_name}.", "info")
    return redirect(next_url or url_for("pages.home"))


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # Void this session everywhere: a copied cookie must not outlive the sign-out.
            current_user.session_version += 1
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: no scheme, no host, no backslash, no whitespace or control
    character (browsers drop tabs and newlines, turning "/\t/evil" into "//evil")."""
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(ch.isspace() or not ch.isprintable() for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


@login_manager.unauthorized_handler
def unauthorized():
    if request.path.startswith("/api/"):
        return jsonify(error="authentication required: log in or send a bearer token"), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def home_for(role: Role) -> str:
    """Where a signed-in user lands: agents work from the console, staff watch the dashboard."""
    return url_for("console.console") if role is Role.AGENT else url_for("dashboard.dashboard")

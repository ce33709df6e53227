"""Community forms: CSRF and raw input only; community/ owns every rule."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class JoinForm(FlaskForm):
    display_name = StringField("Display name", validators=[DataRequired(), Length(max=60)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password (10 characters or more)",
                             validators=[DataRequired(), Length(max=256)])  # fmt: skip


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])


class AskForm(FlaskForm):
    title = StringField("Your question in one line", validators=[DataRequired(), Length(max=200)])
    body = TextAreaField("Details (Markdown)", validators=[DataRequired(), Length(max=20_000)])
    urgent = BooleanField("Urgent: I need an answer soon")


class ReplyForm(FlaskForm):
    body = TextAreaField("Your answer (Markdown)", validators=[DataRequired(), Length(max=20_000)])


class CommentForm(FlaskForm):
    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=20_000)])


class ActionForm(FlaskForm):
    """A button (vote, accept, official, sign out): the CSRF token only."""


class ModerateForm(FlaskForm):
    """Hide or restore a post; the button pressed is the action (`hide` or `restore`)."""

    reason = StringField("Reason (kept in the audit log)",
                         validators=[DataRequired(), Length(max=500)])  # fmt: skip

"""HTML forms (CSRF and raw input); the roster services own every validation rule."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length

from agents.errors import RosterError
from agents.models import Stage
from agents.roster import snapshot


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", validators=[Length(max=200)])
    phone = StringField("Phone (international, e.g. +14155550123)", validators=[Length(max=40)])
    languages = StringField(
        "Languages (comma-separated codes, e.g. en, es)", validators=[Length(max=200)]
    )
    timezone = StringField("Time zone (e.g. America/Chicago)", validators=[Length(max=64)])
    programs = SelectMultipleField("Client programs", choices=[], validate_choice=False)
    pay_rate_per_minute = StringField("Pay per talk minute", validators=[Length(max=20)])


class NewAgentForm(ProfileForm):
    pay_rate_per_minute = StringField(
        "Pay per talk minute (blank: the program's rate)", validators=[Length(max=20)]
    )
    email = EmailField("Email", validators=[Length(max=254)])
    password = PasswordField(
        "Initial password (at least 10 characters)", validators=[Length(max=256)]
    )


class StageForm(FlaskForm):
    to_stage = HiddenField()
    reason = TextAreaField("Reason", validators=[Length(max=500)])


class ProgramForm(FlaskForm):
    code = StringField("Code (e.g. acme-claims)", validators=[Length(max=60)])
    name = StringField("Program name", validators=[Length(max=200)])
    client_name = StringField("Client", validators=[Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=5000)])
    pay_rate_per_minute = StringField(
        "Pay per talk minute (the default of agents added to it)",
        default="0", validators=[Length(max=20)],
    )  # fmt: skip
    is_active = BooleanField("Active", default=True)


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search")
    stage = SelectField(
        "Stage", choices=[SelectChoice("", "Any stage")] + [SelectChoice(s.value) for s in Stage]
    )
    program = SelectField("Program", choices=[SelectChoice("", "Any program")],
                          validate_choice=False)
    language = StringField("Language")


def keep_fields(form: FlaskForm, names: set[str]) -> FlaskForm:
    """Drop the profile fields the current user may not edit, so they are neither shown nor read."""
    for name in (
        "display_name",
        "phone",
        "languages",
        "timezone",
        "programs",
        "pay_rate_per_minute",
    ):
        if name not in names and name in form:
            delattr(form, name)
    return form


def attach_error(form: FlaskForm, error: RosterError) -> None:
    """Show a service error next to the field it names, or at the top of the form. A person
    reads the field's label, not its API name: "pay_rate_per_minute must be a number" becomes
    "Pay per talk minute must be a number" (the API keeps naming the field)."""
    if error.field and error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, in_words(error.message, error.field, field.label.text)]
    else:
        form.form_errors.append(error.message)


def in_words(message: str, name: str, label: str) -> str:
    """`message` with a leading API field name replaced by its label (without the hint in
    parentheses)."""
    if not message.startswith(name):
        return message
    return re.sub(r"\s*\(.*\)$", "", label) + message[len(name):]


def fill_profile(form: FlaskForm, agent) -> None:
    """Pre-fill a profile form from the agent's current values."""

    values = snapshot(agent)
    values["languages"] = ", ".join(values["languages"])
    for name, value in values.items():
        if name in form:
            form[name].data = value

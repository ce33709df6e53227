"""Forms of the training pages (CSRF and raw input); training's services own every rule."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class CourseEditForm(FlaskForm):
    title = StringField("Title", validators=[InputRequired(), Length(max=200)])
    validity_days = IntegerField(
        "Validity (days)", validators=[InputRequired(), NumberRange(min=1, max=3650)]
    )
    pass_mark = IntegerField(
        "Pass mark of every quiz (%)", validators=[InputRequired(), NumberRange(min=1, max=100)]
    )


class CourseUploadForm(FlaskForm):
    course_file = FileField("Course file (YAML, lessons inline)")
    required_from = DateField(
        "A new requirement takes effect on (UTC; empty: at once)", validators=[Optional()]
    )
    # The confirmation dialog re-posts the file's text and says whether the loss is accepted.
    course_text = HiddenField()
    file_name = HiddenField()
    confirm_eligibility_loss = BooleanField("Import now: those agents stop taking contacts")


class RevokeForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[Length(max=500)])

"""The WTForms forms: the respondent's answer, analyst sign-in, and erasure requests."""
import re

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Optional, ValidationError

from models import id_for_receipt

# Control characters never belong in an essay; \x02/\x03 also mark highlights internally.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value):
    if value is None:
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _lower(value):
    return value.strip().lower() if value else value


class EssayLength:
    """Refuse essays over ESSAY_MAX_CHARS, saying by how much."""

    def __call__(self, form, field):
        limit = current_app.config["ESSAY_MAX_CHARS"]
        if field.data and len(field.data) > limit:
            raise ValidationError(
                f"Your answer is {len(field.data):,} characters long; the limit is "
                f"{limit:,}. Please shorten it by {len(field.data) - limit:,}."
            )


class SurveyForm(FlaskForm):
    """The respondent's essay and contact email."""

    essay = TextAreaField(
        "Your answer",
        filters=[_clean_text],
        validators=[DataRequired("Please write your answer."), EssayLength()],
    )
    email = EmailField(
        "Your email address",
        filters=[_lower],
        validators=[
            DataRequired("Please give your email address."),
            Email("That does not look like an email address (e.g. name@example.org)."),
        ],
    )
    # Spam signals: a field only bots fill in, and a signed "form opened at" time.
    website = StringField("Leave this field empty", filters=[lambda v: (v or "").strip()])
    started = HiddenField()


class LoginForm(FlaskForm):
    """Analyst sign-in."""

    name = StringField("Name", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


class EraseForm(FlaskForm):
    """Erase every answer from one email address, or the one answer behind a receipt."""

    email = EmailField("Email address", filters=[_lower], validators=[Optional(), Email()])
    receipt = StringField("Receipt code", filters=[lambda v: (v or "").strip().lower()])
    confirm = HiddenField()

    def validate_receipt(self, field):
        """Exactly one of email and receipt; a receipt must decode."""
        if bool(field.data) == bool(self.email.data):
            raise ValidationError("Give either an email address or a receipt code.")
        if field.data:
            try:
                id_for_receipt(field.data)
            except ValueError:
                raise ValidationError("That is not a receipt code.") from None

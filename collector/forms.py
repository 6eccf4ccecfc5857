"""The fixed WTForms forms (analyst sign-in, erasure requests) and the text filters all forms use."""
import re

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Optional, ValidationError

from models import id_for_receipt

# Control characters never belong in an essay; \x02/\x03 also mark highlights internally.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    """Normalise newlines and drop control characters; None stays None."""
    if value is None:
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def lower(value):
    """Trim and lower-case (emails); None stays None."""
    return value.strip().lower() if value else value


class LoginForm(FlaskForm):
    """Analyst sign-in."""

    name = StringField("Name", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


class EraseForm(FlaskForm):
    """Erase every answer from one email address, or the one answer behind a receipt."""

    email = EmailField("Email address", filters=[lower], validators=[Optional(), Email()])
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

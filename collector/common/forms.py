"""The fixed WTForms forms (analyst sign-in, erasure requests) and the text filters all forms use."""
import re
import unicodedata

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from collector.common.error_pages import UserError
from models import id_for_receipt

# Control characters never belong in an essay; \x02/\x03 also mark highlights internally.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Whitespace and invisible format characters (zero-width spaces and joiners, BOM, soft hyphen,
# bidi marks) at either end: an answer made only of them is an empty answer.
_INVISIBLE = "\\s\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u3164\ufeff\uffa0"
_INVISIBLE_EDGES = re.compile(f"^[{_INVISIBLE}]+|[{_INVISIBLE}]+$")


def clean_text(value):
    """Normalise newlines, drop control characters, trim blank and invisible edges; None stays None."""
    if value is None:
        return value
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _INVISIBLE_EDGES.sub("", text)


def normal_email(value):
    """An address as stored and looked up: trimmed, Unicode NFC, lower-case (an NFD-typed address is
    the same address); None stays None."""
    return unicodedata.normalize("NFC", value.strip()).lower() if value else value


def acted(form, action, field):
    """Run action() once form is submitted and valid: (True, its result); else (False, the status to show the
    form again with: 200 before a submit, 400 when invalid, or the UserError's status, its message under
    field)."""
    if not form.validate_on_submit():
        return False, 400 if form.is_submitted() else 200
    try:
        return True, action()
    except UserError as exc:
        field.errors.append(str(exc))
        return False, exc.status


class LoginForm(FlaskForm):
    """Analyst sign-in."""

    name = StringField("Name", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


class RoleForm(FlaskForm):
    """An admin gives someone a role (or sends them back to the role their account or groups give)."""

    name = StringField("Name (for single sign-on: the address they sign in with)",
                       filters=[lambda v: (v or "").strip()], validators=[DataRequired(), Length(max=200)])
    role = SelectField("Role", choices=[*(SelectChoice(role, role) for role in ("viewer", "coder", "analyst", "admin")),
                                        SelectChoice("", "as their account or groups say")])


class EraseForm(FlaskForm):
    """Erase every answer from one email address, or the one answer behind a receipt."""

    email = EmailField("Email address", filters=[normal_email], validators=[Optional(), Email()])
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

"""The indexed document, receipt codes, and the WTForms forms."""
import base64
import re
import uuid
from datetime import datetime

from elasticsearch_dsl import Boolean, Date, Document, Float, Ip, Keyword, MetaField, Text
from flask import current_app
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Optional, ValidationError

USER_AGENT_MAX = 512
# Control characters never belong in an essay; \x02/\x03 also mark highlights internally.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SurveyResponse(Document):
    """One respondent's answer, as stored in the journal and the search index."""

    essay = Text(analyzer="english")
    email = Keyword()
    client_ip = Ip()
    submitted_at = Date(default_timezone="UTC")
    is_spam = Boolean()
    spam_score = Float()
    tags = Keyword(multi=True)
    user_agent = Keyword(ignore_above=USER_AGENT_MAX)

    class Meta:
        dynamic = MetaField("strict")

    class Index:
        name = "survey-responses"
        settings = {"number_of_shards": 1}

    @classmethod
    def from_source(cls, doc_id, source):
        """Build from stored fields, parsing the date here: from_es (dateutil) is ~10x slower."""
        when = source.get("submitted_at")
        if isinstance(when, str):
            source = {**source, "submitted_at": datetime.fromisoformat(when)}
        return cls(meta={"id": doc_id}, **source)

    @property
    def receipt(self):
        """The respondent-facing code for this answer."""
        return receipt_for(self.meta.id)


def receipt_for(doc_id):
    """Encode a UUID as a 26-character lowercase base32 receipt code."""
    raw = uuid.UUID(doc_id).bytes
    return base64.b32encode(raw).decode().rstrip("=").lower()


def id_for_receipt(receipt):
    """Decode a receipt code back to its UUID string; ValueError if malformed."""
    code = receipt.strip().replace("-", "").upper()
    if not re.fullmatch(r"[A-Z2-7]{26}", code):
        raise ValueError("not a receipt code")
    return str(uuid.UUID(bytes=base64.b32decode(code + "======")))


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

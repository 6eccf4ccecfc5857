"""The app's own words (buttons, error messages, page numbers) in the respondent's language, through
Flask-Babel: catalogues in translations/<language>/LC_MESSAGES (en is the source; de translated).
The language is the one respondent/languages.py chose for the survey (g.language), else English."""
from pathlib import Path

from flask import g
from flask_babel import Babel

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def locale():
    """The request's language for the app's words."""
    return g.get("language") or "en"


def init_app(app):
    """Translate the app's words with the catalogues at the repository's root."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=locale)

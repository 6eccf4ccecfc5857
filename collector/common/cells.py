"""Spreadsheet cells that stay data: text a spreadsheet would run as a formula is quoted."""
import unicodedata

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_SIGNS = "=+-@"


def neutralize(value):
    """Prefix a quote to text a spreadsheet would run as a formula (OWASP CSV injection).

    Spreadsheets skip invisible characters (BOM, zero-width space) and read full-width signs
    (＝ ＋ － ＠) as formula starts too, so the first visible character is what counts.
    """
    text = "" if value is None else str(value)
    if not text or (text[0].isascii() and text[0].isalnum()):  # most cells: visible, and no formula sign
        return text
    visible = next((c for c in text if not (c.isspace() or unicodedata.category(c) in ("Cf", "Cc"))), "")
    if text.startswith(FORMULA_STARTS) or unicodedata.normalize("NFKC", visible)[:1] in tuple(FORMULA_SIGNS):
        return "'" + text
    return text

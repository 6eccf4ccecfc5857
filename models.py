"""The indexed document (elasticsearch-dsl) and the receipt codes respondents keep."""
import base64
import hashlib
import re
import uuid
from datetime import datetime

from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    Float,
    Integer,
    Ip,
    Keyword,
    MetaField,
    Object,
    Text,
    analyzer,
    token_filter,
)

USER_AGENT_MAX = 512
# Every analyzer splits words where the embedded engine's unicode61 tokenizer does (node.js is
# node + js, team's is team + s, l'équipe is l + équipe), folds accents (cafe finds café in every
# language) and keeps stop words, so a phrase means the same in both engines ("the team" is those
# two words side by side). The names change whenever the analysis does: an index analysed the old
# way is told apart, and `reindex` brings it up to date.
WORDS = token_filter("split_words", "word_delimiter_graph", split_on_case_change=False, split_on_numerics=False,
                     stem_english_possessive=False, preserve_original=False)
ENGLISH = analyzer("words_en", tokenizer="standard", filter=[
    WORDS, "lowercase", "asciifolding", token_filter("stem_en", "stemmer", language="english")])
# Lucene's light German and French stemmers (umlauts undone first, as its German analyzer does).
LANGUAGE_ANALYZERS = {
    "de": analyzer("words_de", tokenizer="standard", filter=[
        WORDS, "lowercase", "german_normalization", "asciifolding",
        token_filter("stem_de", "stemmer", language="light_german")]),
    "fr": analyzer("words_fr", tokenizer="standard", filter=[
        WORDS, "lowercase", "asciifolding", token_filter("stem_fr", "stemmer", language="light_french")]),
}
# Words as typed (lowercased, accents folded, no stemming) for prefix queries: `deploy*` finds
# the words beginning with "deploy", where the stems of the english field would not (deploi).
# Prefixes of 3 to 8 characters are indexed, so the shortest allowed prefix is a term lookup.
PLAIN = analyzer("words_plain", tokenizer="standard", filter=[WORDS, "lowercase", "asciifolding"])
# Adjacent word pairs for distinctive phrases (significant_text); a pair across a stop word holds
# the shingle filler "_" and is left out by the aggregation.
PAIRS = analyzer("word_pairs", tokenizer="standard", filter=[
    WORDS, "lowercase", "asciifolding", token_filter("pairs_stop", "stop", stopwords="_english_"),
    token_filter("pairs_shingle", "shingle", min_shingle_size=2, max_shingle_size=2, output_unigrams=False),
])
# Languages whose answers are searched with their own stems, in `<field>.<tag>`; any other text reads as English.
ANALYSED_LANGUAGES = tuple(LANGUAGE_ANALYZERS)


def text_field(pairs=False):
    """An analysed text answer: English stems, plus the words as typed in `<field>.plain`, German and
    French stems in `<field>.de` and `.fr` (and, for the essay, adjacent word pairs in `<field>.pairs`)."""
    fields = {"plain": Text(analyzer=PLAIN, index_prefixes={"min_chars": 3, "max_chars": 8}),
              **{tag: Text(analyzer=chosen) for tag, chosen in LANGUAGE_ANALYZERS.items()}}
    if pairs:
        fields["pairs"] = Text(analyzer=PAIRS)
    return Text(analyzer=ENGLISH, fields=fields)


class SurveyResponse(Document):
    """One respondent's answer, as stored in the journal and the search index."""

    # Every text answer of the response, joined: what a word search without `in=` looks at.
    essay = text_field(pairs=True)
    email = Keyword()
    client_ip = Ip()
    submitted_at = Date(default_timezone="UTC")
    is_spam = Boolean()
    spam_score = Float()
    tags = Keyword(multi=True)
    user_agent = Keyword(ignore_above=USER_AGENT_MAX)
    survey = Keyword()
    survey_version = Integer()
    codes = Keyword(multi=True)  # the analysts' codes (names), kept in step with the journal's codings
    edited_at = Date(default_timezone="UTC")  # when the respondent last changed it (allow_edit_days); else absent
    # When an analyst last judged it spam or not: set only in the index, so a re-send never undoes the verdict.
    spam_verdict_at = Date(default_timezone="UTC")
    # The SHA-256 of the respondent's edit code (allow_edit_days): checked, never searched or shown.
    edit_key = Keyword(index=False, doc_values=False)
    # The versions it replaced, oldest first ({version, at, answers}): kept, never searched.
    history = Object(enabled=False)
    # One property per question and hidden field, generated from the definitions (index_body).
    # Not strict: an answer to a question removed since stays in _source and in `essay`, and a
    # reindex with the new definitions copies it instead of refusing the document.
    answers = Object(dynamic=False)

    class Meta:
        dynamic = MetaField("strict")

    class Index:
        name = "survey-responses"
        settings = {"number_of_shards": 1}

    @classmethod
    def from_source(cls, doc_id, source):
        """Build from stored fields, parsing the date here: from_es (dateutil) is ~10x slower."""
        for name in ("submitted_at", "edited_at"):
            if isinstance(when := source.get(name), str):
                source = {**source, name: datetime.fromisoformat(when)}
        if "survey" not in source:  # stored before there were several surveys: the default one
            source = {**source, "survey": "survey", "survey_version": 1, "answers": {"essay": source.get("essay")}}
        return cls(meta={"id": doc_id}, **source)

    @property
    def receipt(self):
        """The respondent-facing code for this answer."""
        return receipt_for(self.meta.id)


FIELD_TYPES = {"text": text_field, "keyword": Keyword, "integer": Integer}


def index_body(field_kinds):
    """Settings and mappings for a new index: the Document plus one answers.<id> per field kind."""
    body = SurveyResponse._index.to_dict()
    body["mappings"]["properties"]["answers"]["properties"] = answer_properties(field_kinds)
    return body


def answer_properties(field_kinds):
    """{field id: mapping} for {field id: 'text' | 'keyword' | 'integer'}."""
    return {name: FIELD_TYPES[kind]().to_dict() for name, kind in sorted(field_kinds.items())}


def tombstone_key(doc_id):
    """What a tombstone keeps of an erased answer's id: its SHA-256, so no store names the answer any more
    (an id is 122 random bits: the digest cannot be turned back into it)."""
    return hashlib.sha256(str(doc_id).encode()).hexdigest()


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

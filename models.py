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
# No index_prefixes: they cost the node 40% of its indexing, and at 100k answers a prefix query
# expanded over the terms kept p95 under 17 ms (docs/benchmarks.md, issue 41).
PLAIN = analyzer("words_plain", tokenizer="standard", filter=[WORDS, "lowercase", "asciifolding"])
# Languages whose answers are searched with their own stems as well, in `<tag>.essay` and `<tag>.answers.<id>`:
# copies of the texts that only answers in that language carry. Any other text reads as English.
ANALYSED_LANGUAGES = tuple(LANGUAGE_ANALYZERS)


def text_field():
    """An analysed text answer: English stems, and the words as typed in `<field>.plain`."""
    return Text(analyzer=ENGLISH, fields={"plain": Text(analyzer=PLAIN)})


class SurveyResponse(Document):
    """One respondent's answer, as stored in the journal and the search index."""

    # Every text answer of the response, joined: what a word search without `in=` looks at.
    essay = text_field()
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
        return cls(meta={"id": doc_id}, **from_index(source))

    @property
    def receipt(self):
        """The respondent-facing code for this answer."""
        return receipt_for(self.meta.id)


for _analysis in LANGUAGE_ANALYZERS.values():  # used by the language copies index_body adds
    SurveyResponse._index.analyzer(_analysis)

FIELD_TYPES = {"text": text_field, "keyword": Keyword, "integer": Integer}


# Each answer's meaning (collector/meaning: 384 dimensions), searched by the k-NN plugin's Lucene HNSW graph.
VECTOR_FIELD = "essay_vector"
VECTOR_MAPPING = {"type": "knn_vector", "dimension": 384,
                  "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"}}


def index_body(field_kinds, vectors=False):
    """Settings and mappings for a new index: the Document, one answers.<id> per field kind, which text
    answer is the essay (`lone_text`), each analysed language's copies of the texts, and with vectors
    the answers' meaning (`index.knn`, which only a new index can be given)."""
    body = SurveyResponse._index.to_dict()
    if vectors:
        body["settings"] = {**body["settings"], "knn": True}  # a copy: to_dict() hands out the Index's own settings
        body["mappings"]["properties"][VECTOR_FIELD] = VECTOR_MAPPING
    properties = body["mappings"]["properties"]
    properties["answers"]["properties"] = answer_properties(field_kinds)
    properties["lone_text"] = Keyword().to_dict()
    texts = sorted(name for name, kind in field_kinds.items() if kind == "text")
    for tag, chosen in LANGUAGE_ANALYZERS.items():
        copy = Text(analyzer=chosen).to_dict()
        properties[tag] = {"dynamic": False, "properties": {
            "essay": copy, "answers": {"dynamic": False, "properties": {name: copy for name in texts}}}}
    return body


def answer_properties(field_kinds):
    """{field id: mapping} for {field id: 'text' | 'keyword' | 'integer'}."""
    return {name: FIELD_TYPES[kind]().to_dict() for name, kind in sorted(field_kinds.items())}


def to_index(source):
    """A document's source as the index keeps it: a text answer that is the whole essay is left out of
    `answers` and named in `lone_text` (its words are indexed once, in `essay`); a German or French
    answer's texts are copied under `de` / `fr`, for their own stems. from_index undoes it."""
    answers = _given(source.get("answers") or {})
    essay = source.get("essay")
    same = [name for name, value in answers.items() if essay and value == essay]
    indexed = _given(source)
    if len(same) == 1:
        indexed["lone_text"] = same[0]
        del answers[same[0]]
    if (language := answers.get("language")) in LANGUAGE_ANALYZERS:
        texts = {name: value for name, value in answers.items() if isinstance(value, str) and name != "language"}
        indexed[language] = {"essay": essay, "answers": texts}
    return {**indexed, "answers": answers}


def _given(values):
    """The values that are there (an empty list or object, or None, is no value to index)."""
    return {name: value for name, value in values.items() if value is not None and value != [] and value != {}}


def from_index(source):
    """A document's source as the index keeps it, back as the answer was given (to_index, undone)."""
    kept = {name: value for name, value in source.items()
            if name not in ANALYSED_LANGUAGES and name not in ("lone_text", VECTOR_FIELD)}
    if lone := source.get("lone_text"):
        kept["answers"] = {**(source.get("answers") or {}), lone: source.get("essay")}
    return kept


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

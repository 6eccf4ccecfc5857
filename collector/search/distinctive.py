"""Distinctive terms, scored the same way in both engines: words and two-word phrases that are
more common in a sample of the matching answers than in all answers (JLH, as OpenSearch's
significant_text does by default)."""
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from collector.search.charts import STOPWORDS
from collector.search.query import STOP_WORDS

SAMPLE = 500  # matching answers read, the newest
MIN_COUNT = 3  # a term in fewer sampled answers is noise (significant_text's min_doc_count)
WORDS, PAIRS = 150, 20  # most frequent sampled words and pairs whose background is looked up
IGNORED = STOP_WORDS | STOPWORDS
SIMILAR_TERMS = 12  # similar answers: the answer's most distinctive shared words, any one of which matches
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Distinctive:
    """A word or phrase, in how many sampled answers it occurs, and how distinctive it is."""

    term: str
    count: int
    score: float


def fold(word):
    """Lowercase without accents, as the plain analyzer (and FTS5's remove_diacritics) index words."""
    if word.isascii():
        return word.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def terms_of(text):
    """The set of interesting words and adjacent word pairs in a text (stop words break pairs)."""
    words = [fold(w) for w in _WORD.findall(text or "")]
    singles = {w for w in words if w not in IGNORED and len(w) > 1 and not w.isdigit()}
    # Pairs break only at stop words.
    kept = [None if w in STOP_WORDS else w for w in words]
    pairs = {f"{a} {b}" for a, b in zip(kept, kept[1:]) if a and b}
    return singles | pairs


def sample_counts(texts):
    """(answers sampled, Counter {term: answers containing it}) over texts."""
    counts = Counter()
    size = 0
    for text in texts:
        size += 1
        counts.update(terms_of(text))
    return size, counts


def candidates(counts):
    """(words, pairs) worth a background look-up: frequent enough, the most frequent first."""
    frequent = sorted((t for t, n in counts.items() if n >= MIN_COUNT), key=lambda t: (-counts[t], t))
    return [t for t in frequent if " " not in t][:WORDS], [t for t in frequent if " " in t][:PAIRS]


def jlh(fg_count, fg_size, bg_count, bg_size):
    """OpenSearch's JLH score: absolute times relative change of a term's share, 0 when not above."""
    if not fg_size or not bg_size or not bg_count:
        return 0.0
    fg = fg_count / fg_size
    bg = bg_count / bg_size
    return (fg - bg) * (fg / bg) if fg > bg else 0.0


def scored(size, counts, terms, background, everyone, n=20):
    """The n most distinctive of the sampled terms, each against how many of all answers hold it (JLH)."""
    return ranked([Distinctive(term, counts[term], jlh(counts[term], size, max(background.get(term, 0), counts[term]),
                                                       everyone)) for term in terms], n)


def ranked(found, n=20):
    """The n most distinctive of [Distinctive], scores above zero, ties by count then term."""
    kept = [d for d in found if d.score > 0]
    return sorted(kept, key=lambda d: (-d.score, -d.count, d.term))[:n]


def most_common(texts, n=20):
    """The words and phrases most of these answers use, with no background to stand out against
    (a survey looked at alone); score is the share of the answers that use each."""
    size, counts = sample_counts(texts)
    words, pairs = candidates(counts)
    chosen = sorted(words + pairs, key=lambda t: (-counts[t], t))[:n]
    return [Distinctive(term, counts[term], counts[term] / size) for term in chosen]


def offered(found, query):
    """The terms worth offering for this search: those its words do not already ask for or exclude."""
    groups, excluded = query.terms()
    asked = {fold(term.text) for term in [*excluded, *(t for group in groups for t in group)]}
    return [term for term in found if term.term not in asked]

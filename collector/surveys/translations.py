"""Surveys in several languages: `languages: [en, de]` (BCP 47 tags, the first the default), and any
text a respondent reads (a title, intro, label, help, option, a rating's ends, a page's title, the
messages) given as a map of language to text. The definition keeps each text in the first language
(what analysts read, what is stored: a choice's value never depends on the language), and the
translations beside it; a missing one falls back to the first language, and `surveys check` lists it."""
import copy
import re

TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
SURVEY_TEXTS = ("title", "intro", "closed_message", "thank_you", "privacy")
QUESTION_TEXTS = ("label", "help", "min_label", "max_label")


def languages_of(entry, where, problems):
    """The survey's language tags (none: one language, no maps)."""
    tags = entry.get("languages", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and TAG.fullmatch(t) for t in tags) \
            or len(set(tags)) != len(tags):
        problems.add(where, "'languages' is a list of different language tags, e.g. [en, de, fr].")
        return ()
    return tuple(tags)


class Texts:
    """The translations found in one survey entry: {key: {language: text}}, and what is missing."""

    def __init__(self, languages, where, problems):
        self.languages = languages
        self.where = where
        self.problems = problems
        self.found = {}
        self.missing = []

    def take(self, holder, key, address, where):
        """Replace holder[key], if a map, with its first language's text, keeping the map under address."""
        value = holder.get(key)
        if not isinstance(value, dict):  # one text for every language: the others are missing
            self.missing += [f"{where}: '{key}' has no {lang}" for lang in self.languages[1:] if value not in (None, "")]
            return
        if not self.languages:
            return self.problems.add(where, f"'{key}' is a map of languages: give the survey 'languages:' first.")
        unknown = [str(k) for k in value if k not in self.languages]
        if unknown or not all(isinstance(v, (str, int, float)) for v in value.values()):
            return self.problems.add(where, f"'{key}' maps the survey's languages ({', '.join(self.languages)}) to "
                                            f"text{f', not {unknown[0]!r}' if unknown else ''}.")
        if self.languages[0] not in value:
            return self.problems.add(where, f"'{key}' needs its text in {self.languages[0]}, the first language.")
        holder[key] = value[self.languages[0]]
        self.found[address] = {lang: str(text) for lang, text in value.items()}
        self.missing += [f"{where}: '{key}' has no {lang}" for lang in self.languages if lang not in value]


def extract(entry, where, problems):
    """(the entry with every text in the first language, its languages, Texts) for one survey entry."""
    entry = copy.deepcopy(entry)
    texts = Texts(languages_of(entry, where, problems), where, problems)
    for key in SURVEY_TEXTS:
        texts.take(entry, key, ("survey", key), where)
    pages = entry.get("pages") if isinstance(entry.get("pages"), list) else [{"questions": entry.get("questions")}]
    for n, page in enumerate(pages, 1):
        if isinstance(page, dict):
            texts.take(page, "title", ("page", n), f"{where}, page #{n}")
            for question in page.get("questions") if isinstance(page.get("questions"), list) else []:
                _question(texts, question, where)
    return entry, texts


def _question(texts, question, where):
    if not isinstance(question, dict) or "id" not in question:
        return
    qid = str(question["id"])
    here = f"{where}, question '{question['id']}'"
    for key in QUESTION_TEXTS:
        texts.take(question, key, ("question", qid, key), here)
    options = question.get("options")
    for n, option in enumerate(options if isinstance(options, list) else []):
        holder = {f"option {n + 1}": option}
        texts.take(holder, f"option {n + 1}", ("option", qid, n), here)
        options[n] = holder[f"option {n + 1}"]

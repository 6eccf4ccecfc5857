"""Which filters the small facts index answers alone is a flag each condition carries, not a
reading of the SQL text it became."""
from datetime import date

import pytest

from collector.search.query import Query
from collector.search.selection import Selection


@pytest.mark.parametrize("query, covered", [
    (Query(spam="only"), True),
    (Query(spam="exclude", codes=(("Night", True, ("Night",)),)), True),
    (Query(answer_filters=(("role", "Engineer"),)), True),
    (Query(q="-night"), True),  # no words to match: an exclusion is a set of seqs
    (Query(email="a@example.org"), False),
    (Query(survey="onboarding", spam="only"), False),
    (Query(date_from=date(2026, 1, 1)), False),
    (Query(), False),  # nothing to filter: the rows themselves
])
def test_only_filters_on_seq_and_spam_read_the_facts_index(query, covered):
    selection = Selection.of(query)
    source, _, _ = selection.sql(facts=True)
    assert selection.covered is covered and ("responses_facts" in source) is covered

"""A capped survey's places, claimed fleet-wide: an answer is taken only once it holds one.

Place n of a survey is the record `place:<survey>:<n>`, created with op_type=create, which the
domain grants to exactly one writer; so however many instances take answers at once, no more
than max_responses are accepted while the domain answers. Answers indexed before a survey's
first claim count too: the first claim records how many there were (`places:<survey>`).
"""
import logging

import es_client

log = logging.getLogger("workspace")
LOOKAHEAD = 16  # places read per real-time _mget while looking for a free one


class Places:
    """Claims of capped surveys' places, with a hint of where the free ones start."""

    def __init__(self, records, count_indexed):
        self.records = records
        self.count_indexed = count_indexed
        self.next_free = {}

    def claim(self, survey, cap, doc_id):
        """True once this answer holds a place, False when every place is taken; None when the domain
        cannot say (the caller falls back on its own count: the respondent must not notice)."""
        try:
            last = cap - self._taken_before(survey)
            start = self.next_free.get(survey, 1)
            while start <= last:
                wanted = [f"place:{survey}:{n}" for n in range(start, min(last, start + LOOKAHEAD - 1) + 1)]
                held = self.records.existing(wanted)
                for n, place in enumerate(wanted, start):
                    if place not in held and self.records.create(place, {"kind": "place", "name": doc_id}):
                        self.next_free[survey] = n + 1
                        return True
                start += len(wanted)
            self.next_free[survey] = start
            return False
        except (es_client.DomainUnavailable, es_client.TransportError) as exc:
            log.warning("could not claim a place, this instance's own count decides: %s", exc)
            return None

    def forget(self, answer_ids, emails=()):
        """Erased answers keep their places (the survey's cap counted them), but no place names them any more."""
        if not answer_ids:
            return
        chosen = [{"term": {"kind": "place"}}, {"terms": {"name": list(answer_ids)}}]
        hits = self.records.search({"query": {"bool": {"filter": chosen}}, "size": 10_000, "_source": False})
        lines = b"".join(es_client.update_lines(hit["_id"], {"name": "erased"}) for hit in hits["hits"]["hits"])
        if lines and any(status not in (200, 404) for status, _ in self.records.bulk(lines, refresh=True)):
            raise es_client.DomainUnavailable("The workspace in the search domain kept an erased answer's place.")

    def _taken_before(self, survey):
        """How many of the survey's answers the index held before its places were first claimed."""
        key = f"places:{survey}"
        found = self.records.get(key)
        if found is None:
            self.records.create(key, {"kind": "places", "count": self.count_indexed(survey)})
            found = self.records.get(key)  # whoever created it first decided
        return found["count"]

"""The fleet's erasure tombstones: `erased:<tombstone key>` per answer (a digest of its id, so no record
names an answer) and `erased-email:<keyed hash>` per address, each with when it was erased. Every
instance checks them before it ships a row, and forgets on its own disk what they name."""
import hashlib
import hmac
from datetime import datetime

import es_client
from collector.common import clock
from collector.common.forms import normal_email
from models import tombstone_key

ANSWER = "erased:"
EMAIL = "erased-email:"


class Tombstones:
    """Tombstone records in the workspace index."""

    def __init__(self, records, secret):
        self.records = records
        self.secret = secret

    def _email_id(self, email):
        digest = hmac.new(self.secret.encode(), normal_email(email).encode(), hashlib.sha256)
        return EMAIL + digest.hexdigest()  # no address in the index: a keyed hash of it

    def record(self, doc_ids, email=None, keys=()):
        """Record an erasure for the fleet: these ids, keys already made (a journal's, migrated), and by
        email every answer from it until now."""
        at = clock.stamp("microseconds")
        stones = [ANSWER + key for key in [*map(tombstone_key, doc_ids), *keys]] + ([self._email_id(email)] if email else [])
        lines = b"".join(_line(stone, at) for stone in stones)
        failed = [item for item in self.records.bulk(lines) if item[0] not in (200, 201)] if lines else []
        if failed:
            raise es_client.DomainUnavailable(f"The domain did not record {len(failed)} erasure(s) ({failed[0][0]}).")

    def among(self, rows):
        """Ids of these journal or spill rows that some instance erased (by id, or by email since)."""
        by_id = {ANSWER + tombstone_key(row["id"]): row["id"] for row in rows}
        by_email = {row["id"]: self._email_id(row["email"]) for row in rows if row["email"]}
        found = self.records.existing([*by_id, *set(by_email.values())])
        gone = {by_id[key] for key in found if key in by_id}
        for row in rows:
            stone = found.get(by_email.get(row["id"]))
            if stone and _when(row["submitted_at"]) <= _when(stone["at"]):
                gone.add(row["id"])
        return gone

    def holds(self, doc_id):
        """Whether some instance erased this answer (read in real time)."""
        return bool(self.records.existing([ANSWER + tombstone_key(doc_id)]))

    def since(self, since_ms, after=None, size=1000):
        """One page of the tombstones of answers erased from `since_ms` (epoch ms) on, oldest first (near real
        time): {"stones": [(tombstone key, at in epoch ms)], "more": whether a next page may follow, "after":
        where it starts}. A tombstone from before keys were digests (`erased:<answer id>`) is rewritten."""
        chosen = [{"term": {"kind": "erased"}}, {"range": {"at": {"gte": since_ms, "format": "epoch_millis"}}}]
        body = {"query": {"bool": {"filter": chosen}}, "size": size, "_source": ["at"],
                "sort": [{"at": "asc"}, {"uid": {"order": "asc", "missing": "_last"}}]}
        if after:
            body["search_after"] = after
        hits = self.records.search_if_any(body)["hits"]["hits"]
        mine = [hit for hit in hits if hit["_id"].startswith(ANSWER)]
        if legacy := [hit for hit in mine if len(hit["_id"]) == len(ANSWER) + 36]:
            self._upgrade(legacy)
        return {"stones": [(_key_of(hit["_id"]), hit["sort"][0]) for hit in mine], "more": len(hits) == size,
                "after": hits[-1]["sort"] if hits else None}

    def _upgrade(self, hits):
        """Replace tombstones that name an answer by tombstones of its key (created first, then the old go)."""
        made = b"".join(_line(ANSWER + _key_of(hit["_id"]), hit["_source"]["at"]) for hit in hits)
        if all(status in (200, 201) for status, _ in self.records.bulk(made)):
            self.records.bulk(b"".join(es_client.delete_line(hit["_id"]) for hit in hits), refresh=True)


def _line(stone, at):
    """The bulk lines of one tombstone (uid orders those of one erasure, which share their `at`)."""
    return es_client.index_lines(stone, {"kind": "erased", "at": at, "uid": stone})


def _key_of(record_id):
    """The tombstone key of a record id, `erased:<key>` or (from before keys) `erased:<answer id>`."""
    name = record_id[len(ANSWER):]
    return tombstone_key(name) if len(name) == 36 else name


def _when(stamp):
    return datetime.fromisoformat(stamp).astimezone()

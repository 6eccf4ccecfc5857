"""The analysts' shared state, in one of two stores behind one interface.

Embedded mode (one instance): tables in the journal (`local.LocalWorkspace`). Search mode (a
fleet behind a load balancer): records in the domain, beside the answers
(`domain.DomainWorkspace`), so that sessions, erasures, caps and the audit log hold for every
instance and outlive any of them. An instance keeps caches only.

The interface, which both stores implement and tests/workspace runs against both:
- sessions: `session(token)`, `start_session(token, name, fingerprint, now)`,
  `saw_session(token, now)`, `end_session(token)`;
- erasure: `tombstone(doc_ids, email)` and `erased_among(rows)`;
- caps: `claim_place(survey, cap, doc_id)`, one of a capped survey's places for an answer, and
  `answers_elsewhere(survey)`, the survey's answers that only other instances hold (for showing
  a full survey as closed);
- audit: `audit_entries(action, actor, limit)`, newest first;
- the team (workspace/team.py): `team()`, `grant_role(name, role, actor)`, `note_person(name)`;
- `settle()`: make every write so far searchable, where the store can (tests, erasure).
"""
from collector.common.slots import Slot
from collector.surveys import taking

WORKSPACE = Slot("workspace")


def init_app(app, store):
    """Keep the app's workspace store (the composition root built it for the mode)."""
    WORKSPACE.put(app, store)
    taking.ANSWERS_ELSEWHERE.put(app, store.answers_elsewhere)
    taking.CLAIM_PLACE.put(app, store.claim_place)


def current():
    """The current app's workspace store."""
    return WORKSPACE.of()


def of(app):
    """An app's workspace store (outside a request or app context)."""
    return WORKSPACE.of(app)

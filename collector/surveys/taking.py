"""Whether a survey takes answers now: its schedule, and its response cap (this journal's count, or
places claimed across a fleet)."""


from collector import journal
from collector.common import clock
from collector.common.slots import Slot

ANSWERS_ELSEWHERE = Slot("answers_elsewhere")
CLAIM_PLACE = Slot("claim_place")


def closed_state(survey):
    """Why the survey takes no answers now ('not yet open', 'closed', 'full'), or None."""
    state = survey.schedule_state(clock.utc())
    if state != "open":
        return state
    cap = journal_cap(survey)
    if cap is not None and journal.count_for_survey(survey.slug) >= cap:
        return "full"
    return None


def journal_cap(survey):
    """How many answers this journal may hold for the survey (None: no cap): max_responses less the
    answers only other instances of a fleet hold (the workspace registers answers_elsewhere)."""
    if not survey.max_responses:
        return None
    return survey.max_responses - ANSWERS_ELSEWHERE.find(default=lambda slug: 0)(survey.slug)


def claim_place(survey, doc_id):
    """For a capped survey in a fleet, claim a place for this answer: True (taken), False (full), or
    None where this journal's count decides, inside the insert (embedded mode, a domain outage)."""
    if not survey.max_responses:
        return None
    return CLAIM_PLACE.find(default=lambda *args: None)(survey.slug, survey.max_responses, doc_id)

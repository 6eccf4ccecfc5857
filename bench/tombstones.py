"""What learning the fleet's erasures costs an instance's shipper (collector/shipping/forgetting.py) on the
real node: a pass with nothing new (one search of the workspace), and a pass that learns 1,000 tombstones
against a journal of 20,000 answers, 10 of them erased elsewhere (a scan of the journal's ids). Writes
bench/data/tombstones.json. Run: .venv/bin/python -m bench.tombstones"""
import json
import os
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timezone

from bench import servers
from bench.run import DATA
from collector import create_app, journal, workspace
from collector.shipping.forgetting import Forgetting
from models import SurveyResponse

ANSWERS, TOMBSTONES, HELD, IDLE_PASSES = 20_000, 1_000, 10, 50


def journal_of(app, count):
    """count shipped answers in the app's journal; their ids."""
    ids = [str(uuid.uuid4()) for _ in range(count)]
    now = datetime.now(timezone.utc)
    with app.app_context():
        db = journal.get_db()
        db.execute("BEGIN")
        for doc_id in ids:
            doc = SurveyResponse(meta={"id": doc_id}, essay=f"answer {doc_id}", email="", submitted_at=now, tags=[],
                                 is_spam=False, spam_score=0.0)
            journal.insert_row(db, doc, "shipped")
        db.execute("COMMIT")
    return ids


def timed(step, db):
    """(milliseconds, what the step returned)."""
    started = time.perf_counter()
    result = step(db)
    return (time.perf_counter() - started) * 1000, result


def main():
    """Measure both passes; print and keep the figures."""
    with servers.domain() as (url, _node), tempfile.TemporaryDirectory() as data:
        os.environ.update(servers.search_env(url))
        app = create_app({"DATA_DIR": data, "SECRET_KEY": "bench", "SHIPPER_AUTOSTART": False,
                          **servers.search_env(url)})
        ids, step = journal_of(app, ANSWERS), Forgetting(app)
        db = journal.connect(app.config["JOURNAL_PATH"])
        with app.app_context():
            timed(step, db)  # the workspace index is made on first use
            idle = [timed(step, db)[0] for _ in range(IDLE_PASSES)]
            workspace.current().tombstone([*ids[:HELD], *(str(uuid.uuid4()) for _ in range(TOMBSTONES - HELD))])
            workspace.current().settle()
            learning, forgotten = timed(step, db)
    figures = {"answers": ANSWERS, "tombstones": TOMBSTONES, "idle_pass_ms_median": round(statistics.median(idle), 1),
               "idle_pass_ms_max": round(max(idle), 1), "learning_pass_ms": round(learning), "forgotten": forgotten}
    DATA.mkdir(exist_ok=True)
    (DATA / "tombstones.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

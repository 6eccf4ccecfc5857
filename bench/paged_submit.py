"""What a page costs: the same three questions asked on one page, then on three pages (Next, Next,
Send), through the Procfile's gunicorn in production settings (embedded mode). One respondent at a
time, ROUNDS answers each: the p50/p95 of every POST, per kind of page. A page's Next writes its draft
(one journal transaction); Send journals the answer as the one-page form does.
Run: python -m bench.paged_submit   (BENCH_ROUNDS changes the count)
"""
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import requests

from bench import servers
from bench.load import HTTPS, TOKEN

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))
QUESTIONS = """
      - {id: role, type: choice, label: Your role, options: [Engineer, Manager], required: true}
      - {id: week, type: essay, label: Your first week, required: true}
      - {id: mood, type: rating, label: Your mood, required: true}"""
PAGED = QUESTIONS.replace("required: true}", "required: true}\n      - page_break", 2)
SURVEYS = f"""surveys:
  - slug: one
    title: One page
    email: "off"
    questions:{QUESTIONS}
  - slug: three
    title: Three pages
    email: "off"
    questions:{PAGED}
"""
ANSWER = {"role": "Engineer", "week": "The laptop came late but the team was kind. " * 4, "mood": "4"}


def _post(session, url, data, timings):
    started = time.perf_counter()
    response = session.post(url, data=data, allow_redirects=False)
    timings.append(time.perf_counter() - started)
    if response.status_code != 303:
        raise RuntimeError(f"{url}: {response.status_code}")
    return response.headers["Location"]


def respondent(base, slug):
    """A browser's session on the survey's first page: (session, CSRF token)."""
    session = requests.Session()
    first = session.get(f"{base}/s/{slug}", headers=HTTPS)
    session.headers.update({**HTTPS, "Referer": base.replace("http://", "https://", 1) + f"/s/{slug}",
                            "Cookie": f"session={first.cookies['session']}"})
    return session, TOKEN.search(first.text).group(1)


def answer(base, slug, timings):
    """One answer: on one page, or page by page; timings gains each POST's seconds by page kind."""
    session, token = respondent(base, slug)
    if slug == "one":
        return _post(session, f"{base}/s/one", {**ANSWER, "csrf_token": token}, timings["one page"])
    resume = _post(session, f"{base}/s/three", {"role": ANSWER["role"], "action": "next", "csrf_token": token},
                   timings["next (first page)"])
    resume = resume if resume.startswith("http") else base + resume
    _post(session, resume, {"week": ANSWER["week"], "action": "next", "csrf_token": token}, timings["next"])
    return _post(session, resume, {"mood": ANSWER["mood"], "action": "finish", "csrf_token": token},
                 timings["send (last page)"])


def figures(seconds):
    ordered = sorted(seconds)
    return {"posts": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[int(0.95 * len(ordered)) - 1] * 1000, 2)}


def main():
    """One JSON document: p50/p95 of each kind of POST."""
    timings = {"one page": [], "next (first page)": [], "next": [], "send (last page)": []}
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "surveys.yaml").write_text(SURVEYS)
        with servers.gunicorn(folder, SURVEYS_FILE=str(Path(folder, "surveys.yaml"))) as (base, _pid):
            for _ in range(20):  # warm both paths first
                answer(base, "one", {k: [] for k in timings})
                answer(base, "three", {k: [] for k in timings})
            for _ in range(ROUNDS):
                answer(base, "one", timings)
                answer(base, "three", timings)
    print(json.dumps({"rounds": ROUNDS, **{kind: figures(seconds) for kind, seconds in timings.items()}}, indent=2))


if __name__ == "__main__":
    main()

"""The analyst's side over HTTP: dashboard pages for every query class, and mixed traffic for P5."""
import re
import statistics
import threading
import time
from urllib.parse import urlencode

import requests
from werkzeug.security import generate_password_hash

from bench.wrk import HTTPS

PASSWORD = "bench-analyst-password"
HIDDEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def analysts_setting():
    """ANALYSTS for the benchmark's gunicorn: one analyst, a fast hash (logins are not measured)."""
    return "bench:" + generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")


def _keep_cookie(session, response, *args, **kwargs):
    # Production cookies are Secure, which requests will not send over the loopback's plain HTTP.
    if "session" in response.cookies:
        session.headers["Cookie"] = f"session={response.cookies['session']}"


def logged_in(url):
    """A requests session holding a logged-in analyst's cookie."""
    session = requests.Session()
    session.headers.update({**HTTPS, "Referer": url.replace("http://", "https://", 1) + "/analyst/login"})
    session.hooks["response"].append(lambda response, *args, **kwargs: _keep_cookie(session, response))
    form = session.get(url + "/analyst/login").text
    answer = session.post(url + "/analyst/login", allow_redirects=False,
                          data={"name": "bench", "password": PASSWORD, "csrf_token": HIDDEN.search(form).group(1)})
    if answer.status_code not in (302, 303):
        raise RuntimeError(f"analyst login failed: {answer.status_code}")
    return session


def dashboard_latency(url, mix, per_class=30):
    """P4 over HTTP: the whole dashboard page (figures, charts, codes, crosstab, hits) per query class."""
    session, results = logged_in(url), {}
    session.get(url + "/analyst/")  # warm: templates compiled, connections open
    for kind, params in mix.items():
        samples = []
        for one in params[:per_class]:
            started = time.perf_counter()
            page = session.get(url + "/analyst/?" + urlencode(one))
            samples.append(time.perf_counter() - started)
            if page.status_code != 200:
                raise RuntimeError(f"{kind} {one}: {page.status_code}")
        ordered = sorted(samples)
        results[kind] = {"p50_ms": round(statistics.median(ordered) * 1000, 1),
                         "p95_ms": round(ordered[int(0.95 * len(ordered))] * 1000, 1),
                         "max_ms": round(ordered[-1] * 1000, 1), "pages": len(ordered)}
    return results


def browse_while(url, mix, stop):
    """Analysts paging through dashboards (every query class, in turn) until `stop` is set."""
    session, pages = logged_in(url), 0
    queries = [one for params in mix.values() for one in params]
    while not stop.is_set():
        session.get(url + "/analyst/?" + urlencode(queries[pages % len(queries)]))
        pages += 1
    return pages


def in_background(work, *args):
    """Run work(*args, stop) in a thread; returns (stop event, thread, result holder)."""
    stop, holder = threading.Event(), {}
    thread = threading.Thread(target=lambda: holder.setdefault("result", work(*args, stop)), daemon=True)
    thread.start()
    return stop, thread, holder

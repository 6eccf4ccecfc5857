"""Load from Debian's wrk (C, event loop): closed-loop runs at the trivial endpoints and at POST /.

wrk costs far less CPU per request than a Python generator, so on a 2-core box more of the
machine measures the server. Submits come from one browser session (its cookie, CSRF token and
form-start token, taken here from GET /), each with a new essay drawn from the corpus words.
"""
import json
import os
import random
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

from bench.corpus import EssayGenerator

SCRIPTS = Path(__file__).resolve().parent / "wrk"
HTTPS = {"X-Forwarded-Proto": "https"}  # production mode redirects plain HTTP; the ALB would say https
HIDDEN = r'name="{}" type="hidden" value="([^"]+)"'


def binary():
    """The wrk executable (make bench installs Debian's package when it is missing)."""
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed: `apt-get install wrk` (make bench does it)")
    return found


def words_file(folder):
    """5,000 words drawn from the corpus's Zipf distribution: uniform picks from it read like essays."""
    path = Path(folder) / "words.txt"
    if not path.exists():
        generator, rnd = EssayGenerator(seed=5), random.Random(5)
        picks = rnd.choices(generator.words, cum_weights=generator.cumulative, k=5000)
        path.write_text("\n".join(picks) + "\n")
    return path


def browser_session(url):
    """BENCH_* variables for submit.lua: what one browser holds after GET /."""
    with urllib.request.urlopen(urllib.request.Request(url + "/", headers=HTTPS)) as response:
        page = response.read().decode()
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    return {"BENCH_COOKIE": cookie, "BENCH_TOKEN": re.search(HIDDEN.format("csrf_token"), page).group(1),
            "BENCH_STARTED": _hidden("started", page),
            "BENCH_REFERER": url.replace("http://", "https://", 1) + "/"}


def _hidden(name, page):
    """A hidden field's value, or "" where the form has none (the tutorial's form has no `started`)."""
    found = re.search(HIDDEN.format(name), page)
    return found.group(1) if found else ""


def run(url, path="/robots.txt", seconds=10, connections=8, threads=2, submit_words=None):
    """One wrk run; submit_words (a words file) makes it POST / instead of GET path. Returns its RESULT."""
    env = {**os.environ, "BENCH_WRK_DIR": str(SCRIPTS)}
    script = SCRIPTS / "get.lua"
    if submit_words:
        env.update(browser_session(url), BENCH_WORDS=str(submit_words))
        script, path = SCRIPTS / "submit.lua", "/"
    command = [binary(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
               "-s", str(script), url + path]
    output = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    result = json.loads(next(line for line in output.splitlines() if line.startswith("RESULT "))[7:])
    return {**result, "connections": connections, "path": path}

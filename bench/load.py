"""An async load generator (aiohttp): closed-loop virtual users, each with its own session and CSRF token."""
import asyncio
import re
import statistics
import time

import aiohttp

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
HTTPS = {"X-Forwarded-Proto": "https"}  # production mode redirects plain HTTP; the ALB would say https


def summary(latencies, seconds, errors):
    """Throughput and latency percentiles (ms) of one run."""
    ordered = sorted(latencies) or [float("nan")]

    def pick(q):
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"requests": len(latencies), "errors": errors, "rps": round(len(latencies) / seconds, 1),
            "p50_ms": round(pick(0.50), 2), "p99_ms": round(pick(0.99), 2),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 2)}


async def _session_for(http, url):
    """GET the form once: the session cookie and the CSRF token a browser would hold."""
    async with http.get(url + "/", headers=HTTPS) as response:
        page = await response.text()
        cookie = response.cookies["session"].value
    referer = url.replace("http://", "https://", 1) + "/"  # what a browser sends from the form page
    return {**HTTPS, "Cookie": f"session={cookie}", "Referer": referer}, TOKEN.search(page).group(1)


async def _user(http, url, kind, deadline, latencies, errors, essays, user):
    headers, token = await _session_for(http, url)
    n = 0
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        if kind == "submit":
            data = {"essay": essays(user, n), "email": f"user{user}@example.org", "csrf_token": token}
            request = http.post(url + "/", data=data, headers=headers, allow_redirects=False)
            ok = {303}
        else:
            request, ok = http.get(url + "/robots.txt", headers=headers), {200}
        async with request as response:
            await response.read()
            (latencies.append(time.perf_counter() - started) if response.status in ok else errors.append(response.status))
        n += 1


async def _run(url, kind, users, seconds, essays):
    latencies, errors = [], []
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(connector=connector) as http:
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(*(_user(http, url, kind, deadline, latencies, errors, essays, u) for u in range(users)))
        elapsed = time.perf_counter() - started
    return summary(latencies, elapsed, len(errors))


async def _paced(url, rate, seconds, essays, sessions=32):
    latencies, errors = [], []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        users = await asyncio.gather(*(_session_for(http, url) for _ in range(sessions)))

        async def one(n, scheduled):
            headers, token = users[n % sessions]
            data = {"essay": essays(n % sessions, n), "email": f"user{n % sessions}@example.org", "csrf_token": token}
            async with http.post(url + "/", data=data, headers=headers, allow_redirects=False) as response:
                await response.read()
                # Timed from when it was due, not when it was sent: queueing counts (no coordinated omission).
                (latencies.append(time.perf_counter() - scheduled) if response.status == 303 else errors.append(1))

        start, tasks = time.perf_counter(), []
        for n in range(int(rate * seconds)):
            due = start + n / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(n, due)))
        await asyncio.gather(*tasks)
    return summary(latencies, seconds, len(errors))


def run_rate(url, rate, seconds=10, essays=lambda user, n: f"Benchmark answer {user}-{n}."):
    """Open loop: submit at a fixed `rate` per second, whatever the latency; returns the summary."""
    return asyncio.run(_paced(url, rate, seconds, essays))


def run(url, kind, users=16, seconds=10, essays=lambda user, n: f"Benchmark answer {user}-{n}."):
    """Hammer `kind` ('submit' or 'ping') with `users` closed-loop users for `seconds`."""
    return asyncio.run(_run(url, kind, users, seconds, essays))

-- Shared by every wrk script here: the HTTPS header the load balancer would add, and one JSON
-- line of results (wrk's own percentiles, in ms) that bench/wrk.py reads.
wrk.headers["X-Forwarded-Proto"] = "https"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nRESULT {"requests": %d, "seconds": %.3f, "errors": %d, "rps": %.1f, "p50_ms": %.2f, ' ..
    '"p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.status + e.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end

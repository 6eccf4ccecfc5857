"""The benchmark's figures against their targets, as the table make bench prints."""


def _span(values, fmt="{:.0f}"):
    low, high = min(values), max(values)
    return fmt.format(low) if fmt.format(low) == fmt.format(high) else f"{fmt.format(low)}–{fmt.format(high)}"


def p1_rows(p1):
    """P1 over its rounds: ranges, not one lucky run."""
    rounds = p1["rounds"]

    def over(key, field):
        return _span([r[key][field] for r in rounds])

    return [
        ("P1 /robots.txt, /healthz req/s", f"{over('robots', 'rps')}, {over('healthz', 'rps')}", "ceiling"),
        ("P1 submit req/s (p50 / p99 ms)", f"{over('submit', 'rps')} ({over('submit', 'p50_ms')} / "
                                           f"{over('submit', 'p99_ms')})", "saturated, 8 connections"),
        ("P1 submit / robots, / healthz", f"{_span([r['ratio_to_robots'] for r in rounds], '{:.0%}')}, "
                                          f"{_span([r['ratio_to_healthz'] for r in rounds], '{:.0%}')}", ">= 50%"),
        (f"P1 open loop at {p1['open_loop']['rate']} req/s", f"p50 {p1['open_loop']['p50_ms']} / p99 "
                                                            f"{p1['open_loop']['p99_ms']} ms, {p1['open_loop']['requests']}"
                                                            " requests", "p99 < 50 ms"),
    ]


def p2_rows(p2):
    """P2 as throughput and as CPU per stored answer (the honest ratio on 2 shared cores)."""
    rows = []
    for ms in (0, 20):
        ours, tutorial = p2[f"ours_{ms}ms"], p2[f"tutorial_{ms}ms"]
        rows += [(f"P2 @{ms} ms req/s ours / tutorial", f"{ours['rps']} / {tutorial['rps']} = {p2[f'rps_ratio_{ms}ms']}x",
                  ">= 5x"),
                 (f"P2 @{ms} ms CPU ms per submit", f"{ours['cpu_ms_per_submit']} / {tutorial['cpu_ms_per_submit']} = "
                                                    f"{p2[f'cpu_ratio_{ms}ms']}x less", "app + domain")]
    return rows


def p4_rows(p4, http):
    """Every query class: in-process p50 / p95, and the dashboard page over HTTP p50 / p95."""
    rows = []
    for kind, inproc in p4.items():
        if isinstance(inproc, dict):
            page = http.get(kind, {})
            rows.append((f"P4 {kind}", f"{inproc['p50_ms']} / {inproc['p95_ms']} ms; page {page.get('p50_ms', '-')} / "
                                       f"{page.get('p95_ms', '-')} ms", "p95 < 50; page < 150"))
    return rows + [("P4 database", f"{p4['database_mb']} MB for {p4['essays']:,} answers", "")]


def real_rows(real, embedded):
    """The real node beside the embedded engine: each query class's p50 / p95, the page's, and memory."""
    rows = [("P3 shipper, 100k into the node", f"{real['P3_100k']['docs_per_s']} docs/s "
                                               f"({real['P3_100k']['documents']:,} docs)", ">= 5,000/s")]
    for kind, ours in real["P4"].items():
        local, page = embedded.get(kind, {}), real["P4_http"].get(kind, {})
        rows.append((f"P4 node {kind}", f"{ours['p50_ms']} / {ours['p95_ms']} ms (embedded {local.get('p50_ms', '-')} / "
                                        f"{local.get('p95_ms', '-')}); page {page.get('p50_ms', '-')} / "
                                        f"{page.get('p95_ms', '-')} ms", "p95 < 50; page < 150"))
    node = real["node"]
    return rows + [("Node memory", f"heap {node['heap_used_mb']} of {node['heap_max_mb']} MB, RSS {node['rss_mb']} MB", "")]


def table(results):
    """All rows, aligned."""
    p5, p3 = results["P5"], results["P3"]
    rows = [*p1_rows(results["P1"]), *p2_rows(results["P2"]),
            ("P3 shipper", f"{p3['docs_per_s']} signed docs/s ({p3['documents']} docs)", ">= 5,000/s"),
            *p4_rows(results["P4"], results["P4_http"]),
            *(real_rows(results["real"], results["P4"]) if "real" in results else []),
            ("P5 worker peak RSS", f"{max(p5['worker_peak_rss_mb'])} MB after {p5['submits']} submits and "
                                   f"{p5['dashboards']} dashboards", "< 120 MB")]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{name:<{width}}  {value:<62}  {target}" for name, value, target in rows)

#!/usr/bin/env python3
"""Turns the chaos suite's results (JSON lines, CHAOS_RESULTS) into the Markdown tables of
docs/reliability.md: one table per fault, the newest round of each fault.

    python chaos_report.py RESULTS.jsonl [--doc docs/reliability.md]

With --doc the part of the document between `<!-- chaos-results:begin -->` and
`<!-- chaos-results:end -->` is replaced; without it the tables go to stdout.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

BEGIN, END = "<!-- chaos-results:begin -->", "<!-- chaos-results:end -->"


def _counts(c: dict[str, Any]) -> str:
    if not c:
        return "–"
    return f"{c['fds']} fds, {c['children']} children ({c['zombies']} zombies), {c['threads']} threads"


def table(r: dict[str, Any]) -> str:
    rows = [
        ("what was done", r["what"]),
        ("victim saw", f"{r['victim']} (after {r['victim_s']} s)" if r["victim"] else "–"),
        ("healthy SDK calls (3 clients)", f"{r['healthy_calls']} calls, "
         f"{'none failed' if not r['healthy_errors'] else 'FAILED: ' + '; '.join(r['healthy_errors'])}"),
        ("healthy median latency, before → during", f"{r['baseline_median_ms']} ms → {r['during_median_ms']} ms "
         f"(p95 during: {r['during_p95_ms']} ms)"),
        ("gateway before", _counts(r["before"])),
        ("gateway after", _counts(r["after"]) + (f" (settled in {r['settle_s']} s)" if r["after"] else "")),
        ("RSS before → peak", f"{r['before'].get('rss_mb', 0):.1f} MB → {r['peak_rss_mb']} MB"),
    ]
    if r.get("calls_after"):
        before = r["before"]["rss_mb"]
        after = r["rss_after_calls_mb"]
        rows.append((f"RSS after {r['calls_after']:,} more calls",
                     f"{after} MB ({(after - before) / before * 100:+.1f} % of before; the calls took {r['calls_after_s']} s)"))
    rows.append(("gateway alive at the end", "yes" if r["gateway_alive"] else "**no**"))
    for note in r.get("notes") or []:
        rows.append(("note", note))
    body = "\n".join(f"| {k} | {str(v).replace('|', '/')} |" for k, v in rows)
    return f"### {r['fault']}\n\n| | |\n|---|---|\n{body}\n"


def render(path: Path) -> str:
    rounds: dict[str, dict[str, Any]] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            rounds[r["fault"]] = r
    return "\n".join(table(r) for r in rounds.values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("results", type=Path)
    ap.add_argument("--doc", type=Path)
    ap.add_argument("--heading", default="", help="a line above the tables (which run, which binary)")
    args = ap.parse_args()
    tables = render(args.results)
    if args.heading:
        tables = f"{args.heading}\n\n{tables}"
    if args.doc is None:
        print(tables)
        return
    doc = args.doc.read_text()
    new, n = re.subn(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: f"{BEGIN}\n\n{tables}\n{END}", doc, flags=re.S)
    if n != 1:
        raise SystemExit(f"{args.doc}: no {BEGIN} … {END} section")
    args.doc.write_text(new)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes multi-need.jsonl: queries that name two or three needs, built from the single-need
queries of ../shared/bench/search-dev.jsonl (issue 19). Each query joins needs drawn uniformly
from those queries, each from a different category, the way a person would write a task ("..., then ...", "... and ...", "First ...,
then ... Finally ..."); `expected` holds every needed tool with its alternatives, so the bench's
Recall@5 is per-need recall and "all needs in the top 5" is read from the per-query results.

    python3 Benchmarks/search-sets/make_multi_need.py --dev ../shared/bench/search-dev.jsonl

Deterministic (a fixed seed): the same input gives the same file.
"""
import argparse
import json
import random
from pathlib import Path

PAIR_FORMS = [
    "{a}, then {b}",
    "{a} and {b}",
    "{A}. After that, {b}",
    "First {a}, and then {b}",
    "{A}; also {b}",
]
TRIPLE_FORMS = [
    "{a}, {b}, and then {c}",
    "First {a}. Then {b}. Finally, {c}",
    "{A}, then {b}, and {c}",
]


def clause(text: str, capital: bool) -> str:
    text = text.strip().rstrip(".?!").strip()
    if not capital and len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", required=True, help="the single-need query file")
    ap.add_argument("--out", default=str(Path(__file__).with_name("multi-need.jsonl")))
    ap.add_argument("--pairs", type=int, default=120)
    ap.add_argument("--triples", type=int, default=80)
    args = ap.parse_args()
    records = [json.loads(line) for line in Path(args.dev).read_text().splitlines() if line.strip()]
    by_category: dict[str, list[dict]] = {}
    for record in records:
        if len(record["expected"]) == 1:
            by_category.setdefault(record["category"], []).append(record)
    # Categories with enough queries to draw from without repeating much.
    categories = sorted(c for c, rs in by_category.items() if len(rs) >= 20)
    pool = [r for c in categories for r in by_category[c]]
    rng = random.Random(20261207)
    out = []
    for size, count, forms in ((2, args.pairs, PAIR_FORMS), (3, args.triples, TRIPLE_FORMS)):
        for n in range(count):
            # Queries drawn uniformly (needs as frequent as in the single-need set), each from a
            # category not drawn yet for this query.
            parts: list[dict] = []
            while len(parts) < size:
                candidate = rng.choice(pool)
                if candidate["category"] not in {p["category"] for p in parts}:
                    parts.append(candidate)
            chosen = [p["category"] for p in parts]
            form = forms[n % len(forms)]
            fields = {}
            for key, part in zip("abc", parts):
                fields[key] = clause(part["query"], capital=False)
                fields[key.upper()] = clause(part["query"], capital=True)
            text = form.format(**fields)
            text = text[0].upper() + text[1:] + "."
            out.append({
                "id": f"multi-{size}-{n:03d}",
                "query": text,
                "expected": [part["expected"][0] for part in parts],
                "category": "+".join(chosen),
                "source": "make_multi_need.py from " + ", ".join(part["id"] for part in parts),
            })
    Path(args.out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out))
    print(f"{len(out)} queries ({args.pairs} pairs, {args.triples} triples) from {categories} -> {args.out}")


if __name__ == "__main__":
    main()

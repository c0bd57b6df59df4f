"""Vectorised drawing helpers shared by the attribute generators (internal)."""
from __future__ import annotations

import functools
import unicodedata

import numpy as np
import pandas as pd

ALNUM = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)
LOWER = ALNUM[:26]
DIGITS = ALNUM[26:]


def zipf_weights(n: int, s: float = 5.0) -> np.ndarray:
    """Weights 1/(rank + s): the first items of a list are the most common."""
    w = 1.0 / (np.arange(n) + s)
    return w / w.sum()


def pick(rng: np.random.Generator, values, size: int, p=None) -> np.ndarray:
    """``size`` values drawn from ``values`` (object array out)."""
    values = np.asarray(values, dtype=object)
    if p is not None:
        p = np.asarray(p, dtype=float)
        p = p / p.sum()
    return values[rng.choice(len(values), size=size, p=p)]


def codes(rng: np.random.Generator, probs, size: int) -> np.ndarray:
    """Category codes 0..len(probs)-1 drawn with the given (unnormalised) probabilities."""
    p = np.asarray(list(probs.values()) if isinstance(probs, dict) else probs, dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def random_strings(rng: np.random.Generator, size: int, lo: int, hi: int, alphabet=ALNUM) -> np.ndarray:
    """Random strings of length lo..hi over ``alphabet`` (uint8 codes)."""
    if size == 0:
        return np.zeros(0, dtype=object)
    m = alphabet[rng.integers(0, len(alphabet), (size, hi))]
    lens = rng.integers(lo, hi + 1, size)
    raw = m.view(f"S{hi}").ravel()
    return np.array([r[:k].decode() for r, k in zip(raw, lens)], dtype=object)


@functools.lru_cache(maxsize=64)
def number_table(lo: int, hi: int, width: int = 0) -> np.ndarray:
    """The integers lo..hi-1 as strings, zero-padded to ``width``."""
    return np.array([f"{v:0{width}d}" for v in range(lo, hi)], dtype=object)


def numbers(rng: np.random.Generator, size: int, lo: int, hi: int, width: int = 0) -> np.ndarray:
    """Random integers in [lo, hi) as strings, zero-padded to ``width``."""
    return number_table(lo, hi, width)[rng.integers(lo, hi, size) - lo]


def apply_unique(func, values: np.ndarray) -> np.ndarray:
    """``func`` applied once per distinct value."""
    codes, uniq = pd.factorize(np.asarray(values, dtype=object))
    return np.array([func(u) for u in uniq], dtype=object)[codes]


def duplicated(values: np.ndarray) -> np.ndarray:
    """True for every repeat of an earlier value."""
    return pd.Series(values, dtype=object).duplicated().to_numpy()


def fill_hash(rng: np.random.Generator, templates: np.ndarray) -> np.ndarray:
    """Replace every '#' in each template by a random digit."""
    out = np.array(templates, dtype=object)
    uniq, inv = np.unique(out.astype(str), return_inverse=True)
    for j, t in enumerate(uniq):
        if "#" not in t:
            continue
        idx = np.flatnonzero(inv == j)
        b = np.frombuffer(t.encode(), dtype=np.uint8)
        arr = np.tile(b, (len(idx), 1))
        holes = np.flatnonzero(b == ord("#"))
        arr[:, holes] = DIGITS[rng.integers(0, 10, (len(idx), len(holes)))]
        out[idx] = [r.decode() for r in arr.view(f"S{len(b)}").ravel()]
    return out


def fold(text: str) -> str:
    """Lower-case ASCII form of a name for email local parts ('José García' -> 'josegarcia')."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_.lower() if ch.isalnum())


def strip_accents(text: str) -> str:
    """'José' -> 'Jose', keeping case and spaces."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text


def join(*parts) -> np.ndarray:
    """Element-wise concatenation of equal-length arrays / scalars of strings."""
    n = max(len(p) for p in parts if not isinstance(p, str))
    cols = [[p] * n if isinstance(p, str) else p for p in parts]
    return np.array(["".join(t) for t in zip(*cols)], dtype=object)

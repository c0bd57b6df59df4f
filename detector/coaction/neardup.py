"""Near-duplicate texts: MinHash with banded LSH, verified by exact Jaccard similarity.

Texts are compared as sets of words. Candidate pairs come from MinHash signatures that agree on
a whole band; every candidate is checked with the exact Jaccard similarity, so there are no
false matches, only (rare) missed ones: with 32 hashes in 8 bands a pair at similarity 0.8 is
found with probability 0.98, at 0.9 with 0.9998. Near-duplicate texts are then grouped by
connected components, so a chain of edits (a ~ b ~ c) is one object.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["near_duplicate_groups", "jaccard"]

N_HASHES, BANDS = 32, 8
_MERSENNE = np.uint64((1 << 61) - 1)


def jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the word sets of two texts.

    >>> round(jaccard("vote early vote often", "vote often"), 3)
    0.667
    """
    x, y = set(a.split()), set(b.split())
    return len(x & y) / len(x | y) if x | y else 1.0


def near_duplicate_groups(texts: pd.Series, *, threshold: float = 0.8, min_words: int = 4,
                          seed: int = 0) -> np.ndarray:
    """Group ids such that texts with Jaccard similarity >= ``threshold`` share a group.

    Parameters
    ----------
    texts : Series of str
        Normalised texts (see :func:`detector.coaction.normalise_text`).
    threshold : float, default 0.8
        Minimum Jaccard similarity of the word sets (coordination-network-toolkit's default).
    min_words : int, default 4
        Texts with fewer distinct words only match identical texts: short texts are too
        alike by chance.
    seed : int, default 0
        Seed of the hash functions; results are deterministic for a seed.

    Returns
    -------
    ndarray of int64
        One group id per text; identical texts always share one.

    Examples
    --------
    >>> import pandas as pd
    >>> near_duplicate_groups(pd.Series(["free tickets for the rally tonight link in bio",
    ...     "free tickets for the rally tonight link in my bio", "hello", "hello", "bye"])).tolist()
    [0, 0, 1, 1, 2]
    """
    code, uniq = pd.factorize(texts.astype(str), sort=True)   # candidates do not depend on the row order
    words = [t.split() for t in uniq]
    sets = [set(w) for w in words]
    long = np.flatnonzero(np.array([len(s) >= min_words for s in sets], dtype=bool))
    pairs = _candidates([sets[k] for k in long], seed)
    parent = np.arange(len(uniq))
    for a, b in pairs:
        x, y = sets[long[a]], sets[long[b]]
        if len(x & y) >= threshold * len(x | y):
            _union(parent, long[a], long[b])
    root = np.array([_find(parent, k) for k in range(len(uniq))], dtype=np.int64)
    _, group = np.unique(root, return_inverse=True)
    group = _first_seen_order(group[code])
    return group


def _candidates(sets: list[set], seed: int) -> set[tuple[int, int]]:
    """Pairs of documents whose MinHash signatures agree on at least one band."""
    if len(sets) < 2:
        return set()
    tokens = np.array([w for s in sets for w in sorted(s)], dtype=object)
    h = pd.util.hash_array(tokens).astype(np.uint64) % _MERSENNE
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 61, N_HASHES, dtype=np.uint64)
    b = rng.integers(0, 1 << 61, N_HASHES, dtype=np.uint64)
    starts = np.r_[0, np.cumsum([len(s) for s in sets])[:-1]]
    sig = np.empty((len(sets), N_HASHES), dtype=np.uint64)
    for k in range(N_HASHES):   # one hash at a time keeps memory at one token array
        hk = (a[k] * h + b[k]) % _MERSENNE   # wraps mod 2**64 first: still a fine hash family
        sig[:, k] = np.minimum.reduceat(hk, starts)
    r = N_HASHES // BANDS
    out = set()
    for band in range(BANDS):
        key = _band_key(sig[:, band * r:(band + 1) * r])
        o = np.argsort(key, kind="stable")
        same = np.flatnonzero(key[o][1:] == key[o][:-1])
        out.update(zip(o[same].tolist(), o[same + 1].tolist()))   # neighbours in a bucket: a chain
    return out


def _band_key(block: np.ndarray) -> np.ndarray:
    """One uint64 per row of a signature block (a polynomial hash of its values)."""
    key = np.zeros(len(block), dtype=np.uint64)
    for col in block.T:
        key = key * np.uint64(1_000_003) + col
    return key


def _find(parent: np.ndarray, k: int) -> int:
    while parent[k] != k:
        parent[k] = parent[parent[k]]
        k = parent[k]
    return int(k)


def _union(parent: np.ndarray, a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _first_seen_order(group: np.ndarray) -> np.ndarray:
    """Renumber groups 0, 1, ... in order of first appearance."""
    _, first, inv = np.unique(group, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inv]

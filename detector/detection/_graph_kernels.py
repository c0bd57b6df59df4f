"""Compiled loop of the similarity graph's token selection (numba; internal).

Each registration keeps its ``top`` heaviest (registration, token) pairs, of equal weights the
first: one pass over pairs grouped by registration, a sorted list of at most ``top`` per group,
instead of sorting every crowded registration's pairs. Compiled on first use and cached on disk.
"""
import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _keep_top(pair_row, weights, top, keep):  # pragma: no cover
    best = np.empty(top, np.int64)
    n = len(pair_row)
    s = 0
    while s < n:
        e = s + 1
        while e < n and pair_row[e] == pair_row[s]:
            e += 1
        if e - s > top:
            m = 0
            for i in range(s, e):
                w = weights[i]
                if m == top and not w > weights[best[top - 1]]:
                    continue                      # not heavier than the last kept: earlier ones win ties
                j = m if m < top else top - 1
                while j > 0 and weights[best[j - 1]] < w:
                    best[j] = best[j - 1]
                    j -= 1
                best[j] = i
                if m < top:
                    m += 1
            for i in range(s, e):
                keep[i] = False
            for j in range(m):
                keep[best[j]] = True
        s = e


def keep_top_grouped(pair_row: np.ndarray, weights: np.ndarray, top: int) -> np.ndarray:
    """Mask of each registration's ``top`` heaviest pairs; ``pair_row`` grouped (non-decreasing)."""
    keep = np.ones(len(pair_row), dtype=bool)
    if top >= 1:
        _keep_top(pair_row, np.asarray(weights, dtype=np.float64), int(top), keep)
    else:
        keep[:] = False
    return keep

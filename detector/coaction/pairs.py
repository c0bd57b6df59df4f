"""Co-actions: pairs of actions on the same object within an exact time window (internal).

The actions are sorted by (object, time); for each action a vectorised binary search finds the
first and last action on the same object with ``|t1 - t2| <= window``. Pairs are generated in
chunks of bounded size, so memory stays flat however popular an object is.
"""
from __future__ import annotations

import numpy as np

__all__ = ["order", "window_bounds", "iter_pairs", "directed_weights"]

CHUNK = 8_000_000   # pairs generated at once


def order(obj: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Permutation sorting actions by object, then time."""
    return np.lexsort((time, obj))


def _search(values: np.ndarray, start: np.ndarray, stop: np.ndarray, target: np.ndarray, right: bool) -> np.ndarray:
    """For each i, the first index k in [start_i, stop_i) with values[k] >= target_i (> if right)."""
    lo, hi = start.copy(), stop.copy()
    while True:
        active = lo < hi
        if not active.any():
            return lo
        mid = (lo + hi) // 2
        v = values[np.minimum(mid, len(values) - 1)]
        go_right = (v <= target) if right else (v < target)
        go_right &= active
        lo = np.where(go_right, mid + 1, lo)
        hi = np.where(active & ~go_right, mid, hi)


def window_bounds(obj: np.ndarray, time: np.ndarray, window_ns: int) -> tuple[np.ndarray, np.ndarray]:
    """For actions sorted by (obj, time): the slice [lo, hi) of actions on the same object with
    ``|t - t_i| <= window`` (the action itself included)."""
    n = len(obj)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    change = np.flatnonzero(np.r_[True, obj[1:] != obj[:-1]])
    seg = np.repeat(np.arange(len(change)), np.diff(np.r_[change, n]))
    start = change[seg]
    stop = np.r_[change[1:], n][seg]
    lo = _search(time, start, stop, time - window_ns, right=False)
    hi = _search(time, start, stop, time + window_ns, right=True)
    return lo.astype(np.int64), hi.astype(np.int64)


def iter_pairs(lo: np.ndarray, hi: np.ndarray, *, chunk: int = CHUNK):
    """Yield (i, j) index arrays of all pairs i, j with lo[i] <= j < hi[i], in bounded chunks."""
    counts = hi - lo
    ends = np.cumsum(counts)
    i0 = 0
    n = len(lo)
    while i0 < n:
        base = ends[i0 - 1] if i0 else 0
        i1 = int(np.searchsorted(ends, base + chunk, side="right"))
        i1 = max(i1, i0 + 1)
        c = counts[i0:i1]
        i = np.repeat(np.arange(i0, i1, dtype=np.int64), c)
        start = np.repeat(ends[i0:i1] - c - base, c)
        j = np.repeat(lo[i0:i1], c) + (np.arange(len(i), dtype=np.int64) - start)
        yield i, j
        i0 = i1


def directed_weights(post: np.ndarray, account: np.ndarray, lo: np.ndarray, hi: np.ndarray, n_accounts: int,
                     *, same_post: bool, same_account: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights ``w(u1 -> u2)``: the number of u1's posts that have a co-action by u2.

    Parameters
    ----------
    post, account : ndarray of int64
        Per action (sorted by object, then time): its post and its author's code.
    lo, hi : ndarray
        From :func:`window_bounds`.
    n_accounts : int
        Number of account codes.
    same_post : bool
        Whether an action matches itself (coordination-network-toolkit 1.5.2 does).
    same_account : bool
        Whether to keep pairs within one account (self-loops).

    Returns
    -------
    u1, u2, weight : ndarray of int64
        Sorted by (u1, u2).
    """
    U = np.int64(max(n_accounts, 1))
    n_posts = int(post.max()) + 1 if len(post) else 0
    author = np.zeros(n_posts, dtype=np.int64)
    author[post] = account
    per_post = np.bincount(post, minlength=n_posts)
    multi = per_post[post] > 1        # posts with several actions: matches deduplicated globally
    codes, counts, multi_codes = [], [], []
    for i, j in iter_pairs(lo, hi):
        keep = np.ones(len(i), dtype=bool)
        if not same_post:
            keep &= post[i] != post[j]
        if not same_account:
            keep &= account[i] != account[j]
        i, j = i[keep], j[keep]
        code = post[i] * U + account[j]        # (a post of u1, u2) counts once
        m = multi[i]
        if m.any():
            multi_codes.append(np.unique(code[m]))
        c, n = _pair_counts(np.unique(code[~m]), author, U)
        codes.append(c)
        counts.append(n)
    if multi_codes:
        mc = np.unique(np.concatenate(multi_codes))
        c, n = _pair_counts(mc, author, U)
        codes.append(c)
        counts.append(n)
    if not codes:
        z = np.zeros(0, dtype=np.int64)
        return z, z.copy(), z.copy()
    code, inv = np.unique(np.concatenate(codes), return_inverse=True)
    weight = np.bincount(inv, weights=np.concatenate(counts)).astype(np.int64)
    return code // U, code % U, weight


def _pair_counts(post_codes: np.ndarray, author: np.ndarray, U: np.int64) -> tuple[np.ndarray, np.ndarray]:
    """From distinct (post, u2) codes: distinct (u1, u2) codes and how many posts each has."""
    return np.unique(author[post_codes // U] * U + post_codes % U, return_counts=True)

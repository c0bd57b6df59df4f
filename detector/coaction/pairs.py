"""Co-actions: pairs of actions on the same object within an exact time window (internal).

The actions are sorted by (object, time); for each action one ``searchsorted`` and an exact
correction find the first and last action on the same object with ``|t1 - t2| <= window``.
Weights are counted by a compiled loop over those windows (:mod:`._kernels`), which stores no
pair; the evidence of chosen edges comes from pairs generated in chunks of bounded size.
"""
from __future__ import annotations

import numpy as np

__all__ = ["order", "window_bounds", "iter_pairs", "directed_weights", "distinct"]

CHUNK = 8_000_000   # pairs generated at once


def order(obj: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Permutation sorting actions by object, then time."""
    return np.lexsort((time, obj))


def window_bounds(obj: np.ndarray, time: np.ndarray, window_ns: int) -> tuple[np.ndarray, np.ndarray]:
    """For actions sorted by (obj, time): the slice [lo, hi) of actions on the same object with
    ``|t - t_i| <= window`` (the action itself included).

    One ``searchsorted`` on a float key (object index times a stride wider than the data's span,
    plus seconds) finds the bounds to within rounding; they are then corrected exactly on the
    integer nanoseconds, so the window is exact at any time resolution.
    """
    n = len(obj)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    change = np.flatnonzero(np.r_[True, obj[1:] != obj[:-1]])
    seg = np.repeat(np.arange(len(change)), np.diff(np.r_[change, n]))
    start = change[seg]
    stop = np.r_[change[1:], n][seg]
    t0 = int(time.min())
    rel = (time - t0) / 1e9
    w = window_ns / 1e9
    key = seg * (float(rel.max()) + 2 * w + 1.0) + rel
    lo = np.clip(np.searchsorted(key, key - w, side="left"), start, np.arange(n))
    hi = np.clip(np.searchsorted(key, key + w, side="right"), np.arange(n) + 1, stop)
    low, high = time - window_ns, time + window_ns
    _fix(lo, start, time, low, down=True)
    _fix(hi, stop, time, high, down=False)
    return lo.astype(np.int64), hi.astype(np.int64)


def _fix(bound: np.ndarray, limit: np.ndarray, time: np.ndarray, target: np.ndarray, *, down: bool) -> None:
    """Move approximate bounds (in place) to the exact ones; they are off by rounding only.

    ``down``: lo = first k >= limit with time[k] >= target; else hi = first k <= limit with
    time[k] > target (limit = the segment's stop).
    """
    n = len(time)
    if down:
        while True:   # step left while the previous action is still in the window
            m = np.flatnonzero((bound > limit) & (time[np.maximum(bound - 1, 0)] >= target))
            if not len(m):
                break
            bound[m] -= 1
        while True:   # step right while the action is before the window
            m = np.flatnonzero(time[np.minimum(bound, n - 1)] < target)
            if not len(m):
                break
            bound[m] += 1
    else:
        while True:   # step right while the action is still in the window
            m = np.flatnonzero((bound < limit) & (time[np.minimum(bound, n - 1)] <= target))
            if not len(m):
                break
            bound[m] += 1
        while True:   # step left while the previous action is after the window
            m = np.flatnonzero(time[np.maximum(bound - 1, 0)] > target)
            if not len(m):
                break
            bound[m] -= 1


def iter_pairs(lo: np.ndarray, hi: np.ndarray, rows: np.ndarray | None = None, *, chunk: int = CHUNK):
    """Yield (i, j) index arrays of all pairs with lo[i] <= j < hi[i], in chunks of about
    ``chunk`` pairs; ``rows`` restricts i (default: all)."""
    rows = np.arange(len(lo), dtype=np.int64) if rows is None else rows
    counts = hi[rows] - lo[rows]
    ends = np.cumsum(counts)
    k0 = 0
    while k0 < len(rows):
        base = ends[k0 - 1] if k0 else 0
        k1 = max(int(np.searchsorted(ends, base + chunk, side="right")), k0 + 1)
        c = counts[k0:k1]
        i = np.repeat(rows[k0:k1], c)
        start = np.repeat(ends[k0:k1] - c - base, c)
        j = lo[i] + (np.arange(len(i), dtype=np.int64) - start)
        yield i, j
        k0 = k1


def directed_weights(post: np.ndarray, account: np.ndarray, lo: np.ndarray, hi: np.ndarray, n_accounts: int,
                     *, min_weight: int, same_account: bool, floor: int = 1) -> tuple[np.ndarray, ...]:
    """Weights ``w(u1 -> u2)``: the number of u1's posts that have a co-action by u2.

    Parameters
    ----------
    post, account : ndarray of int64
        Per action (sorted by object, then time): its post and its author's code.
    lo, hi : ndarray
        From :func:`window_bounds`.
    n_accounts : int
        Number of account codes.
    min_weight : int
        Only accounts with at least this many posts can weigh that much: the others are
        skipped as u1 (coordination-network-toolkit prunes the same way).
    same_account : bool
        Whether an account's actions match its own, every action matching itself
        (self-loops; coordination-network-toolkit 1.5.2 does).
    floor : int, default 1
        Smallest weight returned.

    Returns
    -------
    u1, u2, weight : ndarray of int64
        Sorted by (u1, u2).
    """
    from ._kernels import count_coactions

    if len(post) == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z.copy(), z.copy()
    n_posts = int(post.max()) + 1
    author = np.zeros(n_posts, dtype=np.int64)
    author[post] = account
    per_post = np.bincount(post, minlength=n_posts)
    posts_of = np.bincount(author[per_post > 0], minlength=int(n_accounts))
    rows = np.flatnonzero(posts_of[account] >= min_weight)
    rows = rows[np.lexsort((post[rows], account[rows]))]     # by account, a post's actions together
    u1, u2, w = count_coactions(rows, post, account, lo, hi, int(n_accounts), int(floor), bool(same_account))
    o = np.lexsort((u2, u1))
    return u1[o], u2[o], w[o]


def distinct(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values. Sort-based: numpy 2's hash-based ``np.unique(x)`` is ~50x slower
    on millions of int64 codes."""
    y = np.sort(x)
    return y[np.r_[True, y[1:] != y[:-1]]] if len(y) else y

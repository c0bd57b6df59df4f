"""Co-actions: pairs of actions on the same object within an exact time window (internal).

The actions are sorted by (object, time); for each action a vectorised binary search finds the
first and last action on the same object with ``|t1 - t2| <= window``. Pairs are generated in
chunks of bounded size, so memory stays flat however popular an object is.
"""
from __future__ import annotations

import numpy as np

__all__ = ["order", "window_bounds", "iter_pairs", "previous_same_account", "directed_weights", "distinct"]

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


def previous_same_account(obj: np.ndarray, account: np.ndarray) -> np.ndarray:
    """For actions sorted by (obj, time): the index of the same account's previous action on
    the same object, or -1. A pair (i, j) repeats an earlier (i, j') iff prev[j] >= lo[i]."""
    n = len(obj)
    prev = np.full(n, -1, dtype=np.int64)
    if n < 2:
        return prev
    key = obj.astype(np.int64) * (int(account.max()) + 1) + account
    o = np.argsort(key, kind="stable")      # stable: time order kept within (obj, account)
    same = key[o][1:] == key[o][:-1]
    prev[o[1:][same]] = o[:-1][same]
    return prev


def directed_weights(post: np.ndarray, account: np.ndarray, obj: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                     n_accounts: int, *, min_weight: int, same_post: bool,
                     same_account: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights ``w(u1 -> u2)``: the number of u1's posts that have a co-action by u2.

    Parameters
    ----------
    post, account, obj : ndarray of int64
        Per action (sorted by object, then time): its post, its author's code and its object.
    lo, hi : ndarray
        From :func:`window_bounds`.
    n_accounts : int
        Number of account codes.
    min_weight : int
        Only accounts with at least this many posts can weigh that much: the others are
        skipped as u1 (coordination-network-toolkit prunes the same way).
    same_post : bool
        Whether an action matches itself (coordination-network-toolkit 1.5.2 does).
    same_account : bool
        Whether to keep pairs within one account (self-loops).

    Returns
    -------
    u1, u2, weight : ndarray of int64
        Sorted by (u1, u2); weights below ``min_weight`` included.
    """
    U = np.int64(max(n_accounts, 1))
    n_posts = int(post.max()) + 1 if len(post) else 0
    author = np.zeros(n_posts, dtype=np.int64)
    author[post] = account
    per_post = np.bincount(post, minlength=n_posts)
    posts_of = np.bincount(author[per_post > 0], minlength=int(U))
    rows = np.flatnonzero(posts_of[account] >= min_weight)
    multi = per_post[post] > 1        # posts with several actions (links): deduplicated globally
    prev = previous_same_account(obj, account)
    codes, counts, multi_codes = [], [], []
    for i, j in iter_pairs(lo, hi, rows):
        keep = prev[j] < lo[i]         # first action of account j in i's window
        if not same_account:
            keep &= account[i] != account[j]
        elif not same_post:
            keep &= post[i] != post[j]
        i, j = i[keep], j[keep]
        m = multi[i]
        if m.any():
            multi_codes.append(distinct(post[i[m]] * U + account[j[m]]))
            i, j = i[~m], j[~m]
        c, n = np.unique(account[i] * U + account[j], return_counts=True)
        codes.append(c)
        counts.append(n)
    if multi_codes:
        mc = distinct(np.concatenate(multi_codes))
        c, n = np.unique(author[mc // U] * U + mc % U, return_counts=True)
        codes.append(c)
        counts.append(n)
    if not codes:
        z = np.zeros(0, dtype=np.int64)
        return z, z.copy(), z.copy()
    code, inv = np.unique(np.concatenate(codes), return_inverse=True)
    weight = np.bincount(inv, weights=np.concatenate(counts)).astype(np.int64)
    return code // U, code % U, weight


def distinct(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values. Sort-based: numpy 2's hash-based ``np.unique(x)`` is ~50x slower
    on millions of int64 codes."""
    y = np.sort(x)
    return y[np.r_[True, y[1:] != y[:-1]]] if len(y) else y

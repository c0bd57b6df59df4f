"""Co-actions: pairs of actions on the same object within an exact time window (internal).

The actions are sorted by (object, time); for each action one ``searchsorted`` and an exact
correction find the first and last action on the same object with ``|t1 - t2| <= window``.
Weights and the evidence of chosen edges are computed by compiled loops over those windows
(:mod:`._kernels`) that visit the distinct accounts of each window, not every action in it
(:func:`window_index`): their cost follows actions x accounts per window and their memory the
account pairs, however many posts of one object fall in one window.
"""
from __future__ import annotations

import numpy as np

__all__ = ["order", "window_bounds", "window_index", "account_blocks", "directed_weights", "distinct", "partnered"]


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


def window_index(obj: np.ndarray, account: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple:
    """What the kernels need to list the distinct accounts of large windows: ``(tree, size, shift)``.

    Only objects with a window of more than :data:`._kernels.SCAN` actions are indexed: for each
    of their actions, ``prev`` is the previous action of the same account on the same object (-1
    when none); the first action of each account in a window ``[lo, hi)`` is one with
    ``prev < lo``, found in a segment tree of minima over ``prev``. ``shift[i]`` maps action
    ``i`` to its leaf. Memory is linear in the indexed actions.
    """
    from ._kernels import SCAN, min_tree

    n = len(obj)
    big = (hi - lo) > SCAN
    if not big.any():
        return np.zeros(2, dtype=np.int64), 1, np.zeros(1, dtype=np.int64)
    pos = np.flatnonzero(np.isin(obj, distinct(obj[big])))     # whole objects, in (object, time) order
    U = np.int64(int(account.max()) + 1)
    key = obj[pos].astype(np.int64) * U + account[pos]
    o = np.argsort(key, kind="stable")
    same = key[o][1:] == key[o][:-1]
    prev = np.full(len(pos), -1, dtype=np.int64)
    prev[o[1:][same]] = pos[o[:-1][same]]
    tree, size = min_tree(prev)
    shift = np.zeros(n, dtype=np.int64)
    shift[pos] = np.arange(len(pos), dtype=np.int64) - pos
    return tree, size, shift


def account_blocks(obj: np.ndarray, account: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For actions sorted by (object, time): ``by_account``, the actions sorted by (object,
    account, time); ``rank``, the place of each action in it; ``block_end``, the end of the
    (object, account) block of each place."""
    n = len(obj)
    U = np.int64(int(account.max(initial=0)) + 1)
    key = obj.astype(np.int64) * U + account
    by_account = np.argsort(key, kind="stable").astype(np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[by_account] = np.arange(n, dtype=np.int64)
    k = key[by_account]
    start = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]) if n else np.zeros(0, dtype=np.int64)
    end = np.r_[start[1:], n]
    block_end = np.repeat(end, end - start).astype(np.int64)
    return by_account, rank, block_end


def directed_weights(post: np.ndarray, account: np.ndarray, obj: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                     n_accounts: int, *, min_weight: int, same_account: bool, floor: int = 1) -> tuple[np.ndarray, ...]:
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
    tree, size, shift = window_index(obj, account, lo, hi)
    u1, u2, w = count_coactions(rows, post, account, lo, hi, int(n_accounts), int(floor), bool(same_account),
                                tree, size, shift)
    o = np.lexsort((u2, u1))
    return u1[o], u2[o], w[o]


def distinct(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values. Sort-based: numpy 2's hash-based ``np.unique(x)`` is ~50x slower
    on millions of int64 codes."""
    y = np.sort(x)
    return y[np.r_[True, y[1:] != y[:-1]]] if len(y) else y


def partnered(account: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """For actions sorted by (object, time) with their windows ``[lo, hi)``: whether another
    account acts in the window (the action co-acts with someone).

    Examples
    --------
    >>> partnered(np.array([0, 0, 1, 1]), np.array([0, 0, 0, 3]), np.array([2, 3, 3, 4])).tolist()
    [False, True, True, False]
    """
    n = len(account)
    if n == 0:
        return np.zeros(0, dtype=bool)
    change = np.flatnonzero(np.r_[True, account[1:] != account[:-1]])   # runs of one account
    run = np.repeat(np.arange(len(change)), np.diff(np.r_[change, n]))
    start, stop = change[run], np.r_[change[1:], n][run]
    return (lo < start) | (hi > stop)

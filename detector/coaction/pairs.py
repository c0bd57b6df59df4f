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

__all__ = ["order", "window_bounds", "window_index", "account_blocks", "directed_weights", "dense_accounts", "distinct", "partnered"]


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


def directed_weights(post: np.ndarray, account: np.ndarray, obj: np.ndarray, time: np.ndarray, window_ns: int,
                     n_accounts: int, *, min_weight: int, same_account: bool, floor: int = 1) -> tuple[np.ndarray, ...]:
    """Weights ``w(u1 -> u2)``: the number of u1's posts that have a co-action by u2.

    Parameters
    ----------
    post, account, obj, time : ndarray of int64
        Per action (sorted by object, then time): its post, its author's code, its object and
        its time in nanoseconds.
    window_ns : int
        The window, ``|t1 - t2| <= window_ns``.
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

    Notes
    -----
    With ``floor >= 2`` the accounts that act once in all are left out of the windows of
    every u1 that is not *dense* (:func:`dense_accounts`): such an account lies in the windows
    of two of u1's posts only if two of them act on one object within two windows of each
    other, so it can weigh at most 1 against any other u1. Most accounts post once; the
    windows, and the counting, shrink by their share of the actions, and the weights are
    the same.
    """
    if len(post) == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z.copy(), z.copy()
    n_posts = int(post.max()) + 1
    author = np.zeros(n_posts, dtype=np.int64)
    author[post] = account
    per_post = np.bincount(post, minlength=n_posts)
    posts_of = np.bincount(author[per_post > 0], minlength=int(n_accounts))
    source = posts_of[account] >= min_weight                  # actions of accounts that can be u1
    if floor < 2:
        parts = [(np.ones(len(post), dtype=bool), source)]
    else:
        dense = source & dense_accounts(post, account, obj, time, 2 * window_ns, source, int(n_accounts))[account]
        recurring = np.bincount(account, minlength=int(n_accounts))[account] >= 2
        parts = [(recurring, source & ~dense),
                 (np.isin(obj, distinct(obj[dense])), dense)]   # dense ones: full windows on their objects
    found = [_count_part(keep, u1_rows, post, account, obj, time, window_ns, int(n_accounts), floor, same_account)
             for keep, u1_rows in parts if u1_rows.any()]
    if not found:
        z = np.zeros(0, dtype=np.int64)
        return z, z.copy(), z.copy()
    u1, u2, w = (np.concatenate(x) for x in zip(*found))
    o = np.lexsort((u2, u1))
    return u1[o], u2[o], w[o]


def _count_part(keep, u1_rows, post, account, obj, time, window_ns, n_accounts, floor, same_account):
    """:func:`._kernels.count_coactions` over the actions ``keep`` (a mask; still sorted by
    object, then time), counting from the actions ``u1_rows`` (a mask within ``keep``)."""
    from ._kernels import count_coactions

    pos = np.flatnonzero(keep)
    p, a, o, t = post[pos], account[pos], obj[pos], time[pos]
    lo, hi = window_bounds(o, t, window_ns)
    rows = np.flatnonzero(u1_rows[pos])
    rows = rows[np.lexsort((p[rows], a[rows]))]     # by account, a post's actions together
    tree, size, shift = window_index(o, a, lo, hi)
    return count_coactions(rows, p, a, lo, hi, n_accounts, int(floor), bool(same_account), tree, size, shift)


def dense_accounts(post: np.ndarray, account: np.ndarray, obj: np.ndarray, time: np.ndarray, reach_ns: int,
                   among: np.ndarray, n_accounts: int) -> np.ndarray:
    """Per account code: whether two of its actions from different posts share an object
    within ``reach_ns`` of each other (only the actions ``among`` are looked at).

    Actions sorted by (object, time) are sorted again by (object, account), stably: an
    account's actions on one object in time order, where such a pair, if any, includes two
    neighbours (between the two posts, the post changes somewhere, no farther apart).

    >>> dense_accounts(np.array([0, 1, 2, 3]), np.array([0, 0, 1, 1]), np.zeros(4, np.int64),
    ...                np.array([0, 50, 0, 500]), 100, np.ones(4, bool), 2).tolist()
    [True, False]
    """
    pos = np.flatnonzero(among)
    dense = np.zeros(n_accounts, dtype=bool)
    if len(pos) < 2:
        return dense
    U = np.int64(n_accounts)
    o = np.argsort(obj[pos].astype(np.int64) * U + account[pos], kind="stable")
    k = pos[o]
    near = ((obj[k[1:]] == obj[k[:-1]]) & (account[k[1:]] == account[k[:-1]]) & (post[k[1:]] != post[k[:-1]])
            & (time[k[1:]] - time[k[:-1]] <= reach_ns))
    dense[account[k[1:]][near]] = True
    return dense


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

"""Compiled inner loops of the co-action weights and evidence (numba; internal).

Weights take one pass over the actions of each account with two scratch arrays the size of the
account list: no pair is stored, nothing is sorted. What is visited per action is the set of
*distinct accounts* in its window, not every action in it: a small window is scanned, a large one
(more than ``SCAN`` actions) is searched in a segment tree of ``prev`` -- the previous action of
the same account on the same object -- for the actions whose ``prev`` lies before the window
(the first action of each account in it). One popular object that a few accounts post thousands
of times in a minute then costs actions x accounts, not actions x actions.

Compiled on first use and cached on disk (``cache=True``).
"""
import numpy as np
from numba import njit

#: windows of at most this many actions are scanned; larger ones use the segment tree
SCAN = 64
_BIG = np.iinfo(np.int64).max


@njit(cache=True)
def min_tree(values):  # pragma: no cover (compiled)
    """A segment tree of minima over ``values`` (leaves at ``size + k``); returns (tree, size)."""
    n = len(values)
    size = 1
    while size < n:
        size *= 2
    tree = np.full(2 * size, _BIG, np.int64)
    tree[size:size + n] = values
    for k in range(size - 1, 0, -1):
        a, b = tree[2 * k], tree[2 * k + 1]
        tree[k] = a if a < b else b
    return tree, size


@njit(cache=True, nogil=True)
def _first_in_window(tree, size, lo, hi, shift, out, stack):  # pragma: no cover (compiled)
    """Positions ``j`` in ``[lo, hi)`` with ``prev[j] < lo`` (the first action of each account in
    the window), written to ``out`` (in no particular order); returns how many. ``shift`` maps a
    position to its leaf (``j + shift``)."""
    left, right = lo + shift + size, hi + shift + size
    top = 0
    while left < right:
        if left & 1:
            stack[top] = left
            top += 1
            left += 1
        if right & 1:
            right -= 1
            stack[top] = right
            top += 1
        left >>= 1
        right >>= 1
    m = 0
    while top > 0:
        top -= 1
        node = stack[top]
        if tree[node] >= lo:
            continue
        if node >= size:
            out[m] = node - size - shift
            m += 1
        else:
            stack[top] = 2 * node + 1
            stack[top + 1] = 2 * node
            top += 2
    return m


@njit(cache=True, nogil=True)
def _window_accounts(i, lo, hi, account, tree, size, shift, seen, mark, firsts, stack):  # pragma: no cover
    """The first action of each distinct account in the window of action ``i`` (into
    ``firsts``); returns how many. ``seen`` is scratch, marked with ``mark`` (new every call)."""
    a, b = lo[i], hi[i]
    if b - a <= SCAN:
        m = 0
        for j in range(a, b):
            u = account[j]
            if seen[u] != mark:
                seen[u] = mark
                firsts[m] = j
                m += 1
        return m
    return _first_in_window(tree, size, a, b, shift[i], firsts, stack)


@njit(cache=True, nogil=True)
def count_coactions(rows, post, account, lo, hi, n_accounts, floor, same_account, tree, size,
                    shift):  # pragma: no cover (compiled)
    """Weights ``w(u1 -> u2)`` >= ``floor``: how many of u1's posts have an action of u2 in
    their window.

    ``rows`` are the actions to count from, grouped by account and, within it, by post (so that
    a post's actions are consecutive); ``lo[i]:hi[i]`` are the actions in the window of ``i``;
    ``tree, size, shift`` the segment tree of large windows (see :func:`window_index`).
    Returns ``(u1, u2, weight)`` grouped by ``u1`` in the order of ``rows``.
    """
    count = np.zeros(n_accounts, np.int64)
    stamp = np.full(n_accounts, -1, np.int64)     # the last post of u1 that u2 was counted for
    touched = np.empty(n_accounts, np.int64)
    seen = np.full(n_accounts, -1, np.int64)
    firsts = np.empty(n_accounts, np.int64)
    stack = np.empty(256, np.int64)
    cap = 1024
    out1 = np.empty(cap, np.int64)
    out2 = np.empty(cap, np.int64)
    outw = np.empty(cap, np.int64)
    n_out = 0
    k = 0
    n = len(rows)
    while k < n:
        u1 = account[rows[k]]
        n_touched = 0
        while k < n and account[rows[k]] == u1:
            i = rows[k]
            p = post[i]
            m = _window_accounts(i, lo, hi, account, tree, size, shift, seen, k, firsts, stack)
            for f in range(m):
                u2 = account[firsts[f]]
                if u2 == u1 and not same_account:
                    continue
                if stamp[u2] != p:
                    stamp[u2] = p
                    if count[u2] == 0:
                        touched[n_touched] = u2
                        n_touched += 1
                    count[u2] += 1
            k += 1
        for t in range(n_touched):
            u2 = touched[t]
            if count[u2] >= floor:
                if n_out == cap:
                    cap *= 2
                    out1 = _grow(out1, cap, n_out)
                    out2 = _grow(out2, cap, n_out)
                    outw = _grow(outw, cap, n_out)
                out1[n_out] = u1
                out2[n_out] = u2
                outw[n_out] = count[u2]
                n_out += 1
            count[u2] = 0
    return out1[:n_out], out2[:n_out], outw[:n_out]


@njit(cache=True, nogil=True)
def coaction_evidence(rows, row_ptr, pair_u2, pair_ptr, time, account, lo, hi, tree, size, shift, by_account,
                      block_end, rank, n_accounts, per_edge, same_account):  # pragma: no cover (compiled)
    """The action pairs behind chosen directed edges, at most ``per_edge`` per edge.

    ``rows[row_ptr[q]:row_ptr[q + 1]]`` are the actions of the ``q``-th source account u1 in time
    order; ``pair_u2[pair_ptr[q]:pair_ptr[q + 1]]`` its edges' targets (edge ids are positions in
    ``pair_u2``). ``by_account`` lists the actions sorted by (object, account, time);
    ``rank[j]`` is the place of action ``j`` in it and ``block_end[r]`` the end of the
    (object, account) block of place ``r``.

    An edge with at most ``per_edge`` action pairs gives all of them. A larger one gives, for
    each of u1's matched actions, the nearest actions of u2 (by lag, the earlier on a tie) in
    rounds -- every matched action's nearest, then every one's second nearest, ... -- the last
    round going to u1's earliest actions until ``per_edge`` rows are taken.

    Returns ``(i, j, edge)`` of the rows and every edge's total number of action pairs.
    """
    n_edges = len(pair_u2)
    total = np.zeros(n_edges, np.int64)
    edge_of = np.full(n_accounts, -1, np.int64)
    seen = np.full(n_accounts, -1, np.int64)
    firsts = np.empty(n_accounts, np.int64)
    stack = np.empty(256, np.int64)
    cap = 1024
    out_i = np.empty(cap, np.int64)
    out_j = np.empty(cap, np.int64)
    out_e = np.empty(cap, np.int64)
    n_out = 0
    mark = 0
    unlimited = per_edge < 0
    for q in range(len(row_ptr) - 1):
        e0, e1 = pair_ptr[q], pair_ptr[q + 1]
        if e0 == e1 or row_ptr[q] == row_ptr[q + 1]:
            continue
        u1 = account[rows[row_ptr[q]]]
        for e in range(e0, e1):
            edge_of[pair_u2[e]] = e
        hist = np.zeros((e1 - e0, 1 if unlimited else per_edge + 1), np.int64)   # actions by min(pairs, per_edge)
        rounds = np.zeros(e1 - e0, np.int64)
        extra = np.zeros(e1 - e0, np.int64)
        for step in range(1 if unlimited else 0, 2):
            if step == 1 and not unlimited:   # rounds each large edge takes in full, and rows left over
                for e in range(e0, e1):
                    if total[e] <= per_edge:
                        continue
                    h = hist[e - e0]
                    at_least = 0
                    for v in range(per_edge + 1):
                        at_least += h[v]
                    taken, r = 0, 0
                    while r < per_edge:
                        at_least -= h[r]           # actions with more than r pairs
                        if taken + at_least > per_edge:
                            break
                        taken += at_least
                        r += 1
                    rounds[e - e0] = r
                    extra[e - e0] = per_edge - taken
            for kk in range(row_ptr[q], row_ptr[q + 1]):
                i = rows[kk]
                mark += 1
                m = _window_accounts(i, lo, hi, account, tree, size, shift, seen, mark, firsts, stack)
                for f in range(m):
                    j0 = firsts[f]
                    u2 = account[j0]
                    e = edge_of[u2]
                    if e < 0 or (u2 == u1 and not same_account):
                        continue
                    r0 = rank[j0]
                    r1 = _first_not_below(by_account, r0, block_end[r0], hi[i])
                    c = r1 - r0 - (1 if u2 == u1 else 0)
                    if c <= 0:
                        continue
                    if step == 0:
                        total[e] += c
                        hist[e - e0, min(c, per_edge)] += 1
                        continue
                    if unlimited:
                        total[e] += c
                        take = c
                    elif total[e] <= per_edge:
                        take = c
                    else:
                        take = min(c, rounds[e - e0])
                        if c > rounds[e - e0] and extra[e - e0] > 0:
                            take += 1
                            extra[e - e0] -= 1
                        if take == 0:
                            continue
                    if n_out + take > cap:
                        while n_out + take > cap:
                            cap *= 2
                        out_i = _grow(out_i, cap, n_out)
                        out_j = _grow(out_j, cap, n_out)
                        out_e = _grow(out_e, cap, n_out)
                    n_out = _nearest(i, by_account, r0, r1, time, take, out_i, out_j, out_e, e, n_out)
        for e in range(e0, e1):
            edge_of[pair_u2[e]] = -1
    return out_i[:n_out], out_j[:n_out], out_e[:n_out], total


@njit(cache=True, nogil=True)
def _first_not_below(values, a, b, x):  # pragma: no cover (compiled)
    """First index in ``[a, b)`` with ``values[idx] >= x`` (``values`` ascending there)."""
    while a < b:
        mid = (a + b) // 2
        if values[mid] < x:
            a = mid + 1
        else:
            b = mid
    return a


@njit(cache=True, nogil=True)
def _nearest(i, by_account, r0, r1, time, take, out_i, out_j, out_e, e, n_out):  # pragma: no cover
    """The ``take`` actions ``by_account[r0:r1]`` (time order, ``i`` itself skipped) nearest in
    time to ``i``, the earlier on a tie, appended to the outputs."""
    t = time[i]
    a, b = r0, r1
    while a < b:     # the first action not before i
        mid = (a + b) // 2
        if time[by_account[mid]] < t:
            a = mid + 1
        else:
            b = mid
    right = a
    left = right - 1
    got = 0
    while got < take and (left >= r0 or right < r1):
        if right >= r1 or (left >= r0 and t - time[by_account[left]] <= time[by_account[right]] - t):
            j = by_account[left]
            left -= 1
        else:
            j = by_account[right]
            right += 1
        if j == i:
            continue
        out_i[n_out] = i
        out_j[n_out] = j
        out_e[n_out] = e
        n_out += 1
        got += 1
    return n_out


@njit(cache=True)
def _grow(a, cap, n):  # pragma: no cover (compiled)
    b = np.empty(cap, a.dtype)
    b[:n] = a[:n]
    return b

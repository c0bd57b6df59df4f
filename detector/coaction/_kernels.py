"""Compiled inner loop of the co-action weights (numba; internal).

One pass over the window pairs with two scratch arrays the size of the account list: no pair is
stored, nothing is sorted. Compiled on first use and cached on disk (``cache=True``).
"""
import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def count_coactions(rows, post, account, lo, hi, n_accounts, floor, same_account):  # pragma: no cover (compiled)
    """Weights ``w(u1 -> u2)`` >= ``floor``: how many of u1's posts have an action of u2 in
    their window.

    ``rows`` are the actions to count from, grouped by account and, within it, by post (so that
    a post's actions are consecutive); ``lo[i]:hi[i]`` are the actions in the window of ``i``.
    Returns ``(u1, u2, weight)`` grouped by ``u1`` in the order of ``rows``.
    """
    count = np.zeros(n_accounts, np.int64)
    stamp = np.full(n_accounts, -1, np.int64)     # the last post of u1 that u2 was counted for
    touched = np.empty(n_accounts, np.int64)
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
            for j in range(lo[i], hi[i]):
                u2 = account[j]
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


@njit(cache=True)
def _grow(a, cap, n):  # pragma: no cover (compiled)
    b = np.empty(cap, a.dtype)
    b[:n] = a[:n]
    return b

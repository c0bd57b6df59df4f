"""The burst automaton: which bins are in a burst state on the optimal path.

Model: Kleinberg's burst automaton over binned counts, with a Poisson emission against a
time-varying baseline ``e_i`` (expected events in bin ``i``). State 0 emits at ``e_i``,
burst state ``k >= 1`` at ``q_k e_i`` with ``q_k = min_ratio * s**(k-1)``; climbing ``j``
levels costs ``j * gamma * ln(n_bins)``, falling is free.

Solved exactly, in near-linear time. Let ``g_i`` be the best per-bin log-likelihood gain
of any burst state. Wherever the forward or the backward CUSUM of ``g`` is at zero, a
burst run through that bin could be cut there at no loss, so some optimal path is in
state 0 there. Both CUSUMs are vectorised; the Viterbi loop runs only inside the few
stretches where both are positive, with runs of empty bins merged into one step.
"""
from __future__ import annotations

import numpy as np

__all__: list[str] = []


def _kleinberg(counts, expected, *, q1, s, gamma):
    """Runs ``(i0, i1)`` of bins in a burst state on the optimal Kleinberg path."""
    n = counts.size
    tau = gamma * np.log(max(n, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        top = float(np.max(counts / expected))
    levels = int(np.clip(np.ceil(np.log(max(top, q1) / q1) / np.log(s)) + 1, 1, 40))
    lnq = np.log(q1) + np.arange(levels) * np.log(s)
    with np.errstate(divide="ignore"):
        j = np.floor((np.log(counts / expected) - np.log(q1)) / np.log(s))
    j = np.clip(np.nan_to_num(j, neginf=0.0), 0, levels - 1).astype(np.int64)
    j2 = np.minimum(j + 1, levels - 1)
    gain = np.maximum(counts * lnq[j] - np.expm1(lnq[j]) * expected,
                      counts * lnq[j2] - np.expm1(lnq[j2]) * expected)
    forward, backward = _cusum(gain), _cusum(gain[::-1])[::-1]
    live = np.concatenate([[False], (forward > 0) & (backward > 0), [False]])
    edges = np.flatnonzero(np.diff(live.astype(np.int8)))
    runs = []
    lnq_all, q_all = np.concatenate([[0.0], lnq]), np.exp(np.concatenate([[0.0], lnq]))
    starts, stops = edges[::2], edges[1::2]
    if starts.size:   # a stretch whose CUSUM never reaches the cost of a climb holds no burst
        worth = np.maximum.reduceat(np.append(forward, 0.0), edges)[::2] >= tau
        starts, stops = starts[worth], stops[worth]
    for u, v in zip(starts.tolist(), stops.tolist()):
        c, e = counts[u:v], expected[u:v]
        # Levels above the first one over every bin's ratio only lose gain: leave them out.
        top = int(np.clip(np.ceil(np.log(max(float(np.max(c / e)), q1) / q1) / np.log(s)) + 1, 1, levels))
        # A stretch of empty bins acts as one bin: an optimal path never climbs inside it
        # (climbing at the next event costs no more) and, if it falls, falls at its start.
        group = np.cumsum((c > 0) | np.concatenate([[True], c[:-1] > 0])) - 1
        state = _viterbi(np.bincount(group, c), np.bincount(group, e), lnq_all[:top + 1], q_all[:top + 1],
                         tau)[group]
        flag = np.concatenate([[False], state > 0, [False]])
        cut = np.flatnonzero(np.diff(flag.astype(np.int8)))
        runs.extend((u + int(a), u + int(b)) for a, b in zip(cut[::2], cut[1::2]))
    return runs


def _cusum(g):
    """``max(0, best sum of g over a stretch ending at i)`` for every i, vectorised."""
    total = np.cumsum(g)
    low = np.minimum.accumulate(np.concatenate([[0.0], total[:-1]]))
    return np.maximum(total - np.minimum(low, 0.0), 0.0)


def _viterbi(c, e, lnq, q, tau):
    """Exact min-cost state path, entering from state 0; climbing a level costs ``tau``."""
    gain = c[:, None] * lnq - e[:, None] * (q - 1.0)
    levels = np.arange(q.size)
    climb = levels * tau
    cost = np.empty_like(gain)
    prev = np.full(q.size, np.inf)
    prev[0] = 0.0
    for t in range(c.size):
        down = np.minimum.accumulate(prev[::-1])[::-1]
        up = np.minimum.accumulate(prev - climb) + climb
        prev = cost[t] = np.minimum(down, up) - gain[t]
    state = np.empty(c.size, dtype=np.int64)
    k = int(np.argmin(prev))
    for t in range(c.size - 1, -1, -1):
        state[t] = k
        if t:
            k = int((cost[t - 1] + np.maximum(k - levels, 0) * tau).argmin())
    return state

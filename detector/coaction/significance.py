"""`edge_significance`: how surprising each co-action edge is under a null model.

Two null models, both keeping what every account posted and how its activity is spread:

- ``"shift"`` (default): each account's whole timeline is moved by its own random offset
  (circularly within the data's time span), drawn in the order of the account ids. Gaps
  between an account's posts stay; the synchrony between accounts goes. Repeated co-action
  that survives is chance.
- ``"shuffle"``: each account's posting times are permuted among its own posts. This breaks
  the link between *what* and *when* but has no power against accounts that post the same
  object every time (their actions do not change), which is what campaign amplifiers do.

Each edge's null weights over ``n_null`` shuffles give its expected weight ``null_mean``;
the p-value is the Poisson tail ``P(W >= weight)`` at that mean (with half a co-action of
prior spread over the shuffles, so an edge never seen in the null still has a finite mean),
and ``q_value`` is the Benjamini-Hochberg adjustment across edges. ``by_weight`` compares,
per weight threshold, the edges observed with those expected by chance: an estimate of the
false discovery rate of a fixed ``min_weight``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import pdtrc

from .actions import Actions
from .network import CoactionNetwork, account_codes, directed_weights, sort_actions

__all__ = ["EdgeSignificance", "edge_significance"]


def poisson_sf(k, mu):
    """``P(K > k)`` for ``K ~ Poisson(mu)``: ``scipy.stats.poisson.sf`` bit for bit (1 below the
    support, ``k`` rounded down), from ``scipy.special`` alone (``scipy.stats`` takes half a
    second to import).

    >>> poisson_sf(np.array([-1, 0, 2]), 1.0).round(4).tolist()
    [1.0, 0.6321, 0.0803]
    """
    k = np.asarray(k, dtype=float)
    return np.where(k < 0, 1.0, pdtrc(np.floor(k), mu))


@dataclass
class EdgeSignificance:
    """Result of :func:`edge_significance`.

    Attributes
    ----------
    edges : DataFrame
        The network's edges with ``null_mean``, ``p_value`` and ``q_value``.
    by_weight : DataFrame
        ``min_weight, observed, expected_by_chance, fdr`` for every weight threshold (empty
        when not asked for).
    n_null : int
        Shuffles run.
    """

    edges: pd.DataFrame
    by_weight: pd.DataFrame
    n_null: int

    def min_weight_at(self, fdr: float = 0.05) -> int | None:
        """Smallest weight threshold whose estimated false discovery rate is <= ``fdr``."""
        ok = self.by_weight[self.by_weight["fdr"] <= fdr]
        return int(ok["min_weight"].min()) if len(ok) else None

    def significant(self, alpha: float = 0.05) -> pd.DataFrame:
        """Edges with ``q_value <= alpha``."""
        return self.edges[self.edges["q_value"] <= alpha].reset_index(drop=True)


def edge_significance(net: CoactionNetwork, *, n_null: int = 20, null: str = "shift", by_weight: bool = True,
                      seed: int = 0) -> EdgeSignificance:
    """Test every edge of a co-action network against a null model of unsynchronised accounts.

    Parameters
    ----------
    net : CoactionNetwork
        From :func:`detector.coaction.coaction_network`.
    n_null : int, default 20
        Number of null draws.
    null : {"shift", "shuffle"}
        Shift each account's timeline by a random offset, or shuffle its times among its posts
        (see the module's notes).
    by_weight : bool, default True
        Also estimate the false discovery rate of every weight threshold, which needs the null
        network of all accounts. Without it only the accounts of the network's edges are
        redrawn: a pair's weight depends on its two accounts alone, so the null distribution
        of every edge is the same (with ``"shift"`` even the draws are), and much faster to get.
    seed : int, default 0
        The same seed gives the same p-values.

    Returns
    -------
    EdgeSignificance

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from detector.coaction import coaction_network
    >>> rng = np.random.default_rng(1)
    >>> t = np.r_[np.repeat(np.arange(6) * 5000, 2) + [0, 3] * 6, rng.integers(0, 300000, 200)]
    >>> acc = ["a", "b"] * 6 + list(rng.choice(list("cdefgh"), 200))
    >>> url = [f"u{k}" for k in range(6) for _ in range(2)] + list(rng.choice(["p", "q"], 200))
    >>> posts = pd.DataFrame({"post_id": [str(i) for i in range(212)], "account_id": acc,
    ...     "created_at": pd.to_datetime(t, unit="s", utc=True), "url": url})
    >>> sig = edge_significance(coaction_network(posts, "link", window=10, directed=False))
    >>> sig.significant()[["account_1", "account_2", "weight"]].values.tolist()
    [['a', 'b', 6]]
    """
    if n_null < 1:
        raise ValueError("n_null must be >= 1")
    if null not in _NULLS:
        raise ValueError(f"unknown null model {null!r}; expected one of {', '.join(_NULLS)}")
    act = net.actions_
    U = np.int64(max(len(act.accounts), 1))
    e = net.edges
    a1, a2 = account_codes(act, e["account_1"]), account_codes(act, e["account_2"])
    span = (int(act.time.min()), int(act.time.max())) if len(act) else (0, 0)
    if not by_weight:
        act = _restrict(act, np.concatenate([a1, a2]))
    null_sum = np.zeros(len(e))
    weight_hist = []
    rng = np.random.default_rng(seed)
    for _ in range(n_null if len(act) else 0):
        shuffled = sort_actions(_NULLS[null](act, rng, net.window, span))
        u1, u2, w = directed_weights(shuffled, net.window, 1 if net.directed else net.min_weight, net.compat)
        code = u1 * U + u2                      # sorted
        w12 = _lookup(code, w, a1 * U + a2)
        if net.directed:
            null_sum += w12
            weight_hist.append(w[u1 != u2] if net.compat == "cnt" else w)
        else:
            null_sum += np.minimum(w12, _lookup(code, w, a2 * U + a1))
            both = np.minimum(w, _lookup(code, w, u2 * U + u1))
            weight_hist.append(both[u1 < u2])
    mean = (null_sum + 0.5) / n_null
    obs = e["weight"].to_numpy()
    p = poisson_sf(obs - 1, mean)
    out = e.copy()
    out["null_mean"] = np.round(null_sum / n_null, 4)
    out["p_value"] = p
    out["q_value"] = _bh(p)
    table = _by_weight(obs, weight_hist) if by_weight else pd.DataFrame(
        columns=["min_weight", "observed", "expected_by_chance", "fdr"])
    return EdgeSignificance(out, table, n_null)


def _restrict(act: Actions, accounts: np.ndarray) -> Actions:
    """Only the actions of ``accounts``."""
    keep = np.isin(act.account, accounts)
    return Actions(act.post[keep], act.account[keep], act.time[keep], act.obj[keep], act.accounts, act.objects,
                   act.post_ids)


def _lookup(codes: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """``values`` at ``wanted`` codes in sorted ``codes``, 0 where absent."""
    if len(codes) == 0:
        return np.zeros(len(wanted), dtype=values.dtype)
    pos = np.minimum(np.searchsorted(codes, wanted), len(codes) - 1)
    return np.where(codes[pos] == wanted, values[pos], 0)


def _shift_timelines(act: Actions, rng: np.random.Generator, window: float, bounds: tuple[int, int]) -> Actions:
    """Each account's times moved by one random offset, wrapping around the data's span."""
    t0 = bounds[0]
    span = bounds[1] - t0 + int(window * 1e9) + 1
    offset = rng.integers(0, span, len(act.accounts))
    new = t0 + (act.time - t0 + offset[act.account]) % span
    return Actions(act.post, act.account, new, act.obj, act.accounts, act.objects, act.post_ids)


def _shuffle_times(act: Actions, rng: np.random.Generator, window: float, bounds: tuple[int, int]) -> Actions:
    """Each account's post times permuted among its own posts.

    An account's posts are taken by time, then post id, before the draw: the same seed gives the
    same permutation whatever the order of the posts table."""
    n_posts = int(act.post.max()) + 1
    t = np.zeros(n_posts, dtype=np.int64)
    owner = np.full(n_posts, -1, dtype=np.int64)
    t[act.post], owner[act.post] = act.time, act.account
    rows = np.flatnonzero(owner >= 0)
    post_id = pd.factorize(act.post_ids.iloc[rows].astype(str), sort=True)[0]
    by_owner = rows[np.lexsort((post_id, t[rows], owner[rows]))]
    shuffled = by_owner[np.lexsort((rng.random(len(rows)), owner[by_owner]))]
    new = t.copy()
    new[by_owner] = t[shuffled]
    return Actions(act.post, act.account, new[act.post], act.obj, act.accounts, act.objects, act.post_ids)


def _jitter_actions(act: Actions, rng: np.random.Generator, window: float, bounds: tuple[int, int]) -> Actions:
    """Each post's time moved by its own uniform offset in ``[-J, J]``, ``J = JITTER_WINDOWS``
    windows (all objects of one post move together): which accounts were active around the
    same time, and each object's burst of shares, are kept; only the synchrony finer than ``J``
    goes. Offsets are drawn in the order of the post ids, so the row order changes nothing."""
    J = int(round(JITTER_WINDOWS * max(float(window), 1.0) * 1e9))
    posts, inverse = np.unique(act.post, return_inverse=True)
    rank = pd.factorize(act.post_ids.iloc[posts].astype(str), sort=True)[0]
    draws = rng.integers(-J, J + 1, len(posts))
    return Actions(act.post, act.account, act.time + draws[rank][inverse], act.obj, act.accounts, act.objects,
                   act.post_ids)


#: Half-width of the jitter null, in windows: a 60 s window is tested against +-30 minutes.
JITTER_WINDOWS = 30

_NULLS = {"shift": _shift_timelines, "shuffle": _shuffle_times, "jitter": _jitter_actions}


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values."""
    n = len(p)
    if n == 0:
        return p
    o = np.argsort(p)
    q = p[o] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(q[::-1])[::-1]
    out = np.empty(n)
    out[o] = np.minimum(q, 1.0)
    return out


def _by_weight(obs: np.ndarray, null_weights: list[np.ndarray]) -> pd.DataFrame:
    top = int(max(obs.max(initial=0), max((w.max(initial=0) for w in null_weights), default=0)))
    ks = np.arange(1, max(top, 1) + 1)
    observed = np.array([(obs >= k).sum() for k in ks])
    expected = np.array([np.mean([(w >= k).sum() for w in null_weights]) for k in ks])
    df = pd.DataFrame({"min_weight": ks, "observed": observed, "expected_by_chance": expected})
    df["fdr"] = np.where(observed > 0, np.minimum(expected / np.maximum(observed, 1), 1.0), np.nan)
    return df[df["min_weight"] >= 1].reset_index(drop=True)

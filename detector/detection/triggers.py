"""Trigger posts: which post set off each sign-up cluster.

Posts are grouped into cascades: a repost (``shared_post_id``) belongs to the cascade of the
post it shares, followed back to the original, the *root*. A root is a candidate trigger of a
cluster when it was posted before the cluster's median sign-up and at most ``lookback`` before
its first one. A registrant is *tied* to a root when the account linked to the sign-up wrote the
root or a post in its cascade, or follows the root's author.

Candidates are ranked by how many of the cluster's registrants are tied to them, provided that
is at least ``min_lift`` times the share of other registrants tied to them (a post everybody
follows explains nothing), then by how shortly before the cluster they were posted. Without
account links, candidates are ranked by the reposts their cascade gathered in the two hours
before the cluster's first sign-up ("timing only").

Roots are named, not the reposts that carried them: a sub-burst after an influencer's repost is
attributed to the original post, with the repost named as the carrier.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["post_roots", "attribute_triggers"]


def post_roots(posts: pd.DataFrame, *, max_depth: int = 20) -> np.ndarray:
    """Row of each post's root (itself when it shares nothing known).

    Examples
    --------
    >>> posts = pd.DataFrame({"post_id": ["a", "b", "c", "d"], "shared_post_id": [None, "a", "b", "zz"]})
    >>> post_roots(posts).tolist()
    [0, 0, 0, 3]
    """
    n = len(posts)
    root = np.arange(n)
    if "shared_post_id" not in posts or n == 0:
        return root
    pos = pd.Series(np.arange(n), index=posts["post_id"].astype(str))
    parent = pos.reindex(posts["shared_post_id"].astype(object).where(posts["shared_post_id"].notna(), None)
                         .astype(str)).to_numpy()
    has = ~np.isnan(parent) & posts["shared_post_id"].notna().to_numpy()
    parent = np.where(has, np.nan_to_num(parent, nan=0).astype(np.int64), root)
    for _ in range(max_depth):     # pointer jumping: depth halves each round
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            break
        parent = nxt
    return parent


def attribute_triggers(clusters: list[dict], registrations: pd.DataFrame, posts: pd.DataFrame,
                       follows: pd.DataFrame | None = None, *, lookback_hours: float = 72.0,
                       min_lift: float = 3.0, top: int = 3) -> list[dict]:
    """Likely trigger posts of each cluster, best first.

    Parameters
    ----------
    clusters : list of dict
        Each with ``members`` (row positions in ``registrations``), ``first_seen`` and
        ``last_seen``.
    registrations : DataFrame
        With ``account_id`` when known.
    posts, follows : DataFrame
        The contract's posts and follows tables.
    lookback_hours : float, default 72
        How long before a cluster's first sign-up a trigger can have been posted.
    min_lift : float, default 3
        How much more often than other registrants the cluster's registrants must be tied
        to a post.
    top : int, default 3
        Posts named per cluster.

    Returns
    -------
    list of dict
        Per cluster: ``trigger_post_ids`` (space-separated, best first), and ``trigger_reason``
        (plain words; "" when no post qualifies).
    """
    P = _Posts(posts)
    reg_acct = registrations["account_id"].astype(object) if "account_id" in registrations else None
    in_cluster = np.zeros(len(registrations), dtype=bool)
    for c in clusters:
        in_cluster[c["members"]] = True
    others = _accounts(reg_acct, np.flatnonzero(~in_cluster))
    out = []
    for c in clusters:
        members = np.asarray(c["members"])
        times = pd.to_datetime(registrations["created_at"].iloc[members], utc=True) \
            if "created_at" in registrations else None
        t_first = pd.Timestamp(c["first_seen"])
        t_mid = times.median() if times is not None else t_first
        cand = P.candidates(t_first - pd.Timedelta(hours=lookback_hours), t_mid)
        linked = _accounts(reg_acct, members)
        ranked = _by_ties(P, cand, linked, others, follows, min_lift) if len(linked) else []
        how = "ties"
        if not ranked:
            ranked, how = _by_timing(P, cand, t_first), "timing"
        out.append(_describe(P, ranked[:top], how, t_first, len(linked)))
    return out


class _Posts:
    """The posts with their roots, as arrays."""

    def __init__(self, posts: pd.DataFrame):
        self.id = posts["post_id"].astype(str).to_numpy(dtype=object)
        self.author = posts["account_id"].astype(str).to_numpy(dtype=object)
        self.t = pd.to_datetime(posts["created_at"], utc=True)
        self.ns = self.t.dt.as_unit("ns").array.asi8
        self.root = post_roots(posts)
        self.is_root = self.root == np.arange(len(self.root))

    def candidates(self, lo: pd.Timestamp, hi: pd.Timestamp) -> np.ndarray:
        """Roots posted in [lo, hi]."""
        return np.flatnonzero(self.is_root & (self.ns >= lo.value) & (self.ns <= hi.value))

    def cascade_of(self, roots: np.ndarray) -> np.ndarray:
        """Rows whose root is one of ``roots``."""
        return np.flatnonzero(np.isin(self.root, roots))


def _accounts(reg_acct, rows) -> set:
    if reg_acct is None:
        return set()
    a = reg_acct.iloc[rows]
    return set(a[a.notna()].astype(str))


def _ties(P: _Posts, cand: np.ndarray, accounts: set, follows) -> pd.Series:
    """Per candidate root: how many of ``accounts`` wrote into its cascade or follow its author."""
    rows = P.cascade_of(cand)
    pairs = pd.DataFrame({"account": P.author[rows], "root": P.root[rows]})
    if follows is not None and len(follows):
        f = follows[follows["follower_id"].astype(str).isin(accounts)]
        authors = pd.DataFrame({"followee_id": P.author[cand], "root": cand})
        fr = f.astype({"followee_id": str}).merge(authors, on="followee_id")
        pairs = pd.concat([pairs, pd.DataFrame({"account": fr["follower_id"].astype(str), "root": fr["root"]})])
    pairs = pairs[pairs["account"].isin(accounts)].drop_duplicates()
    return pairs.groupby("root").size()


def _by_ties(P, cand, linked, others, follows, min_lift) -> list[tuple]:
    if len(cand) == 0:
        return []
    n_in = _ties(P, cand, linked, follows)
    n_out = _ties(P, cand, others, follows).reindex(n_in.index, fill_value=0)
    share_in = n_in / len(linked)
    share_out = n_out / max(len(others), 1)
    lift = share_in / np.maximum(share_out, 0.5 / max(len(others), 1))
    ok = (lift >= min_lift) & (n_in >= max(3, 0.02 * len(linked)))
    df = pd.DataFrame({"n": n_in, "share": share_in, "base": share_out, "t": P.ns[n_in.index]})[ok]
    df = df.sort_values(["n", "t"], ascending=[False, False])
    return [(int(r), float(x.share), float(x.base), int(x.n)) for r, x in df.iterrows()]


def _by_timing(P, cand, t_first) -> list[tuple]:
    """Roots whose cascades grew most in the two hours before the cluster began."""
    if len(cand) == 0:
        return []
    lo = t_first.value - int(2 * 3600e9)
    rows = P.cascade_of(cand)
    rows = rows[(P.ns[rows] >= lo) & (P.ns[rows] <= t_first.value) & ~P.is_root[rows]]
    n = pd.Series(P.root[rows]).value_counts()
    n = n[n >= 3]
    df = pd.DataFrame({"n": n, "t": P.ns[n.index]}).sort_values(["n", "t"], ascending=[False, False])
    return [(int(r), np.nan, np.nan, int(x.n)) for r, x in df.iterrows()]


def _describe(P: _Posts, ranked, how, t_first, n_linked) -> dict:
    if not ranked:
        return {"trigger_post_ids": "", "trigger_reason": ""}
    r, share, base, n = ranked[0]
    lag = (t_first - P.t.iloc[r]).total_seconds()
    when = f"{_ago(lag)} before the first sign-up" if lag >= 0 else f"{_ago(-lag)} after the first sign-up"
    if how == "ties":
        why = (f"{share:.0%} of registrants with a linked account posted in its cascade or follow its author "
               f"vs {base:.1%} of other registrants")
    else:
        why = f"timing only: its cascade gathered {n:,} reposts in the two hours before the cluster"
    return {"trigger_post_ids": " ".join(P.id[x[0]] for x in ranked),
            "trigger_reason": f"triggered by post {P.id[r]} of {P.author[r]}, {when}; {why}"}


def _ago(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"

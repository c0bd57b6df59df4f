"""Trigger posts: which post set off each sign-up cluster.

Posts are grouped into cascades: a repost (``shared_post_id``) belongs to the cascade of the
post it shares, followed back to the original, the *root*. A root is a candidate trigger of a
cluster when it was posted before the cluster's last sign-up and at most ``lookback`` before
its first one. A registrant is *tied* to a root when the account linked to the sign-up wrote the
root or a post in its cascade, or follows the root's author.

Candidates are ranked by how many of the cluster's registrants are tied to them, provided that
is at least ``min_lift`` times the share of other registrants tied to them (a post everybody
follows explains nothing), then by how shortly before the cluster they were posted. Without
account links, candidates are ranked by the reposts their cascade gathered in the two hours
before the cluster's first sign-up ("timing only").

Roots are named, not the reposts that carried them: a sub-burst after an influencer's repost is
attributed to the original post.

A cluster with two or more strong triggers (each tied to at least a fifth as many registrants as
the first) is split: registrants tied to one trigger go with it, the others with the trigger
whose tied registrants they resemble most in attributes and sign-up time. Campaigns that
overlap in time and look alike are kept apart this way.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["post_roots", "TriggerContext"]


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
    import pyarrow.compute as pc

    from ..codes import text_array

    # the row of the shared post among the post ids (ids are unique here), by an Arrow hash look-up
    found = pc.index_in(text_array(posts["shared_post_id"]), value_set=text_array(posts["post_id"]))
    has = found.is_valid().to_numpy(zero_copy_only=False)
    parent = np.where(has, found.fill_null(0).to_numpy(zero_copy_only=False), root).astype(np.int64)
    for _ in range(max_depth):     # pointer jumping: depth halves each round
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            break
        parent = nxt
    return parent


class TriggerContext:
    """Posts, follows and account links, prepared once per detection.

    Parameters
    ----------
    registrations : DataFrame
        With ``account_id`` when known, and ``created_at``.
    posts, follows : DataFrame
        The contract's posts and follows tables.
    lookback_hours : float, default 72
        How long before a cluster's first sign-up a trigger can have been posted.
    min_lift : float, default 3
        How much more often than other registrants the cluster's registrants must be tied
        to a post.
    top : int, default 3
        Posts named per cluster.
    """

    def __init__(self, registrations: pd.DataFrame, posts: pd.DataFrame, follows: pd.DataFrame | None = None, *,
                 lookback_hours: float = 72.0, min_lift: float = 3.0, top: int = 3):
        from ..codes import occurs_in, sorted_codes

        self.P = _Posts(posts)
        has = registrations["account_id"].notna().to_numpy() if "account_id" in registrations \
            else np.zeros(len(registrations), dtype=bool)
        reg_ids = registrations["account_id"][has] if has.any() else np.zeros(0, dtype=object)
        self.follows = follows if follows is not None and len(follows) else None
        fol = [np.zeros(0, dtype=object)] * 2
        if self.follows is not None:
            # only a registrant's account following a post's author can tie them: the other
            # follows (most of a platform's graph) are not coded at all
            src, dst = self.follows["follower_id"], self.follows["followee_id"]
            by_registrants = occurs_in(src, reg_ids)
            src, dst = src[by_registrants], dst[by_registrants]
            tying = occurs_in(dst, self.P.author)
            fol = [src[tying], dst[tying]]
        # one integer code per account id, shared by registrations, post authors and follows; in
        # id order, so that codes do not depend on the order of any table
        (self.P.author_code, linked, self.f_src, self.f_dst), _ = sorted_codes(self.P.author, reg_ids, *fol)
        self.account_code = np.full(len(registrations), -1, dtype=np.int64)
        self.account_code[has] = linked
        self.ns = pd.to_datetime(registrations["created_at"], utc=True).dt.as_unit("ns").array.asi8
        self.lookback = int(lookback_hours * 3600e9)
        self.min_lift, self.top = min_lift, top
        self._last = None   # (key, result) of the last rank()

    def rank(self, members: np.ndarray, others: np.ndarray) -> tuple[list[tuple], str, pd.DataFrame]:
        """Candidate triggers of a cluster, best first: ``(root, share, base_share, n)``; how they
        were ranked ("ties" or "timing"); and the (account, root) ties of its members.

        Remembered for the last cluster asked about: :meth:`split` and :meth:`name` ask twice."""
        key = (members.tobytes(), others.tobytes())
        if self._last is None or self._last[0] != key:
            self._last = (key, self._rank(members, others))
        return self._last[1]

    def _rank(self, members: np.ndarray, others: np.ndarray) -> tuple[list[tuple], str, pd.DataFrame]:
        t_first, t_last = int(self.ns[members].min()), int(self.ns[members].max())
        cand = self.P.candidates(t_first - self.lookback, t_last)
        linked = _linked(self.account_code, members)
        if len(linked) and len(cand):
            ties = self.ties(cand, linked)
            n_in = ties.groupby("root").size()
            other = _linked(self.account_code, others)
            n_out = self.ties(cand, other).groupby("root").size().reindex(n_in.index, fill_value=0)
            share_in, share_out = n_in / len(linked), n_out / max(len(other), 1)
            lift = share_in / np.maximum(share_out, 0.5 / max(len(other), 1))
            ok = (lift >= self.min_lift) & (n_in >= max(3, 0.02 * len(linked)))
            df = pd.DataFrame({"n": n_in, "share": share_in, "base": share_out, "t": self.P.ns[n_in.index]})[ok]
            df = _best_first(df)
            ranked = [(int(r), float(x.share), float(x.base), int(x.n)) for r, x in df.iterrows()]
            if ranked:
                return ranked, "ties", ties
        return self._by_timing(cand, t_first), "timing", pd.DataFrame(columns=["account", "root"])

    def name(self, members: np.ndarray, others: np.ndarray) -> dict:
        """``trigger_post_ids`` (space-separated, best first), ``trigger_reason`` and
        ``trigger_base_share`` (the share of other registrants tied to the first; nan when
        ranked by timing only) of a cluster."""
        ranked, how, _ = self.rank(members, others)
        return _describe(self.P, ranked[: self.top], how, int(np.quantile(self.ns[members], 0.05)))

    def split(self, members: np.ndarray, others: np.ndarray, tokens, *, min_size: int) -> list[np.ndarray]:
        """The cluster's members split by trigger (one part when it has a single strong one).

        Members tied to a strong trigger go with it; the others go where their attribute tokens
        (``tokens``: a sparse matrix, one row per member) and sign-up time fit best."""
        ranked, how, ties = self.rank(members, others)
        if how != "ties" or len(ranked) < 2:
            return [members]
        strong = [r for r in ranked if r[3] >= max(5, 0.2 * ranked[0][3])]
        if len(strong) < 2:
            return [members]
        roots = np.array([r[0] for r in strong])
        n_of = {r[0]: r[3] for r in strong}
        tied = ties[ties["root"].isin(roots)].copy()
        tied["n"] = tied["root"].map(n_of)
        best = tied.sort_values(["n", "root"], ascending=[False, True]).drop_duplicates("account")
        root_of_account = dict(zip(best["account"], best["root"]))
        part = np.array([root_of_account.get(a, -1) for a in self.account_code[members].tolist()])
        known = np.flatnonzero(part >= 0)
        if len(known) == 0:
            return [members]
        part = _by_profile(tokens, self.ns[members], part, roots)
        parts = [members[part == r] for r in roots]
        big = [p for p in parts if len(p) >= min_size]
        if len(big) < 2:
            return [members]
        small = [p for p in parts if len(p) < min_size]
        if small:   # too small to stand alone: back to the largest part
            k = int(np.argmax([len(p) for p in big]))
            big[k] = np.sort(np.concatenate([big[k], *small]))
        return big

    def ties(self, cand: np.ndarray, accounts: np.ndarray) -> pd.DataFrame:
        """(account code, root) for each of ``accounts`` (codes) that wrote into a candidate's
        cascade or follows its author."""
        P = self.P
        rows = P.cascade_of(cand)
        keep = np.isin(P.author_code[rows], accounts)
        pairs = pd.DataFrame({"account": P.author_code[rows][keep], "root": P.root[rows][keep]})
        if self.follows is not None:
            m = np.isin(self.f_src, accounts)
            authors = pd.DataFrame({"followee": P.author_code[cand], "root": cand})
            fr = pd.DataFrame({"account": self.f_src[m], "followee": self.f_dst[m]}).merge(authors, on="followee")
            pairs = pd.concat([pairs, fr[["account", "root"]]], ignore_index=True)
        return pairs.drop_duplicates()

    def _by_timing(self, cand: np.ndarray, t_first: int) -> list[tuple]:
        """Roots whose cascades grew most in the two hours before the cluster began."""
        P = self.P
        if len(cand) == 0:
            return []
        rows = P.cascade_of(cand)
        rows = rows[(P.ns[rows] >= t_first - int(2 * 3600e9)) & (P.ns[rows] <= t_first) & ~P.is_root[rows]]
        n = pd.Series(P.root[rows]).value_counts()
        n = n[n >= 3]
        df = _best_first(pd.DataFrame({"n": n, "t": P.ns[n.index]}))
        return [(int(r), np.nan, np.nan, int(x.n)) for r, x in df.iterrows()]


def _best_first(df: pd.DataFrame) -> pd.DataFrame:
    """Candidate roots (the index) by ``n``, most first, then the latest posted; on a full tie
    the first in the canonical order (time, then post id)."""
    o = np.lexsort((df.index.to_numpy(dtype=np.int64), -df["t"].to_numpy(), -df["n"].to_numpy()))
    return df.iloc[o]


def _by_profile(X, ns: np.ndarray, part: np.ndarray, roots: np.ndarray, *, bandwidth_s: float = 3600.0,
                min_support: int = 3) -> np.ndarray:
    """Give every unassigned member the part whose tied members it resembles most.

    Naive Bayes over the attribute tokens carried by at least ``min_support`` tied members
    (``log q / (1 - q)`` per token carried, smoothed shares ``q`` per part), plus the log density
    of the part's tied sign-up times around the member's (Gaussian, ``bandwidth_s``), plus the
    log share of the part among the tied.
    """
    out = part.copy()
    todo = np.flatnonzero(part < 0)
    if len(todo) == 0:
        return out
    X = X.tocsr()
    if not (X.has_canonical_format and np.all(X.data == 1)):    # a token matrix is: no copy of it
        X = X.astype(bool).astype(np.float64)
    index = {int(r): k for k, r in enumerate(roots)}
    label = np.array([index.get(int(r), -1) for r in part])
    K = len(roots)
    tied = [np.flatnonzero(label == k) for k in range(K)]
    support = np.asarray(X[label >= 0].sum(axis=0)).ravel() >= min_support
    cols = np.flatnonzero(support)
    score = np.zeros((len(todo), K))
    # sign-up times on a grid of bandwidth/6; a part's density is its tied members' counts per
    # cell smoothed with a Gaussian (+-4 bandwidths): linear in members, not members squared
    step = bandwidth_s / 6.0
    cell = ((ns - ns.min()) / 1e9 // step).astype(np.int64)
    offsets = np.arange(-24, 25)
    kernel = np.exp(-0.5 * (offsets / 6.0) ** 2)
    Xt = X[todo][:, cols]
    for k, rows in enumerate(tied):
        c = np.asarray(X[rows][:, cols].sum(axis=0), dtype=np.float64).ravel()
        q = (c + 0.5) / (len(rows) + 1.0)
        score[:, k] = Xt @ (np.log(q) - np.log1p(-q)) + np.log1p(-q).sum()
        density = np.convolve(np.bincount(cell[rows], minlength=int(cell.max()) + 1), kernel, mode="full")
        score[:, k] += np.log(density[cell[todo] + len(offsets) // 2] + 1e-12)   # includes the part's size
    out[todo] = roots[np.argmax(score, axis=1)]
    return out


class _Posts:
    """The posts with their roots, as arrays, in a canonical order: by time, then post id (a
    post's place breaks ties between triggers, so it must not depend on the table's row order)."""

    def __init__(self, posts: pd.DataFrame):
        ids = posts["post_id"].astype(str).to_numpy(dtype=object)
        t = pd.to_datetime(posts["created_at"], utc=True)
        ns = t.dt.as_unit("ns").array.asi8
        order = _by_time_then_id(ns, ids)
        place = np.empty(len(order), dtype=np.int64)
        place[order] = np.arange(len(order), dtype=np.int64)
        self.id = ids[order]
        self.author = posts["account_id"].astype(str).to_numpy(dtype=object)[order]
        self.t = t.iloc[order].reset_index(drop=True)
        self.ns = ns[order]
        self.root = place[post_roots(posts)[order]]
        self.is_root = self.root == np.arange(len(self.root))
        self.author_code = np.zeros(0, dtype=np.int64)   # set by TriggerContext: codes shared with follows

    def candidates(self, lo: int, hi: int) -> np.ndarray:
        """Roots posted in [lo, hi] (nanoseconds)."""
        return np.flatnonzero(self.is_root & (self.ns >= lo) & (self.ns <= hi))

    def positions(self, ids) -> dict:
        """``post id -> row`` of the posts ``ids`` (the last row of an id that several rows share),
        found by one hash look-up over the posts rather than a dict of all of them."""
        from ..codes import occurs_in

        wanted = np.asarray(sorted(set(ids)), dtype=object)
        if len(wanted) == 0:
            return {}
        rows = np.flatnonzero(occurs_in(self.id, wanted))
        return {p: int(k) for p, k in zip(self.id[rows], rows)}

    def cascade_of(self, roots: np.ndarray) -> np.ndarray:
        """Rows whose root is one of ``roots``."""
        return np.flatnonzero(np.isin(self.root, roots))


def _by_time_then_id(ns: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Permutation sorting posts by time, then post id."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = pa.table({"ns": pa.array(ns, type=pa.int64()), "id": pa.array(ids, type=pa.large_string())})
    return pc.sort_indices(table, sort_keys=[("ns", "ascending"), ("id", "ascending")]).to_numpy()


def _linked(account_code: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The distinct account codes linked to ``rows`` of the registrations."""
    codes = account_code[rows]
    return np.unique(codes[codes >= 0])


def _describe(P: _Posts, ranked, how, t_onset: int) -> dict:
    """The trigger fields of a cluster; the lag is measured to the onset of its sign-ups (the
    time by which 5% of them had come), which one stray early sign-up does not move."""
    if not ranked:
        return {"trigger_post_ids": "", "trigger_reason": "", "trigger_base_share": float("nan")}
    r, share, base, n = ranked[0]
    lag = (t_onset - int(P.ns[r])) / 1e9
    when = f"{_ago(lag)} before the cluster's sign-ups took off" if lag >= 0 else \
        f"{_ago(-lag)} after the cluster's sign-ups took off"
    if how == "ties":
        why = (f"{share:.0%} of registrants with a linked account posted in its cascade or follow its author "
               f"vs {base:.1%} of other registrants")
    else:
        why = f"timing only: its cascade gathered {n:,} reposts in the two hours before the cluster"
    return {"trigger_post_ids": " ".join(P.id[x[0]] for x in ranked),
            "trigger_reason": f"triggered by post {P.id[r]} of {P.author[r]}, {when}; {why}",
            "trigger_base_share": base}


def _ago(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"

"""`account_clusters`: groups of accounts that co-act repeatedly, scored, with reasons.

posts -> one co-action network per kind (:func:`.coaction_network`) -> edges that beat the null
model (:func:`.edge_significance`) -> their union, weighted by co-actions -> Louvain communities
(the same :func:`detector.detection.clusters.find_clusters` as sign-up clusters) -> a score per
community -> reasons in plain words.

Lags, first and last co-action and the top objects of a cluster are read from the evidence of
its heaviest edges (``DESCRIBE_EDGES`` per kind); :meth:`AccountClusters.evidence` gives all.

Score: ``1 - (expected + 0.5) / co_actions`` (at least 0): the share of the community's
co-actions that the null model does not explain, with half a co-action of doubt. It follows the
evidence: more co-actions raise it, more co-actions expected by chance lower it; two accounts
with two co-actions and none expected score 0.75, ten co-actions 0.95, a campaign's thousands
0.999. Its edges have already passed the null model (q-value at most ``alpha``); ``p_value`` is
the Poisson tail ``P(W >= co_actions)`` of the whole community at the expected co-actions (plus
the half). A community is flagged when its score reaches ``flag_threshold`` and it has at least
``min_cluster_size`` accounts. Organic reactions to one viral post make single co-actions
(weight 1), which ``min_weight`` (default 2: repetition) leaves out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .actions import parse_kind
from .network import CoactionNetwork, coaction_networks
from .significance import edge_significance, poisson_sf
from .window import estimate_window

__all__ = ["AccountClusters", "account_clusters", "platform_posts", "kind_words", "DEFAULT_KINDS"]

DEFAULT_KINDS = ("link", "share", "text", "similar_text", "hashtag")
_KIND_WORDS = {"link": "shared the same link", "share": "reposted the same post", "text": "posted the same text",
               "similar_text": "posted near-identical text", "hashtag": "used the same hashtag"}


def kind_words(kind: str) -> str:
    """What accounts of one kind of edge did, in words: "shared the same phash"."""
    base, column = parse_kind(kind)
    if column is None:
        return _KIND_WORDS[base]
    return f"used the same hashtag (column {column})" if base == "hashtag" else f"shared the same {column}"


DESCRIBE_EDGES = 300   # heaviest edges per kind whose evidence describes a cluster (lag, times, objects)
_CLUSTER_COLUMNS = ["account_cluster_id", "score", "flagged", "size", "edges", "co_actions", "expected_by_chance",
                    "p_value", "kinds", "median_lag_s", "first_seen", "last_seen", "top_objects", "reasons"]


@dataclass
class AccountClusters:
    """What :func:`account_clusters` found.

    Attributes
    ----------
    clusters : DataFrame
        One row per community of at least ``min_size`` accounts, best first:
        ``account_cluster_id, score, flagged, size, edges, co_actions, expected_by_chance, p_value, kinds,
        median_lag_s, first_seen, last_seen, top_objects, reasons``.
    members : DataFrame
        ``account_cluster_id, account_id``.
    edges : DataFrame
        The significant edges of every kind: ``account_1, account_2, kind, weight, weight_12,
        weight_21, null_mean, p_value, q_value``.
    networks : dict of CoactionNetwork
        One per kind, for :meth:`CoactionNetwork.evidence`.
    windows : dict of float
        The window used per kind, in seconds.
    """

    clusters: pd.DataFrame
    members: pd.DataFrame
    edges: pd.DataFrame
    networks: dict = field(repr=False)
    windows: dict = field(default_factory=dict)

    def evidence(self, account_cluster_id: str) -> pd.DataFrame:
        """The co-actions inside one cluster, every kind: one row per pair of posts."""
        accounts = set(self.members.loc[self.members["account_cluster_id"] == account_cluster_id, "account_id"])
        if not accounts:
            raise KeyError(f"no account cluster {account_cluster_id!r}")
        return _cluster_evidence(self.networks, self.edges, accounts)

    def to_networkx(self):
        """The union network as a networkx ``Graph``: edge ``weight`` (all kinds), ``kinds``;
        node ``account_cluster_id`` ("" when in none)."""
        import networkx as nx

        g = nx.Graph()
        union = _union(self.edges)
        for row in union.itertuples(index=False):
            g.add_edge(row.account_1, row.account_2, weight=int(row.weight), kinds=row.kinds,
                       co_action_p=float(row.p_value))
        of = dict(zip(self.members["account_id"], self.members["account_cluster_id"]))
        nx.set_node_attributes(g, {n: of.get(n, "") for n in g.nodes}, "account_cluster_id")
        return g


def account_clusters(posts: pd.DataFrame, **options) -> AccountClusters:
    """Find groups of accounts that repeatedly co-act beyond chance.

    Parameters
    ----------
    posts : DataFrame
        The contract's posts table (long format allowed: one row per post and object).
    **options
        The knobs of :class:`detector.options.NetworkOptions`, checked before any work (an
        unknown name or a value out of range is an :class:`~detector.errors.InputError`):

        - ``kinds`` (default link, share, text, similar_text, hashtag): what counts as the
          same object (:func:`detector.coaction.coaction_network`), including ``"column:NAME"``
          for any column and ``"hashtag:NAME"``; ``split`` says how such a cell holds several;
        - ``window`` (60 s, or ``"auto"`` per kind, :func:`estimate_window`);
        - ``min_weight`` (2): co-actions an edge needs (undirected: the smaller of both
          directions); ``weight_quantile`` (none): also only edges heavier than this quantile
          of the weights (CooRTweet's ``edge_weight``); ``min_participation`` (1): distinct
          objects an account must co-act on;
        - ``stack`` ("after"): threshold each kind, then sum; "before": sum the kinds'
          co-actions per pair, then threshold the sum (CooRTweet's way);
        - ``null_draws`` (10) and ``alpha`` (0.05): edges need a Benjamini-Hochberg q-value at
          most ``alpha`` under the timeline-shift null (:func:`edge_significance`); 0 draws:
          no null model;
        - ``resolution`` (0.3): Louvain resolution; below 1 favours larger communities (a
          campaign's amplifiers split their copies and reposts and would otherwise come out as
          several: on simulated Tulsa data 0.3 gives an adjusted Rand index of 0.8-0.96
          against the campaigns, 1.0 gives 0.3-0.4);
        - ``min_cluster_size`` (3), ``flag_threshold`` (0.5), ``platforms`` (all), ``seed`` (0).

    Returns
    -------
    AccountClusters

    Examples
    --------
    >>> account_clusters(pd.DataFrame({"post_id": ["1"], "account_id": ["a"],
    ...     "created_at": pd.to_datetime([0], utc=True)}), min_cluster_size=1)
    Traceback (most recent call last):
    detector.errors.InputError: account_clusters(): min_cluster_size=1: expected an integer from 2 to 1_000_000_000
    """
    from ..options import check_options

    opts = check_options(options, table="network")
    if opts.compat != "none":
        from ..errors import InputError
        raise InputError("account_clusters()", f"compat={opts.compat!r}: another tool's edges are not clustered and "
                         "scored here; use coaction_network(compat='cnt') or "
                         "detector.coaction.compat.coortweet_network for them")
    return _account_clusters(posts, opts)


def _account_clusters(posts: pd.DataFrame, opts) -> AccountClusters:
    from ..communities import find_clusters

    posts = platform_posts(posts, opts.platforms)
    kinds, quantile = opts.kinds, None if opts.weight_quantile == "none" else opts.weight_quantile
    windows = {kind: _window(posts, kind, opts.window) for kind in kinds}
    # each kind's edges at the weight floor its own threshold allows; the rest is cut below
    floor = opts.min_weight if opts.stack == "after" else 1
    networks = coaction_networks(posts, tuple(kinds), window=windows, min_weight=floor, directed=False,
                                 split=opts.split)
    frames = []
    for kind, net in networks.items():
        sig = edge_significance(net, n_null=opts.null_draws, null=opts.null, by_weight=False, seed=opts.seed).edges \
            if opts.null_draws else net.edges.assign(null_mean=np.nan, p_value=np.nan, q_value=np.nan)
        sig = sig.assign(kind=kind)
        if opts.stack == "after":
            sig = _threshold(sig, opts.min_weight, quantile, opts.alpha if opts.null_draws else None)
        frames.append(sig)
    cols = ["account_1", "account_2", "kind", "weight", "weight_12", "weight_21", "null_mean", "p_value", "q_value"]
    edges = pd.concat(frames, ignore_index=True).reindex(columns=cols) if frames else pd.DataFrame(columns=cols)
    edges = _min_participation(edges, networks, opts.min_participation)
    union = _union(edges)
    if opts.stack == "before":
        union = _stacked_significance(union, opts.null_draws) if opts.null_draws else union.assign(q_value=np.nan)
        union = _threshold(union, opts.min_weight, quantile, opts.alpha if opts.null_draws else None)
        pairs_kept = pd.MultiIndex.from_frame(union[["account_1", "account_2"]])
        edges = edges[pd.MultiIndex.from_frame(edges[["account_1", "account_2"]]).isin(pairs_kept)]
        edges = edges.reset_index(drop=True)
    names, codes = _codes(union)
    labels = find_clusters(pd.DataFrame({"u": codes[0], "v": codes[1], "weight": union["weight"].to_numpy(float)}),
                           len(names), min_size=opts.min_cluster_size, resolution=opts.resolution, seed=opts.seed)
    rows, members = _describe(labels, names, union, edges, networks, opts.flag_threshold)
    clusters = pd.DataFrame(rows, columns=_CLUSTER_COLUMNS)
    return AccountClusters(clusters, pd.DataFrame(members, columns=["account_cluster_id", "account_id"]),
                           edges, networks, windows)


def platform_posts(posts: pd.DataFrame, platforms) -> pd.DataFrame:
    """Only the posts of ``platforms`` (all when empty), matched without regard to case."""
    if not platforms:
        return posts
    if "platform" not in posts.columns:
        from ..errors import InputError
        raise InputError(posts.attrs.get("source", "posts"), "has no platform column to keep only the platforms "
                         f"{', '.join(platforms)}; name it with --map posts.platform=YOUR_COLUMN")
    wanted = {p.strip().lower() for p in platforms}
    names = posts["platform"].astype(str).str.strip().str.lower()
    keep = names.isin(wanted).to_numpy()
    if not keep.any():
        from ..errors import InputError
        present = sorted(set(names[posts["platform"].notna().to_numpy()]))
        raise InputError(posts.attrs.get("source", "posts"), f"no posts of platform {', '.join(sorted(wanted))}; "
                         f"the platform column holds {', '.join(present[:20]) or 'no values'}")
    return posts[keep].reset_index(drop=True)


def _threshold(edges: pd.DataFrame, min_weight: int, quantile: float | None, alpha: float | None) -> pd.DataFrame:
    """Edges with ``weight >= min_weight``, heavier than the ``quantile`` of the weights (per
    kind, when the table holds several) and with ``q_value <= alpha``."""
    keep = edges["weight"].to_numpy() >= min_weight
    if quantile is not None and len(edges):
        by = edges.groupby("kind")["weight"] if "kind" in edges else None
        cut = by.transform(lambda w: np.quantile(w.to_numpy(float), quantile)) if by is not None \
            else np.quantile(edges["weight"].to_numpy(float), quantile)
        keep &= edges["weight"].to_numpy(float) > np.asarray(cut, dtype=float)
    if alpha is not None:
        keep &= edges["q_value"].to_numpy(float) <= alpha
    return edges[keep].reset_index(drop=True)


def _stacked_significance(union: pd.DataFrame, draws: int) -> pd.DataFrame:
    """p- and q-values of the kinds' summed co-actions against their summed null means (with
    half a co-action of prior over the draws, as :func:`edge_significance` has)."""
    from .significance import _bh

    p = poisson_sf(union["weight"].to_numpy() - 1, union["null_mean"].to_numpy(float) + 0.5 / draws)
    return union.assign(p_value=p, q_value=_bh(p))


def _min_participation(edges: pd.DataFrame, networks: dict, n: int) -> pd.DataFrame:
    """Only edges between accounts that co-act on at least ``n`` distinct objects (all kinds)."""
    if n <= 1 or edges.empty:
        return edges
    from . import pairs

    counts = []
    for kind, net in networks.items():
        act = net.actions_
        lo, hi = pairs.window_bounds(act.obj, act.time, int(round(net.window * 1e9)))
        co = pairs.partnered(act.account, lo, hi)
        both = pd.DataFrame({"account": act.accounts[act.account[co]], "object": act.obj[co]}).drop_duplicates()
        counts.append(both["account"].value_counts())
    per_account = pd.concat(counts).groupby(level=0).sum() if counts else pd.Series(dtype=int)
    active = set(per_account.index[per_account.to_numpy() >= n])
    keep = edges["account_1"].isin(active) & edges["account_2"].isin(active)
    return edges[keep.to_numpy()].reset_index(drop=True)


def _window(posts, kind, window) -> float:
    if window == "auto":
        w = estimate_window(posts, kind)
        return 60.0 if not np.isfinite(w) else float(w)
    if isinstance(window, str) or not window >= 0:
        raise ValueError(f"window must be seconds >= 0 or 'auto', got {window!r}")
    return float(window)


def _union(edges: pd.DataFrame) -> pd.DataFrame:
    """One row per account pair: co-actions of all kinds summed, the kinds, the smallest p."""
    cols = ["account_1", "account_2", "weight", "null_mean", "p_value", "kinds"]
    if edges.empty:
        return pd.DataFrame(columns=cols)
    order = sorted(edges["kind"].unique())
    bit = edges["kind"].map({k: 1 << i for i, k in enumerate(order)}).astype(np.int64)
    g = edges.assign(bit=bit).groupby(["account_1", "account_2"], as_index=False, sort=True) \
        .agg(weight=("weight", "sum"), null_mean=("null_mean", "sum"), p_value=("p_value", "min"), bit=("bit", "sum"))
    names = {m: " ".join(k for i, k in enumerate(order) if m >> i & 1) for m in g["bit"].unique().tolist()}
    g["kinds"] = g["bit"].map(names)
    return g[cols]


def _codes(union: pd.DataFrame):
    both = np.concatenate([union["account_1"].to_numpy(object), union["account_2"].to_numpy(object)])
    code, names = pd.factorize(pd.Series(both, dtype=object), sort=True)
    m = len(union)
    return np.asarray(names, dtype=object), (code[:m].astype(np.int64), code[m:].astype(np.int64))


def _evidence_of(net: CoactionNetwork, edges: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """Evidence of some edges of a network (the ``limit`` heaviest when given)."""
    if limit is not None and len(edges) > limit:
        edges = edges.nlargest(limit, "weight")
    sub = CoactionNetwork(net.kind, net.window, net.min_weight, net.directed, net.compat,
                          edges[["account_1", "account_2", "weight"]], net.actions_)
    return sub.evidence()


def _cluster_evidence(networks: dict, edges: pd.DataFrame, accounts: set, limit: int | None = None) -> pd.DataFrame:
    """Evidence of the edges among ``accounts``, every kind (the ``limit`` heaviest per kind)."""
    inside = edges[edges["account_1"].isin(accounts) & edges["account_2"].isin(accounts)]
    frames = [_evidence_of(net, inside[inside["kind"] == kind], limit=limit).assign(kind=kind)
              for kind, net in networks.items() if (inside["kind"] == kind).any()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _describe(labels, names, union, edges, networks, flag_threshold):
    rows, members = [], []
    for c in range(int(labels.max(initial=-1)) + 1):
        accounts = set(names[labels == c])
        inside = union[union["account_1"].isin(accounts) & union["account_2"].isin(accounts)]
        ev = _cluster_evidence(networks, edges, accounts, limit=DESCRIBE_EDGES)
        co, expected = int(inside["weight"].sum()), float(np.nansum(inside["null_mean"].to_numpy(float)))
        score = max(0.0, 1.0 - (expected + 0.5) / max(co, 1))
        p_value = float(poisson_sf(co - 1, expected + 0.5))
        by_kind = _by_count(edges[edges["account_1"].isin(accounts) & edges["account_2"].isin(accounts)]
                            .groupby("kind")["weight"].sum())
        objects = _by_count(ev["object"].astype(str).value_counts()).head(3)
        n = len(accounts)
        rows.append({"score": round(score, 4), "flagged": bool(score >= flag_threshold), "size": n,
                     "edges": len(inside), "co_actions": co, "expected_by_chance": round(expected, 2),
                     "p_value": p_value,
                     "kinds": " ".join(by_kind.index), "median_lag_s": float(ev["lag_s"].abs().median()),
                     "first_seen": ev["time_1"].min(), "last_seen": ev["time_2"].max(),
                     "top_objects": " | ".join(objects.index),
                     "reasons": _reasons(n, co, expected, by_kind, float(ev["lag_s"].abs().median()), objects),
                     "_accounts": sorted(accounts)})
    rows.sort(key=lambda r: (-r["score"], -r["co_actions"], r["_accounts"][0]))
    for i, r in enumerate(rows):
        r["account_cluster_id"] = f"A{i + 1:03d}"
        members += [(r["account_cluster_id"], a) for a in r.pop("_accounts")]
    return rows, members


def _by_count(counts: pd.Series) -> pd.Series:
    """Largest first, ties by label: not in the order rows happened to come in."""
    return counts.iloc[np.lexsort((counts.index.astype(str).to_numpy(), -counts.to_numpy()))] if len(counts) \
        else counts


def _reasons(n, co, expected, by_kind, lag, objects) -> str:
    parts = [f"{n:,} accounts co-acted {co:,} times ({expected:,.1f} expected by chance)"]
    parts += [f"{kind_words(k)} {int(w):,}x" for k, w in by_kind.items()]
    parts.append(f"median lag {lag:.0f} s")
    if len(objects):
        parts.append("most on " + ", ".join(f"{_short(o)} ({c:,})" for o, c in objects.items()))
    return "; ".join(parts)


def _short(text: str, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"

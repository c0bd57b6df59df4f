"""`account_clusters`: groups of accounts that co-act repeatedly, scored, with reasons.

posts -> one co-action network per kind (:func:`.coaction_network`) -> edges that beat the null
model (:func:`.edge_significance`) -> their union, weighted by co-actions -> Louvain communities
(the same :func:`detector.detection.clusters.find_clusters` as sign-up clusters) -> a score per
community -> reasons in plain words.

Lags, first and last co-action and the top objects of a cluster are read from the evidence of
its heaviest edges (``DESCRIBE_EDGES`` per kind); :meth:`AccountClusters.evidence` gives all.

Score: ``1 - P(W >= co_actions)``, where W is Poisson with the co-actions the null model
expects inside the community (plus half a co-action of prior). It reads as the confidence that
the community's co-actions are not chance; a community is flagged when it reaches
``flag_threshold`` and has at least ``min_size`` accounts. Organic reactions to one viral post
make single co-actions (weight 1), which ``min_weight`` (default 2: repetition) leaves out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .network import CoactionNetwork, coaction_networks
from .significance import edge_significance
from .window import estimate_window

__all__ = ["AccountClusters", "account_clusters", "DEFAULT_KINDS"]

DEFAULT_KINDS = ("link", "share", "text", "similar_text", "hashtag")
_KIND_WORDS = {"link": "shared the same link", "share": "reposted the same post", "text": "posted the same text",
               "similar_text": "posted near-identical text", "hashtag": "used the same hashtag"}
DESCRIBE_EDGES = 300   # heaviest edges per kind whose evidence describes a cluster (lag, times, objects)
_CLUSTER_COLUMNS = ["account_cluster_id", "score", "flagged", "size", "edges", "co_actions", "expected_by_chance",
                    "kinds", "median_lag_s", "first_seen", "last_seen", "top_objects", "reasons"]


@dataclass
class AccountClusters:
    """What :func:`account_clusters` found.

    Attributes
    ----------
    clusters : DataFrame
        One row per community of at least ``min_size`` accounts, best first:
        ``account_cluster_id, score, flagged, size, edges, co_actions, expected_by_chance, kinds,
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


def account_clusters(posts: pd.DataFrame, *, kinds=DEFAULT_KINDS, window: float | str = 60, min_weight: int = 2,
                     alpha: float = 0.05, n_null: int = 10, min_size: int = 3, resolution: float = 0.3,
                     flag_threshold: float = 0.5, seed: int = 0) -> AccountClusters:
    """Find groups of accounts that repeatedly co-act beyond chance.

    Parameters
    ----------
    posts : DataFrame
        The contract's posts table.
    kinds : sequence of str
        Co-action kinds to combine (see :func:`detector.coaction.coaction_network`).
    window : float or "auto", default 60
        Seconds, or ``"auto"`` to estimate it per kind with :func:`estimate_window`.
    min_weight : int, default 2
        Co-actions an edge needs (undirected weight: the smaller of both directions).
    alpha : float, default 0.05
        Edges need a Benjamini-Hochberg ``q_value`` at most this.
    n_null : int, default 10
        Null-model draws per kind.
    min_size : int, default 3
        Smallest community reported.
    resolution : float, default 0.3
        Louvain resolution. Below 1 favours larger communities: a campaign's amplifiers split
        their copies and reposts and would otherwise come out as several communities
        (on simulated Tulsa data, 0.3 gives an adjusted Rand index of 0.8-0.96 against the
        campaigns, 1.0 gives 0.3-0.4).
    flag_threshold : float, default 0.5
        Communities scoring at least this are flagged.
    seed : int, default 0
        Seeds the null model and Louvain; the same seed gives the same result.

    Returns
    -------
    AccountClusters
    """
    from ..communities import find_clusters

    bad = sorted(set(kinds) - set(_KIND_WORDS))
    if bad:
        raise ValueError(f"unknown co-action kind(s) {bad}; expected some of {', '.join(_KIND_WORDS)}")
    windows = {kind: _window(posts, kind, window) for kind in kinds}
    networks = coaction_networks(posts, tuple(kinds), window=windows, min_weight=min_weight, directed=False)
    frames = [edge_significance(net, n_null=n_null, by_weight=False, seed=seed).significant(alpha).assign(kind=kind)
              for kind, net in networks.items()]
    edges = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    cols = ["account_1", "account_2", "kind", "weight", "weight_12", "weight_21", "null_mean", "p_value", "q_value"]
    edges = edges.reindex(columns=cols)
    union = _union(edges)
    names, codes = _codes(union)
    labels = find_clusters(pd.DataFrame({"u": codes[0], "v": codes[1], "weight": union["weight"].to_numpy(float)}),
                           len(names), min_size=min_size, resolution=resolution, seed=seed)
    rows, members = _describe(labels, names, union, edges, networks, flag_threshold)
    clusters = pd.DataFrame(rows, columns=_CLUSTER_COLUMNS)
    return AccountClusters(clusters, pd.DataFrame(members, columns=["account_cluster_id", "account_id"]),
                           edges, networks, windows)


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
        co, expected = int(inside["weight"].sum()), float(inside["null_mean"].sum())
        score = float(1.0 - stats.poisson.sf(co - 1, expected + 0.5))
        by_kind = _by_count(edges[edges["account_1"].isin(accounts) & edges["account_2"].isin(accounts)]
                            .groupby("kind")["weight"].sum())
        objects = _by_count(ev["object"].astype(str).value_counts()).head(3)
        n = len(accounts)
        rows.append({"score": round(score, 4), "flagged": bool(score >= flag_threshold), "size": n,
                     "edges": len(inside), "co_actions": co, "expected_by_chance": round(expected, 2),
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
    parts += [f"{_KIND_WORDS[k]} {int(w):,}x" for k, w in by_kind.items()]
    parts.append(f"median lag {lag:.0f} s")
    if len(objects):
        parts.append("most on " + ", ".join(f"{_short(o)} ({c:,})" for o, c in objects.items()))
    return "; ".join(parts)


def _short(text: str, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"

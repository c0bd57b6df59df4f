"""`coaction_network`: accounts linked by acting on the same object within a time window."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import pairs
from .actions import Actions, actions, encode_accounts

__all__ = ["CoactionNetwork", "coaction_network", "coaction_networks", "EVIDENCE_PER_EDGE"]

#: Most evidence rows per edge by default (:meth:`CoactionNetwork.evidence`); the ``pairs``
#: column keeps every edge's total.
EVIDENCE_PER_EDGE = 50


@dataclass
class CoactionNetwork:
    """A co-action network and the actions behind it.

    Attributes
    ----------
    kind : str
        The object kind (``"link"``, ``"share"``, ``"text"``, ``"hashtag"``, ``"similar_text"``).
    window : float
        Seconds; two actions co-act when ``|t1 - t2| <= window``.
    min_weight : int
        Edges lighter than this were dropped.
    directed : bool
        Directed edges weigh ``w(u1 -> u2)``, the number of u1's posts with a co-action by u2
        (coordination-network-toolkit's definition). Undirected edges weigh
        ``min(w(u1 -> u2), w(u2 -> u1))``, so that one prolific account cannot make a
        heavy edge alone.
    compat : None or "cnt"
        See :func:`coaction_network`.
    edges : DataFrame
        ``account_1, account_2, weight`` (undirected: also ``weight_12, weight_21``, and
        ``account_1 < account_2``), heaviest first.
    """

    kind: str
    window: float
    min_weight: int
    directed: bool
    compat: str | None
    edges: pd.DataFrame
    actions_: Actions = field(repr=False)

    def __repr__(self) -> str:
        n_acc = len(pd.unique(self.edges[["account_1", "account_2"]].to_numpy().ravel()))
        return (f"CoactionNetwork(kind={self.kind!r}, window={self.window:g}s, min_weight={self.min_weight}, "
                f"{'directed' if self.directed else 'undirected'}, edges={len(self.edges):,}, accounts={n_acc:,})")

    def evidence(self, account_1=None, account_2=None, *, per_edge: int | None = EVIDENCE_PER_EDGE) -> pd.DataFrame:
        """The co-actions behind the edges: one row per pair of posts (and shared object), at
        most ``per_edge`` per edge.

        Rows go from ``account_1`` to ``account_2`` of each edge (undirected edges: from the
        smaller account id). An edge with more co-acting pairs than ``per_edge`` is shown by the
        pairs nearest in time, spread over its posts: the nearest post of ``account_2`` to each
        matched post of ``account_1`` (per shared object), then the second nearest to each, and
        so on, the last round going to ``account_1``'s earliest posts; ``pairs`` keeps the
        edge's total. An edge of weight at most ``per_edge`` thus shows each of its posts (unless
        they share several objects each). The rows and their cost are bounded by the edges,
        however many posts of one object fall in one window (200 accounts posting one link
        200,000 times in a minute have 200 x 199 edges but 4 x 10^10 post pairs).

        Parameters
        ----------
        account_1, account_2 : str, optional
            Restrict to edges from / to these accounts (either order when undirected).
        per_edge : int or None, default :data:`EVIDENCE_PER_EDGE`
            Most rows per edge; None: every pair (as many rows as pairs).

        Returns
        -------
        DataFrame
            ``account_1, account_2, post_1, post_2, object, time_1, time_2, lag_s, pairs``: the
            post ids (``post_1`` by ``account_1``), the shared object (URL, post id, text,
            hashtag or near-duplicate group), the two times, the lag in seconds and the edge's
            total number of co-acting pairs (rows shown or not), sorted by the accounts, the
            times, the object and the post ids.
        """
        if per_edge is not None and (int(per_edge) != per_edge or per_edge < 1):
            raise ValueError(f"per_edge must be a positive integer or None, got {per_edge!r}")
        e = self.edges
        if account_1 is not None or account_2 is not None:
            want = np.ones(len(e), dtype=bool)
            a, b = e["account_1"].to_numpy(), e["account_2"].to_numpy()
            fwd = (a == account_1 if account_1 is not None else want) & (b == account_2 if account_2 is not None else want)
            rev = np.zeros(len(e), dtype=bool) if self.directed else \
                (b == account_1 if account_1 is not None else want) & (a == account_2 if account_2 is not None else want)
            e = e[fwd | rev]
        return _evidence(self.actions_, e, self.window, same_account=self.compat == "cnt", per_edge=per_edge)

    def to_networkx(self):
        """The network as a networkx ``DiGraph`` (directed) or ``Graph``, with ``weight`` on edges.

        Examples
        --------
        >>> import pandas as pd
        >>> posts = pd.DataFrame({"post_id": ["1", "2", "3", "4"], "account_id": ["a", "b", "a", "b"],
        ...     "created_at": pd.to_datetime([0, 5, 100, 104], unit="s", utc=True),
        ...     "url": ["x.org", "x.org", "y.org", "y.org"]})
        >>> g = coaction_network(posts, "link", window=10, min_weight=2, directed=False).to_networkx()
        >>> sorted(g.edges(data="weight"))
        [('a', 'b', 2)]
        """
        import networkx as nx

        g = nx.DiGraph() if self.directed else nx.Graph()
        g.graph.update(kind=self.kind, window_s=float(self.window), min_weight=int(self.min_weight))
        cols = [c for c in self.edges.columns if c not in ("account_1", "account_2")]
        for row in self.edges.itertuples(index=False):
            d = row._asdict()
            g.add_edge(d["account_1"], d["account_2"], **{c: _plain(d[c]) for c in cols})
        return g


def _plain(v):
    return v.item() if isinstance(v, np.generic) else v


def coaction_network(posts: pd.DataFrame, kind: str = "link", *, window: float = 60, min_weight: int = 2,
                     directed: bool = True, compat: str | None = None, split: str | None = None,
                     accounts: tuple | None = None) -> CoactionNetwork:
    """Link accounts that act on the same object within ``window`` seconds of each other.

    Parameters
    ----------
    posts : DataFrame
        The contract's posts table (``post_id, account_id, created_at`` and any of ``text,
        url, shared_post_id``), e.g. from :func:`detector.loading.read_posts`.
    kind : {"link", "share", "text", "hashtag", "similar_text"} or "column:NAME" or "hashtag:NAME"
        What counts as the same object: a URL, the reposted post, the normalised text, a
        hashtag, a near-duplicate text (MinHash, Jaccard >= 0.8 on words), the value of any
        column (an image hash, a domain, a video id), or hashtags kept in a column.
    window : float, default 60
        Seconds; an exact sliding window ``|t1 - t2| <= window``, not fixed bins.
        See :func:`detector.coaction.estimate_window` to take it from the data.
    min_weight : int, default 2
        Drop edges lighter than this.
    directed : bool, default True
        Directed weights as coordination-network-toolkit (CNT) defines them, or the
        undirected ``min`` of both directions.
    compat : {None, "cnt"}
        ``"cnt"`` reproduces CNT 1.5.2's edges exactly: every message also matches itself and
        the author's other messages (self-loops ``u -> u``), an empty URL cell is a URL shared by
        every link-less post, and empty texts match each other. By default an account never
        co-acts with itself and missing links or texts are not objects.
    split : {"auto", "none", "space", "comma", "json"}, optional
        How a cell of a ``column:`` or ``hashtag:`` kind holds several objects
        (:data:`detector.coaction.actions.SPLITS`).
    accounts : tuple, optional
        :func:`detector.coaction.actions.encode_accounts` of ``posts``, to share between kinds
        (:func:`coaction_networks` does).

    Returns
    -------
    CoactionNetwork

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": list("123456"), "account_id": list("abcabc"),
    ...     "created_at": pd.to_datetime([0, 20, 30, 600, 610, 5000], unit="s", utc=True),
    ...     "text": ["Vote now!", "@x vote  NOW!", "vote now!", "go", "GO", "go"]})
    >>> coaction_network(posts, "text", window=60, min_weight=2).edges
      account_1 account_2  weight
    0         a         b       2
    1         b         a       2
    """
    if not window >= 0:
        raise ValueError(f"window must be >= 0 seconds, got {window!r}")
    if int(min_weight) != min_weight or min_weight < 1:
        raise ValueError(f"min_weight must be a positive integer, got {min_weight!r}")
    act = sort_actions(actions(posts, kind, compat=compat, split=split, accounts=accounts))
    u1, u2, w = directed_weights(act, window, min_weight, compat, floor=min_weight)
    edges = _directed_edges(u1, u2, w, min_weight) if directed else _undirected_edges(u1, u2, w, min_weight)
    u1, u2, extra = edges
    rank = _id_rank(act.accounts, np.concatenate([u1, u2]))
    if not directed:   # each pair once, the smaller account id first
        swap = rank[u1] > rank[u2]
        u1, u2 = np.where(swap, u2, u1), np.where(swap, u1, u2)
        extra["weight_12"], extra["weight_21"] = (np.where(swap, extra["weight_21"], extra["weight_12"]),
                                                  np.where(swap, extra["weight_12"], extra["weight_21"]))
    o = np.lexsort((rank[u2], rank[u1], -extra["weight"]))     # heaviest first, then by account ids
    out = pd.DataFrame({"account_1": act.accounts[u1[o]], "account_2": act.accounts[u2[o]],
                        **{k: v[o] for k, v in extra.items()}})
    return CoactionNetwork(kind, float(window), int(min_weight), bool(directed), compat, out, act)


def coaction_networks(posts: pd.DataFrame, kinds=("link", "share", "text"), *, window=60, min_weight: int = 2,
                      directed: bool = True, compat: str | None = None, split: str | None = None,
                      workers: int = 2) -> dict:
    """Several co-action networks of the same posts, computed side by side.

    Parameters
    ----------
    posts : DataFrame
        The contract's posts table.
    kinds : sequence of str
        Kinds, as in :func:`coaction_network`.
    window : float or dict
        Seconds, or a dict ``kind -> seconds``.
    min_weight, directed, compat, split
        As in :func:`coaction_network`.
    workers : int, default 2
        Threads: the compiled counting loop and pyarrow release the GIL, so kinds overlap.

    Returns
    -------
    dict
        ``kind -> CoactionNetwork``, in the order of ``kinds``; the same as one
        :func:`coaction_network` call per kind.
    """
    from concurrent.futures import ThreadPoolExecutor

    accounts = encode_accounts(posts)

    def one(kind):
        w = window[kind] if isinstance(window, dict) else window
        return coaction_network(posts, kind, window=w, min_weight=min_weight, directed=directed, compat=compat,
                                split=split, accounts=accounts)

    if workers <= 1 or len(kinds) <= 1:
        return {k: one(k) for k in kinds}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(kinds, pool.map(one, kinds)))


def _id_rank(accounts: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Rank of each account code in the sort order of the ids (only ``codes`` are ranked)."""
    rank = np.zeros(len(accounts), dtype=np.int64)
    used = pairs.distinct(codes)
    rank[used[np.argsort(accounts[used].astype(str), kind="stable")]] = np.arange(len(used))
    return rank


def sort_actions(act: Actions) -> Actions:
    """The actions sorted by object, then time (the order :func:`directed_weights` needs)."""
    o = pairs.order(act.obj, act.time)
    return Actions(act.post[o], act.account[o], act.time[o], act.obj[o], act.accounts, act.objects, act.post_ids)


def directed_weights(act: Actions, window: float, min_weight: int, compat, *, floor: int = 1) -> tuple[np.ndarray, ...]:
    """Account codes ``u1, u2`` and weights ``w(u1 -> u2)`` >= ``floor`` of sorted actions
    (only accounts with at least ``min_weight`` posts are considered as ``u1``)."""
    return pairs.directed_weights(act.post, act.account, act.obj, act.time, _ns(window), len(act.accounts),
                                  min_weight=min_weight, same_account=compat == "cnt", floor=floor)


def account_codes(act: Actions, names) -> np.ndarray:
    """Codes of account ids in ``act.accounts`` (-1 for unknown ones).

    ``act.accounts`` is sorted, so a few names (an edge list is short beside the accounts that
    posted) are found by binary search; many are looked up in a hash index of all of them.

    >>> from detector.coaction.actions import Actions
    >>> act = Actions(*[np.zeros(0, np.int64)] * 4, np.array(["a", "c", "d"], dtype=object), None, None)
    >>> account_codes(act, ["d", "b", "a"]).tolist()
    [2, -1, 0]
    """
    names = np.asarray(names, dtype=object)
    accounts = act.accounts
    if len(accounts) == 0:
        return np.full(len(names), -1, dtype=np.int64)
    if len(names) * max(np.log2(len(accounts)), 1.0) >= len(accounts):
        return act.account_index.get_indexer(pd.Index(names)).astype(np.int64)
    at = np.minimum(np.searchsorted(accounts, names), len(accounts) - 1)
    return np.where(accounts[at] == names, at, -1).astype(np.int64)


def _ns(seconds: float) -> int:
    return int(round(float(seconds) * 1e9))


def _directed_edges(u1, u2, w, min_weight):
    keep = w >= min_weight
    return u1[keep], u2[keep], {"weight": w[keep]}


def _undirected_edges(u1, u2, w, min_weight):
    """Pairs weighted min(w12, w21); both directions must exist."""
    U = np.int64(max(int(u1.max(initial=0)), int(u2.max(initial=0))) + 1)
    code = u1 * U + u2
    rev = u2 * U + u1
    pos = np.searchsorted(code, rev)     # code is sorted (u1, u2)
    pos = np.minimum(pos, len(code) - 1) if len(code) else pos
    has = (code[pos] == rev) if len(code) else np.zeros(0, dtype=bool)
    w21 = np.where(has, w[pos] if len(code) else w, 0)
    keep = (u1 < u2) & (np.minimum(w, w21) >= min_weight)
    return u1[keep], u2[keep], {"weight": np.minimum(w, w21)[keep], "weight_12": w[keep], "weight_21": w21[keep]}


def _evidence(act: Actions, edges: pd.DataFrame, window: float, *, same_account: bool,
              per_edge: int | None) -> pd.DataFrame:
    """Rows of the action pairs behind the directed edges ``account_1 -> account_2`` (see
    :meth:`CoactionNetwork.evidence`), computed by :func:`._kernels.coaction_evidence`."""
    from ._kernels import coaction_evidence

    cols = ["account_1", "account_2", "post_1", "post_2", "object", "time_1", "time_2", "lag_s", "pairs"]
    if len(edges) == 0 or len(act) == 0:
        return pd.DataFrame({c: [] for c in cols})
    U = np.int64(len(act.accounts))
    a1, a2 = account_codes(act, edges["account_1"]), account_codes(act, edges["account_2"])
    known = (a1 >= 0) & (a2 >= 0)
    code = pairs.distinct(a1[known] * U + a2[known])      # directed edges, sorted by (u1, u2)
    p1, p2 = code // U, code % U
    sub = np.flatnonzero(np.isin(act.account, np.concatenate([p1, p2])))   # still sorted by (object, time)
    obj, acc, time = act.obj[sub], act.account[sub], act.time[sub]
    lo, hi = pairs.window_bounds(obj, time, _ns(window))
    tree, size, shift = pairs.window_index(obj, acc, lo, hi)
    by_account, rank, block_end = pairs.account_blocks(obj, acc)
    src = pairs.distinct(p1)
    rows = np.flatnonzero(np.isin(acc, src))
    rows = rows[np.lexsort((rows, time[rows], acc[rows]))]     # by source account, in time order
    row_ptr = np.searchsorted(acc[rows], src, side="left").astype(np.int64)
    row_ptr = np.r_[row_ptr, len(rows)].astype(np.int64)
    pair_ptr = np.r_[np.searchsorted(p1, src, side="left"), len(p1)].astype(np.int64)
    i, j, e, total = coaction_evidence(rows, row_ptr, p2.astype(np.int64), pair_ptr, time, acc, lo, hi, tree, size,
                                       shift, by_account, block_end, rank, int(U),
                                       -1 if per_edge is None else int(per_edge), bool(same_account))
    rank_of = _id_rank(act.accounts, np.concatenate([p1, p2]))
    post = act.post[sub]
    ids, id_rank = _labels(act.post_ids, np.concatenate([post[i], post[j]]))
    n = len(i)
    # by accounts, times, object (codes are in label order), post ids: not by the order of the posts
    o = np.lexsort((j, i, id_rank[n:], id_rank[:n], obj[i], time[j], time[i], rank_of[acc[j]], rank_of[acc[i]]))
    i, j, e = i[o], j[o], e[o]
    t1, t2 = time[i], time[j]
    return pd.DataFrame({"account_1": _labels(act.accounts, acc[i])[0], "account_2": _labels(act.accounts, acc[j])[0],
                         "post_1": ids.iloc[:n].iloc[o].reset_index(drop=True),
                         "post_2": ids.iloc[n:].iloc[o].reset_index(drop=True),
                         "object": _labels(act.objects, obj[i])[0],
                         "time_1": pd.to_datetime(t1, utc=True), "time_2": pd.to_datetime(t2, utc=True),
                         "lag_s": (t2 - t1) / 1e9, "pairs": total[e]})


def _labels(labels, codes: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """``labels[codes]`` as a string Series (built in arrow: no Python string per row) and the
    rank of each in the sort order of the labels."""
    import pyarrow as pa
    import pyarrow.compute as pc

    used, inv = np.unique(codes, return_inverse=True)
    picked = labels.iloc[used] if isinstance(labels, pd.Series) else labels[used]
    arr = pa.array(pd.Series(picked).astype(str).to_numpy(dtype=object), type=pa.large_string())
    rank = np.empty(len(used), dtype=np.int64)
    rank[pc.sort_indices(arr).to_numpy()] = np.arange(len(used), dtype=np.int64)
    out = pd.Series(arr.take(pa.array(inv.astype(np.int64))), dtype=pd.Series(["x"]).dtype)
    return out, rank[inv]

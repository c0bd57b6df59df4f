"""The similarity graph: registrations linked when they share a surging token, close in time.

For every token, the registrations that carry it while it is over-represented
(see :mod:`~detector.detection.shift`) are sorted by time and each is linked to
the next ``k`` of them within ``max_gap`` seconds. That keeps the graph linear
in the number of (registration, token) pairs: a burst of 10,000 sign-ups that
share one token gives about ``k * 10,000`` edges, not 50 million.
Edge weights add up the weights (log lifts) of the tokens the two share.
"""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["similarity_graph", "edge_list", "strongest_pairs"]


def strongest_pairs(pair_row: np.ndarray, pair_weight: np.ndarray, top: int) -> np.ndarray:
    """Mask keeping, for each registration, its ``top`` heaviest tokens (of equal weights, the
    first in ``pair_row``'s order).

    >>> strongest_pairs(np.array([0, 0, 0, 1, 2, 2]), np.array([1.0, 3.0, 2.0, 1.0, 1.0, 1.0]), 2).tolist()
    [False, True, True, True, True, True]
    """
    from ._graph_kernels import keep_top_grouped

    pair_row = np.asarray(pair_row)
    if np.all(pair_row[1:] >= pair_row[:-1]):          # grouped by registration (as the shift gives them)
        return keep_top_grouped(pair_row, pair_weight, top)
    order = np.argsort(pair_row, kind="stable")         # grouped, each registration's pairs in their order
    keep = np.empty(len(pair_row), dtype=bool)
    keep[order] = keep_top_grouped(pair_row[order], np.asarray(pair_weight)[order], top)
    return keep


def edge_list(pair_row: np.ndarray, pair_token: np.ndarray, pair_weight: np.ndarray, times: np.ndarray, *,
              k: int = 1, max_gap: float = 7200.0, top: int = 3) -> pd.DataFrame:
    """Edges ``u, v, weight`` (``u < v``) between registrations sharing a surging token.

    Parameters
    ----------
    pair_row, pair_token, pair_weight : numpy.ndarray
        (registration, token, weight) for each token a registration carries while
        it surges.
    times : numpy.ndarray
        Seconds (any origin) of each registration.
    k : int, default 1
        Each registration is linked to the next ``k`` carriers of the token.
    max_gap : float, default 7200
        Carriers further apart than this, in seconds, are not linked.
    top : int, default 3
        Only each registration's ``top`` heaviest tokens make links, which bounds
        the edges at about ``k * top`` per registration.

    Returns
    -------
    pandas.DataFrame
        ``u, v, weight``, one row per linked pair.
    """
    if len(pair_row) == 0:
        return pd.DataFrame({"u": np.array([], dtype=np.int64), "v": np.array([], dtype=np.int64),
                             "weight": np.array([], dtype=float)})
    strong = strongest_pairs(pair_row, pair_weight, top)
    pair_row, pair_token, pair_weight = pair_row[strong], pair_token[strong], pair_weight[strong]
    order = np.lexsort((times[pair_row], pair_token))
    rows, tokens, weights = pair_row[order], pair_token[order], pair_weight[order]
    t = times[rows]
    us, vs, ws = [], [], []
    for step in range(1, k + 1):
        same = tokens[step:] == tokens[:-step]
        close = (t[step:] - t[:-step]) <= max_gap
        ok = same & close
        a, b = rows[:-step][ok], rows[step:][ok]
        us.append(np.minimum(a, b))
        vs.append(np.maximum(a, b))
        ws.append(np.minimum(weights[:-step][ok], weights[step:][ok]))
    edges = pd.DataFrame({"u": np.concatenate(us), "v": np.concatenate(vs), "weight": np.concatenate(ws)})
    edges = edges[edges["u"] != edges["v"]]
    return edges.groupby(["u", "v"], sort=True, as_index=False)["weight"].sum()


def similarity_graph(edges: pd.DataFrame, nodes=None) -> nx.Graph:
    """A weighted networkx graph from :func:`edge_list` output.

    Parameters
    ----------
    edges : pandas.DataFrame
        ``u, v, weight``.
    nodes : iterable of int, optional
        Nodes to add even when they have no edge.

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> e = pd.DataFrame({"u": [0, 1], "v": [1, 2], "weight": [1.5, 2.0]})
    >>> G = similarity_graph(e)
    >>> G.number_of_nodes(), G.number_of_edges(), G[1][2]["weight"]
    (3, 2, 2.0)
    """
    G = nx.Graph()
    if nodes is not None:
        G.add_nodes_from(int(n) for n in nodes)
    G.add_weighted_edges_from(zip(edges["u"].tolist(), edges["v"].tolist(), edges["weight"].tolist()))
    return G

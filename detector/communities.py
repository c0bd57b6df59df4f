"""Communities of a weighted graph, shared by sign-up clusters (:mod:`detector.detection`) and account
clusters (:mod:`detector.coaction`), which do not import each other.

Connected components are split into communities with networkx's Louvain method
(seeded, so the same input gives the same clusters). Components too small to
matter are left whole, which keeps the Python work proportional to the large
components only.

Louvain's own first level merges nodes that belong together; when the caller
knows such groups in advance (registrations whose heaviest surging token is the
same within the same half hour), ``groups`` lets Louvain start from them: the
graph it sees has one node per group, with the edges between groups summed.
That keeps community detection fast on bursts of hundreds of thousands of
sign-ups.
"""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

__all__ = ["find_clusters", "groups_of"]


def find_clusters(edges: pd.DataFrame, n_nodes: int, *, min_size: int = 20, resolution: float = 1.0,
                  seed: int = 0, groups: np.ndarray | None = None) -> np.ndarray:
    """Label each registration with its community, or -1.

    Parameters
    ----------
    edges : pandas.DataFrame
        ``u, v, weight`` between registration positions ``0 .. n_nodes - 1``.
    n_nodes : int
        Number of registrations.
    min_size : int, default 20
        Communities smaller than this are dropped (label -1).
    resolution : float, default 1.0
        Louvain resolution: above 1 favours smaller communities.
    seed : int, default 0
        Seed of the Louvain method.
    groups : numpy.ndarray of int, optional
        A starting partition (one group id per registration, ids < n_nodes);
        communities are then unions of whole groups.

    Returns
    -------
    numpy.ndarray of int
        Community labels ``0, 1, ...`` ordered by each community's smallest
        member position, -1 for registrations in no community.

    Examples
    --------
    >>> e = pd.DataFrame({"u": [0, 1, 3], "v": [1, 2, 4], "weight": [1.0, 1.0, 1.0]})
    >>> find_clusters(e, 6, min_size=2).tolist()
    [0, 0, 0, 1, 1, -1]
    """
    labels = np.full(n_nodes, -1, dtype=np.int64)
    if edges.empty:
        return labels
    if groups is not None:
        node = np.zeros(n_nodes, dtype=bool)
        node[edges["u"].to_numpy()] = True
        node[edges["v"].to_numpy()] = True
        coarse = pd.DataFrame({"u": groups[edges["u"].to_numpy()], "v": groups[edges["v"].to_numpy()],
                               "weight": edges["weight"].to_numpy(float)})
        coarse[["u", "v"]] = np.sort(coarse[["u", "v"]].to_numpy(), axis=1)
        coarse = coarse.groupby(["u", "v"], as_index=False, sort=True)["weight"].sum()
        group_size = np.bincount(groups[node], minlength=n_nodes)
        group_labels = _communities(coarse, n_nodes, group_size, min_size, resolution, seed)
        labels[node] = group_labels[groups[node]]
        return labels
    return _communities(edges, n_nodes, np.ones(n_nodes, dtype=np.int64), min_size, resolution, seed)


def _communities(edges, n_nodes, size_of, min_size, resolution, seed) -> np.ndarray:
    labels = np.full(n_nodes, -1, dtype=np.int64)
    u, v, w = edges["u"].to_numpy(), edges["v"].to_numpy(), edges["weight"].to_numpy(float)
    adj = sparse.coo_matrix((w, (u, v)), shape=(n_nodes, n_nodes)).tocsr()
    _, comp = connected_components(adj, directed=False)
    sizes = np.bincount(comp, weights=size_of)
    communities: list[np.ndarray] = []
    edge_comp = comp[u]
    for c in np.flatnonzero(sizes >= min_size):
        members = np.flatnonzero(comp == c)
        sel = edge_comp == c
        if size_of[members].sum() < 4 * min_size:
            communities.append(members)
            continue
        G = nx.Graph()
        G.add_nodes_from(members.tolist())
        G.add_weighted_edges_from(zip(u[sel].tolist(), v[sel].tolist(), w[sel].tolist()))
        for part in nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed):
            part = np.fromiter(part, dtype=np.int64)
            if size_of[part].sum() >= min_size:
                communities.append(np.sort(part))
    communities.sort(key=lambda m: int(m.min()))
    for label, members in enumerate(communities):
        labels[members] = label
    return labels


def groups_of(labels: np.ndarray) -> dict[int, np.ndarray]:
    """Positions of each label >= 0, ascending, in one sort instead of one scan per label.

    Examples
    --------
    >>> {k: v.tolist() for k, v in groups_of(np.array([1, -1, 0, 1])).items()}
    {0: [2], 1: [0, 3]}
    """
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    keys, starts = np.unique(sorted_labels, return_index=True)
    ends = np.append(starts[1:], len(order))
    return {int(k): order[a:b] for k, a, b in zip(keys, starts, ends) if k >= 0}

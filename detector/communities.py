"""Communities of a weighted graph, shared by sign-up clusters (:mod:`detector.detection`) and account
clusters (:mod:`detector.coaction`), which do not import each other.

Connected components are split into communities with the Louvain method (seeded, so the same
input gives the same clusters). Components too small to matter are left whole, which keeps the
work proportional to the large components only.

The engine is networkit's PLM (Louvain in C++, MIT licence), on one thread and seeded. On the
graph :func:`detector.detect` builds for 1,000,000 simulated Tulsa registrations it takes about
0.7 s where networkx's ``louvain_communities`` takes 11-17 s (``benchmarks/communities.py``;
igraph's ``community_multilevel`` is as fast, 1.1 s, but GPL-licensed, so it is not a
dependency). The engines draw their node orders differently, so they need not give the very
same partition. networkx stays the graph type used everywhere else; only the algorithm's engine
differs.

Louvain's own first level merges nodes that belong together; when the caller
knows such groups in advance (registrations whose heaviest surging token is the
same within the same half hour), ``groups`` lets Louvain start from them: the
graph it sees has one node per group, with the edges between groups summed (and
the edges within a group as the group's self-loop, as Louvain's own aggregation
does). That is what starting from a partition means for Louvain, whichever engine
runs it, and keeps community detection fast on bursts of hundreds of thousands of
sign-ups.

The result depends only on the graph, the seed and the node numbering: edges are put in one
canonical order (``u <= v``, sorted, duplicates summed) before either engine sees them, and
communities are numbered by their smallest member, with or without ``groups``.
"""
from __future__ import annotations

import random
import sys
import threading

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

__all__ = ["find_clusters", "groups_of", "label_runs"]

#: ``"networkit"`` (the default), ``"networkx"`` or ``"igraph"`` (if installed).
#: Private: benchmarks and tests set it; users get networkit.
_ENGINE = "networkit"
#: Import networkit without its optional plotting (matplotlib's pyplot) and link-prediction
#: (scikit-learn) parts, which PLM does not use: about 1 s less of imports. Only the command line
#: sets it, since its process runs nothing else: networkit imported so keeps them off for the
#: rest of the process.
LEAN_NETWORKIT = False
_IGRAPH_RNG = threading.Lock()  # the engines' random number generators and thread settings are per process


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
        Seed of the Louvain method: the same seed (and engine) gives the same labels.
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
        return _by_first_member(labels)
    return _communities(edges, n_nodes, np.ones(n_nodes, dtype=np.int64), min_size, resolution, seed)


def _communities(edges, n_nodes, size_of, min_size, resolution, seed) -> np.ndarray:
    labels = np.full(n_nodes, -1, dtype=np.int64)
    u, v, w = _canonical(edges["u"].to_numpy(np.int64), edges["v"].to_numpy(np.int64),
                         edges["weight"].to_numpy(float))
    adj = sparse.coo_matrix((w, (u, v)), shape=(n_nodes, n_nodes)).tocsr()
    _, comp = connected_components(adj, directed=False)
    sizes = np.bincount(comp, weights=size_of)
    big = (sizes >= 4 * min_size) & (np.bincount(comp, minlength=len(sizes)) > 1)
    louvain = _engine() if big.any() else None
    communities: list[np.ndarray] = []
    # nodes and edges of each component in one sort each (not one scan per component)
    node_order = np.argsort(comp, kind="stable")
    node_start = np.searchsorted(comp[node_order], np.arange(len(sizes) + 1))
    edge_comp = comp[u]
    edge_order = np.argsort(edge_comp, kind="stable")
    edge_start = np.searchsorted(edge_comp[edge_order], np.arange(len(sizes) + 1))
    for c in np.flatnonzero(sizes >= min_size):
        members = node_order[node_start[c]:node_start[c + 1]]          # ascending
        if not big[c]:
            communities.append(members)
            continue
        sel = edge_order[edge_start[c]:edge_start[c + 1]]                # canonical order kept
        for part in louvain(members, u[sel], v[sel], w[sel], resolution, seed):
            if size_of[part].sum() >= min_size:
                communities.append(part)
    communities.sort(key=lambda m: int(m[0]))
    for label, members in enumerate(communities):
        labels[members] = label
    return labels


def _by_first_member(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered ``0, 1, ...`` in the order of each community's smallest member (with
    groups, communities come out numbered by their smallest group id instead)."""
    inside = labels >= 0
    if not inside.any():
        return labels
    keys, first = np.unique(labels[inside], return_index=True)
    new = np.empty(len(keys), dtype=np.int64)
    new[np.argsort(first, kind="stable")] = np.arange(len(keys))
    labels[inside] = new[np.searchsorted(keys, labels[inside])]
    return labels


def _canonical(u, v, w):
    """Edges with ``u <= v``, sorted by ``(u, v)``, duplicates summed: the order they came in
    changes nothing downstream."""
    u, v = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((v, u))
    u, v, w = u[order], v[order], w[order]
    if len(u) > 1:
        first = np.ones(len(u), dtype=bool)
        first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
        if not first.all():
            starts = np.flatnonzero(first)
            u, v, w = u[starts], v[starts], np.add.reduceat(w, starts)
    return u, v, w


def _engine():
    """The Louvain engine: ``(members, u, v, w, resolution, seed) -> parts``, each part the
    ascending member positions of one community. networkit's PLM by default; ``_ENGINE`` picks
    networkx (the reference) or igraph for the benchmarks and tests."""
    if _ENGINE == "networkx":
        return _louvain_networkx
    if _ENGINE == "igraph":
        import igraph
        return lambda *args: _louvain_igraph(igraph, *args)
    return _louvain_networkit


def _networkit():
    """networkit, imported lean (see :data:`LEAN_NETWORKIT`) when asked and not imported yet."""
    if not LEAN_NETWORKIT or "networkit" in sys.modules:
        import networkit
        return networkit
    # networkit imports these in ``try: ... except ImportError``; a None entry raises it
    masked = [m for m in ("matplotlib.pyplot", "sklearn") if m not in sys.modules]
    for m in masked:
        sys.modules[m] = None
    try:
        import networkit
    except ImportError:          # a networkit that needs them after all: imported whole below
        networkit = None
    finally:
        for m in masked:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
    if networkit is None:
        import networkit
    return networkit


def _louvain_networkit(members, u, v, w, resolution, seed) -> list[np.ndarray]:
    """networkit's PLM (Louvain, C++) on one component, on one thread and seeded: its vertices
    are the members in ascending order and its edges come in canonical order, so the result
    depends on the graph and the seed only."""
    nk = _networkit()

    local_u, local_v = np.searchsorted(members, u), np.searchsorted(members, v)
    g = nk.Graph(len(members), weighted=True)
    if len(local_u):
        g.addEdges((np.asarray(w, dtype=np.float64), (local_u.astype(np.uint64), local_v.astype(np.uint64))))
    with _IGRAPH_RNG:
        threads = nk.getMaxNumberOfThreads()
        nk.setNumberOfThreads(1)           # one thread: the same moves in the same order every run
        nk.engineering.setSeed(0 if seed is None else int(seed), False)
        try:
            plm = nk.community.PLM(g, refine=False, gamma=float(resolution), par="none")
            plm.run()
            membership = np.asarray(plm.getPartition().getVector(), dtype=np.int64)
        finally:
            nk.setNumberOfThreads(threads)
    order = np.argsort(membership, kind="stable")
    cuts = np.flatnonzero(np.diff(membership[order])) + 1
    return [members[part] for part in np.split(order, cuts)]


def _louvain_igraph(igraph, members, u, v, w, resolution, seed) -> list[np.ndarray]:
    """igraph's multilevel (Louvain) method on one component; its vertices are the members in
    ascending order and its edges come in canonical order, so the result depends on the seed
    and the graph only."""
    local_u, local_v = np.searchsorted(members, u), np.searchsorted(members, v)
    g = igraph.Graph(n=len(members), edges=list(zip(local_u.tolist(), local_v.tolist())))
    with _IGRAPH_RNG:
        igraph.set_random_number_generator(random.Random(None if seed is None else int(seed)))
        try:
            membership = g.community_multilevel(weights=w.tolist(), resolution=resolution).membership
        finally:
            igraph.set_random_number_generator(random)    # igraph's default: the random module
    membership = np.asarray(membership, dtype=np.int64)
    order = np.argsort(membership, kind="stable")
    cuts = np.flatnonzero(np.diff(membership[order])) + 1
    return [members[part] for part in np.split(order, cuts)]


def _louvain_networkx(members, u, v, w, resolution, seed) -> list[np.ndarray]:
    """networkx's Louvain method on one component (the fallback engine)."""
    G = nx.Graph()
    G.add_nodes_from(members.tolist())
    G.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist()))
    parts = nx.community.louvain_communities(G, weight="weight", resolution=resolution,
                                             seed=None if seed is None else int(seed))
    return [np.sort(np.fromiter(part, dtype=np.int64, count=len(part))) for part in parts]


def label_runs(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The positions of the labels >= 0 grouped by label: ``(order, starts, keys)``, where
    ``order`` lists the positions label by label (ascending labels, ascending positions within
    each), group ``i`` is ``order[starts[i]:starts[i + 1]]`` and ``keys[i]`` its label.

    Examples
    --------
    >>> [a.tolist() for a in label_runs(np.array([1, -1, 0, 1]))]
    [[2, 0, 3], [0, 1], [0, 1]]
    """
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    order = order[labels[order] >= 0]
    sorted_labels = labels[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = sorted_labels[1:] != sorted_labels[:-1]
    starts = np.flatnonzero(new)
    return order, starts, sorted_labels[starts]


def groups_of(labels: np.ndarray) -> dict[int, np.ndarray]:
    """Positions of each label >= 0, ascending, in one sort instead of one scan per label.

    Examples
    --------
    >>> {k: v.tolist() for k, v in groups_of(np.array([1, -1, 0, 1])).items()}
    {0: [2], 1: [0, 3]}
    """
    order, starts, keys = label_runs(labels)
    ends = np.append(starts[1:], len(order))
    return {int(k): order[a:b] for k, a, b in zip(keys, starts, ends)}

"""Cluster expansion: find the members a cluster's core missed.

The graph only holds registrations whose own tokens surge strongly, so a
campaign member who camouflaged most attributes is often left out. Each flagged
cluster is therefore turned into a profile and every registration of its time
span is weighed against it, naive-Bayes style:

- the profile's features are the cluster's characteristic tokens (carried by at
  least ``min_share`` of its members, at least ``min_lift`` times more than at
  baseline) and, per attribute, *rare at baseline* indicators (the value's
  baseline share is below ``rare``): campaigns bring many different odd values,
  each rare, so "rare postal region" characterises them where no single value does;
- a registration's log-likelihood ratio sums ``log(q / p)`` over the features it
  has and ``log((1 - q) / (1 - p))`` over those it lacks, ``q`` the share among
  the cluster's members and ``p`` at baseline;
- the prior odds are the cluster's share of the sign-ups in its span;
- a registration joins the cluster whose posterior is highest, when that is at
  least ``threshold``.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["rare_indicators", "expand_clusters", "merge_similar"]


def rare_indicators(tm, p0: np.ndarray, *, rare: float = 0.003, facets=None) -> tuple[sparse.csr_matrix, list]:
    """Per registration and facet: does it carry a value whose baseline share is below ``rare``?"""
    facets = facets or sorted(set(tm.facets) - {"ua", "account", "reposted", "follows"})
    cols, names = [], []
    for facet in facets:
        sel = np.flatnonzero((tm.facets == facet) & (p0 < rare))
        if len(sel) == 0:
            continue
        cols.append(sparse.csr_matrix((np.asarray(tm.X[:, sel].sum(axis=1)).ravel() > 0).astype(np.float32)[:, None]))
        names.append(f"rare {facet}")
    if not cols:
        return sparse.csr_matrix((tm.X.shape[0], 0), dtype=np.float32), []
    return sparse.hstack(cols, format="csr"), names


def expand_clusters(labels: np.ndarray, flagged: np.ndarray, tm, p0: np.ndarray, quiet: np.ndarray,
                    times: np.ndarray, *, min_share: float = 0.05, min_lift: float = 3.0, rare: float = 0.003,
                    threshold: float = 0.5, margin: float = 3 * 3600.0) -> tuple[np.ndarray, np.ndarray]:
    """Grow flagged clusters to the registrations of their span that match their profile.

    Parameters
    ----------
    labels : numpy.ndarray of int
        Cluster of each registration (-1 none).
    flagged : numpy.ndarray of int
        The labels to expand.
    tm : TokenMatrix
    p0 : numpy.ndarray
        Baseline share of each token.
    quiet : numpy.ndarray of bool
        Registrations taken as organic, for the baseline shares of the rare indicators.
    times : numpy.ndarray
        Seconds of each registration.
    min_share, min_lift, rare, threshold, margin : float
        See the module description; ``margin`` (seconds) widens the span on both sides.

    Returns
    -------
    (labels, posterior) : numpy.ndarray, numpy.ndarray
        New labels (the flagged clusters grown) and each registration's posterior
        for the cluster it was given (0 when none).
    """
    n = len(labels)
    R, _ = rare_indicators(tm, p0, rare=rare)
    F = sparse.hstack([tm.X, R], format="csr")
    n_quiet = max(int(quiet.sum()), 1)
    p_all = np.concatenate([p0, (np.asarray(R[quiet].sum(axis=0)).ravel() + 0.5) / (n_quiet + 1.0)])
    best = np.full(n, -np.inf)
    best_label = np.full(n, -1, dtype=np.int64)
    for c in flagged:
        members = np.flatnonzero(labels == c)
        q = (np.asarray(F[members].sum(axis=0)).ravel() + 0.5) / (len(members) + 1.0)
        sig = np.flatnonzero((q >= min_share) & (q >= min_lift * p_all))
        if len(sig) == 0:
            continue
        lo, hi = np.searchsorted(times, [times[members].min() - margin, times[members].max() + margin + 1e-9])
        span = np.arange(lo, hi)
        prior = min(len(members) / max(len(span), 1), 0.95)
        qs, ps = q[sig], np.clip(p_all[sig], 1e-6, 1 - 1e-6)
        present = np.log(qs / ps)
        absent = np.log(np.clip(1 - qs, 1e-6, None) / (1 - ps))
        has = F[span][:, sig]
        llr = has @ (present - absent) + absent.sum() + np.log(prior / (1 - prior))
        better = llr > best[span]
        best[span[better]] = llr[better]
        best_label[span[better]] = c
    posterior = 1.0 / (1.0 + np.exp(-np.clip(best, -50, 50)))
    grown = labels.copy()
    join = (best_label >= 0) & (posterior >= threshold)
    grown[join] = best_label[join]
    # members of a flagged core that no profile claimed keep their core
    return grown, np.where(best_label >= 0, posterior, 0.0)


def merge_similar(labels: np.ndarray, flagged: np.ndarray, X: sparse.csr_matrix, times: np.ndarray, *,
                  min_cosine: float = 0.4, gap: float = 3600.0) -> tuple[np.ndarray, np.ndarray]:
    """Merge flagged clusters that overlap in time (within ``gap`` seconds) and share a profile.

    A campaign whose members camouflage differently is often split into several
    graph communities; their token profiles (share of members carrying each
    token) stay alike. Clusters whose profiles have a cosine similarity of at
    least ``min_cosine`` are merged (transitively) under the smallest label.

    Returns
    -------
    (labels, flagged) : the relabelled array and the remaining flagged labels.
    """
    flagged = np.asarray(sorted(flagged))
    if len(flagged) < 2:
        return labels, flagged
    profiles, spans = [], []
    for c in flagged:
        m = np.flatnonzero(labels == c)
        profiles.append(np.asarray(X[m].mean(axis=0)).ravel())
        spans.append((times[m].min(), times[m].max()))
    P = np.vstack(profiles)
    P /= np.maximum(np.linalg.norm(P, axis=1, keepdims=True), 1e-12)
    cos = P @ P.T
    parent = list(range(len(flagged)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(flagged)):
        for j in range(i + 1, len(flagged)):
            overlap = spans[i][0] - gap <= spans[j][1] and spans[j][0] - gap <= spans[i][1]
            if overlap and cos[i, j] >= min_cosine:
                parent[root(j)] = root(i)
    merged = labels.copy()
    for i, c in enumerate(flagged):
        merged[labels == c] = flagged[root(i)]
    return merged, np.unique([flagged[root(i)] for i in range(len(flagged))])

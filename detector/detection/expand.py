"""Cluster expansion: find the members a cluster's core missed.

The graph only holds registrations whose own tokens surge strongly, so a
campaign member who camouflaged most attributes is often left out. Each flagged
cluster is therefore turned into a profile and every registration of its time
span is weighed against it, naive-Bayes style:

- the profile's features are, per attribute family (e-mail, phone, postal, IP,
  user agent, referrer, name, account, reposts, follows), "carries one of the
  family's characteristic tokens" (the tokens carried by at least ``min_share`` of
  its members, at least ``min_lift`` times more than at baseline: a cluster holding
  two campaigns, or one campaign with three throwaway domains, is matched by any
  of them; for a *channel* family, the one most characteristic token, since a
  channel is what an organic surge shares with a campaign) and "carries a value
  rare at baseline" (baseline share below ``rare``):
  campaigns bring many different odd values, each rare, so "rare postal region"
  characterises them where no single value does. Counting each family once keeps
  correlated tokens (the words of one user agent) from being counted ten times;
- a registration's log-likelihood ratio sums ``log(q / p)`` over the features it
  has and ``log((1 - q) / (1 - p))`` over those it lacks, ``q`` the share among
  the cluster's members and ``p`` at baseline;
- the prior odds are the share of the sign-ups in the same hour that the cluster
  claims: its own members, and, given the event's baseline, part of the sign-ups
  above it that nobody's values gave away (members who copied ordinary values):
  at most ``k`` times its members, ``k`` the weighted median over its hours of
  the excess per member (camouflage is drawn per member, not per minute, so a
  campaign arrives ``k`` times as its core does), and at most its share of the
  hidden excess by the size of the communities of that hour (an organic surge
  shows itself through its channel and claims its own crowd). So an organic surge
  inside the span (many sign-ups, few of them the cluster's) lowers them;
- the features above are blind to time, and organic registrants carry odd values
  too (a few in a hundred per attribute): a registrant none of whose own tokens
  is over-represented in its own time bin (no attribute-shift evidence) has its
  odds multiplied by ``no_evidence_odds`` (0.5), so that over a long span the
  organic registrants who merely happen to look odd do not join on rarity alone;
- naive Bayes takes a member's features to be independent, so a registrant who shows
  none of them looks far more ordinary than a member would; but camouflage is drawn per
  member, and part of a campaign copies ordinary values in everything. That *plain share*
  ``h`` is counted from the cluster's hours (:func:`_plain_share`), and a registrant whom
  the profile finds ordinary (``LR < 1``) has the likelihood ratio ``h + (1 - h) * LR``:
  members who show nothing, and members who show something (the profile's shares are
  measured on members who show something, so a registrant who does is judged by them as
  before: the plain share only ever raises a posterior). The prior still decides: where
  the cluster claims little of an hour, an ordinary-looking registrant stays out;
- a registration joins the cluster whose posterior is highest, when that is at
  least ``threshold``; the graph's members of a flagged cluster whose posterior
  is below ``prune`` leave it, so a core that picked up ordinary registrants
  sheds them;
- a cluster whose members no longer share any feature (a campaign of many odd
  values, each a few percent of it: its core carried one often enough, the
  members it grew to dilute it below ``min_share`` or ``min_lift``) keeps the
  members it has: without a profile there is nothing to weigh anyone against,
  which says nothing against them (shedding them all would make a campaign
  vanish because it was found whole).
"""
from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.special import betaincinv

from .facets import FAMILIES, RARE_FACETS

__all__ = ["family_matrix", "rare_indicators", "expand_clusters", "merge_similar"]


def family_matrix(tm) -> sparse.csr_matrix:
    """Tokens x attribute families, one-hot (see :data:`.facets.FAMILIES`)."""
    facet_names, facet_code = tm.facet_codes          # one look-up per facet, not per token
    names, family_code = np.unique(np.array([FAMILIES[f] for f in facet_names], dtype=object), return_inverse=True)
    codes = family_code.ravel()[facet_code]
    return sparse.csr_matrix((np.ones(len(codes)), (np.arange(len(codes)), codes)), shape=(len(codes), len(names)))


def rare_indicators(tm, p0: np.ndarray, *, rare: float = 0.003, families=None, columns=None) -> sparse.csr_matrix:
    """Registrations x families: carries a value whose baseline share is below ``rare``.

    Only facets with few distinct values count (:data:`RARE_FACETS`): a full phone
    number or name is rare for everybody, a rare area code or postal region is not.
    ``columns``: ``tm.X`` as a CSC matrix, when the caller has it (columns are read faster).
    """
    onehot = family_matrix(tm) if families is None else families
    ok = (p0 < rare) & np.isin(tm.facets, RARE_FACETS) & ~tm.is_rare
    hits = (tm.X if columns is None else columns)[:, np.flatnonzero(ok)] @ onehot[np.flatnonzero(ok)]
    return (hits > 0).astype(np.float32).tocsr()


def _profile_tokens(tokens, q, p0, onehot, channel):
    """Of ``tokens``, all those of identity families, and of each channel family (``channel``,
    per token) only the most characteristic one (largest ``q * log(q / p0)``): a channel is
    what an organic surge and a campaign can share, so a second referrer or user agent that a
    cluster picked up is not allowed to pull in the rest of its surge."""
    if len(tokens) == 0:
        return tokens
    gain = q[tokens] * np.log(q[tokens] / p0[tokens])
    family = onehot[tokens].indices
    order = np.lexsort((-gain, family))
    first = np.ones(len(order), dtype=bool)
    first[1:] = family[order][1:] != family[order][:-1]
    keep = first | ~channel[tokens[order]]
    return np.sort(tokens[order[keep]])


def _family_hits(X, tokens, onehot):
    """Registrations x families: carries any of ``tokens`` (``X`` read faster as CSC)."""
    return (X[:, tokens] @ onehot[tokens] > 0).astype(np.float32).tocsr()


def expand_clusters(labels: np.ndarray, flagged: np.ndarray, tm, p0: np.ndarray, quiet: np.ndarray,
                    times: np.ndarray, *, min_share: float = 0.05, min_lift: float = 3.0, rare: float = 0.003,
                    threshold: float = 0.35, margin: float = 3 * 3600.0,
                    spans: dict | None = None, prior_seconds: float = 3600.0,
                    prune: float = 0.3, families=None, rare_matrix=None, evidence: np.ndarray | None = None,
                    no_evidence_odds: float = 0.5, expected=None, columns=None,
                    posterior: np.ndarray | None = None, plain: np.ndarray | None = None,
                    confidence: float | None = None,
                    identity_only: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
        Registrations taken as organic, for the baseline shares of the profile's features.
    times : numpy.ndarray
        Seconds of each registration, sorted.
    min_share, min_lift, rare, threshold, margin : float
        See the module description; ``margin`` (seconds) widens the span on both sides.
    spans : dict, optional
        ``label -> (first, last)`` seconds to search in; by default the span of the
        cluster's current members. Passing the cores' spans keeps repeated
        expansion from creeping along the timeline.
    prior_seconds : float, default 3600
        The prior odds are the cluster's share of the sign-ups in windows of this length.
    prune : float, default 0.3
        Members of a flagged cluster whose posterior falls below this leave it.
    families : scipy.sparse.csr_matrix, optional
        :func:`family_matrix` of ``tm``, when the caller already has it.
    rare_matrix : scipy.sparse.csr_matrix, optional
        :func:`rare_indicators` of ``tm`` and ``p0``, when the caller already has it
        (it does not change between rounds).
    evidence : numpy.ndarray of float, optional
        Each registration's attribute-shift evidence (:attr:`.shift.Shift.evidence`); those
        with none have their odds multiplied by ``no_evidence_odds``. By default nobody's are.
    no_evidence_odds : float, default 0.5
        See ``evidence``.
    expected : callable, optional
        ``expected(a, b)`` -> organic sign-ups expected between ``a`` and ``b`` seconds (the
        event's baseline), one figure per pair for arrays of bounds. With it, the prior also counts members the cluster's core
        missed: of an hour's sign-ups above the baseline, the cluster claims at most ``k``
        times its members there (``k``: the weighted median, over its hours, of the excess
        per member) and at most its share, by size among that hour's communities (flagged
        or not), of the excess no community holds; never fewer than its own members. An
        organic surge in a minority of its hours does not move ``k``, and one that forms
        communities of its own (through its channel) keeps most of its crowd.
    columns : scipy.sparse.csc_matrix, optional
        ``tm.X`` by columns, when the caller has it: each cluster's profile tokens are read
        from it (a CSR matrix is read whole to select a few columns, for every cluster).
    posterior : numpy.ndarray, optional
        The previous round's posteriors: the members of a cluster left without a profile
        keep theirs (0 by default), and the cluster (see the module description).
    confidence : float, optional
        When given, each feature's share among the cluster's members is taken at its one-sided
        lower bound at this level (Jeffreys): a profile read from a few members claims less.
    identity_only : bool, default False
        Profile tokens of identity families only (no referrer, user agent, account or
        follows): for a cluster found unlike in its identity, whose channel says nothing
        about what made it unlike and is what an organic surge would share with it.
    plain : numpy.ndarray of bool, optional
        The previous round's third output: members who showed none of their cluster's
        features are left out of its profile (they are the mixture's other part).

    Returns
    -------
    (labels, posterior, plain) : numpy.ndarray, numpy.ndarray, numpy.ndarray of bool
        New labels (the flagged clusters grown), each registration's posterior for the
        cluster it was given (0 when none), and whether it is in that cluster showing none of
        its profile's features (it is there on the prior and the cluster's plain share,
        :func:`_plain_share`).
    """
    n = len(labels)
    onehot = family_matrix(tm) if families is None else families
    R = rare_indicators(tm, p0, rare=rare, families=onehot) if rare_matrix is None else rare_matrix
    channel = ~tm.is_identity
    # log prior-odds factor per registration: those without attribute-shift evidence pay it
    no_evidence = np.zeros(n) if evidence is None else np.where(np.asarray(evidence) > 0, 0.0, np.log(no_evidence_odds))
    quiet_rows = np.flatnonzero(quiet)
    R_quiet = R[quiet_rows]
    best = np.full(n, -np.inf)
    best_label = np.full(n, -1, dtype=np.int64)
    best_plain = np.zeros(n, dtype=bool)  # shows none of the best cluster's profile features
    kept = []                             # clusters without a profile: they keep their members
    for c in flagged:
        members = np.flatnonzero(labels == c)
        if len(members) == 0:
            continue                      # every member was shed in an earlier round
        # the profile is its visible members' (those the last round found showing something):
        # the plain ones are the other part of the mixture, and would only dilute it
        seen = members if plain is None or plain[members].all() else members[~plain[members]]
        q_tok = np.asarray(tm.X[seen].sum(axis=0)).ravel() / len(seen)
        candidates = (q_tok >= min_share) & (q_tok >= min_lift * p0)
        if identity_only:
            candidates &= ~channel
        sig = _profile_tokens(np.flatnonzero(candidates), q_tok, p0, onehot, channel)
        # features: per family "carries a characteristic token", and per family "carries a rare value"
        S = _family_hits(tm.X if columns is None else columns, sig, onehot) if len(sig) else sparse.csr_matrix((n, 0))
        F = sparse.hstack([S, R], format="csr")
        F_quiet = sparse.hstack([S[quiet_rows], R_quiet], format="csr")
        k_seen = np.asarray(F[seen].sum(axis=0)).ravel()
        q = (k_seen + 0.5) / (len(seen) + 1.0)
        if confidence is not None:     # each share at its lower bound: a profile read from few
            k = k_seen.astype(np.float64)      # members claims less (scipy.stats.beta.ppf, without its import)
            q = betaincinv(k + 0.5, len(seen) - k + 0.5, 1.0 - confidence)
        p = (np.asarray(F_quiet.sum(axis=0)).ravel() + 0.5) / (len(quiet_rows) + 1.0)
        use = np.flatnonzero((q >= min_share) & (q >= min_lift * p))
        if len(use) == 0:
            kept.append(c)
            continue
        first, last = spans[c] if spans and c in spans else (times[members].min(), times[members].max())
        lo, hi = np.searchsorted(times, [first - margin, last + margin + 1e-9])
        span = np.arange(lo, hi)
        # the prior follows the cluster's share of sign-ups hour by hour: an organic surge inside
        # the span dilutes it, so its registrants need stronger evidence to join
        hour = ((times[span] - times[lo]) // prior_seconds).astype(np.int64)
        in_c = np.bincount(((times[members] - times[lo]) // prior_seconds).astype(np.int64).clip(0, hour[-1]),
                           minlength=hour[-1] + 1)
        n_hour = np.bincount(hour)
        if expected is None:
            claim = in_c
        else:
            shown = np.bincount(hour[labels[span] >= 0], minlength=len(n_hour))
            claim = _claimed(in_c, n_hour, shown, times[lo], prior_seconds, expected)
        prior = np.clip((claim[hour] + 0.5) / (n_hour[hour] + 1.0), 0.005, 0.95)
        qs, ps = np.clip(q[use], 1e-6, 1 - 1e-6), np.clip(p[use], 1e-6, 1 - 1e-6)
        present = np.log(qs / ps)
        absent = np.log((1 - qs) / (1 - ps))
        Fs = F[span][:, use]
        likelihood = Fs @ (present - absent) + absent.sum()
        none = Fs.getnnz(axis=1) == 0
        h = _plain_share(none, hour, n_hour, claim,
                         float(np.mean(F_quiet[:, use].getnnz(axis=1) == 0)) if len(quiet_rows) else 1.0,
                         float(np.exp(np.log(1 - qs).sum())))
        odds = np.log(prior / (1 - prior)) + no_evidence[span]
        llr = likelihood + odds
        if h > 0:
            # only raises: h + (1 - h) * LR >= LR exactly where LR <= 1 (those the profile finds
            # ordinary); a registrant who shows the profile's features is judged by them
            llr = np.maximum(likelihood, np.logaddexp(np.log(h), np.log1p(-h) + likelihood)) + odds
        better = llr > best[span]
        best[span[better]] = llr[better]
        best_label[span[better]] = c
        best_plain[span[better]] = none[better]
    found = 1.0 / (1.0 + np.exp(-np.clip(best, -50, 50)))
    grown = labels.copy()
    # the graph's members of a flagged cluster whose profile finds them unlikely are shed
    # (EM-style, so the profile purifies itself over rounds)
    profiled = np.setdiff1d(flagged, kept)
    grown[np.isin(labels, profiled) & (found < prune)] = -1
    join = (best_label >= 0) & (found >= threshold)
    grown[join] = best_label[join]
    out = np.where(best_label >= 0, found, 0.0)
    if kept and posterior is not None:
        # the members a profile-less cluster keeps keep their last posterior
        stay = np.isin(grown, kept)
        out[stay] = np.maximum(out[stay], np.asarray(posterior)[stay])
    return grown, out, (grown >= 0) & (grown == best_label) & best_plain


def _plain_share(none: np.ndarray, hour: np.ndarray, n_hour: np.ndarray, claim: np.ndarray, p_none: float,
                 q_none: float, z: float = 2.0) -> float:
    """The share of a cluster's campaign that looks like anybody (shows none of its profile's
    features) beyond what the profile's shares predict, from the counts of its hours.

    In the hours the cluster claims sign-ups in, ``claim`` of ``n_hour`` are taken as its, the
    rest as organic, of whom a share ``p_none`` (measured among the quiet registrants) shows
    none of the features. The sign-ups showing none beyond that are the campaign's; their share
    of the claim, less ``q_none`` (the share the profile's features, taken as independent,
    predict), over ``1 - q_none``, is the share of members who copied ordinary values in
    everything: a campaign's camouflage is drawn per member, so its members are a mixture of
    those who show something and those who show nothing. Counted at ``z`` standard deviations
    below what was seen (Poisson), and 0 when nothing is left."""
    at = claim > 0
    if not at.any():
        return 0.0
    seen = float(np.bincount(hour[none], minlength=len(n_hour))[at].sum())
    organic = float(((n_hour - claim) * p_none)[at].sum())
    excess = seen - z * np.sqrt(seen) - organic
    share = excess / max(float(claim[at].sum()), 1.0)
    return float(np.clip((share - q_none) / max(1.0 - q_none, 1e-9), 0.0, 0.99))


def _claimed(core: np.ndarray, count: np.ndarray, shown: np.ndarray, start: float, seconds: float,
             expected) -> np.ndarray:
    """Per hour, the sign-ups a cluster claims (see :func:`expand_clusters`, ``expected``)."""
    edges = start + np.arange(len(count) + 1) * seconds
    base = np.asarray(expected(edges[:-1], edges[1:]), dtype=float)
    excess = np.maximum(count - base, 0.0)
    has = core > 0
    if not has.any():
        return core.astype(float)
    # the campaign arrives k times as its core does (camouflage is drawn per member, not per minute)
    ratio = excess[has] / core[has]
    order = np.argsort(ratio, kind="stable")
    weights = np.cumsum(core[has][order])
    k = max(1.0, float(ratio[order][np.searchsorted(weights, weights[-1] / 2.0)]))    # weighted median
    # the excess nobody's values showed, shared among the communities that did show, by size
    hidden = np.maximum(excess - shown, 0.0)
    share = core + hidden * core / np.maximum(shown, 1.0)
    return np.maximum(np.minimum(np.minimum(k * core, share), excess), core).astype(float)


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
    members = [np.flatnonzero(labels == c) for c in flagged]
    # the profiles over the tokens the members carry (the others are 0 in every profile): the
    # same figures whatever other tokens the table holds, and no dense row as wide as the table
    carried = np.flatnonzero(np.bincount(X[np.concatenate(members)].indices, minlength=X.shape[1]))
    for m in members:
        profiles.append(np.asarray(X[m][:, carried].mean(axis=0)).ravel())
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

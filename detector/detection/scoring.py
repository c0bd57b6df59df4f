"""Cluster signals and the cluster score.

The score is the confidence that more than ``min_unlike_share`` of a cluster's
members are unlike the organic registrants in who they are (their identity
attributes), measured against the data's own quiet registrations
(:mod:`.composition`); for a cluster flagged and grown, also that its whole crowd
(every sign-up of its span) holds that many unlike people beyond the chance of an
ordinary crowd of its size (:func:`.composition.crowd_confidence`): the smaller of
the two. The test is made on all identity attributes together and, when detection gives
them, on the families of who registrants say they are alone (e-mail, name; see
:data:`.facets.LOCATION_FAMILIES` for why not places), and the most confident counts, half
the error going to each side (Bonferroni within). A family alone must show more than time
alone gives its composition among the quiet registrations (:func:`.composition.time_spread`), and its
test always asks the cluster's crowd. Nothing is learned from a simulator: no weight, no threshold fitted on
anybody's scenarios, so the score means the same on any export. How the cluster
arrived (its channel, its rate over the baseline) finds candidates and is
reported, but does not decide: an organic surge is as sharp as a campaign and
comes through one channel too.

Signals per cluster (all reported in ``clusters.csv``):

``rate_ratio``       sign-ups over the organic baseline during the cluster's span
``unlike_share``     lower bound on the share of members unlike the organic registrants
                     (one-sided KS distance of identity surprisal), no more than the
                     cluster's whole crowd supports (:func:`.composition.crowd_supported_shares`)
``unlike_low``       its lower confidence bound (at the level of ``interval``)
``identity_share``   members whose *identity* tokens surge (e-mail, phone, postal, IP, name)
``channel_share``    members whose *channel* tokens surge (user agent, referrer, account, posts)
``facets``           attributes with a surging token carried by at least 5% of members
``evidence``         the members' median evidence (summed log lifts)
``location_share``   members located where registrants rarely are (and ``location_baseline``)
``crowd_excess``     unlike registrants in the cluster's crowd beyond the quiet share (and
                     ``crowd_sd``, its standard deviation in an ordinary crowd)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtri

from ..communities import label_runs
from .composition import crowd_confidence, crowd_support, quiet_reference, reference_size, sort_within_groups, \
    unlike_confidence, unlike_lower_bound
from .facets import LOCATION_FACETS

__all__ = ["SIGNALS", "cluster_features", "score_clusters", "scored", "with_best_test"]

#: the signals written per cluster, in order
SIGNALS = ("rate_ratio", "unlike_share", "unlike_low", "identity_share", "channel_share", "facets", "evidence",
           "crowd_excess", "crowd_sd")


def _rare_location(tm, p0: np.ndarray, threshold: float) -> np.ndarray:
    """Per registration: carries a location token rare among registrants (baseline share < threshold)."""
    loc = np.isin(tm.facets, LOCATION_FACETS) & (p0 < threshold)
    return np.asarray(tm.X[:, np.flatnonzero(loc)].sum(axis=1)).ravel() > 0


def _n_distinct(values) -> int:
    """How many distinct values; household ids (``0 .. n - 1``) counted without sorting.

    >>> _n_distinct(np.array([3, 0, 3, 1])), _n_distinct(np.array([-5, 10**12, -5]))
    (3, 2)
    """
    values = np.asarray(values)
    if values.dtype.kind in "iu" and len(values) and 0 <= values.min() and values.max() < 4 * len(values):
        return int(np.count_nonzero(np.bincount(values)))
    return len(np.unique(values))


def cluster_features(labels, tm, shift, *, times, baseline_rate, quiet, surprisal, reference=None, units=None,
                     attended=None, alpha: float = 0.05, rare_threshold: float = 0.003,
                     families: dict | None = None) -> pd.DataFrame:
    """One row of signals per cluster label (labels >= 0).

    Parameters
    ----------
    labels : numpy.ndarray of int
        Cluster of each registration, -1 for none.
    tm : TokenMatrix
    shift : Shift
    times : numpy.ndarray
        Seconds of each registration, ascending (the event's rows in time order): a cluster's
        crowd is every registration between its first and last member.
    baseline_rate : callable
        ``baseline_rate(start, end)`` -> organic sign-ups expected in ``[start, end]``.
    quiet : numpy.ndarray of bool
        Registrations taken as organic.
    surprisal : numpy.ndarray of float
        :func:`.composition.identity_surprisal` of every registration.
    reference : numpy.ndarray, list or QuietReference, optional
        :func:`.composition.quiet_reference`, when the caller already has it; by default
        the quiet registrations' surprisal.
    units : numpy.ndarray of int, optional
        Household of every registration (:func:`.composition.household_units`); the
        confidence counts households, not sign-ups. By default every sign-up is its own.
    attended : numpy.ndarray of float, optional
        1 attended, 0 not, NaN unknown (reported only).
    alpha : float, default 0.05
        One minus the level of ``unlike_low``.
    families : dict, optional
        Attribute family -> ``(surprisal, reference, spread)``, ``spread`` its
        :func:`.composition.time_spread`: the same test on each family alone
        (:func:`.composition.identity_surprisals`' parts), in the columns ``unlike_share@family``,
        ``crowd_excess@family``, ``crowd_sd@family`` and ``n_quiet@family``
        (:func:`score_clusters` takes the most confident test).
    """
    n = len(labels)
    units = np.arange(n) if units is None else np.asarray(units)
    # facets looked up per token (a few hundred thousand), not per (registration, token) pair
    facet_names, token_facet = tm.facet_codes
    identity = tm.is_identity[shift.pair_token]
    id_ev = np.bincount(shift.pair_row[identity], weights=shift.pair_weight[identity], minlength=n)
    ch_ev = np.bincount(shift.pair_row[~identity], weights=shift.pair_weight[~identity], minlength=n)
    rare_loc = _rare_location(tm, shift.p0, rare_threshold)
    base_rare = rare_loc[quiet].mean() if quiet.any() else 0.0
    reference = quiet_reference(surprisal, quiet) if reference is None else reference
    n_quiet = reference_size(reference)     # what the reference is worth in the confidence bound

    # every cluster at once: members grouped by label (ascending), one reduction per signal
    order, starts, keys = label_runs(labels)
    if len(order) == 0:
        return pd.DataFrame([])
    sizes = np.diff(np.append(starts, len(order)))
    t = times[order]
    first, last = np.minimum.reduceat(t, starts), np.maximum.reduceat(t, starts)
    expected = np.array([max(baseline_rate(a, b), 1.0) for a, b in zip(first, last)], dtype=float)
    # the people a cluster shows as unlike must be there in its whole crowd (every sign-up of
    # its span), not only in the part its tokens picked
    crowds = (np.searchsorted(times, first, side="left"), np.searchsorted(times, last, side="right"))
    # a household's sign-ups are one draw, not several: the crowd's counts vary that much more
    design = n / max(_n_distinct(units), 1)
    d, crowd_excess, crowd_sd = crowd_support(surprisal, order, starts, crowds, reference, n_quiet,
                                              float(-ndtri(alpha)), design=design)
    households = _distinct_per_group(np.asarray(units)[order], starts)
    facets = _facets_per_cluster(labels, shift.pair_row, token_facet[shift.pair_token], len(facet_names), keys, sizes)

    def share(flags):
        return np.add.reduceat(flags[order].astype(np.int64), starts) / sizes

    out = {
        "label": keys.astype(np.int64), "size": sizes, "first": first, "last": last, "expected": expected,
        "rate_ratio": sizes / expected,
        "unlike_share": d,
        "unlike_low": np.array([unlike_lower_bound(x, h, n_quiet, alpha) for x, h in zip(d, households)], dtype=float),
        "households": households,
        "identity_share": share(id_ev > 0),
        "channel_share": share(ch_ev > 0),
        "facets": facets,
        "evidence": _medians(shift.evidence[order], starts, sizes),
        "location_share": share(rare_loc), "location_baseline": np.full(len(keys), float(base_rare)),
        "n_quiet": np.full(len(keys), n_quiet, dtype=np.int64),
        "crowd_excess": crowd_excess, "crowd_sd": crowd_sd,
    }
    # each family given alone (e-mail, name): a campaign odd in one of them only is diluted in
    # the sum by the ordinary variety of the others
    for family, (values, ref, spread) in (families or {}).items():
        size_f = reference_size(ref)
        d_f, excess_f, sd_f = crowd_support(values, order, starts, crowds, ref, size_f, float(-ndtri(alpha)),
                                            design=design)
        out[f"unlike_share@{family}"], out[f"crowd_excess@{family}"], out[f"crowd_sd@{family}"] = d_f, excess_f, sd_f
        out[f"n_quiet@{family}"] = np.full(len(keys), size_f, dtype=np.int64)
        out[f"by_time@{family}"] = np.full(len(keys), spread)
    if attended is not None:
        att = np.asarray(attended, dtype=float)[order]
        known = np.isfinite(att)
        n_known = np.add.reduceat(known.astype(np.int64), starts)
        total = np.add.reduceat(np.where(known, att, 0.0), starts)
        out["attended_share"] = np.where(n_known > 0, total / np.maximum(n_known, 1), np.nan)
    return pd.DataFrame(out)


def _distinct_per_group(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The number of distinct values in each contiguous group."""
    _, group, _, first = sort_within_groups(values, starts)
    return np.bincount(group[first], minlength=len(starts)).astype(np.int64)


def _medians(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The median of each contiguous group (the mean of the two middle values when even)."""
    v = sort_within_groups(values, starts)[0].astype(float)
    lo = starts + (sizes - 1) // 2
    hi = starts + sizes // 2
    return (v[lo] + v[hi]) / 2.0


def _facets_per_cluster(labels, pair_row, pair_facet, n_facets, keys, sizes) -> np.ndarray:
    """Per cluster: the facets with a surging token carried by at least 5% of its members
    (counted over its members' (registration, surging token) pairs, ``pair_facet`` the facet
    code of each pair's token)."""
    lab = labels[pair_row]
    inside = lab >= 0
    cluster = np.searchsorted(keys, lab[inside])
    n_facets = max(int(n_facets), 1)
    counts = np.bincount(cluster * n_facets + pair_facet[inside], minlength=len(keys) * n_facets)
    counts = counts.reshape(len(keys), n_facets)
    return (counts >= 0.05 * sizes[:, None]).sum(axis=1).astype(np.int64)


def _tests(features: pd.DataFrame) -> list[str]:
    """The tests the features hold: ``""`` (all identity attributes together) and ``"@family"``
    per attribute family tested alone."""
    return [""] + [c[len("unlike_share"):] for c in features.columns if c.startswith("unlike_share@")]


def _confidences(features: pd.DataFrame, min_unlike_share: float, tested: int | None, crowd: bool) -> np.ndarray:
    """Per test (rows, in the order of :func:`_tests`) and cluster, the test's confidence. With
    families, half the error goes to the test of all identity attributes together and half to
    the families' (Bonferroni within each half); a family's test always asks the cluster's
    crowd too, since a cluster picked by one family's tokens is unlike in that family by
    selection."""
    tests = _tests(features)
    clusters = len(features) if tested is None else tested
    out = np.zeros((len(tests), len(features)))
    for k, x in enumerate(tests):
        n_tests = clusters if len(tests) == 1 else 2 * clusters * (1 if not x else len(tests) - 1)
        # one family alone: beyond what time alone gives its composition among the quiet ones
        floor = min_unlike_share + (features["by_time" + x].to_numpy() if "by_time" + x in features
                                    else np.zeros(len(features)))
        own = np.array([unlike_confidence(d, int(m), int(nq), f, n_tests)
                        for d, m, nq, f in zip(features["unlike_share" + x], features["households"],
                                               features["n_quiet" + x], floor)])
        if (crowd or x) and "crowd_excess" + x in features:
            held = np.array([crowd_confidence(e, s, int(m), f, n_tests)
                             for e, s, m, f in zip(features["crowd_excess" + x], features["crowd_sd" + x],
                                                   features["size"], floor)])
            own = np.minimum(own, held)
        out[k] = own
    return out


def score_clusters(features: pd.DataFrame, *, min_unlike_share: float = 0.15,
                   tested: int | None = None, crowd: bool = True) -> np.ndarray:
    """The confidence that more than ``min_unlike_share`` of each cluster's members are unlike
    the organic registrants (:func:`.composition.unlike_confidence`), counting households and
    corrected for the number of clusters examined; with ``crowd`` and the columns
    ``crowd_excess`` and ``crowd_sd`` (:func:`cluster_features` gives them), no more than the
    confidence that its crowd holds that many unlike people (:func:`.composition.crowd_confidence`).
    With the columns of attribute families alone (``unlike_share@email`` ...), the most
    confident of the tests (:func:`_confidences`): a cluster unlike in its e-mails only is not
    hidden by the ordinary variety of its places and names.

    Parameters
    ----------
    features : pandas.DataFrame
        From :func:`cluster_features`.
    min_unlike_share : float, default 0.15
        The share of unlike members a cluster may hold and still be organic (a surge brings a
        few odd registrants too).
    tested : int, optional
        Clusters examined (the Bonferroni factor); by default the rows of ``features``.
    crowd : bool, default True
        Also ask each cluster's crowd (detection asks it of the clusters it flags, once
        expansion has grown them).

    Returns
    -------
    numpy.ndarray of float in [0, 1]

    Examples
    --------
    >>> f = pd.DataFrame({"unlike_share": [0.02, 0.6], "households": [3000, 40], "n_quiet": [20000, 20000]})
    >>> score_clusters(f).round(3).tolist()
    [0.0, 1.0]
    >>> f["size"], f["crowd_excess"], f["crowd_sd"] = [3000, 40], [0.0, 5.0], [50.0, 20.0]   # picked from an ordinary crowd
    >>> score_clusters(f).round(3).tolist()
    [0.0, 0.0]
    """
    if features.empty:
        return np.zeros(0)
    return _confidences(features, min_unlike_share, tested, crowd).max(axis=0)


def scored(features: pd.DataFrame, *, min_unlike_share: float = 0.15, tested: int | None = None,
           crowd: bool = True, alpha: float = 0.05) -> tuple[pd.DataFrame, np.ndarray]:
    """``(with_best_test(features, ...), score_clusters(features, ...))``, the tests' confidences
    computed once."""
    if features.empty:
        return features, np.zeros(0)
    conf = _confidences(features, min_unlike_share, tested, crowd)
    return _adopt_best(features, conf, alpha), conf.max(axis=0)


def with_best_test(features: pd.DataFrame, *, min_unlike_share: float = 0.15, tested: int | None = None,
                   crowd: bool = True, alpha: float = 0.05) -> pd.DataFrame:
    """``features`` whose ``unlike_share``, ``unlike_low``, ``crowd_excess``, ``crowd_sd`` and
    ``n_quiet`` are those of the test :func:`score_clusters` found most confident (the first,
    all identity attributes together, on a tie), and ``unlike_in`` naming it (``identity`` or
    the family): what ``clusters.csv``, the reasons and the estimate report is what decided.

    >>> f = pd.DataFrame({"unlike_share": [0.05], "households": [400], "n_quiet": [20000], "size": [400],
    ...                   "unlike_low": [0.0], "unlike_share@phone": [0.6], "n_quiet@phone": [20000]})
    >>> with_best_test(f)[["unlike_share", "unlike_in"]].values.tolist()
    [[0.6, 'phone']]
    """
    if features.empty:
        return features
    return _adopt_best(features, _confidences(features, min_unlike_share, tested, crowd), alpha)


def _adopt_best(features: pd.DataFrame, conf: np.ndarray, alpha: float) -> pd.DataFrame:
    """:func:`with_best_test` given the tests' confidences (:func:`_confidences`)."""
    tests = _tests(features)
    if len(tests) == 1:
        return features
    best = np.argmax(conf, axis=0)
    out = features.copy()
    for k, x in enumerate(tests[1:], start=1):
        rows = best == k
        if not rows.any():
            continue
        for column in ("unlike_share", "crowd_excess", "crowd_sd", "n_quiet"):
            if column + x in out:
                out.loc[rows, column] = out.loc[rows, column + x].to_numpy()
        out.loc[rows, "unlike_low"] = [unlike_lower_bound(d, int(h), int(nq), alpha) for d, h, nq in
                                       zip(out.loc[rows, "unlike_share"], out.loc[rows, "households"],
                                           out.loc[rows, "n_quiet"])]
    out["unlike_in"] = np.array(["identity"] + [x[1:] for x in tests[1:]], dtype=object)[best]
    return out

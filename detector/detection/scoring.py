"""Cluster signals and the cluster score.

The score is the confidence that more than ``min_unlike_share`` of a cluster's
members are unlike the organic registrants in who they are (their identity
attributes), measured against the data's own quiet registrations
(:mod:`.composition`). Nothing is learned from a simulator: no weight, no
threshold fitted on anybody's scenarios, so the score means the same on any
export. How the cluster arrived (its sharpness over the baseline, the channel
it came through) finds candidates and is reported, but does not decide: an
organic surge is as sharp as a campaign and comes through one channel too.

Signals per cluster (all reported in ``clusters.csv``):

``rate_ratio``       sign-ups over the organic baseline during the cluster's span
``unlike_share``     lower bound on the share of members unlike the organic registrants
                     (one-sided KS distance of identity surprisal)
``unlike_low``       its lower confidence bound (at the level of ``interval``)
``identity_share``   members whose *identity* tokens surge (e-mail, phone, postal, IP, name)
``channel_share``    members whose *channel* tokens surge (user agent, referrer, account, posts)
``facets``           attributes with a surging token carried by at least 5% of members
``evidence``         the members' median evidence (summed log lifts)
``location_share``   members located where registrants rarely are (and ``location_baseline``)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..communities import groups_of
from .composition import quiet_reference, unlike_confidence, unlike_lower_bound, unlike_share
from .facets import IDENTITY_FACETS, LOCATION_FACETS

__all__ = ["SIGNALS", "cluster_features", "score_clusters"]

#: the signals written per cluster, in order
SIGNALS = ("rate_ratio", "unlike_share", "unlike_low", "identity_share", "channel_share", "facets", "evidence")


def _rare_location(tm, p0: np.ndarray, threshold: float) -> np.ndarray:
    """Per registration: carries a location token rare among registrants (baseline share < threshold)."""
    loc = np.isin(tm.facets, LOCATION_FACETS) & (p0 < threshold)
    return np.asarray(tm.X[:, np.flatnonzero(loc)].sum(axis=1)).ravel() > 0


def cluster_features(labels, tm, shift, *, times, baseline_rate, quiet, surprisal, reference=None, units=None,
                     attended=None, alpha: float = 0.05, rare_threshold: float = 0.003) -> pd.DataFrame:
    """One row of signals per cluster label (labels >= 0).

    Parameters
    ----------
    labels : numpy.ndarray of int
        Cluster of each registration, -1 for none.
    tm : TokenMatrix
    shift : Shift
    times : numpy.ndarray
        Seconds of each registration.
    baseline_rate : callable
        ``baseline_rate(start, end)`` -> organic sign-ups expected in ``[start, end]``.
    quiet : numpy.ndarray of bool
        Registrations taken as organic.
    surprisal : numpy.ndarray of float
        :func:`.composition.identity_surprisal` of every registration.
    reference : numpy.ndarray or list, optional
        :func:`.composition.quiet_reference`, when the caller already has it; by default
        the quiet registrations' surprisal.
    units : numpy.ndarray of int, optional
        Household of every registration (:func:`.composition.household_units`); the
        confidence counts households, not sign-ups. By default every sign-up is its own.
    attended : numpy.ndarray of float, optional
        1 attended, 0 not, NaN unknown (reported only).
    alpha : float, default 0.05
        One minus the level of ``unlike_low``.
    """
    n = len(labels)
    units = np.arange(n) if units is None else np.asarray(units)
    facet_of_pair = tm.facets[shift.pair_token]
    identity = np.isin(facet_of_pair, IDENTITY_FACETS)
    id_ev = np.bincount(shift.pair_row[identity], weights=shift.pair_weight[identity], minlength=n)
    ch_ev = np.bincount(shift.pair_row[~identity], weights=shift.pair_weight[~identity], minlength=n)
    rare_loc = _rare_location(tm, shift.p0, rare_threshold)
    base_rare = rare_loc[quiet].mean() if quiet.any() else 0.0
    reference = quiet_reference(surprisal, quiet) if reference is None else reference
    n_quiet = int(quiet.sum())

    pairs_of = groups_of(labels[shift.pair_row])
    no_pairs = np.array([], dtype=np.int64)
    rows = []
    for c, members in groups_of(labels).items():
        size = len(members)
        first, last = times[members].min(), times[members].max()
        expected = max(baseline_rate(first, last), 1.0)
        facet_counts = pd.Series(facet_of_pair[pairs_of.get(c, no_pairs)]).value_counts()
        d = unlike_share(surprisal[members], reference)
        households = len(np.unique(units[members]))
        row = {
            "label": int(c), "size": size, "first": first, "last": last, "expected": float(expected),
            "rate_ratio": float(size / expected),
            "unlike_share": d, "unlike_low": unlike_lower_bound(d, households, n_quiet, alpha),
            "households": households,
            "identity_share": float((id_ev[members] > 0).mean()),
            "channel_share": float((ch_ev[members] > 0).mean()),
            "facets": int((facet_counts >= 0.05 * size).sum()),
            "evidence": float(np.median(shift.evidence[members])),
            "location_share": float(rare_loc[members].mean()), "location_baseline": float(base_rare),
            "n_quiet": n_quiet,
        }
        if attended is not None:
            att = attended[members]
            row["attended_share"] = float(np.nanmean(att)) if np.isfinite(att).any() else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def score_clusters(features: pd.DataFrame, *, min_unlike_share: float = 0.15,
                   tested: int | None = None) -> np.ndarray:
    """The confidence that more than ``min_unlike_share`` of each cluster's members are unlike
    the organic registrants (:func:`.composition.unlike_confidence`), counting households and
    corrected for the number of clusters examined.

    Parameters
    ----------
    features : pandas.DataFrame
        From :func:`cluster_features`.
    min_unlike_share : float, default 0.15
        The share of unlike members a cluster may hold and still be organic (a surge brings a
        few odd registrants too).
    tested : int, optional
        Clusters examined (the Bonferroni factor); by default the rows of ``features``.

    Returns
    -------
    numpy.ndarray of float in [0, 1]

    Examples
    --------
    >>> f = pd.DataFrame({"unlike_share": [0.02, 0.6], "households": [3000, 40], "n_quiet": [20000, 20000]})
    >>> score_clusters(f).round(3).tolist()
    [0.0, 1.0]
    """
    if features.empty:
        return np.zeros(0)
    tested = len(features) if tested is None else tested
    return np.array([unlike_confidence(d, int(m), int(nq), min_unlike_share, tested)
                     for d, m, nq in zip(features["unlike_share"], features["households"], features["n_quiet"])])

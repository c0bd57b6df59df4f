"""Cluster features, the cluster score and the reasons given for it.

Each cluster is described by features that name no platform, city or string
(so the score carries over to data the simulator never produced):

``log_size``          log10 of the number of members
``rate_ratio``        log2 of sign-ups over the organic baseline during the cluster's span
``identity_share``    members whose *identity* tokens (e-mail, phone, postal code, IP, name) surge
``channel_share``     members whose *channel* tokens (user agent, referrer, account, reposts, follows) surge
``rarity``            median over members of -log10 of the baseline share of their rarest surging token
``facets``            number of attributes with a surging token carried by at least 5% of members
``location_excess``   share of members located where registrants rarely are, minus that share at baseline
``evidence``          log1p of the members' median evidence (summed log lifts)
``attended_gap``      (only when ``attended`` is known) baseline attendance minus the cluster's

An organic surge brings more of the usual registrants through one channel: its
members surge in channel tokens only, in ordinary places. A campaign brings a
different crowd: rare tokens, several attributes at once, other places.

The score is a logistic regression over these features, trained with
scikit-learn on simulator scenarios (``benchmarks/train_scorer.py``) and shipped
as ``cluster_model.json``; users never need labels.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .clusters import groups_of
from .features import LOCATION_FACETS

__all__ = ["IDENTITY_FACETS", "CHANNEL_FACETS", "FEATURES", "cluster_features", "score_clusters",
           "load_model", "MODEL_PATH"]

IDENTITY_FACETS = ("email_domain", "email_style", "email_tag", "phone_area", "phone", "postal_region",
                   "postal_code", "ip16", "ip24", "name_style", "name")
CHANNEL_FACETS = ("ua", "referrer_host", "referrer_path", "account", "reposted", "follows")
FEATURES = ("log_size", "rate_ratio", "identity_share", "channel_share", "rarity", "facets",
            "location_excess", "evidence")
MODEL_PATH = Path(__file__).with_name("cluster_model.json")


def _rare_location(tm, p0: np.ndarray, threshold: float) -> np.ndarray:
    """Per registration: carries a location token rare among registrants (baseline share < threshold)."""
    loc = np.isin(tm.facets, LOCATION_FACETS) & (p0 < threshold)
    return np.asarray(tm.X[:, np.flatnonzero(loc)].sum(axis=1)).ravel() > 0


def cluster_features(labels, tm, shift, *, times, baseline_rate, quiet, attended=None,
                     rare_threshold: float = 0.003) -> pd.DataFrame:
    """One row of features per cluster label (labels >= 0).

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
        Registrations taken as organic (for baseline shares).
    attended : numpy.ndarray of float, optional
        1 attended, 0 not, NaN unknown.
    """
    n = len(labels)
    facet_of_pair = tm.facets[shift.pair_token]
    identity = np.isin(facet_of_pair, IDENTITY_FACETS)
    id_ev = np.bincount(shift.pair_row[identity], weights=shift.pair_weight[identity], minlength=n)
    ch_ev = np.bincount(shift.pair_row[~identity], weights=shift.pair_weight[~identity], minlength=n)
    rarity_pair = -np.log10(shift.p0[shift.pair_token])
    rarest = np.zeros(n)
    np.maximum.at(rarest, shift.pair_row, rarity_pair)
    rare_loc = _rare_location(tm, shift.p0, rare_threshold)
    base_rare = rare_loc[quiet].mean() if quiet.any() else 0.0
    base_att = np.nanmean(attended[quiet]) if attended is not None and quiet.any() else np.nan

    pairs_of = groups_of(labels[shift.pair_row])
    no_pairs = np.array([], dtype=np.int64)
    rows = []
    for c, members in groups_of(labels).items():
        size = len(members)
        first, last = times[members].min(), times[members].max()
        expected = max(baseline_rate(first, last), 1.0)
        facet_counts = pd.Series(facet_of_pair[pairs_of.get(c, no_pairs)]).value_counts()
        row = {
            "label": int(c), "size": size, "first": first, "last": last,
            "log_size": float(np.log10(size)),
            "rate_ratio": float(np.log2(max(size, 1) / expected + 1.0)),
            "identity_share": float((id_ev[members] > 0).mean()),
            "channel_share": float((ch_ev[members] > 0).mean()),
            "rarity": float(np.median(rarest[members])),
            "facets": int((facet_counts >= 0.05 * size).sum()),
            "location_excess": float(rare_loc[members].mean() - base_rare),
            "evidence": float(np.log1p(np.median(shift.evidence[members]))),
            "location_share": float(rare_loc[members].mean()), "location_baseline": float(base_rare),
            "expected": float(expected),
        }
        if attended is not None:
            att = attended[members]
            row["attended_share"] = float(np.nanmean(att)) if np.isfinite(att).any() else np.nan
            row["attended_gap"] = float(base_att - row["attended_share"]) if np.isfinite(att).any() else 0.0
        rows.append(row)
    return pd.DataFrame(rows)


@lru_cache(maxsize=2)
def load_model(path: str = str(MODEL_PATH)) -> dict:
    """The shipped logistic model: ``{"without_attended": {...}, "with_attended": {...}}``."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def score_clusters(features: pd.DataFrame, *, use_attended: bool = False, model: dict | None = None) -> np.ndarray:
    """Probability that each cluster is coordinated, from the shipped logistic model.

    Parameters
    ----------
    features : pandas.DataFrame
        From :func:`cluster_features`.
    use_attended : bool, default False
        Use the model that also sees ``attended_gap`` (only after the event).
    model : dict, optional
        A model in the shipped format; by default ``cluster_model.json``.

    Returns
    -------
    numpy.ndarray of float in [0, 1]
    """
    if features.empty:
        return np.zeros(0)
    model = (model or load_model())["with_attended" if use_attended else "without_attended"]
    names = model["features"]
    X = features[names].to_numpy(float)
    z = (X - np.asarray(model["mean"])) / np.asarray(model["scale"])
    logit = z @ np.asarray(model["coef"]) + model["intercept"]
    return 1.0 / (1.0 + np.exp(-logit))

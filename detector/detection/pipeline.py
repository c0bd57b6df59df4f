"""The detection pipeline: registrations in, scored clusters out.

This first version clusters by sign-up bursts alone: every burst of the
sign-up rate (per event) against the learned organic baseline is a candidate
cluster, scored by the share of its sign-ups in excess of the baseline. It
cannot yet tell an organic surge from a campaign; attribute and network
signals are added as modules of their own.

Scoring rule (documented for analysts):

- a cluster's score is its excess share, ``1 - expected / observed`` (0 when a
  burst holds no more than the baseline predicts);
- a cluster is flagged when ``score >= flag_threshold`` and it holds at least
  ``min_cluster_size`` registrations;
- a registration's score is the largest of its flagged cluster's score and the
  excess share of its own time bin; it is flagged when its cluster is.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._version import __version__
from ..result import DetectionResult

__all__ = ["detect", "DEFAULTS"]

#: Default options of :func:`detect`.
DEFAULTS = {
    "bin_seconds": 60,
    "timeline_seconds": 600,
    "flag_threshold": 0.5,
    "min_cluster_size": 20,
    "interval": 0.9,
}

_Z = {0.8: 1.2816, 0.9: 1.6449, 0.95: 1.9600, 0.99: 2.5758}


def _registrations(data) -> tuple[pd.DataFrame, dict, list]:
    if isinstance(data, pd.DataFrame):
        return data, {"registrations": "<registrations DataFrame>"}, []
    return data.registrations, dict(getattr(data, "sources", {})), list(getattr(data, "notes", []))


def _excess_share(observed, expected):
    observed = np.asarray(observed, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(observed > 0, 1.0 - np.asarray(expected, dtype=float) / observed, 0.0)
    return np.clip(share, 0.0, 1.0)


def _duration(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 90:
        return f"{minutes:.0f} minutes"
    return f"{minutes / 60:.1f} hours"


def detect(data, *, bin_seconds: int = 60, timeline_seconds: int = 600, flag_threshold: float = 0.5,
           min_cluster_size: int = 20, interval: float = 0.9) -> DetectionResult:
    """Find coordinated sign-up clusters and score every registration.

    Parameters
    ----------
    data : Dataset or pandas.DataFrame
        What :func:`detector.load` returned, or a registrations table with at
        least ``registration_id`` and ``created_at`` (tz-aware).
    bin_seconds : int, default 60
        Time resolution of burst detection.
    timeline_seconds : int, default 600
        Bin width of the timeline kept for reports.
    flag_threshold : float, default 0.5
        Clusters scoring at least this are flagged.
    min_cluster_size : int, default 20
        Smaller clusters are never flagged.
    interval : float, default 0.9
        Coverage of the interval around ``estimated_coordinated_registrations``
        (0.8, 0.9, 0.95 or 0.99).

    Returns
    -------
    DetectionResult

    Examples
    --------
    >>> from detector.simulation import simulate
    >>> sim = simulate("easy", n=3000, seed=1)
    >>> result = detect(sim.registrations)
    >>> len(result.registrations) == 3000
    True
    """
    from .bursts import detect_bursts, expected_rate

    if interval not in _Z:
        raise ValueError(f"interval must be one of {sorted(_Z)}, not {interval!r}")
    regs, sources, notes = _registrations(data)
    created = pd.to_datetime(regs["created_at"], utc=True)
    events = (regs["event_id"].astype(str) if "event_id" in regs
              else pd.Series("event", index=regs.index))
    score = np.zeros(len(regs))
    cluster_of = np.full(len(regs), "", dtype=object)
    position = np.arange(len(regs))
    cluster_rows, burst_rows, timelines = [], [], []

    for event in sorted(events.unique()):
        mask = (events == event).to_numpy()
        idx = position[mask]
        times = created[mask]
        order = np.argsort(times.to_numpy(), kind="stable")
        idx, times = idx[order], times.iloc[order]
        ns = times.dt.as_unit("ns").array.asi8

        edges, expected = expected_rate(times, bin_seconds=bin_seconds)
        edges_ns = pd.DatetimeIndex(edges).as_unit("ns").asi8
        observed = np.histogram(ns, bins=edges_ns)[0]
        per_tl = max(1, timeline_seconds // bin_seconds)
        groups = np.arange(len(observed)) // per_tl
        tl_obs = np.bincount(groups, weights=observed)
        tl_exp = np.bincount(groups, weights=expected)
        tl_start = pd.to_datetime(edges_ns[:-1][::per_tl][: len(tl_obs)], utc=True)
        timelines.append(pd.DataFrame({"event_id": event, "start": tl_start,
                                       "observed": tl_obs.astype(int), "expected": np.round(tl_exp, 3)}))
        bin_of = np.clip(np.searchsorted(edges_ns, ns, side="right") - 1, 0, len(observed) - 1)
        score[idx] = _excess_share(tl_obs, tl_exp)[groups[bin_of]]

        for burst in detect_bursts(times, bin_seconds=bin_seconds, baseline=(edges, expected)):
            lo = np.searchsorted(ns, pd.Timestamp(burst.start).value, side="left")
            hi = np.searchsorted(ns, pd.Timestamp(burst.end).value, side="left")
            members = idx[lo:hi]
            share = float(_excess_share([len(members)], [burst.expected])[0])
            flagged = share >= flag_threshold and len(members) >= min_cluster_size
            burst_rows.append({"event_id": event, "start": burst.start, "end": burst.end,
                               "count": len(members), "expected": float(burst.expected),
                               "ratio": float(len(members) / burst.expected) if burst.expected else float("inf"),
                               "flagged": flagged})
            if not flagged:
                continue
            cid = f"C{len(cluster_rows) + 1:03d}"
            cluster_of[members] = cid
            score[members] = np.maximum(score[members], share)
            first, last = times.iloc[lo], times.iloc[hi - 1]
            span = (pd.Timestamp(burst.end) - pd.Timestamp(burst.start)).total_seconds()
            ratio = burst_rows[-1]["ratio"]
            cluster_rows.append({
                "cluster_id": cid, "score": round(share, 6), "size": int(len(members)),
                "first_seen": first, "last_seen": last, "event_id": event,
                "burst_ratio": round(ratio, 3), "expected_in_burst": round(float(burst.expected), 2),
                "excess": round(len(members) - float(burst.expected), 2),
                "reasons": (f"{len(members):,} sign-ups in {_duration(span)}, {ratio:.1f}x the expected "
                            f"rate ({burst.expected:,.0f} expected from the organic baseline)"),
            })

    flagged_mask = cluster_of != ""
    registrations = pd.DataFrame({"registration_id": regs["registration_id"].astype(str).to_numpy(),
                                  "score": np.round(score, 6), "cluster_id": cluster_of.astype(str),
                                  "flagged": flagged_mask})
    clusters = pd.DataFrame(cluster_rows, columns=["cluster_id", "score", "size", "first_seen", "last_seen",
                                                   "event_id", "burst_ratio", "expected_in_burst", "excess",
                                                   "reasons"])
    clusters = _renumber(clusters, registrations)
    bursts = pd.DataFrame(burst_rows, columns=["event_id", "start", "end", "count", "expected", "ratio", "flagged"])
    timeline = pd.concat(timelines, ignore_index=True) if timelines else pd.DataFrame(
        columns=["event_id", "start", "observed", "expected"])
    options = {"bin_seconds": bin_seconds, "timeline_seconds": timeline_seconds,
               "flag_threshold": flag_threshold, "min_cluster_size": min_cluster_size, "interval": interval}
    summary = _summary(registrations, clusters, options, sources, notes, events.nunique())
    return DetectionResult(registrations=registrations, clusters=clusters, summary=summary,
                           timeline=timeline, bursts=bursts)


def _renumber(clusters: pd.DataFrame, registrations: pd.DataFrame) -> pd.DataFrame:
    """Number clusters C001, C002, ... by first sign-up, across events."""
    if clusters.empty:
        return clusters
    clusters = clusters.sort_values(["first_seen", "cluster_id"], kind="stable").reset_index(drop=True)
    mapping = {old: f"C{i + 1:03d}" for i, old in enumerate(clusters["cluster_id"])}
    clusters["cluster_id"] = clusters["cluster_id"].map(mapping)
    registrations["cluster_id"] = registrations["cluster_id"].map(lambda c: mapping.get(c, ""))
    return clusters


def _summary(registrations, clusters, options, sources, notes, n_events) -> dict:
    excess = clusters["excess"].clip(lower=0).sum() if len(clusters) else 0.0
    observed = clusters["size"].sum() if len(clusters) else 0
    expected = clusters["expected_in_burst"].sum() if len(clusters) else 0.0
    # Poisson noise of the observed count and of the baseline, independent.
    half = _Z[options["interval"]] * float(np.sqrt(observed + expected))
    n = len(registrations)
    return {
        "version": __version__,
        "inputs": sources,
        "counts": {"registrations": int(n), "events": int(n_events), "flagged": int(registrations["flagged"].sum()),
                   "clusters": int(len(clusters))},
        "configuration": options,
        "estimated_coordinated_registrations": {
            "value": round(float(excess), 1),
            "low": round(float(max(0.0, excess - half)), 1),
            "high": round(float(min(n, excess + half)), 1),
            "interval": options["interval"],
            "method": ("sign-ups in flagged bursts in excess of the learned organic baseline; "
                       "the interval adds Poisson noise of the observed and expected counts"),
        },
        "notes": notes,
    }

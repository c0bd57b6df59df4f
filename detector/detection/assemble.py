"""The result's tables, assembled from the flagged clusters: trigger posts, profiles, the
accounts linked to each cluster, and ``summary.json`` with the impact estimate."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .._version import __version__

__all__ = ["trigger_table", "profile_table", "account_links", "summary_of", "estimate_widening", "Z_OF_INTERVAL",
           "CALIBRATION_PATH"]

#: the estimate's widening factor, measured by benchmarks/calibrate_estimate.py on randomised worlds
CALIBRATION_PATH = Path(__file__).with_name("estimate_calibration.json")

#: normal quantiles of the supported interval coverages
Z_OF_INTERVAL = {0.8: 1.2816, 0.9: 1.6449, 0.95: 1.9600, 0.99: 2.5758}


def trigger_table(flagged, ctx) -> pd.DataFrame:
    """``cluster_id, rank, post_id, account_id, created_at`` of every named trigger post."""
    cols = ["cluster_id", "rank", "post_id", "account_id", "created_at"]
    if ctx is None:
        return pd.DataFrame(columns=cols)
    at = ctx.P.positions(pid for c in flagged for pid in c.trigger_post_ids.split())
    rows = [(c.cluster_id, rank, pid, ctx.P.author[at[pid]], ctx.P.t.iloc[at[pid]])
            for c in flagged for rank, pid in enumerate(c.trigger_post_ids.split(), start=1)]
    return pd.DataFrame(rows, columns=cols)


def profile_table(flagged) -> pd.DataFrame:
    """``cluster_id, attribute, share, baseline`` of every flagged cluster's profile."""
    rows = [(c.cluster_id, a, round(share, 4), round(base, 4)) for c in flagged for a, share, base in c.profile]
    return pd.DataFrame(rows, columns=["cluster_id", "attribute", "share", "baseline"])


def account_links(regs, cluster_of) -> pd.DataFrame:
    """Accounts linked to flagged registrations, and their cluster."""
    if "account_id" not in regs:
        return pd.DataFrame(columns=["account_id", "cluster_id"])
    a = regs["account_id"].astype(object).to_numpy()
    keep = (cluster_of != "") & pd.notna(a)
    return pd.DataFrame({"account_id": a[keep].astype(str), "cluster_id": cluster_of[keep].astype(str)}
                        ).drop_duplicates("account_id").reset_index(drop=True)


@lru_cache(maxsize=1)
def estimate_widening() -> float:
    """How many times the value the high end of the estimate's interval reaches at least: the
    quantile of (true / value) that covers 90% of randomised tuning worlds (1.0 when the file
    is missing)."""
    try:
        return float(json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))["upper_factor"])
    except (OSError, KeyError, ValueError):
        return 1.0


def summary_of(registrations, clusters, candidates, options, sources, notes, n_events, *, excess=0.0,
               absent=()) -> dict:
    """``summary.json``: counts, the configuration, the estimate and its interval, notes.

    The estimate of coordinated registrations is the sum over candidate clusters of score x
    size. Its interval: the low end sums, over flagged clusters, the lower confidence bound of
    the share of members unlike the organic registrants times the size (at least that many are
    not organic); the high end is the largest of the flagged clusters' sizes, all sign-ups in
    excess of the organic baseline (``excess``: a campaign adds sign-ups over the baseline or sits
    in a flagged cluster) and the value times :func:`estimate_widening` (campaign members that
    no cluster holds are missed by the value: by this much on randomised worlds).
    """
    p = np.array([c.score for c in candidates], dtype=float)
    size = np.array([c.size for c in candidates], dtype=float)
    is_flagged = p >= options["flag_threshold"]
    value = float((p * size).sum())
    low = float(sum(c.signals["unlike_low"] * c.size for c, f in zip(candidates, is_flagged) if f))
    unwidened = max(float(size[is_flagged].sum()), float(excess), value)
    factor = estimate_widening()
    high = max(unwidened, value * factor)
    n = len(registrations)
    return {
        "version": __version__,
        "inputs": sources,
        "counts": {"registrations": int(n), "events": int(n_events), "flagged": int(registrations["flagged"].sum()),
                   "clusters": int(len(clusters)), "candidate_clusters": int(len(candidates))},
        "configuration": options,
        "columns": {"absent": list(absent)},
        "estimated_coordinated_registrations": {
            "value": round(value, 1),
            "low": round(min(low, value), 1),
            "high": round(min(float(n), high), 1),
            "interval": options["interval"],
            "high_unwidened": round(min(float(n), unwidened), 1),
            "widening_factor": factor,
            "method": ("sum over candidate clusters of score x size; low: over flagged clusters, the lower "
                       "confidence bound of the share of members unlike the organic registrants x size; high: "
                       "the largest of the flagged clusters' sizes, the sign-ups in excess of the organic "
                       "baseline, and the value times the widening factor (how far the value fell short of "
                       "the truth on randomised simulations, benchmarks/calibrate_estimate.py)"),
        },
        "notes": notes,
    }

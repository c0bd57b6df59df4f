"""The result's tables, assembled from the flagged clusters: trigger posts, profiles, the
accounts linked to each cluster, and ``summary.json`` with the impact estimate."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._version import __version__

__all__ = ["trigger_table", "profile_table", "account_links", "summary_of", "Z_OF_INTERVAL"]

#: normal quantiles of the supported interval coverages
Z_OF_INTERVAL = {0.8: 1.2816, 0.9: 1.6449, 0.95: 1.9600, 0.99: 2.5758}


def trigger_table(flagged_rows, ctx) -> pd.DataFrame:
    """``cluster_id, rank, post_id, account_id, created_at`` of every named trigger post."""
    cols = ["cluster_id", "rank", "post_id", "account_id", "created_at"]
    if ctx is None:
        return pd.DataFrame(columns=cols)
    at = {p: k for k, p in enumerate(ctx.P.id)}
    rows = [(r["cluster_id"], rank, pid, ctx.P.author[at[pid]], ctx.P.t.iloc[at[pid]])
            for r in flagged_rows for rank, pid in enumerate(r["trigger_post_ids"].split(), start=1)]
    return pd.DataFrame(rows, columns=cols)


def profile_table(flagged_rows) -> pd.DataFrame:
    rows = [(r["cluster_id"], a, round(share, 4), round(base, 4)) for r in flagged_rows
            for a, share, base in r.get("profile", [])]
    return pd.DataFrame(rows, columns=["cluster_id", "attribute", "share", "baseline"])


def account_links(regs, cluster_of) -> pd.DataFrame:
    """Accounts linked to flagged registrations, and their cluster."""
    if "account_id" not in regs:
        return pd.DataFrame(columns=["account_id", "cluster_id"])
    a = regs["account_id"].astype(object).to_numpy()
    keep = (cluster_of != "") & pd.notna(a)
    return pd.DataFrame({"account_id": a[keep].astype(str), "cluster_id": cluster_of[keep].astype(str)}
                        ).drop_duplicates("account_id").reset_index(drop=True)


def summary_of(registrations, clusters, cluster_rows, options, sources, notes, n_events) -> dict:
    from .scoring import load_model

    p = np.array([r["score"] for r in cluster_rows], dtype=float)
    size = np.array([r["size"] for r in cluster_rows], dtype=float)
    value = float((p * size).sum())
    flagged_value = float((p * size)[p >= options["flag_threshold"]].sum())
    half = Z_OF_INTERVAL[options["interval"]] * float(np.sqrt((p * (1 - p) * size ** 2).sum()))
    # the method's systematic error, measured on training scenarios: true = estimate / (1 + error)
    err = load_model().get("estimate_error", {"q05": 0.0, "q95": 0.0})
    low = max(0.0, flagged_value - half) / (1.0 + err["q95"])
    high = (value + half) / (1.0 + err["q05"])
    n = len(registrations)
    return {
        "version": __version__,
        "inputs": sources,
        "counts": {"registrations": int(n), "events": int(n_events), "flagged": int(registrations["flagged"].sum()),
                   "clusters": int(len(clusters)), "candidate_clusters": int(len(cluster_rows))},
        "configuration": options,
        "estimated_coordinated_registrations": {
            "value": round(value, 1),
            "low": round(min(low, value), 1),
            "high": round(min(float(n), max(high, value)), 1),
            "interval": options["interval"],
            "method": ("sum over candidate clusters of score x size (the expected number of coordinated "
                       "members if scores are calibrated); the interval treats each cluster as an "
                       "independent Bernoulli draw of its whole membership and widens by the 5%-95% "
                       "range of the method's relative error on simulated training scenarios"),
        },
        "notes": notes,
    }

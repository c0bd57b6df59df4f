"""`result.explain(cluster_id)`: everything behind one flagged cluster, in one object."""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Explanation", "explain"]

#: the cluster's signals, in words (see detector/detection/scoring.py)
FEATURES = {
    "rate_ratio": "sign-ups over the organic baseline in its span",
    "unlike_share": "share of members unlike the organic registrants (lower bound)",
    "unlike_low": "lower confidence bound of that share",
    "identity_share": "share of members whose identity attributes surge",
    "channel_share": "share of members whose channel attributes surge",
    "facets": "attributes involved",
    "evidence": "median evidence (summed log lifts) of its members",
}


@dataclass
class Explanation:
    """Why one cluster was flagged.

    Attributes
    ----------
    cluster_id, event_id : str
    score : float
    size : int
    first_seen, last_seen : Timestamp
    reasons : list of str
        The cluster's reasons, one clause each.
    features : dict
        The scorer's features, name -> value.
    profile : DataFrame
        ``attribute, share, baseline``.
    triggers : DataFrame
        ``rank, post_id, account_id, created_at``.
    account_clusters : DataFrame
        The account clusters (from posts) merged with it, with their reasons.
    """

    cluster_id: str
    event_id: str
    score: float
    size: int
    first_seen: pd.Timestamp
    last_seen: pd.Timestamp
    reasons: list
    features: dict
    profile: pd.DataFrame = field(repr=False)
    triggers: pd.DataFrame = field(repr=False)
    account_clusters: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        lines = [f"{self.cluster_id} ({self.event_id}): score {self.score:.2f}, {self.size:,} registrations, "
                 f"{self.first_seen:%Y-%m-%d %H:%M} to {self.last_seen:%Y-%m-%d %H:%M} UTC", "reasons:"]
        lines += [f"  - {r}" for r in self.reasons]
        lines.append("features:")
        lines += [f"  {k:<16} {v:>10.3f}  {FEATURES.get(k, '')}" for k, v in self.features.items()]
        if len(self.profile):
            lines.append("profile (share of members vs organic baseline):")
            lines += [f"  {r.share:>6.0%} vs {r.baseline:>6.1%}  {r.attribute}" for r in self.profile.itertuples()]
        if len(self.triggers):
            lines.append("trigger posts:")
            lines += [f"  {r.rank}. {r.post_id} by {r.account_id} at {r.created_at:%Y-%m-%d %H:%M} UTC"
                      for r in self.triggers.itertuples()]
        if len(self.account_clusters):
            lines.append("account clusters merged with it:")
            lines += [f"  {r.account_cluster_id}: {r.reasons}" for r in self.account_clusters.itertuples()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        parts = [f"<p><b>{e(self.cluster_id)}</b> ({e(self.event_id)}): score {self.score:.2f}, "
                 f"{self.size:,} registrations, {self.first_seen:%Y-%m-%d %H:%M} to "
                 f"{self.last_seen:%Y-%m-%d %H:%M} UTC</p>",
                 "<ul>" + "".join(f"<li>{e(r)}</li>" for r in self.reasons) + "</ul>"]
        feats = pd.DataFrame({"feature": list(self.features), "value": list(self.features.values()),
                              "meaning": [FEATURES.get(k, "") for k in self.features]})
        parts.append(feats.to_html(index=False, float_format="{:.3f}".format))
        for title, table in (("profile", self.profile), ("trigger posts", self.triggers),
                             ("account clusters", self.account_clusters)):
            if len(table):
                parts.append(f"<p><b>{title}</b></p>" + table.to_html(index=False))
        return "".join(parts)


def explain(result, cluster_id: str) -> Explanation:
    """Collect what ``result`` knows about one flagged cluster."""
    row = result.clusters.set_index("cluster_id").loc[cluster_id]
    features = {k: float(row[k]) for k in FEATURES if k in row.index and pd.notna(row[k])}
    triggers = result.triggers[result.triggers["cluster_id"] == cluster_id].drop(columns="cluster_id")
    accounts = pd.DataFrame()
    if result.accounts is not None:
        ac = result.accounts.clusters
        mine = ac["registration_clusters"].astype(str).str.split().map(lambda ids: cluster_id in ids)
        accounts = ac[mine.astype(bool)][["account_cluster_id", "score", "size", "reasons"]]
    return Explanation(cluster_id=cluster_id, event_id=str(row["event_id"]), score=float(row["score"]),
                       size=int(row["size"]), first_seen=pd.Timestamp(row["first_seen"]),
                       last_seen=pd.Timestamp(row["last_seen"]), reasons=str(row["reasons"]).split("; "),
                       features=features, profile=result.profile(cluster_id),
                       triggers=triggers.reset_index(drop=True), account_clusters=accounts.reset_index(drop=True))

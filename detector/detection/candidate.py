"""One candidate cluster as a typed record: what every later step reads and the one place that
names the columns of ``clusters.csv``.

A :class:`Candidate` is frozen. Steps that change a cluster (registrants tied to its trigger
post joining it, an account cluster merged in) return a new record with :meth:`Candidate.grown`
or :func:`dataclasses.replace`; nothing is written into a record another module holds.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .scoring import SIGNALS

__all__ = ["Candidate", "CLUSTER_COLUMNS", "candidates_frame"]

#: the columns of ``clusters.csv``, in order
CLUSTER_COLUMNS = ("cluster_id", "score", "size", "first_seen", "last_seen", "event_id", *SIGNALS,
                   "expected_in_span", "trigger_post_ids", "account_cluster_ids", "reasons")


@dataclass(frozen=True)
class Candidate:
    """A candidate cluster of one event.

    Attributes
    ----------
    event_id : str
    label : int
        Its label inside the event's detection (not shown to users).
    score : float
        Confidence that more than ``min_unlike_share`` of its members are unlike the organic
        registrants (:mod:`.scoring`).
    members : numpy.ndarray of int
        Row positions in the registrations table, ascending.
    first_seen, last_seen : pandas.Timestamp
    expected : float
        Organic sign-ups expected in its span when it was scored.
    rate_ratio : float
        ``size / expected`` at that time (the figure the reasons quote).
    signals : dict
        :data:`.scoring.SIGNALS` and the location and attendance shares behind the reasons.
    profile : tuple
        ``(attribute in words, share of members, baseline share)``, most characteristic first.
    reasons : str
    trigger_post_ids : str
        Space-separated, best first.
    trigger_base_share : float
        Share of other registrants tied to the first trigger (NaN when none).
    account_cluster_ids : str
    cluster_id : str
        ``C001`` ... once flagged clusters are numbered.
    """

    event_id: str
    label: int
    score: float
    members: np.ndarray = field(repr=False)
    first_seen: pd.Timestamp
    last_seen: pd.Timestamp
    expected: float
    rate_ratio: float
    signals: dict = field(repr=False)
    profile: tuple = field(default=(), repr=False)
    reasons: str = ""
    trigger_post_ids: str = ""
    trigger_base_share: float = float("nan")
    account_cluster_ids: str = ""
    cluster_id: str = ""

    @property
    def size(self) -> int:
        return int(len(self.members))

    def grown(self, new: np.ndarray, ns: np.ndarray, reason: str) -> "Candidate":
        """A copy with the registrations ``new`` (positions) added, its span widened and
        ``reason`` appended to its reasons.

        >>> c = Candidate("e", 0, 0.9, np.array([0, 1]), pd.Timestamp(0, tz="UTC"), pd.Timestamp(1, tz="UTC"),
        ...               1.0, 2.0, {})
        >>> g = c.grown(np.array([5]), np.arange(10) * 10**9, "1 more joined")
        >>> g.size, str(g.last_seen), g.reasons, c.size
        (3, '1970-01-01 00:00:05+00:00', '; 1 more joined', 2)
        """
        members = np.union1d(self.members, new)
        return dataclasses.replace(
            self, members=members, reasons=f"{self.reasons}; {reason}",
            first_seen=min(self.first_seen, pd.Timestamp(int(ns[new].min()), tz="UTC")),
            last_seen=max(self.last_seen, pd.Timestamp(int(ns[new].max()), tz="UTC")))

    def to_row(self) -> dict:
        """The record's line of ``clusters.csv`` (:data:`CLUSTER_COLUMNS`)."""
        signals = {**self.signals, "rate_ratio": self.rate_ratio}
        return {"cluster_id": self.cluster_id, "score": round(float(self.score), 4), "size": self.size,
                "first_seen": self.first_seen, "last_seen": self.last_seen, "event_id": self.event_id,
                **{k: int(signals[k]) if k == "facets" else round(float(signals[k]), 4) for k in SIGNALS},
                "expected_in_span": round(float(self.expected), 2),
                "trigger_post_ids": self.trigger_post_ids, "account_cluster_ids": self.account_cluster_ids,
                "reasons": self.reasons}


def candidates_frame(candidates: list[Candidate]) -> pd.DataFrame:
    """Every candidate (flagged or not) with its signals and members, for ``result.candidates``."""
    rows = [{**c.to_row(), "households": c.signals.get("households"), "members": c.members}
            for c in candidates]
    return pd.DataFrame(rows, columns=[*CLUSTER_COLUMNS, "households", "members"])

"""The result of a detection: the contract's tables plus what pictures need."""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["DetectionResult"]


@dataclass
class DetectionResult:
    """What :func:`detector.detect` found.

    Attributes
    ----------
    registrations : pandas.DataFrame
        One row per input registration, in input order:
        ``registration_id, score, cluster_id, flagged`` (``CONTRACT.md``).
    clusters : pandas.DataFrame
        One row per flagged cluster: ``cluster_id, score, size, first_seen,
        last_seen``, the signals that scored it, and ``reasons``.
    summary : dict
        Counts, the configuration, the version and
        ``estimated_coordinated_registrations`` (``value``, ``low``, ``high``).
    timeline : pandas.DataFrame
        Sign-ups per time bin and event: ``event_id, start, observed, expected``;
        ``expected`` is the learned organic baseline.
    bursts : pandas.DataFrame
        Every burst found, flagged or not: ``event_id, start, end, count,
        expected, ratio``.
    candidates : pandas.DataFrame
        Every candidate cluster, flagged or not, with its features, score and
        ``members`` (row positions in the input): what the score was computed
        from, for analysts asking why a group was or was not flagged.
    accounts : AccountClusters or None
        When posts were given: groups of accounts that co-act repeatedly beyond chance
        (:func:`detector.coaction.account_clusters`), with ``registration_clusters`` naming
        the sign-up clusters they were merged with.
    """

    registrations: pd.DataFrame
    clusters: pd.DataFrame
    summary: dict
    timeline: pd.DataFrame = field(repr=False)
    bursts: pd.DataFrame = field(repr=False)
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    accounts: object = field(default=None, repr=False)

    def to_dir(self, out_dir) -> None:
        """Write the contract's output files into ``out_dir``, atomically."""
        from .outputs import write_outputs
        write_outputs(self, out_dir)

    def _headline(self) -> str:
        counts = self.summary["counts"]
        est = self.summary["estimated_coordinated_registrations"]
        return (f"{counts['registrations']:,} registrations, {counts['flagged']:,} flagged in "
                f"{counts['clusters']:,} cluster(s); estimated coordinated: {est['value']:,.0f} "
                f"({est['interval']:.0%} interval {est['low']:,.0f}-{est['high']:,.0f})")

    def __repr__(self) -> str:
        lines = [f"DetectionResult: {self._headline()}"]
        for row in self.clusters.head(10).itertuples(index=False):
            lines.append(f"  {row.cluster_id}  score {row.score:.2f}  size {row.size:,}  {row.reasons}")
        if len(self.clusters) > 10:
            lines.append(f"  ... {len(self.clusters) - 10} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        table = self.clusters[["cluster_id", "score", "size", "first_seen", "last_seen", "reasons"]].head(20)
        return f"<p><b>DetectionResult</b>: {html.escape(self._headline())}</p>" + table.to_html(index=False)

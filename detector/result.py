"""The result of a detection: the contract's tables plus what pictures need."""
from __future__ import annotations

import functools
import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .explain import Explanation

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
    triggers : pandas.DataFrame
        The trigger posts named for each flagged cluster, best first:
        ``cluster_id, rank, post_id, account_id, created_at`` (empty without posts).
    profiles : pandas.DataFrame
        Each flagged cluster's most characteristic attribute values:
        ``cluster_id, attribute, share, baseline`` (share of its members, and at the organic
        baseline).
    account_links : pandas.DataFrame
        ``account_id, cluster_id``: the accounts linked to the registrations of each flagged
        cluster (empty without ``account_id``).

    Examples
    --------
    >>> import detector
    >>> sim = detector.simulate("easy", n=3000, seed=1)
    >>> result = detector.detect(sim)
    >>> cid = result.clusters["cluster_id"].iloc[0]
    >>> result.explain(cid).cluster_id == cid
    True
    >>> fig = result.plot_timeline()
    """

    registrations: pd.DataFrame
    clusters: pd.DataFrame
    summary: dict
    timeline: pd.DataFrame = field(repr=False)
    bursts: pd.DataFrame = field(repr=False)
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    accounts: object = field(default=None, repr=False)
    triggers: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["cluster_id", "rank", "post_id", "account_id", "created_at"]), repr=False)
    profiles: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["cluster_id", "attribute", "share", "baseline"]), repr=False)
    account_links: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["account_id", "cluster_id"]), repr=False)

    @functools.cached_property
    def graph(self):
        """The accounts' co-action network (networkx ``Graph``; all kinds, significant edges):
        edge ``weight``, ``kinds``; node ``account_cluster_id`` and ``cluster_id`` (the flagged
        sign-up cluster its registrations are in, "" if none). ``None`` without posts."""
        if self.accounts is None:
            return None
        g = self.accounts.to_networkx()
        of = dict(zip(self.account_links["account_id"], self.account_links["cluster_id"]))
        for node, data in g.nodes(data=True):
            data["cluster_id"] = of.get(node, "")
        return g

    def profile(self, cluster_id: str) -> pd.DataFrame:
        """``attribute, share, baseline`` of one cluster's most characteristic values."""
        self._check(cluster_id)
        p = self.profiles[self.profiles["cluster_id"] == cluster_id]
        return p[["attribute", "share", "baseline"]].reset_index(drop=True)

    def explain(self, cluster_id: str) -> "Explanation":
        """Why a cluster was flagged: its numbers, reasons, profile, trigger posts and the
        account clusters merged with it. Prints as text, shows as HTML in Jupyter."""
        from .explain import explain
        self._check(cluster_id)
        return explain(self, cluster_id)

    def plot_timeline(self, event: str | None = None):
        """Figure: sign-ups, the organic baseline, bursts, flagged clusters and trigger posts."""
        from .report.plots import timeline_figure
        return timeline_figure(self, event=event)

    def plot_profile(self, cluster_id: str):
        """Figure: a cluster's attribute profile against the organic baseline."""
        from .report.plots import profile_figure
        self._check(cluster_id)
        return profile_figure(self, cluster_id)

    def plot_network(self, cluster_id: str | None = None):
        """Figure: the accounts' co-action network, or the part around one cluster."""
        from .report.plots import network_figure
        if cluster_id is not None:
            self._check(cluster_id)
        return network_figure(self, cluster_id)

    def _check(self, cluster_id) -> None:
        if cluster_id not in set(self.clusters["cluster_id"]):
            known = ", ".join(self.clusters["cluster_id"].head(10)) or "none"
            raise KeyError(f"no flagged cluster {cluster_id!r}; flagged clusters: {known}")

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

"""Pictures of a detection (matplotlib): the timeline, a cluster's profile, the account network.

Each function takes a :class:`detector.result.DetectionResult` and returns a
``matplotlib.figure.Figure`` built without pyplot, so a notebook shows it once (as the cell's
value) and a script can ``fig.savefig(...)`` it. The methods ``result.plot_timeline()``,
``result.plot_profile(cluster_id)`` and ``result.plot_network(cluster_id)`` call these.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["timeline_figure", "profile_figure", "network_figure"]

_OBSERVED, _BASELINE, _FLAGGED, _BURST, _TRIGGER = "#34495e", "#e67e22", "#e74c3c", "#f5b041", "#8e44ad"


def _figure(figsize):
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def timeline_figure(result, *, event: str | None = None, figsize=(11, 3.6)):
    """Sign-ups per time bin, the organic baseline, detected bursts, flagged clusters, triggers.

    Parameters
    ----------
    result : DetectionResult
    event : str, optional
        One event's timeline; by default all events summed.
    figsize : tuple, default (11, 3.6)

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _figure(figsize)
    t = result.timeline if event is None else result.timeline[result.timeline["event_id"] == event]
    t = t.groupby("start", sort=True)[["observed", "expected"]].sum().reset_index()
    if t.empty:
        ax.text(0.5, 0.5, "no sign-ups", ha="center", va="center", transform=ax.transAxes)
        return fig
    x = pd.to_datetime(t["start"], utc=True).dt.tz_localize(None)
    width = (x.iloc[1] - x.iloc[0]) if len(x) > 1 else pd.Timedelta(minutes=10)
    ax.bar(x, t["observed"], width=width, align="edge", color=_OBSERVED, linewidth=0, label="sign-ups")
    ax.plot(x + width / 2, t["expected"], color=_BASELINE, lw=1.6, label="organic baseline")
    bursts = result.bursts if event is None else result.bursts[result.bursts["event_id"] == event]
    for k, b in enumerate(bursts.itertuples(index=False)):
        ax.axvspan(_naive(b.start), _naive(b.end), color=_BURST, alpha=0.15, lw=0,
                   label="burst" if k == 0 else None)
    clusters = result.clusters if event is None else result.clusters[result.clusters["event_id"] == event]
    for k, c in enumerate(clusters.itertuples(index=False)):
        ax.axvspan(_naive(c.first_seen), _naive(c.last_seen), color=_FLAGGED, alpha=0.18, lw=0,
                   label="flagged cluster" if k == 0 else None)
    triggers = getattr(result, "triggers", None)
    if triggers is not None and len(triggers):
        first = triggers[(triggers["rank"] == 1) & triggers["cluster_id"].isin(clusters["cluster_id"])]
        top = float(t["observed"].max())
        for k, tr in enumerate(first.itertuples(index=False)):
            ax.axvline(_naive(tr.created_at), color=_TRIGGER, lw=1, ls="--", label="trigger post" if k == 0 else None)
            ax.annotate(f"{tr.post_id} ({tr.cluster_id})", (_naive(tr.created_at), top), rotation=90, fontsize=7,
                        va="top", ha="right", color=_TRIGGER)
    ax.set_ylabel(f"sign-ups per {_span(width)}")
    ax.set_title("Sign-ups, organic baseline, bursts and flagged clusters" + (f" ({event})" if event else ""))
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.margins(x=0)
    fig.autofmt_xdate()
    return fig


def profile_figure(result, cluster_id: str, *, figsize=(7.5, 3.6)):
    """A cluster's most characteristic attribute values: share of its members against the
    share at the organic baseline.

    Returns
    -------
    matplotlib.figure.Figure
    """
    prof = result.profile(cluster_id)
    fig, ax = _figure(figsize)
    if prof.empty:
        ax.text(0.5, 0.5, "no surging attribute", ha="center", va="center", transform=ax.transAxes)
        return fig
    y = np.arange(len(prof))[::-1]
    ax.barh(y + 0.2, prof["share"], height=0.4, color=_FLAGGED, label=f"cluster {cluster_id}")
    ax.barh(y - 0.2, prof["baseline"], height=0.4, color=_OBSERVED, label="organic baseline")
    ax.set_yticks(y, [_wrap(s) for s in prof["attribute"]], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of registrations")
    ax.set_title(f"Attribute profile of {cluster_id}")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return fig


def network_figure(result, cluster_id: str | None = None, *, figsize=(7, 6), seed: int = 0):
    """The accounts' co-action network (with posts): all of it, or the accounts linked to one
    sign-up cluster and the accounts they co-act with. Colour: account cluster.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import networkx as nx

    fig, ax = _figure(figsize)
    g = result.graph
    if g is None or g.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no co-action network (no posts, or no edge beat the null model)",
                ha="center", va="center", transform=ax.transAxes, fontsize=9)
        ax.set_axis_off()
        return fig
    if cluster_id is not None:
        core = [n for n, c in g.nodes(data="cluster_id") if c == cluster_id]
        g = g.subgraph(set(core).union(*(g.neighbors(n) for n in core))) if core else g.subgraph([])
    ax.set_axis_off()
    if g.number_of_nodes() == 0:
        ax.text(0.5, 0.5, f"no account linked to {cluster_id} co-acts", ha="center", va="center",
                transform=ax.transAxes, fontsize=9)
        return fig
    pos = nx.spring_layout(g, seed=seed, weight="weight")
    groups = sorted({a for _, a in g.nodes(data="account_cluster_id") if a})
    palette = ["#e74c3c", "#2980b9", "#27ae60", "#8e44ad", "#f39c12", "#16a085", "#d35400", "#2c3e50"]
    colour = {a: palette[k % len(palette)] for k, a in enumerate(groups)}
    nodes = list(g.nodes)
    nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.25, width=0.6)
    nx.draw_networkx_nodes(g, pos, nodelist=nodes, ax=ax, node_size=28,
                           node_color=[colour.get(g.nodes[n].get("account_cluster_id", ""), "#bbbbbb") for n in nodes])
    for a in groups[:8]:
        ax.scatter([], [], color=colour[a], label=a, s=20)
    if groups:
        ax.legend(title="account cluster", fontsize=8, frameon=False, loc="upper left")
    ax.set_title("Co-action network" + (f" around {cluster_id}" if cluster_id else "") +
                 f": {g.number_of_nodes():,} accounts, {g.number_of_edges():,} edges")
    return fig


def _naive(ts):
    return pd.Timestamp(ts).tz_convert("UTC").tz_localize(None) if pd.Timestamp(ts).tzinfo else pd.Timestamp(ts)


def _span(width: pd.Timedelta) -> str:
    minutes = width / pd.Timedelta(minutes=1)
    return f"{minutes:.0f} min" if minutes < 120 else f"{minutes / 60:.0f} h"


def _wrap(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

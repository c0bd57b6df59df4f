"""An inline SVG of the sign-up timeline, so the report needs no plotting library."""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

__all__ = ["timeline_svg"]

_W, _H, _PAD = 1000, 260, 40
_MAX_POINTS = 600


def _resample(timeline: pd.DataFrame) -> pd.DataFrame:
    """Sum all events per bin, then merge bins so at most ``_MAX_POINTS`` remain."""
    t = timeline.groupby("start", sort=True)[["observed", "expected"]].sum().reset_index()
    if len(t) > _MAX_POINTS:
        group = np.arange(len(t)) * _MAX_POINTS // len(t)
        t = t.groupby(group).agg(start=("start", "first"), observed=("observed", "sum"),
                                 expected=("expected", "sum"))
    return t


def timeline_svg(timeline: pd.DataFrame, spans: list[tuple[pd.Timestamp, pd.Timestamp]],
                 marks: list[tuple[pd.Timestamp, str]] = ()) -> str:
    """Draw observed sign-ups as bars, the baseline as a line, flagged spans as bands and
    trigger posts as marks.

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``start, observed, expected`` (and ``event_id``; events are summed).
    spans : list of (Timestamp, Timestamp)
        Flagged time spans to shade.
    marks : list of (Timestamp, str)
        Times to mark with a dashed line, and their labels (trigger posts).

    Returns
    -------
    str
        An ``<svg>`` element, or a short paragraph when there is nothing to draw.
    """
    if timeline is None or timeline.empty:
        return "<p>No timeline to draw.</p>"
    t = _resample(timeline)
    x0 = pd.Timestamp(t["start"].iloc[0]).value
    step = (pd.Timestamp(t["start"].iloc[1]).value - x0) if len(t) > 1 else 60 * 10**9
    x1 = pd.Timestamp(t["start"].iloc[-1]).value + step
    ymax = float(max(t["observed"].max(), t["expected"].max(), 1))
    sx = (_W - 2 * _PAD) / max(x1 - x0, 1)
    sy = (_H - 2 * _PAD) / ymax

    def x(ns):
        return _PAD + (ns - x0) * sx

    def y(v):
        return _H - _PAD - v * sy

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" width="100%" role="img" '
             f'aria-label="sign-up timeline">',
             f'<rect x="0" y="0" width="{_W}" height="{_H}" fill="#fff"/>']
    for start, end in spans:
        a, b = x(pd.Timestamp(start).value), x(pd.Timestamp(end).value)
        parts.append(f'<rect x="{a:.1f}" y="{_PAD}" width="{max(b - a, 2):.1f}" height="{_H - 2 * _PAD}" '
                     f'fill="#e74c3c" fill-opacity="0.18"/>')
    bar_w = max(step * sx, 0.5)
    starts = t["start"].map(lambda s: pd.Timestamp(s).value).to_numpy()
    for s, v in zip(starts, t["observed"].to_numpy(dtype=float)):
        if v > 0:
            parts.append(f'<rect x="{x(s):.1f}" y="{y(v):.1f}" width="{bar_w:.2f}" height="{v * sy:.1f}" '
                         f'fill="#34495e"/>')
    points = " ".join(f"{x(s + step / 2):.1f},{y(v):.1f}" for s, v in zip(starts, t["expected"].to_numpy(float)))
    parts.append(f'<polyline points="{points}" fill="none" stroke="#e67e22" stroke-width="2"/>')
    for when, label in marks:
        mx = x(pd.Timestamp(when).value)
        if _PAD <= mx <= _W - _PAD:
            parts.append(f'<line x1="{mx:.1f}" y1="{_PAD}" x2="{mx:.1f}" y2="{_H - _PAD}" stroke="#8e44ad" '
                         f'stroke-dasharray="4 3"><title>{html.escape(label)}</title></line>')
    parts.append(f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" stroke="#888"/>')
    ticks = pd.date_range(pd.Timestamp(x0, tz="UTC").ceil("D"), pd.Timestamp(x1, tz="UTC"), freq="D")
    if len(ticks) > 14:
        ticks = ticks[:: int(np.ceil(len(ticks) / 14))]
    for tick in ticks:
        parts.append(f'<text x="{x(tick.value):.1f}" y="{_H - _PAD + 16}" font-size="11" text-anchor="middle" '
                     f'fill="#556">{html.escape(tick.strftime("%b %d"))}</text>')
    parts.append(f'<text x="{_PAD}" y="{_PAD - 10}" font-size="11" fill="#556">max {ymax:,.0f} per bin</text>')
    parts.append("</svg>")
    return "".join(parts)

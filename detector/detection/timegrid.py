"""The time grid shared by the baseline and the burst detector.

Event times are read as sorted float Unix seconds; bins start at whole multiples of
``bin_seconds`` since the epoch (or at given edges), and positions are kept as seconds after
an integer ``origin``, which :func:`_stamp` and :func:`_edge_index` turn back into UTC
timestamps. :func:`_floor` is the least expected count a bin may have.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from detector.errors import InputError

__all__: list[str] = []

_SOURCE = "<times>"


def _as_seconds(times):
    """Return the event times as sorted float Unix seconds."""
    arr = times if isinstance(times, (pd.Series, pd.Index)) else np.asarray(times)
    kind = "M" if isinstance(arr.dtype, pd.DatetimeTZDtype) else arr.dtype.kind
    if kind == "O" and pd.api.types.infer_dtype(arr, skipna=False) in ("datetime", "datetime64"):
        kind = "M"
    if kind == "M":
        idx = pd.DatetimeIndex(np.ravel(arr) if isinstance(arr, np.ndarray) else arr)
        if idx.hasnans:
            raise InputError(_SOURCE, "missing timestamps (NaT)")
        idx = idx.tz_localize("UTC") if idx.tz is None else idx.tz_convert("UTC")
        return np.sort(idx.as_unit("ns").asi8) / 1e9
    if kind not in "iuf" and len(arr):
        raise InputError(_SOURCE, f"cannot read {arr.dtype} values as Unix seconds or datetimes "
                                  "(parse text first with detector.timestamps.parse_timestamps)")
    arr = np.sort(np.asarray(arr, dtype=np.float64).ravel())
    if not np.isfinite(arr).all():
        raise InputError(_SOURCE, "missing or infinite times")
    return arr


def _grid(times, bin_seconds, edges=None, origin=None):
    """Return ``(origin, rel, edges, counts)``: bins start at whole multiples of ``bin_seconds``
    since the epoch, or since ``origin`` (integer Unix seconds) when given, or at the given
    edges; ``rel`` and ``edges`` are seconds after ``origin``."""
    if edges is not None:
        numeric = np.asarray(edges).dtype.kind in "iuf"
        ns = np.round(np.asarray(edges, float) * 1e9).astype(np.int64) if numeric \
            else pd.DatetimeIndex(edges).as_unit("ns").asi8
        origin = int(ns[0] // 10**9)
        edges = (ns - origin * 10**9) / 1e9
        rel = times - origin
        if len(rel) and (rel[0] < edges[0] or rel[-1] >= edges[-1]):
            raise ValueError("some times fall outside the baseline's bin edges")
        counts = np.histogram(rel, bins=edges)[0].astype(float)
        return origin, rel, edges, counts
    if bin_seconds != int(bin_seconds) or bin_seconds < 1:
        raise ValueError(f"bin_seconds must be a positive whole number, not {bin_seconds!r}")
    bin_seconds = int(bin_seconds)
    if len(times) == 0:
        return 0, times, np.zeros(1), np.zeros(0)
    if origin is None:
        origin = int(np.floor(times[0] / bin_seconds)) * bin_seconds
    origin = int(origin)
    if times[0] < origin:
        raise ValueError("some times fall before the grid's origin")
    rel = times - origin
    n = int(np.floor(rel[-1] / bin_seconds)) + 1
    edges = np.arange(n + 1) * float(bin_seconds)
    idx = np.minimum((rel // bin_seconds).astype(np.int64), n - 1)
    return origin, rel, edges, np.bincount(idx, minlength=n).astype(float)


def _stamp(origin, rel):
    return pd.Timestamp(origin * 10**9 + int(round(rel * 1e6)) * 1000, tz="UTC")


def _edge_index(origin, edges):
    return pd.DatetimeIndex(origin * 10**9 + np.round(edges * 1e9).astype(np.int64), tz="UTC")


def _floor(counts):
    """Least expected count per bin, so a quiet night is not an infinite ratio."""
    return max(1e-3 * float(counts.mean()) if counts.size else 0.0, 1e-9)

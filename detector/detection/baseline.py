"""The organic baseline: expected events per bin, learned from the data.

The baseline (:func:`expected_rate`) is ``trend(t) * profile(local hour of day)``, fitted
by masked means: whole blocks the fit cannot explain are left out until none remain, then
the runs the automaton calls bursts. The profile is learned when the data span 3 days.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammainc

from .automaton import _kleinberg
from .timegrid import _as_seconds, _edge_index, _floor, _grid

__all__ = ["expected_rate"]

_PRIOR = 3.0  # pseudo-events of ratio 1 that shrink a thinly observed hour toward the mean


def expected_rate(times, *, bin_seconds=60, tz="UTC", daily=None, trend_hours=None, origin=None):
    """Learn the organic baseline: expected events per bin.

    Parameters
    ----------
    times : array-like of int or float Unix seconds, or datetimes (pandas Series/Index)
        Event times, in any order. Naive datetimes are read as UTC.
    bin_seconds : int, default 60
        Bin width; bins start at whole multiples of it since the epoch, or since ``origin``.
    tz : str or None, default "UTC"
        Time zone whose hour of day drives the daily profile; None: the time of day counted
        from ``origin`` (the profile is learned either way; counted from the first sign-up, a
        shift of the whole clock changes nothing).
    daily : bool, optional
        Learn an hour-of-day profile; by default when the data span at least three days.
    trend_hours : float, optional
        Window of the slow trend: 24 with a daily profile, else 4. Bursts much longer than
        half of it are taken for trend.
    origin : int, optional
        Unix seconds where the first bin starts (at or before the first time).

    Returns
    -------
    bin_edges : pandas.DatetimeIndex
        ``n_bins + 1`` UTC edges.
    expected : numpy.ndarray
        Expected events in each bin (``n_bins`` floats).

    Examples
    --------
    >>> import numpy as np
    >>> t = 1_700_006_400 + np.arange(0, 86_400, 30)  # one sign-up every 30 s for a day
    >>> edges, expected = expected_rate(t, bin_seconds=60)
    >>> len(edges), round(float(expected.mean()), 2)
    (1441, 2.0)
    """
    origin, _, edges, counts = _grid(_as_seconds(times), bin_seconds, origin=origin)
    if counts.size == 0:
        return pd.DatetimeIndex([], dtype="datetime64[ns, UTC]"), np.zeros(0)
    expected = _learn_baseline(counts, origin, int(bin_seconds), tz, daily, trend_hours)
    return _edge_index(origin, edges), expected


def _learn_baseline(counts, origin, bin_seconds, tz, daily, trend_hours):
    """Expected events per bin: ``trend * profile``, fitted without the bins of bursts.

    Means are fitted, never medians (unbiased at low counts). A burst can only inflate a
    mean, so bursts are taken out from the top: first whole blocks (about 10 minutes) that
    the current fit cannot explain (Poisson tail below 0.001 / blocks), until none is left;
    then, twice, the runs the automaton calls bursts against the current fit.
    """
    n = counts.size
    if daily is None:
        daily = n * bin_seconds >= 3 * 86_400 and bin_seconds <= 3600
    if trend_hours is None:
        # at least a quarter of the span: a campaign lasting days in a registration window of
        # weeks is an excess over the trend, not the trend itself
        trend_hours = max(24.0 if daily else 4.0, n * bin_seconds / 3600.0 / 4.0)
    width = max(1, int(round(trend_hours * 3600 / bin_seconds)))
    clock = None
    if daily:   # time of day in slots: hours, or half or quarter hours when ~100 events a slot allow
        per_hour = max(m for m in (1, 2, 4)
                       if m == 1 or (counts.sum() >= 2400 * m and bin_seconds * m <= 3600))
        clock = (_local_hour(origin, n, bin_seconds, tz) * per_hour, 24 * per_hour)
    block = int(np.clip(round(600 / bin_seconds), 1, max(1, width // 6)))
    keep = np.ones(n)
    for _ in range(8):
        out = _outlier_blocks(counts, _fit(counts, keep, clock, width, linear=False), block) & (keep > 0)
        if not out.any():
            break
        keep[out] = 0.0
    clipped = keep.copy()
    for _ in range(2):
        expected = _fit(counts, keep, clock, width)
        keep = clipped.copy()
        for i0, i1 in _kleinberg(counts, expected, q1=3.0, s=2.0, gamma=1.0):
            keep[max(i0 - 2, 0):i1 + 2] = 0.0
    return _fit(counts, keep, clock, width)


def _local_hour(origin, n, bin_seconds, tz):
    """Hour of day (float) in ``tz`` at the middle of every bin (counted from ``origin`` when
    ``tz`` is None)."""
    centers = origin + (np.arange(n) + 0.5) * bin_seconds
    if tz is None:
        return ((centers - origin) % 86_400) / 3600.0
    local = pd.DatetimeIndex(np.round(centers * 1e9).astype(np.int64), tz="UTC").tz_convert(tz)
    return (local.tz_localize(None).as_unit("ns").asi8 / 1e9 % 86_400) / 3600.0


def _fit(counts, keep, clock, width, linear=True):
    """Trend (masked moving fit) times time-of-day profile (masked ratio of sums), per bin."""
    profile = np.ones(counts.size)
    trend = _masked_mean(counts, profile, keep, width, linear)
    if clock is not None:
        position, slots = clock
        slot = np.minimum(position.astype(np.int64), slots - 1)
        for _ in range(2):
            num = np.bincount(slot, keep * counts, minlength=slots)
            den = np.bincount(slot, keep * trend, minlength=slots)
            scale = num.sum() / den.sum() if den.sum() > 0 else 1.0
            per_slot = (num + _PRIOR * scale) / (den + _PRIOR)
            profile = _profile(per_slot / per_slot.mean(), position)
            trend = _masked_mean(counts, profile, keep, width, linear)
    return np.maximum(trend * profile, _floor(counts))


def _outlier_blocks(counts, expected, block):
    """Bins of blocks (and their neighbours) with far more events than ``expected``."""
    starts = np.arange(0, counts.size, block)
    c, e = np.add.reduceat(counts, starts), np.add.reduceat(expected, starts)
    out = (c > e) & (gammainc(np.maximum(c, 1), e) < 1e-3 / starts.size)
    out = out | np.concatenate([[False], out[:-1]]) | np.concatenate([out[1:], [False]])
    return np.repeat(out, block)[: counts.size]


def _moments(x, width):
    """Centred moving sums of ``x * d**k``, k = 0, 1, 2, with ``d`` the offset from the centre."""
    n = x.size
    i = np.arange(n, dtype=float)
    lo = np.maximum(i - width // 2, 0).astype(np.int64)
    hi = np.minimum(i + width // 2 + 1, n).astype(np.int64)
    sums = []
    for power in range(3):
        cum = np.concatenate([[0.0], np.cumsum(x * i**power)])
        sums.append(cum[hi] - cum[lo])
    return sums[0], sums[1] - i * sums[0], sums[2] - 2 * i * sums[1] + i * i * sums[0]


def _masked_mean(counts, profile, keep, width, linear=True):
    """Trend given the profile: a local fit of events to profile-weighted bins, burst bins
    left out. The fit is a line whose slope is shrunk toward zero by its noise (kept only
    where clearly there), so that a rate still rising at the end of the data is followed
    while a flat stretch keeps the plain moving mean; held within half to twice the mean."""
    p0, p1, p2 = _moments(keep * profile, width)
    c0, c1, _ = _moments(keep * counts, width)
    good = p0 > 1e-6 * width
    if not good.any():
        return np.full(counts.size, counts.sum() / profile.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        flat = c0 / p0
        trend = flat
        if linear:
            det = p0 * p2 - p1 * p1
            slope = np.where(det > 1e-9 * p0 * p2, (p0 * c1 - p1 * c0) / det, 0.0)
            noise = flat * p0 / det
            shrink = np.clip(1.0 - 4.0 * noise / (slope * slope), 0.0, 1.0)
            trend = np.clip((c0 - np.nan_to_num(shrink * slope) * p1) / p0, flat / 2, flat * 2)
    trend[~good] = np.interp(np.flatnonzero(~good), np.flatnonzero(good), trend[good])
    return trend


def _profile(per_slot, position):
    """Time-of-day profile, linear between the middles of the slots, wrapping at midnight;
    ``position`` is the time of day in slots."""
    x = np.concatenate([[-0.5], np.arange(per_slot.size) + 0.5, [per_slot.size + 0.5]])
    y = np.concatenate([[per_slot[-1]], per_slot, [per_slot[0]]])
    return np.interp(position, x, y)

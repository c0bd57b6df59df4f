"""Burst detection: behaviour on simulated sign-ups with known campaigns (quality floors)."""
import numpy as np
import pandas as pd
import pytest

from detector.detection import automaton as A
from detector.detection import bursts as B
from detector.detection.bursts import Burst, detect_bursts, expected_rate
from detector.errors import InputError

T0 = 1_698_883_200  # 2023-11-02 00:00 UTC; a week from here crosses the US end of DST (Nov 5)
TZ = "America/Chicago"


def poisson_day(seed, per_minute=1.0, k=0, minutes=10, days=1):
    """Flat background plus ``k`` events over ``minutes`` at a random start: (times, window)."""
    rng = np.random.default_rng(seed)
    span = days * 86_400
    background = rng.uniform(0, span, rng.poisson(span * per_minute / 60))
    start = rng.uniform(0, span - 60 * minutes)
    injected = start + rng.uniform(0, 60 * minutes, k)
    times = np.sort(T0 + np.floor(np.concatenate([background, injected]))).astype(np.int64)
    return times, (T0 + start, T0 + start + 60 * minutes)


def daily_cycle(seed, days=7, per_minute=1.0, growth=2.0, campaigns=()):
    """Sign-ups with a local-time daily cycle (night trough, evening peak 4x the mean), a
    rate growing ``growth``-fold over the span, plus ``campaigns`` of (start, k, seconds)."""
    rng = np.random.default_rng(seed)
    span = days * 86_400

    def rate(t):  # relative to its peak, so thinning works
        local = pd.DatetimeIndex(((T0 + t) * 1e9).astype(np.int64), tz="UTC").tz_convert(TZ)
        h = local.hour + local.minute / 60
        shape = 0.15 + 0.6 * np.exp(-0.5 * ((h - 12) / 3) ** 2) + 3 * np.exp(-0.5 * ((h - 20) / 1.2) ** 2)
        return shape / 3.8 * (1 + (growth - 1) * t / span) / growth

    peak = per_minute / 60 * 3.8 / 0.72 * growth   # 0.72: the mean of the shape
    t = rng.uniform(0, span, rng.poisson(peak * span))
    t = t[rng.uniform(0, 1, t.size) < rate(t)]
    extra = [start + rng.uniform(0, seconds, k) for start, k, seconds in campaigns]
    return np.sort(T0 + np.floor(np.concatenate([t, *extra]))).astype(np.int64)


def iou(burst, window):
    s, e = burst.start.value / 1e9, burst.end.value / 1e9
    inter = max(0.0, min(e, window[1]) - max(s, window[0]))
    return inter / (max(e, window[1]) - min(s, window[0]))


@pytest.mark.parametrize("seed", range(6))
def test_pure_background_has_no_bursts(seed):
    times, _ = poisson_day(seed)
    assert detect_bursts(times) == []


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("k, minutes", [(100, 10), (1000, 10), (300, 60), (1000, 60)])
def test_injected_burst_is_found_tightly(seed, k, minutes):
    times, window = poisson_day(seed, k=k, minutes=minutes)
    found = detect_bursts(times)
    assert len(found) == 1
    assert iou(found[0], window) > 0.9
    assert found[0].count >= k


def test_quality_floor_on_a_weak_burst():
    """30 extra sign-ups in 10 minutes on 1 a minute (4x): found in 10 seeds of 10."""
    ious = []
    for seed in range(10):
        times, window = poisson_day(seed, k=30, minutes=10)
        found = detect_bursts(times)
        assert len(found) == 1
        ious.append(iou(found[0], window))
    assert np.mean(ious) > 0.8


def test_twice_the_background_is_not_a_burst():
    for seed in range(10):
        times, _ = poisson_day(seed, k=10, minutes=10)
        assert detect_bursts(times) == []


@pytest.mark.parametrize("seed", range(3))
def test_daily_cycle_alone_has_no_bursts(seed):
    times = daily_cycle(seed)
    assert detect_bursts(times, tz=TZ) == []
    assert detect_bursts(times[times < T0 + 86_400], tz=TZ) == []   # one day: no profile, trend only


@pytest.mark.parametrize("seed", range(3))
def test_daily_cycle_with_campaigns(seed):
    night = 3 * 86_400 + 9 * 3600                            # 03:00 in Chicago on day 3
    evening = 5 * 86_400 + 26 * 3600                         # 20:00 in Chicago, the peak, day 5
    times = daily_cycle(seed, campaigns=[(night, 60, 1200), (evening, 1500, 1800)])
    found = detect_bursts(times, tz=TZ)
    assert len(found) == 2
    assert iou(found[0], (T0 + night, T0 + night + 1200)) > 0.8
    assert iou(found[1], (T0 + evening, T0 + evening + 1800)) > 0.8


def test_expected_rate_follows_the_cycle():
    times = daily_cycle(0, campaigns=[(2 * 86_400, 3000, 3600)])
    edges, expected = expected_rate(times, tz=TZ)
    assert len(edges) == len(expected) + 1 and str(edges.tz) == "UTC"
    hourly_obs = np.histogram(times, bins=edges.asi8[::60] // 10**9)[0]
    hourly_exp = np.add.reduceat(expected, np.arange(0, expected.size, 60))[: hourly_obs.size]
    organic = np.ones(hourly_obs.size, bool)
    organic[47:51] = False                                   # the campaign's hours
    assert abs(hourly_obs[organic].sum() / hourly_exp[organic].sum() - 1) < 0.05
    assert np.corrcoef(hourly_obs[organic], hourly_exp[organic])[0, 1] > 0.9


def test_deterministic_and_order_free():
    times, _ = poisson_day(0, k=100)
    first = detect_bursts(times)
    shuffled = np.random.default_rng(1).permutation(times)
    assert detect_bursts(shuffled) == first == detect_bursts(times)


def test_datetime_inputs_agree():
    times, window = poisson_day(2, k=300, minutes=60)
    reference = detect_bursts(times)
    utc = pd.Series(pd.to_datetime(times, unit="s", utc=True))
    for variant in (utc, utc.dt.tz_convert(TZ), pd.DatetimeIndex(utc), utc.dt.tz_localize(None),
                    utc.to_numpy(dtype="datetime64[ns]"), times.astype(float), list(times)):
        assert detect_bursts(variant) == reference
    [b] = reference
    assert str(b.start.tz) == "UTC" and b.start < b.end
    assert isinstance(b.count, int) and all(type(getattr(b, f)) is float
                                            for f in ("expected", "ratio", "peak_ratio", "score", "pvalue"))
    assert b.peak_ratio >= b.ratio >= 3 and 0 <= b.pvalue < 1e-3
    assert b.count == int(((times >= b.start.value / 1e9) & (times < b.end.value / 1e9)).sum())


def test_given_baseline():
    times, window = poisson_day(4, k=300, minutes=60)
    learned = expected_rate(times)
    assert detect_bursts(times, baseline=learned) == detect_bursts(times)
    flat = detect_bursts(times, baseline=1.0)
    assert len(flat) == 1 and iou(flat[0], window) > 0.9
    assert len(detect_bursts(times, baseline=np.ones(len(learned[1])))) == 1
    with pytest.raises(ValueError):
        detect_bursts(times, baseline=np.ones(5))


@pytest.mark.parametrize("times", [[], np.array([], dtype=np.int64), [T0], [T0, T0], [T0, T0 + 5]])
def test_tiny_inputs(times):
    assert detect_bursts(times) == []
    edges, expected = expected_rate(times)
    assert len(edges) == (len(expected) + 1 if len(expected) else 0)


def test_bad_inputs():
    with pytest.raises(InputError):
        detect_bursts(["2020-01-01", "x"])
    with pytest.raises(InputError):
        detect_bursts(pd.Series(pd.to_datetime(["2020-01-01", None], utc=True)))
    with pytest.raises(ValueError):
        detect_bursts([T0], bin_seconds=0)


def test_burst_is_a_frozen_dataclass():
    times, _ = poisson_day(0, k=100)
    [b] = detect_bursts(times)
    with pytest.raises(AttributeError):
        b.count = 0
    assert "events" in repr(b) and "<table" in b._repr_html_()
    assert b.duration == b.end - b.start
    assert isinstance(b, Burst)


@pytest.mark.parametrize("seed", range(5))
def test_pruned_viterbi_equals_the_full_one(seed):
    """The CUSUM cuts and the merged empty bins leave the optimal path unchanged."""
    rng = np.random.default_rng(seed)
    expected = rng.uniform(0.05, 2.0, 3000)
    rate = expected.copy()
    for start in rng.integers(0, 2900, 6):
        rate[start:start + rng.integers(2, 60)] *= rng.uniform(2, 40)
    counts = rng.poisson(rate).astype(float)
    runs = A._kleinberg(counts, expected, q1=3.0, s=2.0, gamma=1.0)
    levels = int(np.ceil(np.log(max((counts / expected).max(), 3.0) / 3.0) / np.log(2.0)) + 1)
    lnq = np.concatenate([[0.0], np.log(3.0) + np.arange(levels) * np.log(2.0)])
    state = A._viterbi(counts, expected, lnq, np.exp(lnq), np.log(counts.size))
    flag = np.flatnonzero(np.diff(np.concatenate([[0], state > 0, [0]]).astype(int)))
    assert runs == list(zip(flag[::2].tolist(), flag[1::2].tolist()))
    assert runs


@pytest.mark.parametrize("rising", [True, False])
@pytest.mark.parametrize("rho", [1.5, 4.0, 30.0])
def test_edge_is_the_posterior_median(rising, rho):
    rng = np.random.default_rng(3)
    edges = np.arange(0, 3601, 60.0)
    lam = np.concatenate([[0], np.cumsum(rng.uniform(1, 2, 60))])
    cum = lambda x: np.interp(x, edges, lam)  # noqa: E731
    events = np.sort(np.round(rng.uniform(100, 3500, 40)))
    got = B._edge(events, 100.0, 3500.0, edges, cum, rho, rising=rising)
    grid = np.linspace(100, 3500, 340_001)
    if rising:
        loglik = np.log(rho) * (events.size - np.searchsorted(events, grid)) + (rho - 1) * cum(grid)
    else:
        loglik = np.log(rho) * np.searchsorted(events, grid) - (rho - 1) * cum(grid)
    w = np.cumsum(np.exp(loglik - loglik.max()))
    assert got == pytest.approx(grid[np.searchsorted(w / w[-1], 0.5)], abs=0.05)


def test_many_events_are_fast():
    import time
    rng = np.random.default_rng(0)
    times = np.sort(T0 + rng.integers(0, 10 * 86_400, 100_000))
    t0 = time.perf_counter()
    detect_bursts(times)
    assert time.perf_counter() - t0 < 2.0

"""Time and memory follow the sign-ups, not the empty time around them: stray dates, very long
spans and many tiny events (issue: bounded resources)."""
import numpy as np
import pandas as pd

import detector
from detector.detection.pipeline import MAX_BINS


def _regs(times, events=None):
    n = len(times)
    df = pd.DataFrame({"registration_id": [f"r{i:05d}" for i in range(n)],
                       "created_at": pd.to_datetime(times, utc=True),
                       "email": [f"u{i}@mail{i % 7}.com" for i in range(n)]})
    if events is not None:
        df["event_id"] = events
    return df


def test_a_stray_date_is_left_out_named_and_kept():
    rng = np.random.default_rng(0)
    t0 = pd.Timestamp("2020-06-10", tz="UTC")
    times = list(t0 + pd.to_timedelta(np.sort(rng.uniform(0, 10 * 86_400, 2000)), unit="s"))
    times[7] = pd.Timestamp("1970-01-01", tz="UTC")
    result = detector.detect(_regs(times), progress=False)
    r = result.registrations
    assert len(r) == 2000 and r.loc[r.registration_id == "r00007", "score"].item() == 0
    assert any("r00007 (1970-01-01T00:00:00Z)" in note for note in result.summary["notes"])
    assert result.timeline["start"].min() >= t0 - pd.Timedelta("1D")   # no grid over fifty empty years


def test_a_span_of_years_is_binned_coarser_and_said():
    rng = np.random.default_rng(1)
    t0 = pd.Timestamp("2015-01-01", tz="UTC")
    times = t0 + pd.to_timedelta(np.sort(rng.uniform(0, 6 * 365 * 86_400, 3000)), unit="s")
    result = detector.detect(_regs(times), progress=False)
    assert any("binned" in n or "widened" in n for n in result.summary["notes"])
    assert len(result.timeline) <= MAX_BINS
    assert len(result.registrations) == 3000


def test_events_too_small_for_a_cluster_are_counted_not_analysed():
    t0 = pd.Timestamp("2020-06-10", tz="UTC")
    times = [t0 + pd.Timedelta(seconds=3600 * (i % 3) + i) for i in range(3000)]
    events = [f"e{i % 1000:04d}" for i in range(3000)]           # 1,000 events of 3 sign-ups
    result = detector.detect(_regs(times, events), progress=False)
    assert (result.registrations["score"] == 0).all() and not result.registrations["flagged"].any()
    tl = result.timeline
    assert tl["event_id"].nunique() == 1000 and (tl["observed"] > 0).all()   # occupied bins only
    assert tl["observed"].sum() == 3000

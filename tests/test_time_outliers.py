"""Sign-ups far outside their event's time are left out of the analysis (a stray 1970 row would
stretch the time grid over fifty years); the organic sign-ups spread over the weeks around a
campaign that crowds most of an event into two days are not, and the campaign is found against them."""
import numpy as np
import pandas as pd

import detector
from detector.detection.pipeline import time_outliers

DAY = 86_400 * 10**9


def test_a_stray_row_cut_off_from_its_event_is_left_out():
    rng = np.random.default_rng(0)
    ns = np.sort(rng.uniform(0, 30 * DAY, 2_000)).astype(np.int64) + 1_590_000_000 * 10**9
    ns = np.r_[ns, 0, ns[-1] + 400 * DAY]                         # 1970, and a year after the rest
    assert np.flatnonzero(time_outliers(ns)).tolist() == [2_000, 2_001]


def test_sign_ups_spread_around_a_dominating_burst_are_not_stray():
    rng = np.random.default_rng(1)
    organic = rng.uniform(0, 50 * DAY, 400)
    burst = 20 * DAY + rng.exponential(0.3 * DAY, 12_000)          # 97% of the event within two days
    assert not time_outliers(np.r_[organic, burst].astype(np.int64)).any()


def _town(rng, n):
    return pd.DataFrame({
        "email": [f"u{rng.integers(10**9)}@{d}" for d in rng.choice(["gmail.com", "web.de", "gmx.de"], n)],
        "phone": [f"+49 30 {rng.integers(10**6, 10**7)}" for _ in range(n)],
        "postal_code": rng.choice([f"10{k:03d}" for k in range(40)], n),
    })


def test_a_campaign_that_is_most_of_its_event_is_flagged_and_the_organic_weeks_kept():
    rng = np.random.default_rng(2)
    start = pd.Timestamp("2024-03-01", tz="UTC")
    organic = _town(rng, 400).assign(created_at=start + pd.to_timedelta(rng.uniform(0, 50, 400), unit="D"),
                                     member=False)
    n = 6_000
    campaign = pd.DataFrame({
        "email": [f"x{k}@mail{k % 7}.example" for k in range(n)],
        "phone": [f"+7 9{rng.integers(10**8, 10**9)}" for _ in range(n)],
        "postal_code": rng.choice(["99001", "99002", "99003"], n),
        "created_at": start + pd.Timedelta(days=20) + pd.to_timedelta(rng.exponential(0.3, n), unit="D"),
        "member": True})
    regs = pd.concat([organic, campaign], ignore_index=True).sample(frac=1.0, random_state=3)
    regs["registration_id"] = [f"R{i}" for i in range(len(regs))]
    member = regs.pop("member").to_numpy()
    res = detector.detect(regs, progress=False)
    flagged = res.registrations.set_index("registration_id")["flagged"].reindex(regs["registration_id"]).to_numpy()
    assert not any("far outside" in note for note in res.summary["notes"])
    assert flagged[member].mean() >= 0.9
    assert flagged[~member].mean() <= 0.05

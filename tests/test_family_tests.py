"""A cluster's score asks attribute families alone too (detector/detection/scoring.py).

A campaign odd in one family only is diluted in the sum of all identity attributes by
everybody's ordinary variety in the others; tested alone, that family shows it. Detection gives
the scorer the families of who registrants say they are (e-mail, name), not of where they are
(``facets.LOCATION_FAMILIES``). The unit checks below use any family's columns. A family alone
must show more than time alone gives it among the quiet registrations (``time_spread``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import detector
from detector.detection.composition import QuietReference, time_spread
from detector.detection.reasons import cluster_reasons
from detector.detection.scoring import score_clusters, with_best_test


def _features(phone=0.6, total=0.05, by_time=0.02, size=400, families=("phone",)):
    f = pd.DataFrame({"unlike_share": [total], "households": [size], "n_quiet": [20_000], "size": [size],
                      "unlike_low": [0.0], "crowd_excess": [total * size], "crowd_sd": [20.0]})
    for fam in families:
        d = phone if fam == "phone" else 0.0
        f[f"unlike_share@{fam}"], f[f"n_quiet@{fam}"] = [d], [20_000]
        f[f"crowd_excess@{fam}"], f[f"crowd_sd@{fam}"], f[f"by_time@{fam}"] = [d * size], [20.0], [by_time]
    return f


def test_a_cluster_unlike_in_one_family_only_is_flagged():
    assert score_clusters(_features(phone=0.0)).item() == 0.0          # the sum alone: diluted
    assert score_clusters(_features()).item() > 0.99


def test_a_family_must_show_more_than_time_alone_gives_it():
    assert score_clusters(_features(phone=0.6, by_time=0.5)).item() == 0.0
    assert score_clusters(_features(phone=0.6, by_time=0.3)).item() > 0.9


@pytest.mark.parametrize("by_time", [0.0, 0.1, 0.3])
def test_more_unlike_in_a_family_never_lowers_the_score(by_time):
    scores = [score_clusters(_features(phone=d, by_time=by_time)).item() for d in np.linspace(0, 1, 21)]
    assert all(b >= a for a, b in zip(scores, scores[1:]))


def test_the_deciding_family_is_what_is_reported():
    f = with_best_test(_features())
    assert f["unlike_in"].item() == "phone" and f["unlike_share"].item() == pytest.approx(0.6)
    assert 0 < f["unlike_low"].item() < 0.6
    row = {**f.iloc[0].to_dict(), "first": 0.0, "last": 600.0, "expected": 40.0}
    assert "unlike the organic registrants in their phone numbers" in cluster_reasons(row, [])
    assert with_best_test(_features(phone=0.0))["unlike_in"].item() == "identity"


def test_time_spread_reads_how_far_one_stretch_of_quiet_time_is_from_all():
    rng = np.random.default_rng(0)
    alike = QuietReference(tuple(np.sort(rng.exponential(size=2000)) for _ in range(6)), np.ones(6))
    shifted = QuietReference(alike.pools[:5] + (np.sort(2 + rng.exponential(size=2000)),), np.ones(6))
    assert time_spread(alike) < 0.06
    assert time_spread(shifted) > 0.5


def _world(campaign_postal: bool, seed: int = 5):
    """4,000 organic sign-ups over ten days in one town and 400 in twenty minutes, alike in
    e-mails, phones and names; with ``campaign_postal``, the 400 give postal codes of a region
    far away."""
    rng = np.random.default_rng(seed)
    n_org, n_camp = 4000, 400
    n = n_org + n_camp
    start = pd.Timestamp("2024-03-01", tz="UTC")
    t = np.r_[np.sort(rng.uniform(0, 10 * 86400, n_org)), 6.5 * 86400 + np.sort(rng.uniform(0, 1200, n_camp))]
    first = rng.choice(["ana", "ben", "cara", "dan", "eve", "finn", "gus", "hana", "ivy", "jon", "kai", "lea"], n)
    last = rng.choice(["smith", "jones", "brown", "lee", "garcia", "miller", "davis", "lopez", "wilson"], n)
    domain = rng.choice(["gmail.com", "yahoo.com", "outlook.com", "icloud.com"], n, p=[.55, .2, .15, .1])
    postal = rng.choice([f"741{k:02d}" for k in range(40)], n)
    if campaign_postal:
        postal[n_org:] = rng.choice([f"9{k:04d}" for k in range(0, 9000, 7)], n_camp)
    regs = pd.DataFrame({
        "registration_id": [f"R{i:05d}" for i in range(n)],
        "created_at": start + pd.to_timedelta(t, unit="s"),
        "event_id": "concert-20240312",
        "email": [f"{a}.{b}{k}@{d}" for a, b, k, d in zip(first, last, rng.integers(1, 99, n), domain)],
        "phone": [f"(918) {rng.integers(200, 999)}-{rng.integers(1000, 9999)}" for _ in range(n)],
        "name": [f"{a.title()} {b.title()}" for a, b in zip(first, last)],
        "postal_code": postal,
    })
    return regs, np.arange(n) >= n_org


def test_a_campaign_from_far_away_in_its_postal_codes_only_is_flagged():
    regs, campaign = _world(campaign_postal=True)
    flagged = detector.detect(regs, progress=False).registrations["flagged"].to_numpy(bool)
    assert flagged[campaign].mean() >= 0.5, f"campaign flagged {flagged[campaign].mean():.2f}"
    assert flagged[~campaign].mean() <= 0.01, f"organic flagged {flagged[~campaign].mean():.4f}"


def test_the_same_burst_of_local_people_is_not_flagged():
    regs, campaign = _world(campaign_postal=False)
    flagged = detector.detect(regs, progress=False).registrations["flagged"].to_numpy(bool)
    assert flagged.mean() <= 0.01, f"flagged {flagged.mean():.4f} ({flagged[campaign].mean():.2f} of the burst)"

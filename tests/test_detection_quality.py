"""Quality floors of the detection engine on simulated ground truth (small sizes, fixed seeds).

The full targets (100k registrations, 3 seeds) are shown by ``benchmarks/quality.py``;
these floors catch regressions in a few seconds each.
"""
import pandas as pd
import pytest

import detector

N = 20_000


@pytest.fixture(scope="module")
def runs():
    cache = {}

    def run(scenario, seed=0, attended=False):
        key = (scenario, seed, attended)
        if key not in cache:
            sim = detector.simulate(scenario, n=N, seed=seed)
            regs = sim.registrations if attended else sim.registrations.drop(columns=["attended"])
            result = detector.detect(regs)
            cache[key] = (sim, result, detector.evaluate(sim.truth, result.registrations, result.summary))
        return cache[key]
    return run


@pytest.mark.parametrize("scenario, f1_floor", [("easy", 0.95), ("medium", 0.92), ("tulsa", 0.95),
                                                ("elsewhere", 0.90), ("hard", 0.65)])
def test_campaigns_are_found_with_an_f1_floor(runs, scenario, f1_floor):
    _, _, ev = runs(scenario)
    assert ev["f1"] >= f1_floor, ev
    assert ev["pr_auc"] >= f1_floor - 0.05, ev


@pytest.mark.parametrize("scenario", ["easy", "medium", "tulsa", "organic", "elsewhere", "hard"])
def test_organic_surges_are_left_alone(runs, scenario):
    _, _, ev = runs(scenario)
    assert ev["fpr_surges"] <= 0.025, ev


def test_no_campaign_means_almost_nothing_flagged(runs):
    _, result, ev = runs("organic")
    assert result.registrations["flagged"].mean() <= 0.005
    assert result.summary["estimated_coordinated_registrations"]["value"] <= 0.005 * N


def test_every_flagged_cluster_has_reasons_with_numbers(runs):
    _, result, _ = runs("tulsa")
    assert len(result.clusters) >= 1
    for reasons in result.clusters["reasons"]:
        assert "sign-ups in" in reasons and "baseline" in reasons and any(ch.isdigit() for ch in reasons)


def test_estimate_is_close_and_its_interval_is_ordered(runs):
    sim, result, ev = runs("tulsa")
    est = result.summary["estimated_coordinated_registrations"]
    assert est["low"] <= est["value"] <= est["high"]
    assert abs(ev["estimate_error"]) <= 0.15, ev


def test_attended_is_used_when_present_and_does_not_hurt(runs):
    _, _, without = runs("medium")
    _, result, with_att = runs("medium", attended=True)
    assert result.summary["configuration"]["use_attended"] == "auto"
    assert with_att["f1"] >= without["f1"] - 0.02


def test_detection_is_deterministic(runs):
    sim, first, _ = runs("easy")
    again = detector.detect(sim.registrations.drop(columns=["attended"]))
    pd.testing.assert_frame_equal(first.registrations, again.registrations)
    pd.testing.assert_frame_equal(first.clusters, again.clusters)


def test_works_with_only_the_required_columns():
    sim = detector.simulate("easy", n=3000, seed=2)
    bare = sim.registrations[["registration_id", "created_at"]]
    result = detector.detect(bare)
    assert len(result.registrations) == 3000
    assert result.registrations["score"].between(0, 1).all()


def test_unknown_option_is_an_error():
    sim = detector.simulate("easy", n=500, seed=2)
    with pytest.raises(TypeError, match="unknown option"):
        detector.detect(sim.registrations, flag_treshold=0.3)


@pytest.mark.parametrize("n", [1, 2, 7, 60])
def test_tiny_inputs_and_identical_timestamps_do_not_break_detection(n):
    start = pd.Timestamp("2020-06-15T12:00:00Z")
    for spacing in ("1min", "0s"):
        regs = pd.DataFrame({"registration_id": [f"r{i}" for i in range(n)],
                             "created_at": start + pd.to_timedelta(range(n), unit="min") * int(spacing == "1min"),
                             "event_id": (["a", "b"] * n)[:n], "email": ["x@example.com"] * n})
        result = detector.detect(regs)
        assert len(result.registrations) == n
        assert not result.registrations["flagged"].any()

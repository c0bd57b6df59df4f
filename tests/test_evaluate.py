"""The evaluator on small hand-made cases whose answers are worked out by hand."""
import math

import pandas as pd
import pytest

from detector.errors import InputError
from detector.evaluation import evaluate, evaluate_dir


def _truth(campaign, surge=None):
    t = pd.DataFrame({"registration_id": [f"r{i}" for i in range(len(campaign))], "campaign": campaign})
    if surge is not None:
        t["surge"] = surge
    return t


def _scores(flagged, score=None, cluster=None):
    n = len(flagged)
    return pd.DataFrame({
        "registration_id": [f"r{i}" for i in range(n)],
        "score": score if score is not None else [float(f) for f in flagged],
        "cluster_id": cluster if cluster is not None else ["C1" if f else "" for f in flagged],
        "flagged": flagged,
    })


def test_precision_recall_f1_by_hand():
    # 4 campaign members (r0-r3), 6 organic; flag r0, r1, r2 and organic r4.
    truth = _truth([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    ev = evaluate(truth, _scores([True, True, True, False, True, False, False, False, False, False]))
    assert ev["precision"] == pytest.approx(3 / 4)
    assert ev["recall"] == pytest.approx(3 / 4)
    assert ev["f1"] == pytest.approx(3 / 4)
    assert ev["fpr_organic"] == pytest.approx(1 / 6)


def test_campaigns_found_needs_half_the_members():
    truth = _truth([1, 1, 1, 1, 2, 2, 2, 2, 0, 0])
    # campaign 1: 2 of 4 flagged (found, exactly half); campaign 2: 1 of 4 (not found)
    ev = evaluate(truth, _scores([True, True, False, False, True, False, False, False, False, False]))
    assert ev["campaigns_found"] == 1 and ev["campaigns_total"] == 2
    per = ev.per_campaign.set_index("campaign")
    assert per.loc[1, "share_flagged"] == 0.5 and bool(per.loc[1, "found"])
    assert not bool(per.loc[2, "found"])


def test_fpr_inside_organic_surges():
    truth = _truth([0, 0, 0, 0, 1], surge=[1, 1, 0, 0, 0])
    ev = evaluate(truth, _scores([True, False, False, False, True]))
    assert ev["fpr_surges"] == pytest.approx(0.5)
    assert ev["fpr_organic"] == pytest.approx(0.25)


def test_pr_auc_perfect_and_inverted_ranking():
    truth = _truth([1, 1, 0, 0])
    perfect = evaluate(truth, _scores([True, True, False, False], score=[0.9, 0.8, 0.2, 0.1]))
    assert perfect["pr_auc"] == pytest.approx(1.0)
    inverted = evaluate(truth, _scores([True, True, False, False], score=[0.1, 0.2, 0.8, 0.9]))
    # ranks: organic, organic, member, member -> AP = (1/3 + 2/4) / 2
    assert inverted["pr_auc"] == pytest.approx((1 / 3 + 2 / 4) / 2)


def test_ari_is_one_for_exact_clusters_and_label_names_do_not_matter():
    truth = _truth([1, 1, 2, 2, 0, 0])
    flags = [True, True, True, True, False, False]
    ev = evaluate(truth, _scores(flags, cluster=["X", "X", "Y", "Y", "", ""]))
    assert ev["ari"] == pytest.approx(1.0)
    merged = evaluate(truth, _scores(flags, cluster=["X", "X", "X", "X", "", ""]))
    assert merged["ari"] < 1.0


def test_estimate_error_and_interval_coverage():
    truth = _truth([1] * 40 + [0] * 60)
    summary = {"estimated_coordinated_registrations": {"value": 50, "low": 35, "high": 65}}
    ev = evaluate(truth, _scores([False] * 100), summary)
    assert ev["estimate_error"] == pytest.approx(0.25)
    assert ev["estimate_covered"] is True
    narrow = {"estimated_coordinated_registrations": {"value": 50, "low": 45, "high": 55}}
    assert evaluate(truth, _scores([False] * 100), narrow)["estimate_covered"] is False


def test_no_campaign_scenario_has_undefined_recall_not_a_crash():
    truth = _truth([0] * 5)
    ev = evaluate(truth, _scores([False, True, False, False, False]))
    assert math.isnan(ev["recall"]) and math.isnan(ev["pr_auc"])
    assert ev["fpr_organic"] == pytest.approx(0.2)
    assert ev["campaigns_total"] == 0


def test_missing_scores_is_a_clear_error():
    truth = _truth([1, 0, 0])
    with pytest.raises(InputError, match="no score"):
        evaluate(truth, _scores([True, False]))


def test_evaluate_dir_reads_files_and_prints_a_table(tmp_path):
    truth = _truth([1, 1, 0, 0])
    truth.to_csv(tmp_path / "truth.csv", index=False)
    out = tmp_path / "out"
    out.mkdir()
    s = _scores([True, False, False, False])
    s["flagged"] = s["flagged"].map({True: "true", False: "false"})
    s.to_csv(out / "registration_scores.csv", index=False)
    ev = evaluate_dir(tmp_path / "truth.csv", out)
    assert ev["recall"] == pytest.approx(0.5) and ev["precision"] == pytest.approx(1.0)
    assert "precision" in repr(ev) and "<table" in ev._repr_html_()
    frame = ev.to_frame()
    assert list(frame.columns) == ["metric", "value", "meaning"]


def test_evaluate_dir_bad_truth_names_file_row_column(tmp_path):
    (tmp_path / "truth.csv").write_text("registration_id,campaign\nr0,1\nr1,x\n")
    out = tmp_path / "out"
    out.mkdir()
    _scores([True, False]).to_csv(out / "registration_scores.csv", index=False)
    with pytest.raises(InputError) as err:
        evaluate_dir(tmp_path / "truth.csv", out)
    assert "truth.csv" in str(err.value) and "row 2" in str(err.value) and "campaign" in str(err.value)

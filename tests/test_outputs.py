"""The output folder is written atomically: a failed run leaves nothing half-written."""
import pandas as pd
import pytest

import detector.report
from detector.outputs import read_outputs, write_outputs
from detector.result import DetectionResult


def _result():
    t0 = pd.Timestamp("2020-06-15T12:00:00Z")
    registrations = pd.DataFrame({"registration_id": ["a", "b", "c"], "score": [0.9, 0.8, 0.0],
                                  "cluster_id": ["C001", "C001", ""], "flagged": [True, True, False]})
    clusters = pd.DataFrame({"cluster_id": ["C001"], "score": [0.85], "size": [2], "first_seen": [t0],
                             "last_seen": [t0 + pd.Timedelta("5min")], "reasons": ["2 sign-ups in 5 minutes"]})
    timeline = pd.DataFrame({"event_id": ["e"] * 2, "start": [t0, t0 + pd.Timedelta("10min")],
                             "observed": [2, 1], "expected": [0.5, 0.6]})
    summary = {"version": "test", "counts": {"registrations": 3, "flagged": 2, "clusters": 1},
               "estimated_coordinated_registrations": {"value": 1.5, "low": 0.0, "high": 4.0, "interval": 0.9}}
    return DetectionResult(registrations, clusters, summary, timeline, pd.DataFrame())


def test_round_trip(tmp_path):
    write_outputs(_result(), tmp_path / "out")
    summary, clusters, timeline = read_outputs(tmp_path / "out")
    assert summary["counts"]["flagged"] == 2
    assert clusters["first_seen"].iloc[0] == pd.Timestamp("2020-06-15T12:00:00Z")
    assert timeline["observed"].tolist() == [2, 1]
    scores = (tmp_path / "out" / "registration_scores.csv").read_text().splitlines()
    assert scores[0] == "registration_id,score,cluster_id,flagged" and scores[1] == "a,0.9,C001,true"


def test_failure_while_writing_leaves_no_file(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(detector.report, "render_report", broken)
    with pytest.raises(RuntimeError):
        write_outputs(_result(), tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left behind


def test_failure_keeps_the_previous_run_whole(tmp_path, monkeypatch):
    write_outputs(_result(), tmp_path / "out")
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    monkeypatch.setattr(detector.report, "render_report", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_outputs(_result(), tmp_path / "out")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before

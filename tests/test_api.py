"""The public Python API: the verbs are functions on the package, whatever was imported first."""
import importlib

import detector


def test_verbs_stay_functions_after_their_modules_are_imported():
    for module in ("detector.loading", "detector.simulation", "detector.detection", "detector.evaluation"):
        importlib.import_module(module)
    for verb in ("load", "simulate", "detect", "evaluate"):
        assert callable(getattr(detector, verb)), verb
        assert getattr(detector, verb).__name__ == verb


def test_python_api_round_trip_matches_truth_shape(tmp_path):
    sim = detector.simulate("easy", n=2000, seed=5)
    sim.write(tmp_path)
    data = detector.load(registrations=tmp_path / "registrations.csv", posts=tmp_path / "posts.csv",
                         follows=tmp_path / "follows.csv")
    result = detector.detect(data)
    assert result.registrations["registration_id"].tolist() == sim.registrations["registration_id"].tolist()
    ev = detector.evaluate(sim.truth, result.registrations, result.summary)
    assert 0.0 <= ev["fpr_organic"] <= 1.0
    assert "DetectionResult" in repr(result) and "<table" in result._repr_html_()

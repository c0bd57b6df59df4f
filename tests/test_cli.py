"""The command line end to end, in subprocesses, on the committed fixture scenario."""
import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import CHECK_CONTRACT, FIXTURES, SCENARIO, run_cli


def _check_contract(registrations, out):
    assert CHECK_CONTRACT.is_file(), f"the shared contract checker is missing at {CHECK_CONTRACT}"
    done = subprocess.run([sys.executable, str(CHECK_CONTRACT), str(registrations), str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "contract: ok" in done.stdout


@pytest.fixture(scope="module")
def detected(tmp_path_factory):
    out = tmp_path_factory.mktemp("detect") / "out"
    done = run_cli("detect", "--registrations", SCENARIO / "registrations.csv", "--posts", SCENARIO / "posts.csv",
                   "--follows", SCENARIO / "follows.csv", "--out", out)
    assert done.returncode == 0, done.stderr
    return out, done


def test_detect_writes_every_contract_output(detected):
    out, done = detected
    _check_contract(SCENARIO / "registrations.csv", out)
    scores = pd.read_csv(out / "registration_scores.csv", dtype=str, keep_default_na=False)
    regs = pd.read_csv(SCENARIO / "registrations.csv", dtype=str, keep_default_na=False)
    assert scores["registration_id"].tolist() == regs["registration_id"].tolist()
    summary = json.loads((out / "summary.json").read_text())
    est = summary["estimated_coordinated_registrations"]
    assert est["low"] <= est["value"] <= est["high"]
    assert summary["version"] and summary["counts"]["registrations"] == len(regs)
    assert "DetectionResult" in done.stdout


def test_detect_is_deterministic(detected, tmp_path):
    out, _ = detected
    again = tmp_path / "again"
    done = run_cli("detect", "-r", SCENARIO / "registrations.csv", "--posts", SCENARIO / "posts.csv",
                   "--follows", SCENARIO / "follows.csv", "--out", again, "--quiet")
    assert done.returncode == 0 and done.stdout == ""
    for name in ("registration_scores.csv", "clusters.csv", "summary.json", "report.html"):
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


def test_evaluate_prints_the_table(detected):
    out, _ = detected
    done = run_cli("evaluate", "--truth", SCENARIO / "truth.csv", out)
    assert done.returncode == 0, done.stderr
    for metric in ("precision", "recall", "f1", "pr_auc", "campaigns_found", "fpr_surges", "ari",
                   "estimate_error"):
        assert metric in done.stdout
    as_json = json.loads(run_cli("evaluate", "--truth", SCENARIO / "truth.csv", out, "--json").stdout)
    assert 0 <= as_json["recall"] <= 1


def test_report_rebuilds_the_page(detected, tmp_path):
    out, _ = detected
    before = (out / "report.html").read_text()
    (out / "report.html").unlink()
    done = run_cli("report", out)
    assert done.returncode == 0, done.stderr
    assert (out / "report.html").read_text() == before
    assert "<svg" in before and "http://" not in before.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize("bad, words", [
    ("missing_created_at.csv", ["created_at"]),
    ("bad_timestamp.csv", ["row", "created_at"]),
    ("duplicate_id.csv", ["registration_id", "row"]),
    ("empty.csv", ["empty.csv"]),
    ("header_only.csv", ["header_only.csv"]),
    ("latin1.csv", ["UTF-8"]),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, bad, words):
    out = tmp_path / "out"
    done = run_cli("detect", "-r", FIXTURES / "bad" / bad, "--out", out)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr
    assert bad in lines[0]
    for word in words:
        assert word in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_missing_file_and_bad_option_are_user_errors(tmp_path):
    done = run_cli("detect", "-r", tmp_path / "nope.csv", "--out", tmp_path / "o")
    assert done.returncode == 2 and "Traceback" not in done.stderr and "nope.csv" in done.stderr
    done = run_cli("simulate", "--scenario", "atlantis", "--out", tmp_path / "s")
    assert done.returncode == 2 and "atlantis" in done.stderr and "Traceback" not in done.stderr


def test_simulate_writes_inputs_and_truth(tmp_path):
    done = run_cli("simulate", "--scenario", "easy", "--n", 1500, "--seed", 3, "--out", tmp_path / "sim")
    assert done.returncode == 0, done.stderr
    for name in ("registrations.csv", "posts.csv", "follows.csv", "truth.csv"):
        assert (tmp_path / "sim" / name).is_file()
    assert len(pd.read_csv(tmp_path / "sim" / "truth.csv")) == 1500


def test_demo_runs_and_scores_against_truth(tmp_path):
    done = run_cli("demo", "--n", 3000, "--seed", 1, "--out", tmp_path / "demo")
    assert done.returncode == 0, done.stderr
    assert "precision" in done.stdout and "f1" in done.stdout
    _check_contract(tmp_path / "demo" / "input" / "registrations.csv", tmp_path / "demo" / "output")

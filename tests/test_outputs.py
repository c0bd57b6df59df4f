"""The output folder is written atomically: a failed run leaves nothing half-written."""
import os

import pandas as pd
import pytest

import detector.outputs
import detector.report
from detector.errors import InputError
from detector.outputs import check_out_folder, read_outputs, staged_folder, write_outputs
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
    assert list(tmp_path.iterdir()) == []          # no out folder, no staging folder left behind


def test_failure_keeps_the_previous_run_whole(tmp_path, monkeypatch):
    write_outputs(_result(), tmp_path / "out")
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    monkeypatch.setattr(detector.report, "render_report", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_outputs(_result(), tmp_path / "out")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


def _files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_other_files_are_kept_and_stale_account_files_dropped(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "account_clusters.csv").write_text("from a run with posts")
    write_outputs(_result(), out)
    names = sorted(p.name for p in out.iterdir())
    assert "notes.txt" in names and "account_clusters.csv" not in names and "report.html" in names
    assert (out / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("exchange", [True, False])
def test_the_folder_is_swapped_whole(tmp_path, monkeypatch, exchange):
    if not exchange:   # systems without renameat2: two renames
        monkeypatch.setattr(detector.outputs, "_rename_exchange", lambda a, b: False)
    out = tmp_path / "out"
    write_outputs(_result(), out)
    inode = out.stat().st_ino
    (out / "clusters.csv").write_text("old")
    write_outputs(_result(), out)
    assert out.stat().st_ino != inode            # a new folder took the old one's place
    assert (out / "clusters.csv").read_text().startswith("cluster_id,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_mount_point_is_written_file_by_file(tmp_path, monkeypatch):
    out = tmp_path / "volume"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    monkeypatch.setattr(os.path, "ismount", lambda p: str(p) == str(out))
    write_outputs(_result(), out)
    assert (out / "registration_scores.csv").is_file() and (out / "keep.txt").read_text() == "x"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["volume"]


def test_staging_left_by_a_killed_run_is_removed(tmp_path):
    out = tmp_path / "out"
    dead = tmp_path / ".out.detector-tmp-999999999-abc"      # no such process
    dead.mkdir()
    (dead / "registration_scores.csv").write_text("half")
    live = tmp_path / f".out.detector-tmp-{os.getppid()}-abc"   # a running process: left alone
    live.mkdir()
    write_outputs(_result(), out)
    assert not dead.exists() and live.exists()


def test_out_is_checked_before_the_work(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="is a file, not a folder"):
        check_out_folder(tmp_path / "file")
    with pytest.raises(InputError, match="cannot be created"):
        check_out_folder(tmp_path / "file" / "sub")
    (tmp_path / "out" / "timeline.csv").mkdir(parents=True)
    with pytest.raises(InputError, match="is a folder, where the output file"):
        check_out_folder(tmp_path / "out")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "clusters.csv").write_text("x")
    with pytest.raises(InputError, match="the folder the outputs replace"):
        check_out_folder(tmp_path / "in", inputs=[tmp_path / "in" / "clusters.csv"])
    check_out_folder(tmp_path / "in", inputs=[tmp_path / "elsewhere.csv"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_out_is_refused(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        with pytest.raises(InputError, match="cannot be written"):
            check_out_folder(out)
    finally:
        out.chmod(0o755)


def test_excel_safe_prefixes_formulas_only_when_asked(tmp_path):
    result = _result()
    result.registrations["registration_id"] = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "ok"]
    write_outputs(result, tmp_path / "plain")
    write_outputs(result, tmp_path / "safe", excel_safe=True)
    plain = (tmp_path / "plain" / "registration_scores.csv").read_text()
    safe = (tmp_path / "safe" / "registration_scores.csv").read_text()
    assert '\n"=HYPERLINK(""http://evil.example"",""x"")",' in plain
    assert '\n"\'=HYPERLINK(""http://evil.example"",""x"")",' in safe and "\n'+cmd|" in safe
    assert "\nok," in safe


def test_staged_folder_keeps_out_on_failure(tmp_path):
    out = tmp_path / "out"
    write_outputs(_result(), out)
    before = _files(out)
    with pytest.raises(KeyError):
        with staged_folder(out) as staging:
            (staging / "clusters.csv").write_text("new")
            raise KeyError("boom")
    assert _files(out) == before

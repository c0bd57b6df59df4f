"""``detect(..., engine="dask")``: the same outputs as the local engine, byte for byte.

The command line runs on the committed fixture scenario with each engine, with and without
posts, on a 2-worker LocalCluster (one started here and given with ``--scheduler``, and one that
``--engine dask`` starts itself); the API runs on several events at once (overlapping in time,
one far apart, one too small to analyse, a stray sign-up), with the progress bar.
"""
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SCENARIO, run_cli

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed (pip install -e '.[test]')")

INPUTS = ("--registrations", SCENARIO / "registrations.csv")
POSTS = ("--posts", SCENARIO / "posts.csv", "--follows", SCENARIO / "follows.csv")


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of 2 single-threaded worker processes for the module's tests."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="3GiB",
                                       dashboard_address=":0")
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _same_files(a: Path, b: Path) -> list[str]:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert len(names) >= 5, names
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs between the engines"
    return names


def test_cli_dask_writes_the_local_outputs_with_posts(scheduler, tmp_path):
    local, dask = tmp_path / "local", tmp_path / "dask"
    done = run_cli("detect", *INPUTS, *POSTS, "--out", local, "--quiet")
    assert done.returncode == 0, done.stderr
    done = run_cli("detect", *INPUTS, *POSTS, "--out", dask, "--quiet", "--engine", "dask", "--scheduler", scheduler)
    assert done.returncode == 0, done.stderr
    names = _same_files(local, dask)
    assert {"registration_scores.csv", "clusters.csv", "summary.json", "report.html", "timeline.csv",
            "triggers.csv", "account_clusters.csv"} <= set(names)
    assert pd.read_csv(dask / "clusters.csv")["trigger_post_ids"].notna().all()   # the posts side ran on workers
    report = (dask / "report.html").read_text()
    assert str(tmp_path) not in report and "dask" not in report.lower()   # nothing run-specific in the page


def test_cli_dask_writes_the_local_outputs_without_posts_on_its_own_cluster(tmp_path):
    local, dask = tmp_path / "local", tmp_path / "dask"
    done = run_cli("detect", *INPUTS, "--out", local, "--quiet")
    assert done.returncode == 0, done.stderr
    done = run_cli("detect", *INPUTS, "--out", dask, "--quiet", "--engine", "dask")   # a LocalCluster of its own
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr      # no log lines from Dask
    _same_files(local, dask)


def _shifted(df: pd.DataFrame, days: float, prefix: str, ids: tuple, times: tuple = ("created_at",)) -> pd.DataFrame:
    """A copy of a table read as text, its times moved by ``days`` and its ids prefixed."""
    out = df.copy()
    for column in times:
        moved = pd.to_datetime(out[column], utc=True, format="ISO8601") + pd.Timedelta(days=days)
        out[column] = moved.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    for column in ids:
        out[column] = out[column].where(out[column] == "", prefix + out[column])
    return out


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    """The fixture as four events: itself (with a stray 1971 sign-up), a copy 2 days later (their
    posts interleave), half of it 40 days later, and 5 sign-ups (too few to analyse)."""
    folder = tmp_path_factory.mktemp("events")
    read = dict(dtype=str, keep_default_na=False)
    regs = pd.read_csv(SCENARIO / "registrations.csv", **read)
    posts = pd.read_csv(SCENARIO / "posts.csv", **read)
    follows = pd.read_csv(SCENARIO / "follows.csv", **read)
    regs.loc[17, "created_at"] = "1971-01-01T00:00:00Z"
    parts, post_parts, follow_parts = [regs], [posts], [follows]
    for prefix, days, rows in (("B", 2, slice(None)), ("C", 40, slice(0, 1500)), ("D", 80, slice(0, 5))):
        part = _shifted(regs.iloc[rows], days, prefix, ("registration_id", "account_id"))
        part["event_id"] = f"event-{prefix}"
        parts.append(part)
        if prefix != "D":
            post_parts.append(_shifted(posts, days, prefix, ("post_id", "account_id", "shared_post_id")))
            follow_parts.append(_shifted(follows, 0, prefix, ("follower_id", "followee_id"), times=()))
    paths = {}
    for name, tables in (("registrations", parts), ("posts", post_parts), ("follows", follow_parts)):
        paths[name] = folder / f"{name}.csv"
        pd.concat(tables, ignore_index=True).to_csv(paths[name], index=False)
    return paths


def test_api_dask_gives_the_local_result_on_many_events(scheduler, events, tmp_path, capsys):
    import numpy as np

    import detector

    data = detector.load(**events)
    local = detector.detect(data, progress=True)   # progress is part of summary.json's configuration
    capsys.readouterr()
    dask = detector.detect(data, engine="dask", scheduler=scheduler, progress=True)
    bar = capsys.readouterr().err
    for event in ("tulsa-2020-06-20", "event-B", "event-C"):   # the bar names each event as it completes
        assert f"event {event}" in bar
    assert local.summary["counts"] == dask.summary["counts"] and local.summary["counts"]["events"] == 4
    assert any("far outside" in note for note in dask.summary["notes"])
    assert local.clusters["event_id"].nunique() >= 2
    pd.testing.assert_frame_equal(local.registrations, dask.registrations)
    pd.testing.assert_frame_equal(local.candidates.drop(columns="members"), dask.candidates.drop(columns="members"))
    assert all(np.array_equal(a, b) for a, b in zip(local.candidates["members"], dask.candidates["members"]))
    local.to_dir(tmp_path / "local")
    dask.to_dir(tmp_path / "dask")
    _same_files(tmp_path / "local", tmp_path / "dask")


def test_missing_dask_is_one_line_with_the_install_command(monkeypatch, tmp_path):
    import detector
    from detector.cli import cli
    from detector.errors import InputError

    monkeypatch.setitem(sys.modules, "distributed", None)   # import distributed raises ImportError
    data = detector.load(registrations=SCENARIO / "registrations.csv")
    with pytest.raises(InputError, match=r"pip install 'detector\[dask\]'"):
        detector.detect(data, engine="dask")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["detect", *map(str, INPUTS), "--out", str(out), "--engine", "dask"])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "error: --engine dask: needs Dask's distributed package, which is not installed: pip install 'detector[dask]'"]
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (["--scheduler", "tcp://127.0.0.1:1"], "error: --scheduler: a scheduler is only used with --engine dask, "
                                           "got 'tcp://127.0.0.1:1'"),
    (["--engine", "spark"], "Invalid value for '--engine'"),
])
def test_command_line_checks_the_engine_before_reading(tmp_path, args, message):
    from detector.cli import cli

    result = CliRunner().invoke(cli, ["detect", "-r", str(tmp_path / "not-read.csv"), "--out", str(tmp_path / "o"),
                                      *args])
    assert result.exit_code == 2 and message in result.output + result.stderr, result.output


def test_api_and_config_file_check_engine_and_scheduler(tmp_path):
    import detector
    from detector.config import read_config
    from detector.errors import InputError

    data = detector.load(registrations=SCENARIO / "registrations.csv")
    with pytest.raises(InputError, match=r"detect\(\): engine='spark': expected 'local' or 'dask'"):
        detector.detect(data, engine="spark")
    with pytest.raises(InputError, match="only used with engine='dask'"):
        detector.detect(data, scheduler="tcp://127.0.0.1:8786")
    job = tmp_path / "job.toml"
    job.write_text('[compute]\nengine = "dask"\nscheduler = "tcp://10.1.2.3:8786"\n')
    assert {k: v for k, v in read_config(job).items()} == {"engine": "dask", "scheduler": "tcp://10.1.2.3:8786"}
    for text, words in (('[compute]\nengine = "spark"\n', '[compute] engine = "spark": expected "local" or "dask"'),
                        ('[compute]\nengine = "local"\nscheduler = "tcp://h:1"\n', 'only used with engine = "dask"'),
                        ('[compute]\nscheduler = 8786\n', "[compute] scheduler = 8786"),
                        ('[detect]\nengine = "dask"\n', "it belongs under [compute]")):
        job.write_text(text)
        with pytest.raises(InputError) as caught:
            read_config(job)
        assert words in str(caught.value) and str(job) in str(caught.value)


def test_unreachable_scheduler_is_one_line(tmp_path):
    import os
    import subprocess

    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}   # nothing listens there
    done = subprocess.run([sys.executable, "-m", "detector", "detect", *map(str, INPUTS), "--out", str(tmp_path / "o"),
                           "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: scheduler tcp://127.0.0.1:9: cannot connect"), done.stderr
    assert not (tmp_path / "o").exists()

"""Hostile input: what a careless export, a hand-edited folder or a wrong option does to a run.

The behaviour every test checks (README: Exit codes):

- a user or environment error (a bad file, value, option or an unwritable output) exits with code 2
  and prints exactly one line on stderr, ``error: ...``, naming the file / row / column / option and
  what was expected; no traceback (click's own usage errors for unknown flags may take more lines);
- the ``--out`` folder is left exactly as it was (same names, same bytes) after any error, and no
  hidden temporary folder (a name starting with ``.``) is left beside it or inside it;
- anything else (a bug) exits with code 1 and a line containing ``please report`` with the path of a
  log file that holds the traceback; no traceback on the screen;
- results: every input registration appears exactly once in ``registration_scores.csv``.

The numbers in the section titles are those of the hostile-input review.
"""
import csv
import gzip
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import detector
from conftest import FIXTURES, SCENARIO
from detector.errors import InputError

TINY = FIXTURES / "tiny"
BAD = FIXTURES / "bad"
#: first characters a spreadsheet reads as the start of a formula
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


# --- helpers -----------------------------------------------------------------------------------

def run(*args, cwd=None, env=None, timeout=600):
    """``python -m detector ARGS`` in a subprocess; the CompletedProcess, with ``.elapsed`` seconds."""
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "detector", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)
    done.elapsed = time.monotonic() - start
    return done


def snapshot(path: Path):
    """Everything under ``path``: relative name -> bytes (``"<dir>"`` for a folder); None if absent;
    the bytes themselves if ``path`` is a file."""
    path = Path(path)
    if not path.exists():
        return None
    if path.is_file():
        return path.read_bytes()
    return {str(p.relative_to(path)): "<dir>" if p.is_dir() else p.read_bytes() for p in sorted(path.rglob("*"))}


def hidden_leftovers(out: Path) -> list:
    """Names starting with '.' beside ``out`` (in its parent) or anywhere inside it."""
    out = Path(out)
    found = [p.name for p in out.parent.iterdir() if p.name.startswith(".")] if out.parent.is_dir() else []
    if out.is_dir():
        found += [str(p.relative_to(out)) for p in out.rglob(".*")]
    return found


def assert_user_error(done, *words, out=None, before=None, no_progress=False):
    """Exit code 2, one ``error: `` line on stderr holding every word, no traceback; ``out`` (when
    given) as it was (``before``, a :func:`snapshot`) and no hidden leftovers beside or inside it."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, f"exit {done.returncode}, stderr:\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr[-3000:]
    for word in words:
        assert word in lines[0], (word, lines[0][:2000])
    if no_progress:  # the check came before detection: detect's progress bar (forced on) never drew
        assert "\r" not in done.stderr, done.stderr[-3000:]
    if out is not None:
        assert snapshot(out) == before, f"{out} changed"
        assert hidden_leftovers(out) == []
    return lines[0]


def read_cells(path: Path) -> list:
    """The rows of a CSV file, as the csv module (and a spreadsheet) reads them."""
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def input_ids(path: Path) -> list:
    return pd.read_csv(path, dtype=str, keep_default_na=False)["registration_id"].tolist()


def score_ids(out: Path) -> list:
    rows = read_cells(Path(out) / "registration_scores.csv")
    at = rows[0].index("registration_id")
    return [r[at] for r in rows[1:]]


def assert_success(done, registrations: Path, out: Path, ids=None):
    """Exit 0 and every input registration exactly once, verbatim, in registration_scores.csv."""
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    expected = ids if ids is not None else input_ids(registrations)
    got = score_ids(out)
    assert sorted(got) == sorted(expected)
    assert len(got) == len(set(got)) == len(expected)


@pytest.fixture
def job(tmp_path):
    """A fresh folder for one run's files: ``job / "out"`` is the output folder."""
    folder = tmp_path / "job"
    folder.mkdir()
    return folder


def write_toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def toml_string(path) -> str:
    return json.dumps(str(path))  # a JSON string with only ASCII-safe escapes is a TOML basic string


# --- 1. a truncated .csv.gz -----------------------------------------------------------------------

def test_truncated_gzip_registrations(job):
    whole = gzip.compress((SCENARIO / "registrations.csv").read_bytes())
    path = job / "registrations.csv.gz"
    path.write_bytes(whole[: len(whole) // 2])
    out = job / "out"
    done = run("detect", "-r", path, "--out", out)
    assert_user_error(done, "registrations.csv.gz", out=out, before=None)


def test_gzip_suffix_on_a_file_that_is_not_gzip(job):
    path = job / "registrations.csv.gz"
    path.write_bytes((TINY / "registrations.csv").read_bytes())
    out = job / "out"
    done = run("detect", "-r", path, "--out", out)
    assert_user_error(done, "registrations.csv.gz", out=out, before=None)


# --- 2. an output name taken by a folder ---------------------------------------------------------

@pytest.mark.parametrize("name", ["timeline.csv", "registration_scores.csv"])
def test_output_name_taken_by_a_folder_fails_before_the_work(job, name):
    out = job / "out"
    (out / name).mkdir(parents=True)
    (out / name / "notes.txt").write_text("mine\n")
    (out / "keep.txt").write_text("keep me\n")
    before = snapshot(out)
    done = run("detect", "-r", SCENARIO / "registrations.csv", "--posts", SCENARIO / "posts.csv",
               "--out", out, "--progress")
    assert_user_error(done, name, out=out, before=before, no_progress=True)


# --- 3. --out is a regular file --------------------------------------------------------------------

def test_out_is_an_existing_file(job):
    out = job / "results.txt"
    out.write_text("not a folder\n")
    done = run("detect", "-r", TINY / "registrations.csv", "--out", out)
    assert_user_error(done, "results.txt", out=out, before=b"not a folder\n")


def test_config_out_is_an_existing_file_fails_before_detection(job):
    out = job / "results.txt"
    out.write_text("not a folder\n")
    config = write_toml(job / "job.toml", f"[inputs]\nregistrations = {toml_string(SCENARIO / 'registrations.csv')}\n"
                                          f"posts = {toml_string(SCENARIO / 'posts.csv')}\n"
                                          '[output]\nout = "results.txt"\n')
    done = run("detect", "--config", config, "--progress")
    assert_user_error(done, "results.txt", out=out, before=b"not a folder\n", no_progress=True)


# --- 4. an output folder that cannot be written -------------------------------------------------------

def test_read_only_out_folder_fails_before_the_work(job):
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    out = job / "out"
    out.mkdir()
    (out / "old.txt").write_text("old\n")
    before = snapshot(out)
    out.chmod(0o555)
    try:
        done = run("detect", "-r", SCENARIO / "registrations.csv", "--out", out, "--progress")
    finally:
        out.chmod(0o755)
    assert_user_error(done, "out", out=out, before=before, no_progress=True)


def test_out_in_a_place_nobody_can_write_fails_before_the_work(job):
    # /sys takes no new folders, not even from root
    out = Path("/sys/detector-hostile-out")
    done = run("detect", "-r", SCENARIO / "registrations.csv", "--out", out, "--progress")
    assert_user_error(done, str(out), no_progress=True)
    assert not out.exists()


def test_out_under_a_regular_file_fails_before_the_work(job):
    (job / "plain.txt").write_text("x\n")
    out = job / "plain.txt" / "out"
    before = snapshot(job)
    done = run("detect", "-r", SCENARIO / "registrations.csv", "--out", out, "--progress")
    assert_user_error(done, "plain.txt", no_progress=True)
    assert snapshot(job) == before


# --- 5. a deeply nested TOML configuration ----------------------------------------------------------

@pytest.mark.parametrize("value", ["[" * 3000 + "]" * 3000, "{a = " * 3000 + "1" + "}" * 3000],
                         ids=["arrays", "inline_tables"])
def test_deeply_nested_config(job, value):
    config = write_toml(job / "deep.toml", f"[detect]\nseed = {value}\n")
    out = job / "out"
    done = run("detect", "--config", config, "-r", TINY / "registrations.csv", "--out", out)
    assert_user_error(done, "deep.toml", out=out, before=None)


# --- 6. detector report on a hand-edited output folder -------------------------------------------------

@pytest.fixture(scope="module")
def scenario_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenario_out") / "out"
    done = run("detect", "-r", SCENARIO / "registrations.csv", "--posts", SCENARIO / "posts.csv",
               "--follows", SCENARIO / "follows.csv", "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    return out


def _garbage_first_seen(out):
    clusters = pd.read_csv(out / "clusters.csv", dtype=str, keep_default_na=False)
    assert len(clusters) > 0
    clusters.loc[1, "first_seen"] = "last tuesday-ish"
    clusters.to_csv(out / "clusters.csv", index=False)
    return ["clusters.csv", "first_seen"]


def _missing_column(out):
    clusters = pd.read_csv(out / "clusters.csv", dtype=str, keep_default_na=False)
    clusters.drop(columns=["size"]).to_csv(out / "clusters.csv", index=False)
    return ["clusters.csv", "size"]


def _summary_is_a_list(out):
    (out / "summary.json").write_text(json.dumps([1, 2, 3]))
    return ["summary.json"]


def _text_in_observed(out):
    timeline = pd.read_csv(out / "timeline.csv", dtype=str, keep_default_na=False)
    timeline.loc[3, "observed"] = "lots"
    timeline.to_csv(out / "timeline.csv", index=False)
    return ["timeline.csv", "observed"]


@pytest.mark.parametrize("edit", [_garbage_first_seen, _missing_column, _summary_is_a_list, _text_in_observed],
                         ids=["garbage_first_seen", "clusters_missing_size", "summary_is_a_list", "text_in_observed"])
def test_report_on_a_hand_edited_folder(scenario_out, job, edit):
    out = job / "out"
    shutil.copytree(scenario_out, out)
    words = edit(out)  # the file, and the column when one is at fault
    before = snapshot(out)
    done = run("report", out)
    assert_user_error(done, *words, out=out, before=before)


# --- 7. timestamps near pandas' upper limit ---------------------------------------------------------

def test_timestamp_near_the_upper_limit(job):
    out = job / "out"
    done = run("detect", "-r", BAD / "year_2262.csv", "--out", out)
    line = assert_user_error(done, "year_2262.csv", "row 2", "created_at", out=out, before=None)
    assert "range" in line or "supported" in line, line


def test_naive_timestamp_pushed_past_the_limit_by_the_timezone(job):
    out = job / "out"
    done = run("detect", "-r", BAD / "naive_2262.csv", "--timezone", "America/Chicago", "--out", out)
    assert_user_error(done, "naive_2262.csv", "row 2", out=out, before=None)


# --- 8. one stray 1970 row among thousands of June 2020 rows ------------------------------------------

def test_one_stray_epoch_row_is_kept_and_reported(job):
    rng = np.random.default_rng(8)
    n = 5000
    start = pd.Timestamp("2020-06-01T00:00:00Z").value // 10**9
    seconds = np.sort(rng.integers(start, start + 29 * 86_400, n))
    regs = pd.DataFrame({
        "registration_id": [f"J{i:05d}" for i in range(n)],
        "created_at": pd.to_datetime(seconds, unit="s", utc=True).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "event_id": "rally",
        "email": [f"user{i}@{rng.choice(['gmail.com', 'yahoo.com', 'icloud.com'])}" for i in range(n)],
        "postal_code": rng.choice(["74103", "74104", "74105", "74119"], n),
    })
    regs.loc[2500, ["registration_id", "created_at"]] = ["EPOCH-STRAY", "1970-01-01T00:00:00Z"]
    path = job / "registrations.csv"
    regs.to_csv(path, index=False)
    out = job / "out"
    done = run("detect", "-r", path, "--out", out, "--quiet", timeout=300)
    assert_success(done, path, out)
    assert done.elapsed < 60
    assert any(line.startswith("note: ") for line in done.stderr.splitlines()), done.stderr
    text = (out / "summary.json").read_text()
    summary = json.loads(text)
    assert summary.get("notes") or any("outlier" in key for key in summary)
    assert "1970" in text or "EPOCH-STRAY" in text


# --- 9. option values that pass the type checks but are extreme -------------------------------------

@pytest.mark.parametrize("flag, value", [
    ("--coaction-window", "inf"),
    ("--coaction-window", "1e12"),
    ("--coaction-window", "nan"),
    ("--flag-threshold", "nan"),
    ("--min-cluster-size", "9223372036854775807"),
])
def test_extreme_option_on_the_command_line(job, flag, value):
    out = job / "out"
    done = run("detect", "-r", TINY / "registrations.csv", "--posts", TINY / "posts.csv", flag, value, "--out", out)
    assert_user_error(done, flag, out=out, before=None)


@pytest.mark.parametrize("key, value", [
    ("bin_seconds", "9223372036854775807"),
    ("coaction_window", "inf"),
    ("coaction_window", "nan"),
    ("coaction_window", "1e12"),
])
def test_extreme_option_in_the_config(job, key, value):
    # bin_seconds has no command-line flag (detector detect --help): the config file takes it
    config = write_toml(job / "job.toml", f"[detect]\n{key} = {value}\n")
    out = job / "out"
    done = run("detect", "--config", config, "-r", TINY / "registrations.csv", "--posts", TINY / "posts.csv",
               "--out", out)
    assert_user_error(done, "job.toml", key, out=out, before=None)


def test_a_billion_expansion_rounds_is_refused_or_quick(job):
    # expand_rounds has no command-line flag (detector detect --help): the config file takes it
    config = write_toml(job / "job.toml", "[detect]\nexpand_rounds = 1000000000\n")
    out = job / "out"
    done = run("detect", "--config", config, "-r", TINY / "registrations.csv", "--out", out, timeout=120)
    if done.returncode == 0:
        assert done.elapsed < 60
        assert_success(done, TINY / "registrations.csv", out)
    else:
        assert_user_error(done, "expand_rounds", out=out, before=None)


@pytest.mark.parametrize("options", [
    {"bin_seconds": 9223372036854775807},
    {"coaction_window": math.inf},
    {"coaction_window": 1e12},
    {"coaction_window": math.nan},
    {"expand_rounds": 1_000_000_000},
], ids=["bin_seconds_max_int64", "coaction_window_inf", "coaction_window_1e12", "coaction_window_nan",
        "expand_rounds_1e9"])
def test_extreme_option_in_python(options):
    data = detector.load(registrations=TINY / "registrations.csv", posts=TINY / "posts.csv")
    with pytest.raises(InputError) as caught:
        detector.detect(data, **options)
    assert next(iter(options)) in str(caught.value)


# --- 10. the Python API checks a plain DataFrame as the loader checks a file ----------------------------

def test_dataframe_with_unix_seconds_gives_the_same_flags_as_the_csv():
    path = SCENARIO / "registrations.csv"
    from_file = detector.detect(detector.load(registrations=path))
    frame = pd.read_csv(path, dtype=str)
    parsed = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601")
    frame["created_at"] = ((parsed - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(seconds=1)).astype("int64")
    assert frame["created_at"].dtype.kind == "i"
    from_frame = detector.detect(frame)
    assert from_frame.registrations["registration_id"].tolist() == from_file.registrations["registration_id"].tolist()
    assert from_frame.registrations["flagged"].tolist() == from_file.registrations["flagged"].tolist()
    assert from_file.registrations["flagged"].any()


def test_dataframe_with_duplicate_ids_is_an_input_error():
    frame = pd.DataFrame({"registration_id": ["a", "b", "a"],
                          "created_at": ["2020-06-20T19:00:00Z", "2020-06-20T19:01:00Z", "2020-06-20T19:02:00Z"]})
    with pytest.raises(InputError, match="'a'"):
        detector.detect(frame)


@pytest.mark.parametrize("kind", ["text", "datetime64"])
def test_dataframe_with_naive_times_gets_a_note(kind):
    times = ["2020-06-20 19:00:00", "2020-06-20 19:01:00", "2020-06-20 19:02:00"]
    frame = pd.DataFrame({"registration_id": ["a", "b", "c"],
                          "created_at": times if kind == "text" else pd.to_datetime(times)})
    result = detector.detect(frame)
    notes = result.summary["notes"]
    assert any("offset" in note or "UTC" in note for note in notes), notes
    assert result.registrations["registration_id"].tolist() == ["a", "b", "c"]


@pytest.mark.parametrize("engine", ["c", "pyarrow"])
def test_dataframe_read_as_text_works(engine):
    path = SCENARIO / "registrations.csv"
    frame = pd.read_csv(path, dtype=str, engine=engine)
    result = detector.detect(frame)
    from_file = detector.detect(detector.load(registrations=path))
    assert result.registrations["registration_id"].tolist() == input_ids(path)
    assert result.registrations["flagged"].tolist() == from_file.registrations["flagged"].tolist()


@pytest.mark.parametrize("options", [
    {"flag_threshold": 2}, {"flag_threshold": -1}, {"expand_rounds": -2}, {"min_cluster_size": 0},
], ids=["flag_threshold_2", "flag_threshold_-1", "expand_rounds_-2", "min_cluster_size_0"])
def test_out_of_range_options_in_python(options):
    frame = pd.read_csv(TINY / "registrations.csv", dtype=str)
    with pytest.raises(InputError) as caught:
        detector.detect(frame, **options)
    assert next(iter(options)) in str(caught.value)


# --- 11. spreadsheet formula injection ------------------------------------------------------------

FORMULA_IDS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tR-tab"]


@pytest.fixture(scope="module")
def formula_inputs(tmp_path_factory):
    """The scenario with ids a spreadsheet would run: registration ids (the review's four, a tab,
    the rest after '='), account ids after '@', post ids after '+', event ids after '-'."""
    folder = tmp_path_factory.mktemp("formula")
    regs = pd.read_csv(SCENARIO / "registrations.csv", dtype=str, keep_default_na=False)
    regs["registration_id"] = "=" + regs["registration_id"]
    regs.loc[: len(FORMULA_IDS) - 1, "registration_id"] = FORMULA_IDS
    regs["account_id"] = regs["account_id"].map(lambda a: "@" + a if a else a)
    regs["event_id"] = "-" + regs["event_id"]
    posts = pd.read_csv(SCENARIO / "posts.csv", dtype=str, keep_default_na=False)
    posts["account_id"] = "@" + posts["account_id"]
    for col in ("post_id", "shared_post_id"):
        posts[col] = posts[col].map(lambda p: "+" + p if p else p)
    follows = pd.read_csv(SCENARIO / "follows.csv", dtype=str, keep_default_na=False)
    follows = "@" + follows
    for name, table in (("registrations", regs), ("posts", posts), ("follows", follows)):
        table.to_csv(folder / f"{name}.csv", index=False)
    return folder


def _formula_run(formula_inputs, job, how):
    out = job / "out"
    args = ["-r", formula_inputs / "registrations.csv", "--posts", formula_inputs / "posts.csv",
            "--follows", formula_inputs / "follows.csv", "--out", out, "--quiet"]
    if how == "flag":
        args.append("--excel-safe")
    elif how == "config":
        args += ["--config", write_toml(job / "job.toml", "[output]\nexcel_safe = true\n")]
    return out, run("detect", *args)


def test_formula_ids_come_out_verbatim_by_default(formula_inputs, job):
    out, done = _formula_run(formula_inputs, job, "default")
    ids = input_ids(formula_inputs / "registrations.csv")
    assert_success(done, formula_inputs / "registrations.csv", out)
    assert score_ids(out) == ids
    assert score_ids(out)[: len(FORMULA_IDS)] == FORMULA_IDS
    members = read_cells(out / "account_members.csv")
    assert any(cell.startswith("@u") for row in members[1:] for cell in row)


@pytest.mark.parametrize("how", ["flag", "config"])
def test_excel_safe_escapes_every_csv_cell(formula_inputs, job, how):
    out, done = _formula_run(formula_inputs, job, how)
    ids = input_ids(formula_inputs / "registrations.csv")
    assert done.returncode == 0, done.stderr[-3000:]
    assert score_ids(out) == ["'" + i if i.startswith(DANGEROUS) else i for i in ids]
    written = sorted(out.glob("*.csv"))
    assert {"registration_scores.csv", "clusters.csv", "timeline.csv", "triggers.csv",
            "account_members.csv"} <= {p.name for p in written}
    for path in written:
        for row in read_cells(path):
            for cell in row:
                assert not cell.startswith(DANGEROUS), (path.name, cell[:80])
    triggers = pd.read_csv(out / "triggers.csv", dtype=str, keep_default_na=False)
    assert len(triggers) and triggers["post_id"].str.startswith("'+").all()
    timeline = pd.read_csv(out / "timeline.csv", dtype=str, keep_default_na=False)
    assert timeline["event_id"].str.startswith("'-").all()


# --- 12. one very large cell -------------------------------------------------------------------------

def test_a_three_megabyte_cell_loads(job):
    path = job / "registrations.csv"
    rows = [("r1", "2020-06-20T19:00:00Z", "Mozilla/5.0"),
            ("r2", "2020-06-20T19:01:00Z", "Mozilla/5.0 " + "x" * 3_000_000),
            ("r3", "2020-06-20T19:02:00Z", "Mozilla/5.0")]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["registration_id", "created_at", "user_agent"])
        writer.writerows(rows)
    out = job / "out"
    assert_success(run("detect", "-r", path, "--out", out), path, out, ids=["r1", "r2", "r3"])


# --- 13. the wrong separator ----------------------------------------------------------------------

@pytest.mark.parametrize("file, word", [("semicolon.csv", "semicolon"), ("tab_separated.csv", "tab")])
def test_other_separators_are_named(job, file, word):
    out = job / "out"
    done = run("detect", "-r", BAD / file, "--out", out)
    assert_user_error(done, file, word, out=out, before=None)


# --- 14. never write over an input --------------------------------------------------------------------

def _inputs_in(job):
    shutil.copy(SCENARIO / "registrations.csv", job / "registrations.csv")
    shutil.copy(TINY / "posts.csv", job / "posts.csv")


@pytest.mark.parametrize("case", ["out_is_the_inputs_folder", "input_named_like_an_output",
                                  "out_is_the_posts_folder", "out_spelled_otherwise"])
def test_out_never_overwrites_an_input(job, case):
    if case == "input_named_like_an_output":
        shutil.copy(SCENARIO / "registrations.csv", job / "registration_scores.csv")
        args = ["-r", job / "registration_scores.csv", "--out", job]
    elif case == "out_is_the_posts_folder":
        (job / "posts").mkdir()
        shutil.copy(SCENARIO / "posts.csv", job / "posts" / "triggers.csv")
        args = ["-r", SCENARIO / "registrations.csv", "--posts", job / "posts" / "triggers.csv",
                "--out", job / "posts"]
    else:
        _inputs_in(job)
        (job / "sub").mkdir()
        out = job if case == "out_is_the_inputs_folder" else job / "sub" / ".."
        args = ["-r", job / "registrations.csv", "--out", out]
    before = snapshot(job)
    done = run(*["detect", *args])
    assert_user_error(done, "input")
    assert snapshot(job) == before
    assert [p.name for p in job.parent.iterdir() if p.name.startswith(".")] == []


# --- 15. a five-megabyte column name in an error --------------------------------------------------

HUGE = "c" * 5_000_000


def _main_in_process(args, capsys):
    """``detector ARGS`` in this process (a single argument of the command line cannot hold 5 MB:
    Linux caps each at 128 KiB): the exit code and stderr."""
    from detector.cli import main

    with pytest.raises(SystemExit) as caught:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    code = caught.value.code
    return subprocess.CompletedProcess(args, 0 if code is None else code, captured.out, captured.err)


@pytest.mark.parametrize("where", ["map_value", "map_key"])
def test_huge_column_name_on_the_command_line_gives_a_short_error(job, capsys, where):
    pair = f"created_at={HUGE}" if where == "map_value" else f"{HUGE}=created_at"
    out = job / "out"
    start = time.monotonic()
    done = _main_in_process(["detect", "-r", TINY / "registrations.csv", "--map", pair, "--out", out], capsys)
    line = assert_user_error(done, out=out, before=None)
    assert len(line) < 1000
    assert time.monotonic() - start < 60


@pytest.mark.parametrize("where", ["mapping_value", "detect_key", "csv_header"])
def test_huge_column_name_in_a_file_gives_a_short_error(job, where):
    registrations = TINY / "registrations.csv"
    args = []
    if where == "mapping_value":
        args = ["--config", write_toml(job / "job.toml", f'[mapping.registrations]\ncreated_at = "{HUGE}"\n')]
    elif where == "detect_key":
        args = ["--config", write_toml(job / "job.toml", f"[detect]\n{HUGE} = 1\n")]
    else:
        registrations = job / "registrations.csv"
        registrations.write_text(f"registration_id,{HUGE}\nr1,2020-06-20T19:00:00Z\n", encoding="utf-8")
    out = job / "out"
    done = run("detect", "-r", registrations, *args, "--out", out, timeout=120)
    line = assert_user_error(done, out=out, before=None)
    assert len(line) < 1000
    assert done.elapsed < 60


# --- more loader cases ---------------------------------------------------------------------------

@pytest.mark.parametrize("file, words", [
    ("unterminated_quote.csv", ["unterminated_quote.csv"]),
    ("follows_no_followee.csv", ["follows_no_followee.csv", "followee_id"]),
    ("posts_long_contradiction.csv", ["posts_long_contradiction.csv", "p1", "row"]),
    ("huge_unix.csv", ["huge_unix.csv", "row 2", "created_at"]),
    ("ragged_row.csv", ["ragged_row.csv", "row 2"]),
])
def test_bad_files(job, file, words):
    out = job / "out"
    if file.startswith("follows"):
        args = ["-r", TINY / "registrations.csv", "--follows", BAD / file]
    elif file.startswith("posts"):
        args = ["-r", TINY / "registrations.csv", "--posts", BAD / file]
    else:
        args = ["-r", BAD / file]
    done = run("detect", *args, "--out", out)
    assert_user_error(done, *words, out=out, before=None)


def test_nul_byte_is_read_or_refused_cleanly(job):
    out = job / "out"
    done = run("detect", "-r", BAD / "nul_byte.csv", "--out", out)
    if done.returncode == 0:
        assert_success(done, BAD / "nul_byte.csv", out, ids=["r1", "r2", "r3"])
    else:
        assert_user_error(done, "nul_byte.csv", out=out, before=None)


@pytest.mark.parametrize("content", [gzip.compress(b""), b"\n\n   \n", b"\xef\xbb\xbf"],
                         ids=["empty_gzip", "blank_lines", "only_a_bom"])
def test_files_with_nothing_in_them(job, content):
    path = job / ("registrations.csv.gz" if content[:2] == b"\x1f\x8b" else "registrations.csv")
    path.write_bytes(content)
    out = job / "out"
    assert_user_error(run("detect", "-r", path, "--out", out), path.name, out=out, before=None)


def test_bom_and_crlf_together(job):
    path = job / "registrations.csv"
    text = (TINY / "registrations_unix.csv").read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    out = job / "out"
    assert_success(run("detect", "-r", path, "--out", out), path, out, ids=["u1", "u2", "u3"])


def test_unusual_ids_come_out_verbatim(job):
    ids = ["🙂", "עברית", "a", "a ", " a", "NA", "null", "007", "1e3", "x,y", 'q"uote', "é", "ß"]
    path = job / "registrations.csv"
    pd.DataFrame({"registration_id": ids,
                  "created_at": [f"2020-06-20T19:{i:02d}:00Z" for i in range(len(ids))]}).to_csv(path, index=False)
    out = job / "out"
    done = run("detect", "-r", path, "--out", out)
    assert_success(done, path, out, ids=ids)
    assert score_ids(out) == ids


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("column", ["ip", "phone", "email", "attended"])
def test_optional_column_present_but_empty(job, column, rows):
    path = job / "registrations.csv"
    ids = [f"r{i}" for i in range(rows)]
    pd.DataFrame({"registration_id": ids, "created_at": [f"2020-06-20T19:0{i}:00Z" for i in range(rows)],
                  column: [""] * rows}).to_csv(path, index=False)
    out = job / "out"
    assert_success(run("detect", "-r", path, "--out", out), path, out, ids=ids)


def test_posts_from_unknown_accounts(job):
    posts = job / "posts.csv"
    posts.write_text("post_id,account_id,created_at,url\n"
                     "p1,stranger_1,2020-06-20T18:00:00Z,https://example.org/a\n"
                     "p2,stranger_2,2020-06-20T18:00:10Z,https://example.org/a\n", encoding="utf-8")
    out = job / "out"
    done = run("detect", "-r", TINY / "registrations.csv", "--posts", posts, "--out", out)
    assert_success(done, TINY / "registrations.csv", out)


@pytest.mark.parametrize("args, words", [
    (["--timezone", "Mars/Olympus"], ["Mars/Olympus"]),
    (["--map", "signup=created_at"], ["signup"]),
    (["--map", "created_at=when_it_happened"], ["when_it_happened"]),
    (["--config", "no-such-job.toml"], ["no-such-job.toml"]),
], ids=["bad_timezone", "unknown_contract_column", "mapping_to_a_missing_column", "missing_config"])
def test_bad_settings(job, args, words):
    out = job / "out"
    done = run("detect", "-r", TINY / "registrations.csv", *args, "--out", out, cwd=job)
    assert_user_error(done, *words, out=out, before=None)


def test_invalid_toml(job):
    config = write_toml(job / "job.toml", "[detect\nseed = 1\n")
    out = job / "out"
    assert_user_error(run("detect", "--config", config, "-r", TINY / "registrations.csv", "--out", out),
                      "job.toml", out=out, before=None)


def test_registrations_is_a_folder(job):
    out = job / "out"
    assert_user_error(run("detect", "-r", TINY, "--out", out), "tiny", out=out, before=None)


@pytest.mark.parametrize("case", ["created_at_bool", "created_at_float_nan", "id_null", "csv_named_parquet",
                                  "garbage_parquet"])
def test_parquet_with_wrong_contents(job, case):
    path = job / "registrations.parquet"
    if case == "csv_named_parquet":
        shutil.copy(TINY / "registrations.csv", path)
        words = ["registrations.parquet"]
    elif case == "garbage_parquet":
        path.write_bytes(b"PAR1" + os.urandom(2000) + b"PAR1")
        words = ["registrations.parquet"]
    else:
        frame = pd.DataFrame({"registration_id": ["a", "b", "c"],
                              "created_at": [1592697600.0, 1592697660.0, 1592697720.0]})
        if case == "created_at_bool":
            frame["created_at"] = [True, False, True]
            words = ["registrations.parquet", "created_at"]
        elif case == "created_at_float_nan":
            frame.loc[1, "created_at"] = np.nan
            words = ["registrations.parquet", "row 2", "created_at"]
        else:
            frame["registration_id"] = ["a", None, "c"]
            words = ["registrations.parquet", "row 2", "registration_id"]
        frame.to_parquet(path)
    out = job / "out"
    assert_user_error(run("detect", "-r", path, "--out", out), *words, out=out, before=None)


def test_unknown_flag_is_a_usage_error(job):
    out = job / "out"
    done = run("detect", "-r", TINY / "registrations.csv", "--bin-sekonds", "60", "--out", out)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--bin-sekonds" in done.stderr
    assert not out.exists()


def test_error_after_a_good_run_leaves_the_old_outputs(scenario_out, job):
    out = job / "out"
    shutil.copytree(scenario_out, out)
    before = snapshot(out)
    done = run("detect", "-r", BAD / "duplicate_id.csv", "--out", out)
    assert_user_error(done, "duplicate_id.csv", out=out, before=before)


# --- a bug: exit 1, "please report" and a log file --------------------------------------------------

BOOM = """
import sys
import detector.detection as d
import detector.detection.pipeline as p

def boom(*args, **kwargs):
    raise RuntimeError("hostile-boom: a deliberate internal error")

d.detect = p.detect = boom
from detector.cli import main
main(sys.argv[1:])
"""


def test_a_bug_says_please_report_and_logs_the_traceback(job):
    out = job / "out"
    (out).mkdir()
    (out / "old.txt").write_text("old\n")
    before = snapshot(out)
    env = {**os.environ, "TMPDIR": str(job / "tmp"), "HOME": str(job / "home"),
           "XDG_STATE_HOME": str(job / "state"), "XDG_CACHE_HOME": str(job / "cache")}
    for name in ("tmp", "home", "state", "cache"):
        (job / name).mkdir()
    done = subprocess.run([sys.executable, "-c", BOOM, "detect", "-r", str(TINY / "registrations.csv"),
                           "--out", str(out)], capture_output=True, text=True, env=env, cwd=job, timeout=600)
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr[-3000:]
    line = next((line for line in done.stderr.splitlines() if "please report" in line), None)
    assert line is not None, done.stderr
    logs = []
    for token in re.findall(r"[^\s'\"]+", done.stderr):
        candidate = Path(token.rstrip(".,;:)]"))
        candidate = candidate if candidate.is_absolute() else job / candidate
        if candidate.is_file():
            logs.append(candidate)
    assert logs, f"no log file named in: {done.stderr}"
    text = "\n".join(p.read_text(errors="replace") for p in logs)
    assert "Traceback" in text and "hostile-boom" in text
    assert snapshot(out) == before
    assert hidden_leftovers(out) == []

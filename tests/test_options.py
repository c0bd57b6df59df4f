"""One declaration per detect option (detector.options): the API, the TOML file and the command
line accept the same values, reject the same mistakes in one line, and share the defaults."""
import json
import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import FIXTURES, run_cli

TINY = FIXTURES / "tiny" / "registrations.csv"
EXAMPLE = FIXTURES / "config" / "detect.toml"
WEEK, DAY = 7 * 86_400, 86_400

#: option -> values every entry point must refuse (wrong type, out of range, not finite, a bool).
BAD = {
    "flag_threshold": [0, 2, -0.1, 1.0001, math.nan, math.inf, True, "0.5", None],
    "min_cluster_size": [1, 0, -5, 2.5, 10.0, True, "10", 10**10],
    "min_evidence": [-1, -0.001, math.nan, math.inf, True, "1"],
    "min_unlike_share": [-0.01, 1, 1.5, math.nan, True, "0.1"],
    "expand_rounds": [-2, 101, 10**6, 1.5, True],
    "interval": [0.5, 1, 0.85, "0.9", True],
    "use_attended": [1, 0, "yes", "true", None],
    "bin_seconds": [0, -60, WEEK + 1, 60.0, math.nan, True],
    "shift_bin_seconds": [0, WEEK + 1, 0.5, False],
    "timeline_seconds": [0, -1, 10**9, "600"],
    "coaction_window": [-1, math.nan, math.inf, 30 * DAY + 1, "soon", "Auto", True],
    "coaction_min_weight": [0, 1_000_001, 2.0, False],
    "progress": [1, "yes", None],
    "seed": [-1, 2**32, 1.0, True, "0"],
}
CASES = [pytest.param(name, value, id=f"{name}={value!r}") for name, values in BAD.items() for value in values]


class Untouchable:
    """Input that fails the test if detect() reads it: options must be checked before any work."""

    def __getattr__(self, name):
        raise AssertionError(f"detect() read the data ({name!r}) before checking its options")


def _toml(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


# The declarations

def test_every_option_is_declared_once_with_a_default_it_accepts():
    from detector.detection.pipeline import DEFAULTS as PIPELINE_DEFAULTS
    from detector.options import DEFAULTS, OPTIONS, DetectOptions, check_option

    assert PIPELINE_DEFAULTS is DEFAULTS
    assert set(BAD) == set(OPTIONS) == set(DEFAULTS)  # a new option gets its bad values here
    assert DetectOptions().as_dict() == dict(DEFAULTS)
    for name, option in OPTIONS.items():
        assert check_option(name, option.default) == option.default
        assert option.help and "\n" not in option.help and option.expected()
    assert DEFAULTS["min_unlike_share"] == 0.15 and DEFAULTS["flag_threshold"] == 0.5


def test_the_defaults_are_the_documented_ones():
    from detector.options import DEFAULTS

    assert dict(DEFAULTS) == {
        "flag_threshold": 0.5, "min_cluster_size": 10, "min_evidence": 1.0, "min_unlike_share": 0.15,
        "expand_rounds": 5, "interval": 0.9, "use_attended": "auto", "bin_seconds": 60,
        "shift_bin_seconds": 600, "timeline_seconds": 600, "coaction_window": 60,
        "coaction_min_weight": 2, "progress": "auto", "seed": 0}


def test_intervals_are_those_the_estimate_knows():
    from detector.detection.assemble import Z_OF_INTERVAL
    from detector.options import OPTIONS

    assert set(OPTIONS["interval"].accepts[0].values) == set(Z_OF_INTERVAL)


def test_options_object_is_frozen_and_checked():
    import dataclasses

    from detector.errors import InputError
    from detector.options import DetectOptions

    opts = DetectOptions(flag_threshold=1, seed=np.int64(4))
    assert opts.flag_threshold == 1.0 and type(opts.flag_threshold) is float and type(opts.seed) is int
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.seed = 5
    with pytest.raises(InputError, match="DetectOptions"):
        dataclasses.replace(opts, expand_rounds=-1)


@pytest.mark.parametrize("name, value, normalised", [
    ("flag_threshold", 1, 1.0), ("flag_threshold", np.float64(0.25), 0.25), ("min_cluster_size", np.int32(2), 2),
    ("min_unlike_share", 0, 0.0), ("min_unlike_share", 0.999, 0.999), ("interval", np.float32(0.95), 0.95),
    ("use_attended", np.bool_(False), False), ("coaction_window", "auto", "auto"), ("coaction_window", 0, 0.0),
    ("coaction_window", 30 * DAY, float(30 * DAY)), ("bin_seconds", WEEK, WEEK), ("seed", 2**32 - 1, 2**32 - 1),
    ("expand_rounds", 0, 0), ("expand_rounds", 100, 100), ("progress", True, True),
])
def test_good_values_are_normalised_to_plain_python(name, value, normalised):
    from detector.options import check_options

    got = check_options({name: value}).as_dict()[name]
    assert got == normalised and type(got) is type(normalised)


# The API

@pytest.mark.parametrize("name, value", CASES)
def test_api_rejects_bad_values_before_any_work(name, value):
    import detector

    with pytest.raises(detector.InputError) as info:
        detector.detect(Untouchable(), **{name: value})
    message = str(info.value)
    assert message.startswith(f"detect(): {name}=") and "expected" in message, message
    assert "\n" not in message


def test_api_rejects_a_bad_value_with_a_real_table():
    import detector

    regs = pd.read_csv(TINY, dtype=str)
    regs["created_at"] = pd.to_datetime(regs["created_at"], utc=True, format="ISO8601")
    with pytest.raises(detector.InputError, match=r"^detect\(\): flag_threshold=2: expected a number > 0 and <= 1$"):
        detector.detect(regs, flag_threshold=2)
    with pytest.raises(detector.InputError, match="expand_rounds=-2: expected an integer from 0 to 100"):
        detector.detect(regs, expand_rounds=-2)
    with pytest.raises(detector.InputError, match="min_cluster_size=True: .*, not a bool"):
        detector.detect(regs, min_cluster_size=True)


def test_api_unknown_option_names_the_closest_one():
    import detector

    with pytest.raises(detector.InputError, match="unknown option 'min_unlike_shares'; did you mean 'min_unlike_share'"):
        detector.detect(Untouchable(), min_unlike_shares=0.2)
    with pytest.raises(TypeError, match="unknown option"):  # as Python does for an unexpected keyword
        detector.detect(Untouchable(), flag_treshold=0.3)


def test_api_records_the_checked_options():
    import detector

    result = detector.detect(detector.load(TINY), min_unlike_share=0, flag_threshold=1, progress=False)
    used = result.summary["configuration"]
    assert used["min_unlike_share"] == 0.0 and used["flag_threshold"] == 1.0
    assert set(used) == set(detector.options.DEFAULTS)


# The TOML file

@pytest.mark.parametrize("name, value", [c for c in CASES if c.values[1] is not None])
def test_config_file_rejects_the_same_values(tmp_path, name, value):
    from detector.config import read_config
    from detector.errors import InputError

    config = tmp_path / "job.toml"
    config.write_text(f"[detect]\n{name} = {_toml(value)}\n")
    with pytest.raises(InputError) as info:
        read_config(config)
    message = str(info.value)
    assert message.startswith(f"{config}: [detect] {name} = ") and "expected" in message, message
    assert "\n" not in message


def test_config_file_mistake_is_one_line_exit_2(tmp_path):
    config = tmp_path / "job.toml"
    config.write_text("[detect]\nmin_unlike_share = 1.0\n")
    out = tmp_path / "out"
    done = run_cli("detect", "--config", config, "-r", TINY, "--out", out)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"error: {config}: [detect] min_unlike_share = 1.0: expected a number >= 0 and < 1"]
    assert not out.exists()


def test_config_file_values_are_those_the_api_gets(tmp_path):
    from detector.config import read_config
    from detector.options import check_options

    config = tmp_path / "job.toml"
    config.write_text('[detect]\nmin_unlike_share = 0\ncoaction_window = "auto"\nflag_threshold = 1\n'
                      "bin_seconds = 120\nuse_attended = false\n")
    read = read_config(config)
    assert read == {"min_unlike_share": 0.0, "coaction_window": "auto", "flag_threshold": 1.0, "bin_seconds": 120,
                    "use_attended": False}
    assert check_options(read).as_dict() == {**check_options().as_dict(), **read}


def test_example_config_documents_every_option_at_its_default():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib

    from detector.options import DEFAULTS

    text = EXAMPLE.read_text()
    detect_part = text[text.index("[detect]"):text.index("[output]")]
    for name in DEFAULTS:
        assert f"\n{name} = " in detect_part or f"\n# {name} = " in detect_part, f"{name} is not in {EXAMPLE.name}"
    given = tomllib.loads(text)["detect"]
    assert given == {k: DEFAULTS[k] for k in given}  # the example's values are the defaults
    commented = {line[2:].split(" = ")[0]: line[2:].split(" = ")[1].split("#")[0].strip()
                 for line in detect_part.splitlines() if line.startswith("# ") and " = " in line}
    assert {k: tomllib.loads(f"v = {v}")["v"] for k, v in commented.items()} == {k: DEFAULTS[k] for k in commented}


# The command line

CLI_BAD = [
    ("--flag-threshold", "2"), ("--flag-threshold", "0"), ("--flag-threshold", "high"), ("--flag-threshold", "nan"),
    ("--min-cluster-size", "1"), ("--min-cluster-size", "2.5"), ("--min-cluster-size", "ten"),
    ("--min-unlike-share", "1"), ("--min-unlike-share", "-0.1"), ("--min-unlike-share", "inf"),
    ("--coaction-window", "-1"), ("--coaction-window", "soon"), ("--coaction-window", str(30 * DAY + 1)),
    ("--coaction-window", "1e400"), ("--seed", "-1"), ("--seed", str(2**32)), ("--seed", "1.5"), ("--seed", "true"),
]


@pytest.mark.parametrize("flag, text", CLI_BAD)
def test_command_line_rejects_bad_values_in_one_line(tmp_path, flag, text):
    from detector.cli import cli

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["detect", "-r", str(tmp_path / "not-read.csv"), "--out", str(out), flag, text])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {flag}: expected "), result.stderr
    assert lines[0].endswith(f", got {text!r}")
    assert "not-read.csv" not in result.stderr and not out.exists()  # checked before the input is read


def test_command_line_every_value_option_has_a_bad_case():
    from detector.options import OPTIONS

    flags = {o.cli for o in OPTIONS.values() if o.cli and "/" not in o.cli}
    assert flags == {flag for flag, _ in CLI_BAD}


def test_command_line_error_in_a_real_process(tmp_path):
    out = tmp_path / "out"
    done = run_cli("detect", "-r", TINY, "--out", out, "--min-unlike-share", "1.5")
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["error: --min-unlike-share: expected a number >= 0 and < 1, got '1.5'"]
    assert not out.exists()


@pytest.fixture
def captured(monkeypatch):
    from detector import cli

    calls = []
    monkeypatch.setattr(cli, "_run_detect", lambda **kwargs: calls.append(kwargs))
    return calls


def test_command_line_values_reach_the_run_typed(captured):
    from detector.cli import cli

    result = CliRunner().invoke(cli, ["detect", "-r", "r.csv", "--out", "o", "--min-unlike-share", "0.3",
                                      "--coaction-window", "auto", "--flag-threshold", "1", "--seed", "7",
                                      "--min-cluster-size", "3", "--ignore-attended"])
    assert result.exit_code == 0, result.output
    (kwargs,) = captured
    expected = {"min_unlike_share": 0.3, "coaction_window": "auto", "flag_threshold": 1.0, "seed": 7,
                "min_cluster_size": 3, "use_attended": False, "progress": None}
    assert {k: kwargs[k] for k in expected} == expected
    assert type(kwargs["flag_threshold"]) is float and type(kwargs["seed"]) is int
    CliRunner().invoke(cli, ["detect", "-r", "r.csv", "--out", "o", "--coaction-window", "90"])
    assert captured[1]["coaction_window"] == 90.0 and captured[1]["min_unlike_share"] is None


def test_command_line_help_shows_the_declared_defaults_and_ranges():
    from detector.cli import cli
    from detector.options import OPTIONS

    text = " ".join(CliRunner().invoke(cli, ["detect", "--help"], terminal_width=400).output.split())
    for option in OPTIONS.values():
        if option.cli:
            assert option.cli.split("/")[0] in text
            assert " ".join(option.help.split()) in text
    assert "--min-unlike-share NUMBER" in text and "[default: 0.15; a number >= 0 and < 1]" in text


# All three share the defaults

def test_api_command_line_and_config_file_run_with_the_same_defaults(tmp_path):
    import detector
    from detector.options import DEFAULTS

    api = detector.detect(detector.load(TINY), progress="auto").summary["configuration"]
    config = tmp_path / "job.toml"
    config.write_text(f'[inputs]\nregistrations = "{TINY.as_posix()}"\n[detect]\n')
    for args in (["-r", TINY, "--out", tmp_path / "cli"], ["--config", config, "--out", tmp_path / "file"]):
        done = run_cli("detect", *args, "--quiet")
        assert done.returncode == 0, done.stderr
    by_cli = json.loads((tmp_path / "cli" / "summary.json").read_text())["configuration"]
    by_file = json.loads((tmp_path / "file" / "summary.json").read_text())["configuration"]
    assert api == by_cli == by_file == dict(DEFAULTS)

"""``detector detect --config FILE.toml``: the example runs, the command line wins, every mistake is one line."""
import json
import os

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import FIXTURES, SCENARIO, run_cli

EXAMPLE = FIXTURES / "config" / "detect.toml"
#: The command line that says what the example config says.
EXPLICIT = ["-r", SCENARIO / "registrations.csv", "--posts", SCENARIO / "posts.csv", "--follows",
            SCENARIO / "follows.csv", "--timezone", "UTC", "--map", "created_at=created_at",
            "--map", "posts.created_at=created_at", "--flag-threshold", "0.5", "--min-cluster-size", "10",
            "--coaction-window", "60", "--seed", "0", "--graph", "gexf"]  # use_attended, interval: defaults


def _summary(out):
    return json.loads((out / "summary.json").read_text())


@pytest.fixture(scope="module")
def from_config(tmp_path_factory):
    """The example config run from another folder, named by a relative path, with a relative --out."""
    cwd = tmp_path_factory.mktemp("elsewhere")
    done = run_cli("detect", "--config", os.path.relpath(EXAMPLE, cwd), "--out", "out", "--quiet", cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    return cwd / "out"


@pytest.fixture(scope="module")
def from_command_line(tmp_path_factory):
    out = tmp_path_factory.mktemp("explicit") / "out"
    done = run_cli("detect", *EXPLICIT, "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    return out


def test_example_config_gives_the_same_outputs_as_the_command_line(from_config, from_command_line):
    for name in ("registration_scores.csv", "clusters.csv", "timeline.csv", "account_clusters.csv",
                 "coaction_network.gexf"):
        assert (from_config / name).read_bytes() == (from_command_line / name).read_bytes(), name
    by_config, by_options = _summary(from_config), _summary(from_command_line)
    assert by_config.pop("inputs").keys() == by_options.pop("inputs").keys() == {"registrations", "posts", "follows"}
    assert by_config == by_options


def test_relative_paths_in_the_file_are_taken_from_its_folder(from_config):
    # the run's folder has no ../scenario: the inputs were found next to the config file
    inputs = _summary(from_config)["inputs"]
    assert inputs["registrations"] == str((SCENARIO / "registrations.csv").resolve())
    assert inputs["follows"] == str((SCENARIO / "follows.csv").resolve())


def test_the_command_line_overrides_the_file(from_config, tmp_path):
    # the file's own out is relative to the file's folder; --flag-threshold wins over the file's
    config = tmp_path / "job.toml"
    config.write_text(EXAMPLE.read_text().replace("../scenario/", SCENARIO.as_posix() + "/")
                      .replace('# out = "out"', 'out = "result"').replace("flag_threshold = 0.5", "flag_threshold = 0.2"))
    done = run_cli("detect", "--config", config, "--flag-threshold", "0.99", "--quiet")
    assert done.returncode == 0, done.stderr
    strict = _summary(tmp_path / "result")
    assert strict["configuration"]["flag_threshold"] == 0.99
    assert strict["counts"]["flagged"] <= _summary(from_config)["counts"]["flagged"]
    assert (tmp_path / "result" / "coaction_network.gexf").is_file()  # [output] graph still applies


def test_mapping_and_file_only_options_reach_the_run(tmp_path):
    config = tmp_path / "job.toml"
    config.write_text(f'[inputs]\nregistrations = "{(FIXTURES / "tiny" / "registrations_mapped.csv").as_posix()}"\n'
                      '[mapping.registrations]\nregistration_id = "Ticket ID"\ncreated_at = "signup_time"\n'
                      'event_id = "Event"\n[detect]\nmin_evidence = 2\ntimeline_seconds = 1200\n'
                      '[output]\nout = "result"\n')
    done = run_cli("detect", "--config", config, "--quiet")
    assert done.returncode == 0, done.stderr
    assert "created_at_original" in done.stderr  # the note of the mapping
    scores = pd.read_csv(tmp_path / "result" / "registration_scores.csv", dtype=str)
    assert scores["registration_id"].tolist() == ["T-001", "T-002"]
    options = _summary(tmp_path / "result")["configuration"]
    assert options["min_evidence"] == 2.0 and options["timeline_seconds"] == 1200


@pytest.mark.parametrize("text, words", [
    (None, ["no such configuration file"]),
    ('[inputs]\nregistrations = "r.csv"\nposts = \n', ["not valid TOML", "line 3", "column"]),
    ('[detct]\nseed = 1\n', ["[detct]", "did you mean [detect]"]),
    ('[detect]\nflag_treshold = 0.4\n', ["[detect] flag_treshold", "did you mean 'flag_threshold'",
                                         "min_cluster_size, min_evidence"]),
    ('[detect]\nseed = "zero"\n', ["[detect] seed", '"zero"', "integer"]),
    ('[detect]\nflag_threshold = 2\n', ["[detect] flag_threshold = 2", "> 0 and <= 1"]),
    ('[mapping.registrations]\ncreated_at = 5\n', ["[mapping.registrations] created_at = 5", "string"]),
])
def test_config_mistakes_are_one_line_exit_2_and_nothing_written(tmp_path, text, words):
    config = tmp_path / "job.toml"
    if text is not None:
        config.write_text(text)
    out = tmp_path / "out"
    done = run_cli("detect", "--config", config, "-r", SCENARIO / "registrations.csv", "--out", out)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {config}: "), done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert not out.exists()


def test_registrations_and_out_are_required_from_one_or_the_other(tmp_path):
    config = tmp_path / "job.toml"
    config.write_text("[detect]\nseed = 1\n")
    done = run_cli("detect", "--config", config, "--out", tmp_path / "out")
    assert done.returncode == 2 and "--registrations is required" in done.stderr
    assert "[inputs] registrations" in done.stderr and "Traceback" not in done.stderr
    done = run_cli("detect", "-r", SCENARIO / "registrations.csv")
    assert done.returncode == 2 and "--out is required" in done.stderr
    assert not (tmp_path / "out").exists()


# In-process: how the file and the command line are merged, without running detection.

@pytest.fixture
def captured(monkeypatch):
    from detector import cli

    calls = []
    monkeypatch.setattr(cli, "_run_detect", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.mark.parametrize("args, expected", [
    ([], {"flag_threshold": 0.2, "timezone": "America/Chicago", "seed": 3, "graph_format": "graphml",
          "use_attended": False, "min_evidence": 2.0}),
    (["--flag-threshold", "0.7", "--timezone", "UTC", "--seed", "0", "--graph", "gexf", "--use-attended"],
     {"flag_threshold": 0.7, "timezone": "UTC", "seed": 0, "graph_format": "gexf", "use_attended": True,
      "min_evidence": 2.0}),
])
def test_command_line_over_file_over_default(tmp_path, captured, args, expected):
    from detector.cli import cli

    config = tmp_path / "job.toml"
    config.write_text('[inputs]\nregistrations = "r.csv"\ntimezone = "America/Chicago"\n'
                      '[detect]\nflag_threshold = 0.2\nseed = 3\nuse_attended = false\nmin_evidence = 2\n'
                      '[output]\ngraph = "graphml"\nout = "o"\n')
    result = CliRunner().invoke(cli, ["detect", "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    (kwargs,) = captured
    assert {k: kwargs[k] for k in expected} == expected
    assert kwargs["registrations"] == str((tmp_path / "r.csv").resolve())
    assert kwargs["out"] == str((tmp_path / "o").resolve())
    assert kwargs["min_cluster_size"] is None  # neither gives it: detect's default applies
    result = CliRunner().invoke(cli, ["detect", "--config", str(config), "-r", "mine.csv", "--out", "here"])
    assert (captured[1]["registrations"], captured[1]["out"]) == ("mine.csv", "here")  # as typed, from the cwd


def test_map_pairs_update_the_files_mapping_column_by_column():
    from detector.cli import _mapping

    config = {"registrations": {"created_at": "signup", "event_id": "Event"}, "follows": {"follower_id": "a"}}
    merged = _mapping(config, ("created_at=when", "posts.created_at=time"))
    assert merged == {"registrations": {"created_at": "when", "event_id": "Event"},
                      "follows": {"follower_id": "a"}, "posts": {"created_at": "time"}}
    assert config["registrations"]["created_at"] == "signup"
    assert _mapping(None, ()) is None


def test_the_file_takes_every_detect_option():
    from detector.config import _SECTIONS
    from detector.detection import detect
    from detector.detection.pipeline import DEFAULTS
    from detector.loading import load
    from detector.options import OPTIONS

    assert set(_SECTIONS["detect"]) == set(DEFAULTS) == set(OPTIONS)  # one declaration, in detector.options
    tiny = load(FIXTURES / "tiny" / "registrations.csv")
    for interval in OPTIONS["interval"].accepts[0].values:  # every interval the file accepts, detect accepts
        detect(tiny, interval=interval)


@pytest.mark.parametrize("text, words", [
    ('[detect]\nuse_attended = 1\n', ["[detect] use_attended", '"auto"']),
    ('[inputs]\nregistrations = 3\n', ["[inputs] registrations = 3", "string"]),
    ('[inputs]\ntimezone = "Mars/Olympus"\n', ["[inputs] timezone", "Mars/Olympus"]),
    ('[mapping.registrations]\ncreatd_at = "t"\n', ["[mapping.registrations] creatd_at",
                                                    "did you mean 'created_at'"]),
    ('[output]\ngraph = "png"\n', ["[output] graph", "gexf"]),
    ('[detect]\ninterval = 0.5\n', ["[detect] interval = 0.5", "0.95"]),
    ('[detect]\nmin_cluster_size = 2.5\n', ["[detect] min_cluster_size = 2.5", "integer"]),
    ('[detect]\nflag_threshold = nan\n', ["[detect] flag_threshold = nan"]),
    ('[detect]\ncoaction_window = "soon"\n', ["[detect] coaction_window", '"auto"']),
    ('[detect]\ntimezone = "UTC"\n', ["[detect] timezone", "belongs under [inputs]"]),
    ('registrations = "r.csv"\n', ["registrations: unknown top-level key", "belongs under [inputs]"]),
    ('detect = 4\n', ["detect = 4", "a table"]),
    ('[mapping]\ncreated_at = "t"\n', ["[mapping] created_at", "[mapping.TABLE]"]),
    ('[mapping.regs]\ncreated_at = "t"\n', ["[mapping] regs", "registrations, posts, follows"]),
    ('[inputs]\nposts = ""\n', ["[inputs] posts", "non-empty"]),
    (b"[detect]\nseed = \xff\n", ["UTF-8"]),
])
def test_more_mistakes_name_the_file_and_key(tmp_path, text, words):
    from detector.config import read_config
    from detector.errors import InputError

    config = tmp_path / "job.toml"
    config.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(InputError) as info:
        read_config(config)
    message = str(info.value)
    assert message.startswith(f"{config}: ")
    for word in words:
        assert word in message, message


def test_example_config_reads_as_documented():
    from detector.config import read_config

    config = read_config(EXAMPLE)
    assert config["registrations"] == str((SCENARIO / "registrations.csv").resolve())
    assert "out" not in config and config["graph_format"] == "gexf"
    assert config["mapping"] == {"registrations": {"created_at": "created_at"}, "posts": {"created_at": "created_at"}}

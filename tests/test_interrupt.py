"""A run killed or interrupted at any moment leaves ``--out`` holding either the old complete outputs
or the new complete outputs, byte for byte, never a mix; the next successful run leaves no hidden
staging folder beside or inside ``--out``.

Two reference runs on the fixture scenario give two different complete output folders: one with
posts and follows (account files, trigger posts) and one without. The loop then alternates between
the two, killing each run (SIGKILL, or SIGINT as Ctrl-C sends it) at a seeded random moment.
"""
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from pathlib import Path

from conftest import SCENARIO

SEED = 20200620
ITERATIONS = 8
CONFIGS = {
    "with_posts": ["-r", SCENARIO / "registrations.csv", "--posts", SCENARIO / "posts.csv",
                   "--follows", SCENARIO / "follows.csv"],
    "plain": ["-r", SCENARIO / "registrations.csv"],
}


def _command(config: str, out: Path) -> list:
    return [sys.executable, "-m", "detector", "detect", *map(str, CONFIGS[config]), "--out", str(out), "--quiet",
            "--no-progress"]


def _visible(out: Path):
    """The outputs in ``out`` (names not starting with '.'): name -> bytes; None when absent."""
    if not out.exists():
        return None
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}


def _hidden(out: Path) -> set:
    """Names starting with '.' beside ``out`` or anywhere inside it."""
    found = {p.name for p in out.parent.iterdir() if p.name.startswith(".")}
    if out.is_dir():
        found |= {"out/" + str(p.relative_to(out)) for p in out.rglob(".*")}
    return found


def _reference(tmp_path: Path, config: str):
    out = tmp_path / f"reference_{config}" / "out"
    start = time.monotonic()
    done = subprocess.run(_command(config, out), capture_output=True, text=True, timeout=600)
    took = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    outputs = _visible(out)
    assert "registration_scores.csv" in outputs and "summary.json" in outputs
    return outputs, took


def _describe(state, refs) -> str:
    if state is None:
        return "no folder"
    for name, ref in refs.items():
        if state == ref:
            return name
    mixed = {name: sorted(n for n in set(state) | set(ref) if state.get(n) != ref.get(n)) for name, ref in refs.items()}
    return f"a mix: files differing from each reference: {mixed}"


def test_killed_runs_leave_old_or_new_outputs_never_a_mix(tmp_path):
    refs, took = {}, {}
    for config in CONFIGS:
        refs[config], took[config] = _reference(tmp_path, config)
    assert refs["with_posts"] != refs["plain"]
    assert "triggers.csv" in refs["with_posts"] and "triggers.csv" not in refs["plain"]

    job = tmp_path / "job"
    job.mkdir()
    out = job / "out"
    shutil.copytree(tmp_path / "reference_with_posts" / "out", out)
    current = "with_posts"
    rng = random.Random(SEED)
    seen = []
    for i in range(ITERATIONS):
        new = "plain" if current == "with_posts" else "with_posts"
        sig = signal.SIGKILL if i % 2 == 0 else signal.SIGINT
        # half the kills anywhere in the run, half near its end, where the outputs are written
        low, high = (0.05, 1.0) if rng.random() < 0.5 else (0.6, 1.0)
        delay = rng.uniform(low, high) * took[new]
        hidden_before = _hidden(out)
        proc = subprocess.Popen(_command(new, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, sig)  # the run's own process group, as a terminal's Ctrl-C does
        try:
            _, stderr = proc.communicate(timeout=300)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
        state = _visible(out)
        what = _describe(state, refs)
        seen.append((i, sig.name, round(delay, 2), proc.returncode, what))
        assert what in (current, new), f"run {i} ({sig.name} after {delay:.2f} s, exit {proc.returncode}): " \
                                       f"--out holds {what}\n{stderr[-2000:]}"
        if proc.returncode == 0:
            assert what == new, seen
        if sig == signal.SIGINT:
            # Python cleans up after Ctrl-C: no new hidden folder beside or inside --out
            assert _hidden(out) <= hidden_before, (i, _hidden(out) - hidden_before, stderr[-2000:])
        current = what

    final = "plain" if current == "with_posts" else "with_posts"
    done = subprocess.run(_command(final, out), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert _describe(_visible(out), refs) == final, seen
    assert _hidden(out) == set(), f"hidden leftovers after a successful run: {_hidden(out)}; runs: {seen}"


def test_ctrl_c_during_the_writability_probe_leaves_no_folder(tmp_path, monkeypatch):
    """Ctrl-C right after the probe folder is made (before anything would remove it) is held
    back until it is removed, then raised."""
    import tempfile

    from detector import outputs

    made = []
    real = tempfile.mkdtemp

    def interrupted(*args, **kwargs):
        name = real(*args, **kwargs)
        made.append(Path(name))
        os.kill(os.getpid(), signal.SIGINT)          # Ctrl-C the moment the folder exists
        return name

    monkeypatch.setattr(tempfile, "mkdtemp", interrupted)
    with pytest.raises(KeyboardInterrupt):
        outputs.check_out_folder(tmp_path / "out")
    monkeypatch.undo()
    assert made and not made[0].exists()
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler     # the handler is restored


def _interrupt_when_made(monkeypatch, marker):
    """Make ``tempfile.mkdtemp`` send Ctrl-C the moment it made a folder whose name holds ``marker``."""
    import tempfile

    made, real = [], tempfile.mkdtemp

    def interrupted(*args, **kwargs):
        name = real(*args, **kwargs)
        if marker in Path(name).name:
            made.append(Path(name))
            os.kill(os.getpid(), signal.SIGINT)
        return name

    monkeypatch.setattr(tempfile, "mkdtemp", interrupted)
    return made


def test_ctrl_c_as_the_staging_folder_is_made_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    from detector import outputs

    out = tmp_path / "out"
    out.mkdir()
    (out / "old.csv").write_text("old\n")
    made = _interrupt_when_made(monkeypatch, "detector-tmp-")
    with pytest.raises(KeyboardInterrupt):
        with outputs.staged_folder(out) as staging:
            (staging / "new.csv").write_text("new\n")
    monkeypatch.undo()
    assert made and not made[0].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and sorted(p.name for p in out.iterdir()) == ["old.csv"]


def test_ctrl_c_in_the_two_rename_swap_lands_after_it(tmp_path, monkeypatch):
    """Where folders cannot be exchanged in one step, the old folder is moved aside and the new
    one in: Ctrl-C in between waits until both moves are done."""
    from detector import outputs

    out = tmp_path / "out"
    out.mkdir()
    (out / "old.csv").write_text("old\n")
    monkeypatch.setattr(outputs, "_rename_exchange", lambda a, b: False)
    made = _interrupt_when_made(monkeypatch, "-old-")
    with pytest.raises(KeyboardInterrupt):
        with outputs.staged_folder(out, drop=("old.csv",)) as staging:
            (staging / "new.csv").write_text("new\n")
    monkeypatch.undo()
    assert made
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and sorted(p.name for p in out.iterdir()) == ["new.csv"]


def test_interrupts_are_held_only_in_the_main_thread():
    """Elsewhere signal handlers cannot be set: the block runs as is and nothing is raised."""
    import threading

    from detector import outputs

    ran, errors = [], []

    def work():
        try:
            with outputs._interrupts_held():
                ran.append(True)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert ran == [True] and errors == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler

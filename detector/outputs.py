"""Write a detection's output folder (``CONTRACT.md``) atomically.

Every file is first written into a temporary folder beside ``out_dir``, which
takes ``out_dir``'s place in one step when all of them were written
(:func:`staged_folder`): a failed or killed run leaves ``out_dir`` as it was.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import stat
import sys
import tempfile
from glob import escape as glob_escape
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["write_outputs", "read_outputs", "read_posts_side", "write_account_tables", "write_graph",
           "staged_folder", "check_out_folder", "excel_safe",
           "OUTPUT_FILES", "ACCOUNT_FILES", "GRAPH_FORMATS"]

OUTPUT_FILES = ("registration_scores.csv", "clusters.csv", "summary.json", "report.html", "timeline.csv")
#: written when posts were given: account clusters, their members, the significant co-action edges,
#: and the trigger posts named for each flagged cluster
ACCOUNT_FILES = ("account_clusters.csv", "account_members.csv", "coaction_edges.csv", "triggers.csv")
GRAPH_FORMATS = ("gexf", "graphml")


def _iso(values: pd.Series) -> pd.Series:
    """Timestamps as ISO 8601 strings with an offset (UTC, ``Z``)."""
    return pd.to_datetime(values, utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_outputs(result, out_dir, *, graph_format: str | None = None, excel_safe: bool = False) -> list[Path]:
    """Write ``result`` into ``out_dir`` and return the paths written.

    Parameters
    ----------
    result : DetectionResult
    out_dir : str or Path
        Created if needed. Files of earlier runs with the same names are replaced;
        other files are left alone, except account files of an earlier run with posts
        when this one had none (they would describe other data).
    graph_format : {"gexf", "graphml"}, optional
        Also write the accounts' co-action network (``coaction_network.gexf`` or
        ``.graphml``, for Gephi) when posts were given.
    excel_safe : bool, default False
        Prefix every CSV cell that a spreadsheet would run as a formula (one starting with
        ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) with ``'`` (:func:`excel_safe`).
        Off by default: ids stay verbatim, so that other programs can join on them.
    """
    from .report import render_report

    accounts = getattr(result, "accounts", None)
    with staged_folder(out_dir, drop=ACCOUNT_FILES if accounts is None else ()) as staging:
        scores = result.registrations[["registration_id", "score", "cluster_id", "flagged"]].copy()
        scores["score"] = scores["score"].round(6)
        scores["flagged"] = scores["flagged"].map({True: "true", False: "false"})
        scores.to_csv(staging / "registration_scores.csv", index=False)

        clusters = result.clusters.copy()
        for col in ("first_seen", "last_seen"):
            clusters[col] = _iso(clusters[col])
        clusters.to_csv(staging / "clusters.csv", index=False)

        timeline = result.timeline.copy()
        timeline["start"] = _iso(timeline["start"])
        timeline.to_csv(staging / "timeline.csv", index=False)

        (staging / "summary.json").write_text(json.dumps(result.summary, indent=2, sort_keys=False) + "\n",
                                              encoding="utf-8")
        account_table = triggers = None
        if accounts is not None:
            write_account_tables(accounts, staging)
            trig = result.triggers.copy()
            trig["created_at"] = _iso(trig["created_at"]) if len(trig) else trig["created_at"]
            trig.to_csv(staging / "triggers.csv", index=False)
            account_table, triggers = read_posts_side(staging)
            if graph_format:
                write_graph(accounts.to_networkx(), staging / f"coaction_network.{graph_format}")
        (staging / "report.html").write_text(
            render_report(result.summary, result.clusters, result.timeline, account_table, triggers),
            encoding="utf-8")
        if excel_safe:
            make_excel_safe(staging)
        written = [Path(out_dir) / p.name for p in sorted(staging.iterdir())]
    return written


#: what a spreadsheet reads as the start of a formula (OWASP's list for CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that starts like a formula prefixed with ``'``.

    A spreadsheet opening the CSV then shows the text instead of running it; the value no
    longer equals the original id, so use this only for files meant for people.

    >>> excel_safe(pd.DataFrame({"id": ["=HYPERLINK(1)", "a-1", "-2", "@x"]}))["id"].tolist()
    ["'=HYPERLINK(1)", 'a-1', "'-2", "'@x"]
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, pd.StringDtype):
            text = out[col].astype("string")
            risky = text.str.startswith(FORMULA_STARTS).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                out[col] = out[col].astype(object)
                out.loc[risky, col] = "'" + text[risky]
    out.columns = [("'" + c) if isinstance(c, str) and c.startswith(FORMULA_STARTS) else c for c in out.columns]
    return out


def make_excel_safe(folder) -> None:
    """Rewrite every CSV file in ``folder`` with :func:`excel_safe`."""
    for path in sorted(Path(folder).glob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        excel_safe(table).to_csv(path, index=False)


@contextlib.contextmanager
def staged_folder(out_dir, *, drop=()):
    """Yield an empty temporary folder; when the block succeeds, make ``out_dir`` hold what was
    written there, in one step. A failure, an exception or a kill leaves ``out_dir`` as it was.

    The new folder is built beside ``out_dir`` (same file system) with the files written in the
    block plus hard links to ``out_dir``'s other files (those not named in ``drop``), then swapped
    in with one atomic rename-exchange (Linux ``renameat2``; elsewhere two renames in a row).
    When ``out_dir`` is a mount point, or its parent cannot be written, or it holds folders of its
    own, the staging folder is made inside it and each file is moved in with one atomic rename
    (each file is whole, old or new). Staging folders of earlier runs that were killed are
    removed first.

    Parameters
    ----------
    out_dir : str or Path
        Created (with its parents) when missing.
    drop : iterable of str
        Names of files of an earlier run to remove (they would describe other data).
    """
    out = Path(out_dir).absolute()
    check_out_folder(out)
    _remove_stale(out)
    mode = _staging_mode(out)
    where = out if mode == "inside" else out.parent
    where.mkdir(parents=True, exist_ok=True)
    staging = None
    try:
        with _interrupts_held():       # the folder is made and owned by the clean-up below, or not made
            staging = Path(tempfile.mkdtemp(prefix=f"{_stage_prefix(out)}{os.getpid()}-", dir=where))
        yield staging
        new = {p.name for p in staging.iterdir()}
        if mode == "inside":
            for name in sorted(new):
                os.replace(staging / name, out / name)
            for name in drop:
                if name not in new:
                    (out / name).unlink(missing_ok=True)
            return
        if out.is_dir():
            for path in out.iterdir():
                if path.name not in new and path.name not in drop and path.is_file():
                    _link_or_copy(path, staging / path.name)
            os.chmod(staging, stat.S_IMODE(out.stat().st_mode))
            _swap(staging, out)       # staging now holds the old folder: removed below
        else:
            os.chmod(staging, 0o777 & ~_umask())
            os.rename(staging, out)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stage_prefix(out: Path) -> str:
    return f".{out.name}.detector-tmp-"


def _remove_stale(out: Path) -> None:
    """Remove the staging folders and files that runs killed earlier left beside or in ``out``."""
    prefix = _stage_prefix(out)
    for folder in (out.parent, out):
        if not folder.is_dir():
            continue
        for path in folder.glob(f"{glob_escape(prefix)}*"):
            pid = path.name[len(prefix):].split("-")[0]
            if pid.isdigit() and not _alive(int(pid)):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _staging_mode(out: Path) -> str:
    """"beside" (one swap of the whole folder) or "inside" (file by file)."""
    if not out.exists():
        return "beside"
    if os.path.ismount(out) or not os.access(out.parent, os.W_OK | os.X_OK):
        return "inside"
    if any(p.is_dir() and not p.name.startswith(".") for p in out.iterdir()):
        return "inside"      # folders of the user's own: not moved around
    return "beside"


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _swap(new: Path, old: Path) -> None:
    """Exchange two folders of one file system atomically when the system can, else rename twice."""
    if _rename_exchange(new, old):
        return
    with _interrupts_held():       # never an interrupt between moving the old folder aside and the new in
        aside = Path(tempfile.mkdtemp(prefix=f"{_stage_prefix(old)}{os.getpid()}-old-", dir=old.parent))
        aside.rmdir()
        os.rename(old, aside)
        try:
            os.rename(new, old)
        except OSError:
            os.rename(aside, old)
            raise
        os.rename(aside, new)     # the old folder takes the staging name, removed by the caller


def _rename_exchange(a: Path, b: Path) -> bool:
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def check_out_folder(out_dir, *, inputs=()) -> None:
    """Check, before any work, that ``out_dir`` can take the outputs; raise :class:`InputError`.

    It must be a folder (or not exist yet, under a folder that can be written), be writable,
    hold no folder named like an output file, and not be where an input file would be
    overwritten by an output of the same name.
    """
    from .errors import InputError

    out = Path(out_dir).absolute()
    name = str(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(name, "is a file, not a folder; --out needs a folder for the output files")
    for output in OUTPUT_FILES + ACCOUNT_FILES:
        if (out / output).is_dir():
            raise InputError(str(out / output), "is a folder, where the output file of that name goes; "
                             "move it away or choose another --out")
    for source in inputs:
        if source is None or not isinstance(source, (str, os.PathLike)):
            continue
        if Path(source).absolute().parent.resolve() == out.resolve():
            raise InputError(str(source), f"is an input in --out {name}, the folder the outputs replace; "
                             "give the outputs a folder of their own")
    probe = out
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise InputError(name, f"cannot be created: {probe} is a file")
    try:
        _probe_writable(probe)
    except OSError as exc:
        raise InputError(name, f"cannot be written ({exc.strerror or exc}); choose another --out") from None


def _probe_writable(folder: Path) -> None:
    """Create and remove an empty folder in ``folder`` (raises ``OSError`` when it cannot be
    written); an interrupt in between would leave it in the user's folder, so interrupts wait."""
    with _interrupts_held():
        tempfile.TemporaryDirectory(prefix=".detector-probe-", dir=folder).cleanup()


@contextlib.contextmanager
def _interrupts_held():
    """Hold Ctrl-C and SIGTERM back inside the block, and raise the first one again, to its own
    handler, when the block is left: for the steps that must not be cut in two (a folder made and
    not yet owned by a clean-up, a folder moved aside and its replacement not yet in place).
    Only in the main thread, where Python runs signal handlers, and where the handlers were set
    from Python (so they can be put back); elsewhere the block runs as is."""
    import signal
    import threading

    held: list = []
    signals = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    # a handler installed outside Python (getsignal gives None) could not be put back: left alone
    hold = threading.current_thread() is threading.main_thread() and all(
        signal.getsignal(sig) is not None for sig in signals)
    before = {sig: signal.signal(sig, lambda number, frame: held.append(number)) for sig in signals} if hold else {}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
        if held:
            signal.raise_signal(held[0])


def write_account_tables(accounts, folder) -> list[str]:
    """Write the account clusters, their members and the co-action edges; return the names."""
    folder = Path(folder)
    table = accounts.clusters.copy()
    for col in ("first_seen", "last_seen"):
        table[col] = _iso(table[col]) if len(table) else table[col]
    table.to_csv(folder / ACCOUNT_FILES[0], index=False)
    accounts.members.to_csv(folder / ACCOUNT_FILES[1], index=False)
    accounts.edges.to_csv(folder / ACCOUNT_FILES[2], index=False)
    return list(ACCOUNT_FILES)


def write_graph(graph, path) -> Path:
    """Write a networkx graph as GEXF or GraphML, chosen by the file's suffix."""
    import networkx as nx

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"graph format must be one of {GRAPH_FORMATS}, not {fmt!r}")
    (nx.write_gexf if fmt == "gexf" else nx.write_graphml)(graph, path)
    return path


def rebuild_report(out_dir) -> Path:
    """Draw ``report.html`` again from an output folder's files (``detector report``); return its path.

    The page is written to a temporary file inside the folder and renamed over the old one, so
    the old page stays whole until the new one is. A folder whose files cannot be read back
    (edited by hand, truncated) raises :class:`InputError` naming the file.
    """
    from .errors import InputError
    from .report import render_report

    out = Path(out_dir)
    if not out.is_dir():
        raise InputError(str(out_dir), "is not a folder; give the --out folder of `detector detect`")
    summary, clusters, timeline = read_outputs(out)
    accounts, triggers = _read_back(out / "account_clusters.csv", lambda: read_posts_side(out))
    page = _read_back(out, lambda: render_report(summary, clusters, timeline, accounts, triggers))
    _remove_stale(out / "report.html")
    fd, tmp = tempfile.mkstemp(prefix=f"{_stage_prefix(out / 'report.html')}{os.getpid()}-", dir=out)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(page)
        os.replace(tmp, out / "report.html")
    finally:
        Path(tmp).unlink(missing_ok=True)
    return out / "report.html"


def _read_back(path, read):
    """``read()``, with any failure to make sense of an output file said as an InputError."""
    from .errors import InputError

    try:
        return read()
    except InputError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, OverflowError) as exc:
        raise InputError(str(path), f"cannot be read back as written by `detector detect` "
                         f"({type(exc).__name__}: {exc}); run detect again to rebuild the folder") from None


def read_posts_side(out_dir) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """``account_clusters.csv`` and ``triggers.csv`` of an output folder (None when the run had
    no posts), as the report reads them."""
    out = Path(out_dir)
    accounts = pd.read_csv(out / ACCOUNT_FILES[0], keep_default_na=False) if (out / ACCOUNT_FILES[0]).is_file() \
        else None
    triggers = None
    if (out / "triggers.csv").is_file():
        triggers = pd.read_csv(out / "triggers.csv", dtype=str, keep_default_na=False)
        triggers["created_at"] = pd.to_datetime(triggers["created_at"], utc=True, format="ISO8601")
        triggers["rank"] = triggers["rank"].astype(int)
    return accounts, triggers


def read_outputs(out_dir):
    """Read back what :func:`write_outputs` wrote: ``(summary, clusters, timeline)``.

    Used by ``detector report`` to rebuild ``report.html`` from an output folder.
    """
    from .errors import InputError

    out = Path(out_dir)
    for name in ("summary.json", "clusters.csv"):
        if not (out / name).is_file():
            raise InputError(str(out), f"has no {name}; is it a folder written by `detector detect`?")
    try:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:
        raise InputError(str(out / "summary.json"), f"is not valid JSON ({exc})") from None
    if not isinstance(summary, dict):
        raise InputError(str(out / "summary.json"), f"holds a JSON {type(summary).__name__}; expected an object "
                         "as written by `detector detect`")
    clusters = _read_back(out / "clusters.csv", lambda: _clusters_back(out / "clusters.csv"))
    if (out / "timeline.csv").is_file():
        timeline = _read_back(out / "timeline.csv", lambda: _timeline_back(out / "timeline.csv"))
    else:
        timeline = pd.DataFrame(columns=["event_id", "start", "observed", "expected"])
    return summary, clusters, timeline


def _columns_back(path: Path, table: pd.DataFrame, kinds: dict) -> pd.DataFrame:
    """Check and type the columns the report needs (``kinds``: column -> "time", "number" or
    "text"); an InputError names the file, the column and the first row that cannot be read."""
    from .errors import InputError

    for column, kind in kinds.items():
        if column not in table:
            raise InputError(str(path), f"has no column {column!r}; run detect again to rebuild the folder")
        if kind == "text":
            continue
        values = table[column]
        if kind == "time":
            typed = pd.to_datetime(values, utc=True, format="ISO8601", errors="coerce")
        else:
            typed = pd.to_numeric(values, errors="coerce")
        bad = (typed.isna() & values.astype("string").fillna("").str.strip().ne("")).to_numpy(dtype=bool)
        if bad.any():
            row = int(np.argmax(bad))
            what = "an ISO 8601 time" if kind == "time" else "a number"
            raise InputError(str(path), f"{str(values.iloc[row])[:60]!r} is not {what}; run detect again to "
                             "rebuild the folder", row=row + 1, column=column)
        table[column] = typed
    return table


def _clusters_back(path: Path) -> pd.DataFrame:
    clusters = pd.read_csv(path, dtype=str, keep_default_na=False)
    return _columns_back(path, clusters, {"cluster_id": "text", "score": "number", "size": "number",
                                          "first_seen": "time", "last_seen": "time", "reasons": "text"})


def _timeline_back(path: Path) -> pd.DataFrame:
    timeline = pd.read_csv(path, dtype=str, keep_default_na=False)
    return _columns_back(path, timeline, {"event_id": "text", "start": "time", "observed": "number",
                                          "expected": "number"})

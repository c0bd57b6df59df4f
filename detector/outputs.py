"""Write a detection's output folder (``CONTRACT.md``) atomically.

Every file is first written into a temporary folder beside ``out_dir`` and moved
into place only when all of them were written, so a failed run leaves no
half-written file in ``out_dir``.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["write_outputs", "read_outputs", "read_posts_side", "write_account_tables", "write_graph",
           "staged_folder",
           "OUTPUT_FILES", "ACCOUNT_FILES", "GRAPH_FORMATS"]

OUTPUT_FILES = ("registration_scores.csv", "clusters.csv", "summary.json", "report.html", "timeline.csv")
#: written when posts were given: account clusters, their members, the significant co-action edges,
#: and the trigger posts named for each flagged cluster
ACCOUNT_FILES = ("account_clusters.csv", "account_members.csv", "coaction_edges.csv", "triggers.csv")
GRAPH_FORMATS = ("gexf", "graphml")


def _iso(values: pd.Series) -> pd.Series:
    """Timestamps as ISO 8601 strings with an offset (UTC, ``Z``)."""
    return pd.to_datetime(values, utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_outputs(result, out_dir, *, graph_format: str | None = None) -> list[Path]:
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
    """
    from .report import render_report

    with staged_folder(out_dir) as staging:
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
        accounts = getattr(result, "accounts", None)
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
        written = [Path(out_dir) / p.name for p in sorted(staging.iterdir())]
    if accounts is None:
        for name in ACCOUNT_FILES:
            (Path(out_dir) / name).unlink(missing_ok=True)
    return written


@contextlib.contextmanager
def staged_folder(out_dir):
    """Yield a temporary folder beside ``out_dir``; when the block succeeds, move every file
    written there into ``out_dir`` (created if needed). A failure leaves ``out_dir`` as it was."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.resolve().parent))
    try:
        yield staging
        for path in sorted(staging.iterdir()):
            os.replace(path, out / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
    except ValueError as exc:
        raise InputError(str(out / "summary.json"), f"is not valid JSON ({exc})") from None
    clusters = pd.read_csv(out / "clusters.csv", keep_default_na=False)
    for col in ("first_seen", "last_seen"):
        if col in clusters:
            clusters[col] = pd.to_datetime(clusters[col], utc=True, format="ISO8601")
    if (out / "timeline.csv").is_file():
        timeline = pd.read_csv(out / "timeline.csv", dtype={"event_id": str})
        timeline["start"] = pd.to_datetime(timeline["start"], utc=True, format="ISO8601")
    else:
        timeline = pd.DataFrame(columns=["event_id", "start", "observed", "expected"])
    return summary, clusters, timeline

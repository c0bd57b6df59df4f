"""Write a detection's output folder (``CONTRACT.md``) atomically.

Every file is first written into a temporary folder beside ``out_dir`` and moved
into place only when all of them were written, so a failed run leaves no
half-written file in ``out_dir``.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["write_outputs", "read_outputs", "OUTPUT_FILES"]

OUTPUT_FILES = ("registration_scores.csv", "clusters.csv", "summary.json", "report.html", "timeline.csv")


def _iso(values: pd.Series) -> pd.Series:
    """Timestamps as ISO 8601 strings with an offset (UTC, ``Z``)."""
    return pd.to_datetime(values, utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_outputs(result, out_dir) -> list[Path]:
    """Write ``result`` into ``out_dir`` and return the paths written.

    Parameters
    ----------
    result : DetectionResult
    out_dir : str or Path
        Created if needed. Files of earlier runs with the same names are replaced;
        other files are left alone.
    """
    from .report import render_report

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.resolve().parent))
    try:
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
        (staging / "report.html").write_text(render_report(result.summary, result.clusters, result.timeline),
                                             encoding="utf-8")
        written = []
        for name in OUTPUT_FILES:
            os.replace(staging / name, out / name)
            written.append(out / name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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

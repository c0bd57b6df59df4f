"""Score a detection against the simulator's ground truth.

The evaluator compares the ``registration_scores`` table of a detection (see
``CONTRACT.md``) with a ``truth`` table (``registration_id, campaign, surge``;
``campaign`` 0 means organic, ``surge`` > 0 marks an organic surge) and reports
the figures the quality targets are stated in.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["evaluate", "evaluate_dir", "Evaluation", "METRICS"]

#: Metric name -> plain-words description, in the order they are printed.
METRICS = {
    "precision": "flagged registrations that are campaign members",
    "recall": "campaign members that are flagged",
    "f1": "harmonic mean of precision and recall",
    "pr_auc": "average precision of score (area under the precision-recall curve)",
    "campaigns_found": "campaigns with at least half their members flagged",
    "campaigns_total": "campaigns in the truth",
    "fpr_organic": "share of organic registrations flagged",
    "fpr_surges": "share of registrations in organic surges flagged",
    "ari": "adjusted Rand index of cluster_id against campaigns",
    "estimate": "estimated_coordinated_registrations",
    "estimate_low": "lower end of the estimate's interval",
    "estimate_high": "upper end of the estimate's interval",
    "true_coordinated": "campaign registrations in the truth",
    "estimate_error": "relative error of the estimate, (estimate - true) / true",
    "estimate_covered": "the truth lies inside the estimate's interval",
}


@dataclass
class Evaluation:
    """Quality figures of one detection against ground truth.

    Attributes
    ----------
    metrics : dict
        Metric name -> value (plain Python numbers; NaN where undefined, e.g.
        recall on a scenario without campaigns). Names are those of :data:`METRICS`.
    per_campaign : pandas.DataFrame
        One row per campaign: its size, how many members were flagged, the
        share flagged and whether it counts as found.
    """

    metrics: dict
    per_campaign: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The metrics as a two-column table: ``metric, value`` plus a description."""
        rows = [(k, self.metrics.get(k), METRICS[k]) for k in METRICS if k in self.metrics]
        return pd.DataFrame(rows, columns=["metric", "value", "meaning"])

    def __getitem__(self, name: str):
        return self.metrics[name]

    def __repr__(self) -> str:
        lines = []
        for name, value, meaning in self.to_frame().itertuples(index=False):
            lines.append(f"{name:<18} {_fmt(value):>10}   {meaning}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.to_frame().assign(value=lambda d: d["value"].map(_fmt)).to_html(index=False)


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        return f"{value:.3f}" if abs(value) < 10 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else float("nan")


def evaluate(truth: pd.DataFrame, scores: pd.DataFrame, summary: dict | None = None,
             *, found_share: float = 0.5) -> Evaluation:
    """Compare a detection with the ground truth.

    Parameters
    ----------
    truth : pandas.DataFrame
        ``registration_id``, ``campaign`` (0 = organic) and optionally ``surge``
        (> 0 = inside an organic surge).
    scores : pandas.DataFrame
        The detection's ``registration_scores``: ``registration_id, score,
        cluster_id, flagged``.
    summary : dict, optional
        The detection's summary; when it holds ``estimated_coordinated_registrations``
        the estimate's error and coverage are reported.
    found_share : float, default 0.5
        A campaign counts as found when at least this share of its members is flagged.

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> truth = pd.DataFrame({"registration_id": ["a", "b", "c", "d"], "campaign": [0, 0, 1, 1]})
    >>> scores = pd.DataFrame({"registration_id": ["a", "b", "c", "d"], "score": [0.1, 0.6, 0.9, 0.8],
    ...                        "cluster_id": ["", "C1", "C1", "C1"], "flagged": [False, True, True, True]})
    >>> ev = evaluate(truth, scores)
    >>> ev["precision"], ev["recall"], ev["campaigns_found"]
    (0.6666666666666666, 1.0, 1)
    """
    t = truth[["registration_id", "campaign"] + (["surge"] if "surge" in truth else [])].copy()
    t["registration_id"] = t["registration_id"].astype(str)
    s = scores[["registration_id", "score", "cluster_id", "flagged"]].copy()
    s["registration_id"] = s["registration_id"].astype(str)
    merged = t.merge(s, on="registration_id", how="left", validate="one_to_one", indicator=True)
    missing = int((merged["_merge"] != "both").sum())
    if missing:
        first = merged.loc[merged["_merge"] != "both", "registration_id"].iloc[0]
        raise InputError("registration_scores", f"{missing} registrations of the truth have no score "
                         f"(first: {first!r}); evaluate the detection of the same data", column="registration_id")

    campaign = merged["campaign"].astype(int).to_numpy()
    positive = campaign > 0
    flagged = _as_bool(merged["flagged"]).to_numpy()
    score = pd.to_numeric(merged["score"], errors="coerce").fillna(0.0).to_numpy()

    tp = int((flagged & positive).sum())
    n_flagged = int(flagged.sum())
    n_pos = int(positive.sum())
    precision = _ratio(tp, n_flagged) if n_flagged else (float("nan") if n_pos else 1.0)
    recall = _ratio(tp, n_pos)
    f1 = (2 * precision * recall / (precision + recall)
          if n_pos and precision + recall > 0 else (0.0 if n_pos else float("nan")))

    metrics: dict = {"precision": precision, "recall": recall, "f1": float(f1)}
    if n_pos and n_pos < len(positive):
        from sklearn.metrics import average_precision_score
        metrics["pr_auc"] = float(average_precision_score(positive, score))
    else:
        metrics["pr_auc"] = float("nan")

    per = (pd.DataFrame({"campaign": campaign[positive], "flagged": flagged[positive]})
           .groupby("campaign")["flagged"].agg(size="size", flagged="sum").reset_index())
    per["share_flagged"] = per["flagged"] / per["size"]
    per["found"] = per["share_flagged"] >= found_share
    metrics["campaigns_found"] = int(per["found"].sum())
    metrics["campaigns_total"] = int(len(per))

    organic = ~positive
    metrics["fpr_organic"] = _ratio((flagged & organic).sum(), organic.sum())
    if "surge" in merged:
        in_surge = organic & (merged["surge"].fillna(0).astype(int).to_numpy() > 0)
        metrics["fpr_surges"] = _ratio((flagged & in_surge).sum(), in_surge.sum())

    from sklearn.metrics import adjusted_rand_score
    predicted = merged["cluster_id"].fillna("").astype(str).to_numpy()
    metrics["ari"] = float(adjusted_rand_score(campaign, predicted))

    estimate = _estimate(summary)
    if estimate is not None:
        value, low, high = estimate
        metrics.update(estimate=value, estimate_low=low, estimate_high=high, true_coordinated=n_pos)
        metrics["estimate_error"] = _ratio(value - n_pos, n_pos) if n_pos else float(value - n_pos)
        if low is not None and high is not None:
            metrics["estimate_covered"] = bool(low <= n_pos <= high)
    return Evaluation(metrics=metrics, per_campaign=per)


def _as_bool(values: pd.Series) -> pd.Series:
    if values.dtype == bool:
        return values
    return values.astype(str).str.strip().str.lower().isin({"true", "1", "yes"})


def _estimate(summary: dict | None):
    if not summary or "estimated_coordinated_registrations" not in summary:
        return None
    est = summary["estimated_coordinated_registrations"]
    if isinstance(est, dict):
        low, high = est.get("low"), est.get("high")
        return (float(est["value"]), None if low is None else float(low), None if high is None else float(high))
    return float(est), None, None


def evaluate_dir(truth_path, out_dir, *, found_share: float = 0.5) -> Evaluation:
    """Evaluate a ``detector detect`` output folder against a ``truth.csv`` file.

    Parameters
    ----------
    truth_path : str or Path
        The simulator's ``truth.csv``.
    out_dir : str or Path
        A folder written by ``detector detect``.
    found_share : float, default 0.5
        See :func:`evaluate`.

    Returns
    -------
    Evaluation
    """
    truth_path, out_dir = Path(truth_path), Path(out_dir)
    truth = _read_csv(truth_path, ["registration_id", "campaign"])
    bad = pd.to_numeric(truth["campaign"], errors="coerce")
    if bad.isna().any():
        row = int(np.flatnonzero(bad.isna().to_numpy())[0]) + 1
        raise InputError(truth_path.name, "campaign must be a whole number (0 = organic)", row=row, column="campaign")
    truth["campaign"] = bad.astype(int)
    if "surge" in truth:
        truth["surge"] = pd.to_numeric(truth["surge"], errors="coerce").fillna(0).astype(int)
    scores = _read_csv(out_dir / "registration_scores.csv", ["registration_id", "score", "cluster_id", "flagged"])
    summary_path = out_dir / "summary.json"
    summary = None
    if summary_path.is_file():
        try:
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise InputError(str(summary_path), f"is not valid JSON ({exc})") from None
    return evaluate(truth, scores, summary, found_share=found_share)


def _read_csv(path: Path, required: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(str(path), "file not found")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(str(path), f"cannot be read as a UTF-8 CSV ({exc})") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(str(path), f"lacks required column(s) {missing}; found {list(frame.columns)}",
                         column=missing[0])
    return frame

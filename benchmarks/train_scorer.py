"""Train the shipped cluster scorer (``detector/detection/cluster_model.json``) on simulator scenarios.

The user never needs labels: the scorer is trained here, once, on simulated data
whose truth is known, over features that name no platform, city or string (see
``detector/detection/scoring.py``). The ``elsewhere`` scenario (another city,
platform and vocabulary) is held out so that ``benchmarks/quality.py`` can show
the model generalises; evaluation seeds (0, 1, 2) are held out too.

    python benchmarks/train_scorer.py            # writes the model, prints its fit
    python benchmarks/train_scorer.py --dry-run  # prints only

A candidate cluster is labelled coordinated when most of its members belong to
one campaign. Two logistic regressions are fitted (scikit-learn, standardised
features, balanced classes): one without ``attended_gap`` (before the event)
and one with it. The 5% and 95% quantiles of the estimate's relative error on
these runs are stored too: they widen the interval of
``estimated_coordinated_registrations`` by the method's own systematic error.
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

import detector
from detector.detection.scoring import FEATURES, MODEL_PATH

TRAIN_SCENARIOS = ("tulsa", "easy", "medium", "hard", "organic")


def candidates(scenario: str, n: int, seed: int) -> tuple[pd.DataFrame, float | None]:
    """Candidate clusters with labels, and the relative error of the run's estimate (None without campaigns)."""
    sim = detector.simulate(scenario, n=n, seed=seed)
    data = detector.load(registrations=sim.registrations, posts=sim.posts, follows=sim.follows)
    result = detector.detect(data)
    true = int((sim.truth["campaign"] > 0).sum())
    error = result.summary["estimated_coordinated_registrations"]["value"] / true - 1.0 if true else None
    cand = result.candidates
    if cand.empty:
        return cand, error
    campaign = sim.truth["campaign"].to_numpy()
    cand = cand.copy()
    cand["purity"] = [float((campaign[m] > 0).mean()) for m in cand["members"]]
    cand["label"] = (cand["purity"] > 0.5).astype(int)
    cand["scenario"], cand["seed"], cand["n"] = scenario, seed, n
    return cand.drop(columns=["members"]), error


def fit(frame: pd.DataFrame, features: list[str]) -> tuple[dict, float]:
    X = frame[features].to_numpy(float)
    y = frame["label"].to_numpy()
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    z = (X - mean) / scale
    # weight clusters by size, so that the model is right where most registrations are
    weight = np.sqrt(frame["size"].to_numpy(float))
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    model.fit(z, y, sample_weight=weight)
    auc = roc_auc_score(y, model.decision_function(z)) if len(set(y)) == 2 else float("nan")
    return {"features": features, "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
            "coef": model.coef_[0].round(6).tolist(), "intercept": round(float(model.intercept_[0]), 6)}, auc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 60_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[100, 101, 102])
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    runs = [candidates(sc, n, seed) for sc in TRAIN_SCENARIOS for n in args.sizes for seed in args.seeds]
    frames = [frame for frame, _ in runs]
    errors = np.array([e for _, e in runs if e is not None])
    data = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    data["attended_gap"] = data["attended_gap"].fillna(0.0)
    print(f"{len(data)} candidate clusters, {int(data['label'].sum())} coordinated, "
          f"from {len(frames)} runs in {time.perf_counter() - start:.0f} s")
    print(data.groupby(["scenario", "label"]).size().unstack(fill_value=0).to_string())
    model = {}
    for name, feats in (("without_attended", list(FEATURES)), ("with_attended", list(FEATURES) + ["attended_gap"])):
        model[name], auc = fit(data, feats)
        print(f"{name}: training ROC-AUC {auc:.4f}")
        for f, c in zip(feats, model[name]["coef"]):
            print(f"  {f:<16} {c:+.3f}")
    # the estimate's systematic error on these runs widens its interval (see pipeline._summary)
    model["estimate_error"] = {"q05": round(float(np.quantile(errors, 0.05)), 4),
                               "q95": round(float(np.quantile(errors, 0.95)), 4), "runs": int(len(errors))}
    print(f"estimate relative error over {len(errors)} runs: 5% {model['estimate_error']['q05']:+.3f}, "
          f"95% {model['estimate_error']['q95']:+.3f}")
    if not args.dry_run:
        MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()

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
and one with it.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

import detector
from detector.detection.scoring import FEATURES, MODEL_PATH

TRAIN_SCENARIOS = ("tulsa", "easy", "medium", "hard", "organic")


def candidates(scenario: str, n: int, seed: int) -> pd.DataFrame:
    sim = detector.simulate(scenario, n=n, seed=seed)
    data = detector.load(registrations=sim.registrations, posts=sim.posts, follows=sim.follows)
    result = detector.detect(data)
    cand = result.candidates
    if cand.empty:
        return cand
    campaign = sim.truth["campaign"].to_numpy()
    cand = cand.copy()
    cand["purity"] = [float((campaign[m] > 0).mean()) for m in cand["members"]]
    cand["label"] = (cand["purity"] > 0.5).astype(int)
    cand["scenario"], cand["seed"], cand["n"] = scenario, seed, n
    return cand.drop(columns=["members"])


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
    frames = [candidates(sc, n, seed) for sc in TRAIN_SCENARIOS for n in args.sizes for seed in args.seeds]
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
    if not args.dry_run:
        MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()

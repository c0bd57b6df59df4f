"""CooRTweet 2.1.3's ground-truth simulator, ``simulate_data()``, in Python.

Written from its documentation (``man/simulate_data.Rd``) and checked against the R function's
behaviour (``--check-with-r``: CooRTweet's ``detect_groups`` on our worlds returns exactly the
coordinated pairs the simulator planted, the property its own example asserts). The parameters,
their defaults and meaning are CooRTweet's:

- ``n_accounts_coord`` coordinated and ``n_accounts_noncoord`` other accounts share
  ``n_objects`` objects;
- every pair of coordinated accounts co-shares ``Poisson(lambda_coord) + min_participation``
  times: account A at a time on a grid ``2 * time_window + 1`` seconds apart, account B
  ``0..time_window`` seconds later, each time a random object and two new posts;
- every pair of other accounts shares ``Poisson(lambda_noncoord)`` times, B
  ``time_window + 1 .. 2 * time_window + 1`` seconds after A: the same objects, just outside the
  window, on a grid twice the largest lag apart, after the coordinated block;
- without lambdas, both come from ``approx_size`` (a quarter of it spread over each group's pairs).

``simulate_data`` returns the posts in CooRTweet's columns (``object_id, account_id,
content_id, timestamp_share``, unique rows) and the planted pair table (``object_id,
content_id, content_id_y, time_delta, account_id, account_id_y, coordinated``);
``coordinated_accounts`` gives the truth for "account is coordinated".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["simulate_data", "coordinated_accounts", "f1", "SCENARIOS"]

T0 = 1_262_304_000   # 2010-01-01: R draws a start date in 2000-2020; the start changes nothing


def simulate_data(*, seed: int, approx_size: int = 200, n_accounts_coord: int = 5, n_accounts_noncoord: int = 4,
                  n_objects: int = 5, min_participation: int = 3, time_window: int = 10,
                  lambda_coord: float | None = None, lambda_noncoord: float | None = None):
    """One simulated world; see the module's notes. Deterministic for a seed.

    Returns
    -------
    posts : DataFrame
        ``object_id, account_id, content_id, timestamp_share`` (unix seconds).
    pairs : DataFrame
        The planted co-shares: ``object_id, content_id, content_id_y, time_delta, account_id,
        account_id_y, coordinated``.
    """
    if min(n_accounts_coord, n_accounts_noncoord, n_objects, time_window) < 1:
        raise ValueError("n_accounts_coord, n_accounts_noncoord, n_objects and time_window must be >= 1")
    rng = np.random.default_rng(seed)
    if lambda_coord is None or lambda_noncoord is None:
        lambda_coord = (approx_size / 4) / max(n_accounts_coord * (n_accounts_coord - 1) / 2, 1)
        lambda_noncoord = (approx_size / 4) / max(n_accounts_noncoord * (n_accounts_noncoord - 1) / 2, 1)
    coord = np.arange(1, n_accounts_coord + 1)
    other = np.arange(n_accounts_coord + 1, n_accounts_coord + n_accounts_noncoord + 1)

    def pairs_of(ids, lam, floor):
        i, j = np.triu_indices(len(ids), 1)
        n = rng.poisson(lam, len(i)) + floor
        return np.repeat(ids[i], n), np.repeat(ids[j], n)

    a_c, b_c = pairs_of(coord, lambda_coord, min_participation)
    a_n, b_n = pairs_of(other, lambda_noncoord, 0)
    obj_c = rng.integers(1, n_objects + 1, len(a_c))
    obj_n = rng.integers(1, n_objects + 1, len(a_n))
    # coordinated: A on a grid 2w + 1 apart, B 0..w later
    t_a_c = T0 + np.arange(len(a_c), dtype=np.int64) * (2 * time_window + 1)
    lag_c = rng.integers(0, time_window + 1, len(a_c))
    # the others: B w + 1 .. 2w + 1 later, on a grid twice the largest lag apart, after the coordinated block
    lag_n = 1 + time_window + rng.integers(1, time_window + 1, len(a_n))
    step = 2 * int(lag_n.max()) if len(lag_n) else 1
    start = (int((t_a_c + lag_c).max()) if len(a_c) else T0) + step
    t_a_n = start + np.arange(len(a_n), dtype=np.int64) * step
    n = len(a_c) + len(a_n)
    width_obj, width_acc = len(str(n_objects)), len(str(n_accounts_coord + n_accounts_noncoord))
    width_share = len(str(2 * n))
    obj = np.r_[obj_c, obj_n]
    table = pd.DataFrame({
        "object_id": [f"object_{o:0{width_obj}d}" for o in obj],
        "content_id": [f"share_{k:0{width_share}d}" for k in range(1, n + 1)],
        "content_id_y": [f"share_{k:0{width_share}d}" for k in range(n + 1, 2 * n + 1)],
        "time_delta": np.r_[lag_c, lag_n].astype(np.int64),
        "account_id": [f"account_{a:0{width_acc}d}" for a in np.r_[a_c, a_n]],
        "account_id_y": [f"account_{b:0{width_acc}d}" for b in np.r_[b_c, b_n]],
        "coordinated": np.r_[np.ones(len(a_c), bool), np.zeros(len(a_n), bool)],
    })
    t_a = np.r_[t_a_c, t_a_n]
    posts = pd.DataFrame({
        "object_id": np.r_[table["object_id"], table["object_id"]],
        "account_id": np.r_[table["account_id"], table["account_id_y"]],
        "content_id": np.r_[table["content_id"], table["content_id_y"]],
        "timestamp_share": np.r_[t_a, t_a + table["time_delta"].to_numpy()],
    }).drop_duplicates().reset_index(drop=True)
    return posts, table


def coordinated_accounts(pairs: pd.DataFrame) -> set:
    """The truth: accounts in at least one planted coordinated pair."""
    c = pairs[pairs["coordinated"]]
    return set(c["account_id"]) | set(c["account_id_y"])


def f1(predicted: set, truth: set) -> float:
    """F1 of "account is coordinated"."""
    tp = len(predicted & truth)
    if tp == 0:
        return 0.0
    precision, recall = tp / len(predicted), tp / len(truth)
    return 2 * precision * recall / (precision + recall)


#: name -> simulate_data parameters and the matching window (the simulator's time_window).
SCENARIOS = {
    "default": {"params": {}, "window": 10},
    "vignette": {"params": {"n_accounts_coord": 100, "n_accounts_noncoord": 50, "n_objects": 20,
                            "min_participation": 2, "time_window": 10}, "window": 10},
    "many_others": {"params": {"approx_size": 3000, "n_accounts_coord": 30, "n_accounts_noncoord": 300,
                               "n_objects": 200, "min_participation": 2, "time_window": 30}, "window": 30},
    "sparse": {"params": {"n_accounts_coord": 40, "n_accounts_noncoord": 80, "n_objects": 50,
                          "min_participation": 2, "time_window": 60, "lambda_coord": 0.5,
                          "lambda_noncoord": 2.0}, "window": 60},
}


def check_with_r(src: str, seeds=range(3)) -> None:
    """CooRTweet's detect_groups on our worlds finds exactly the planted coordinated pairs."""
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    script = Path(__file__).resolve().parent / "run_coortweet.R"
    for name, sc in SCENARIOS.items():
        for seed in seeds:
            posts, pairs = simulate_data(seed=seed, **sc["params"])
            with tempfile.TemporaryDirectory() as tmp:
                posts.to_csv(Path(tmp, "in.csv"), index=False)
                mp = sc["params"].get("min_participation", 3)
                subprocess.run(["Rscript", str(script), str(Path(tmp, "in.csv")), str(Path(tmp, "e.csv")),
                                str(sc["window"]), str(mp), "0.5"], check=True, capture_output=True,
                               env={**os.environ, "COORTWEET_SRC": src})
                found = pd.read_csv(Path(tmp, "e.csv.pairs.csv"), dtype=str)
            planted = pairs[pairs["coordinated"]]
            key = ["object_id", "content_id", "content_id_y", "account_id", "account_id_y"]
            same = set(map(tuple, found[key].to_numpy())) == set(map(tuple, planted[key].to_numpy()))
            print(f"{name:<12} seed {seed}: {len(planted):,} planted pairs, detect_groups found {len(found):,}: "
                  f"{'identical' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    import argparse
    import os

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check-with-r", action="store_true", help="needs Rscript and $COORTWEET_SRC")
    args = ap.parse_args()
    if args.check_with_r:
        check_with_r(os.environ["COORTWEET_SRC"])
    for name, sc in SCENARIOS.items():
        posts, pairs = simulate_data(seed=0, **sc["params"])
        print(f"{name:<12} {len(posts):,} posts, {posts['account_id'].nunique():,} accounts, "
              f"{len(coordinated_accounts(pairs)):,} coordinated")

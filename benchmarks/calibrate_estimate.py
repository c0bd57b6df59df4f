"""Calibrate the widening of the coordinated-registrations estimate on randomised tuning worlds.

``estimated_coordinated_registrations`` sums score x size over candidate clusters. Campaign
members that no cluster holds are missed, so the value falls short of the truth by an amount
that the data alone cannot show. This script measures that shortfall on randomised worlds of
the *tuning* seeds (``detector.simulate("random", seed=S)``, S in 0-999; the held-out seeds
1000+ are what ``benchmarks/transfer.py`` reports), and writes the factor ``k`` such that the
high end ``max(unwidened high end, k x value)`` covers the truth in ``--coverage`` of them:

    python benchmarks/calibrate_estimate.py              # 100 worlds, seeds 0-99, writes the file
    python benchmarks/calibrate_estimate.py --dry-run    # prints only

It writes ``detector/detection/estimate_calibration.json``. Nothing else in detection is fitted.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "detector" / "detection" / "estimate_calibration.json"


def _transfer():
    spec = importlib.util.spec_from_file_location("transfer", HERE / "transfer.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["transfer"] = module
    spec.loader.exec_module(module)
    return module


def required_factor(true: float, value: float, unwidened_high: float) -> float:
    """The least ``k`` with ``true <= max(unwidened_high, k * value)`` (inf when no k does).

    >>> required_factor(100, 50, 80), required_factor(100, 50, 120), required_factor(10, 0, 0)
    (2.0, 1.0, inf)
    """
    if true <= max(unwidened_high, value):
        return 1.0
    return true / value if value > 0 else float("inf")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worlds", type=int, default=100)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--coverage", type=float, default=0.9)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    if args.first_seed + args.worlds > 1000:
        parser.error("calibrate on tuning seeds only (0-999)")
    transfer = _transfer()
    tasks = [{"family": "random", "seed": s, "n": args.n} for s in range(args.first_seed, args.first_seed + args.worlds)]
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(transfer.run_world, tasks))
    factors = []
    for r in rows:
        if r.get("error"):
            print(f"seed {r['seed']}: failed\n{r['error']}", file=sys.stderr)
            continue
        if r["true_coordinated"] == 0:
            factors.append(1.0)          # the low end is 0: covered whatever the factor
            continue
        factors.append(required_factor(r["true_coordinated"], r["estimate"], r["estimate_high_unwidened"]))
    factors = np.array(factors)
    k = float(np.quantile(factors, args.coverage, method="higher"))
    print(f"worlds {len(factors)} (seeds {args.first_seed}-{args.first_seed + args.worlds - 1}, n={args.n:,})")
    print(f"covered without widening: {(factors <= 1.0).mean():.2f}")
    for q in (0.5, 0.75, 0.85, 0.9, 0.95):
        print(f"  factor needed for {q:.0%} coverage: {np.quantile(factors, q, method='higher'):.2f}")
    print(f"upper_factor = {k:.3f}")
    if not args.dry_run:
        if not np.isfinite(k):
            sys.exit("the factor is infinite (too many worlds with nothing found); not written")
        OUT.write_text(json.dumps({"upper_factor": round(k, 3), "coverage": args.coverage,
                                   "worlds": len(factors), "seeds": [args.first_seed, args.first_seed + args.worlds - 1],
                                   "n": args.n, "script": "benchmarks/calibrate_estimate.py"}, indent=1) + "\n",
                       encoding="utf-8")
        print(f"written to {OUT}")


if __name__ == "__main__":
    main()

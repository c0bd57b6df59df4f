"""Benchmark: detection on pseudonymized registrations against detection on the raw ones.

For the named scenarios ``tulsa``, ``easy`` and ``hard`` (seed 0) and the domain-randomised
``random`` worlds of seeds 1000-1002, all at ``n`` registrations (default 20,000), the script
simulates, drops ``attended`` (an export taken before the event), loads the table with
:func:`detector.load` as a user would, and runs :func:`detector.detect` twice: on the loaded
table and on :func:`detector.privacy.pseudonymize` of it (fixed key). Printed per world:

f1 raw, f1 pseud, diff
    F1 of ``flagged`` against campaign membership (``truth.campaign != 0``), and the change.
same flags
    Share of registrations flagged alike in both runs.
same scores
    Whether every registration's score is identical.
pseud s
    Seconds in ``pseudonymize`` (compiled kernels warm).

Then the time ``pseudonymize`` takes on ``--big-n`` registrations (default 1,000,000, the
``tulsa`` scenario, loaded), per column and in total, after a warm-up call. Figures other than
timings are deterministic.

Run: ``python benchmarks/pseudonymize_quality.py [--n 20000] [--big-n 1000000] [--no-big]``
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np

import detector
from detector.privacy import key_from, pseudonymize

WORLDS = [("tulsa", 0), ("easy", 0), ("hard", 0), ("random", 1000), ("random", 1001), ("random", 1002)]
PERSONAL = ["email", "phone", "name", "ip", "postal_code", "referrer"]


def f1(sim, result) -> float:
    flagged = result.registrations.set_index("registration_id")["flagged"]
    truth = sim.truth.set_index("registration_id")["campaign"] != 0
    flagged = flagged.reindex(truth.index).to_numpy(bool)
    return float(2 * (flagged & truth.to_numpy()).sum() / max(flagged.sum() + truth.sum(), 1))


def quality(n: int, key: bytes) -> None:
    print(f"== detection, raw vs pseudonymized (n = {n:,}) ==")
    print(f"{'world':<13} {'columns':>7} {'f1 raw':>7} {'f1 pseud':>8} {'diff':>7} {'same flags':>10} "
          f"{'same scores':>11} {'pseud s':>7}")
    diffs = []
    for scenario, seed in WORLDS:
        sim = detector.simulate(scenario, n=n, seed=seed)
        regs = detector.load(registrations=sim.registrations.drop(columns=["attended"])).registrations
        t0 = time.perf_counter()
        pseud = pseudonymize(regs, key)
        seconds = time.perf_counter() - t0
        raw_result, pseud_result = detector.detect(regs, progress=False), detector.detect(pseud, progress=False)
        a, b = f1(sim, raw_result), f1(sim, pseud_result)
        same = (raw_result.registrations["flagged"] == pseud_result.registrations["flagged"]).mean()
        scores = np.array_equal(raw_result.registrations["score"], pseud_result.registrations["score"])
        diffs.append(b - a)
        print(f"{scenario + '-' + str(seed):<13} {sum(c in regs for c in PERSONAL):>7} {a:>7.4f} {b:>8.4f} "
              f"{b - a:>+7.4f} {same:>10.4f} {str(scores):>11} {seconds:>7.2f}", flush=True)
    print(f"largest |diff|: {max(abs(d) for d in diffs):.4f} (target <= 0.01)")


def timing(big_n: int, key: bytes) -> None:
    t0 = time.perf_counter()
    sim = detector.simulate("tulsa", n=big_n, seed=0)
    regs = detector.load(registrations=sim.registrations.drop(columns=["attended"])).registrations
    del sim
    print(f"\n== pseudonymize at n = {big_n:,} (tulsa, loaded; simulated in {time.perf_counter() - t0:.0f} s) ==")
    pseudonymize(regs.head(1000), key)                       # compiled kernels loaded
    print(f"{'column':<12} {'distinct':>9} {'seconds':>8}")
    for column in PERSONAL:
        t0 = time.perf_counter()
        pseudonymize(regs[[column]], key)
        print(f"{column:<12} {regs[column].nunique():>9,} {time.perf_counter() - t0:>8.2f}", flush=True)
    t0 = time.perf_counter()
    pseudonymize(regs, key)
    seconds = time.perf_counter() - t0
    print(f"{'all':<12} {'':>9} {seconds:>8.2f}   ({big_n / seconds:,.0f} rows/s)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--big-n", type=int, default=1_000_000)
    parser.add_argument("--no-big", action="store_true", help="skip the timing at --big-n")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load average {load:.1f}")
    key = key_from("benchmark key: not a secret")
    quality(args.n, key)
    if not args.no_big:
        timing(args.big_n, key)
    return 0


if __name__ == "__main__":
    sys.exit(main())

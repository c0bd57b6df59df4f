"""Benchmark: burst detection against injected campaigns, beside astropy's Bayesian blocks.

The yardstick the product owner set. Each trial is 24 h of Poisson background at one
sign-up a minute (integer Unix seconds) with ``K`` sign-ups spread uniformly over ``W``
minutes at a random start. A segment is *flagged* when its rate is above 3x the background
(3 a minute); a trial is a *detection* when a flagged segment overlaps the true window, and
its IoU is that of the best flagged segment. *False* counts flagged segments that miss the
window. Bayesian blocks (``fitness="events"``, ``p0=0.05``) is run on the same data, with
adjacent flagged blocks merged into one segment (which can only help it).

Speed: 100,000 events over 10 days (daily cycle, three campaigns), ours best of 3 runs,
astropy's quadratic ``bayesian_blocks`` once (about 90 s on one core); ``--astropy-n 30000``
times astropy on a random subset instead, and then also prints an n**2 extrapolation,
labelled as such. Without astropy installed the script prints ours alone.

Run: ``python benchmarks/bursts.py [--seeds 10] [--astropy-n 30000] [--no-astropy]``
"""
from __future__ import annotations

import argparse
import importlib.util
import time

import numpy as np

from detector.detection.bursts import detect_bursts

T0 = 1_700_006_400   # a midnight, UTC
CELLS = [(10, 10), (30, 10), (100, 10), (1000, 10), (300, 60), (1000, 60)]
BACKGROUND = 1 / 60  # events per second
REFERENCE = {"bayesian_blocks": [(0, 0), (1, .90), (1, .98), (1, .996), (1, .985), (1, .997)],
             "pelt": [(0, 0), (.9, .73), (1, .81), (1, .61), (1, .96), (1, .95)]}


def trial(seed, k, w):
    """One day of background plus ``k`` events over ``w`` minutes: (times, (start, end))."""
    rng = np.random.default_rng(seed)
    background = rng.uniform(0, 86_400, rng.poisson(86_400 * BACKGROUND))
    start = rng.uniform(0, 86_400 - 60 * w)
    injected = start + rng.uniform(0, 60 * w, k)
    times = np.sort(T0 + np.floor(np.concatenate([background, injected]))).astype(np.int64)
    return times, (T0 + start, T0 + start + 60 * w)


def ours(times):
    return [(b.start.value / 1e9, b.end.value / 1e9) for b in detect_bursts(times)]


def bayesian_blocks_segments(times):
    from astropy.stats import bayesian_blocks
    t = times.astype(float)
    edges = bayesian_blocks(t, fitness="events", p0=0.05)
    counts = np.histogram(t, bins=edges)[0]
    segments = []
    for i in np.flatnonzero(counts / np.diff(edges) > 3 * BACKGROUND):
        if segments and segments[-1][1] == edges[i]:
            segments[-1][1] = edges[i + 1]
        else:
            segments.append([edges[i], edges[i + 1]])
    return segments


def score(times, segments, truth):
    """(detected, best IoU, false segments) over the segments flagged at > 3x background."""
    a, b = truth
    best, false, hit = 0.0, 0, False
    for s, e in segments:
        n = np.searchsorted(times, e, "left") - np.searchsorted(times, s, "left")
        if e <= s or n / (e - s) <= 3 * BACKGROUND:
            continue
        inter = max(0.0, min(e, b) - max(s, a))
        hit |= inter > 0
        false += inter == 0
        best = max(best, inter / (max(e, b) - min(s, a)))
    return hit, best, false


def speed_data(n=100_000, seed=0):
    """``n`` events over 10 days with a daily cycle and three campaigns."""
    rng = np.random.default_rng(seed)
    span = 10 * 86_400
    hour = lambda t: (t % 86_400) / 3600  # noqa: E731
    shape = lambda t: 1 + 0.8 * np.sin(2 * np.pi * (hour(t) - 14) / 24)  # noqa: E731
    t = rng.uniform(0, span, 3 * n)
    t = t[rng.uniform(0, 1.8, t.size) < shape(t)][: n - 3000]
    campaigns = [rng.uniform(c, c + 1200, 1000) for c in rng.uniform(0, span - 1200, 3)]
    return np.sort(T0 + np.concatenate([t, *campaigns])).astype(np.int64)


def best_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--astropy-n", type=int, default=100_000,
                        help="events to time astropy on (it is quadratic: 100k take about 90 s)")
    parser.add_argument("--no-astropy", action="store_true")
    args = parser.parse_args()
    methods = {"ours": ours}
    if not args.no_astropy and importlib.util.find_spec("astropy") is not None:
        methods["bayesian_blocks"] = bayesian_blocks_segments

    print(f"Detection rate / mean IoU / false segments, {args.seeds} seeds; flagged = rate > 3x background")
    print(f"{'K':>5} {'W':>4} | " + " | ".join(f"{m:^25}" for m in methods))
    totals = {m: 0.0 for m in methods}
    for k, w in CELLS:
        row = []
        for name, method in methods.items():
            stats = []
            for seed in range(args.seeds):
                times, truth = trial(seed, k, w)
                t0 = time.perf_counter()
                segments = method(times)
                totals[name] += time.perf_counter() - t0
                stats.append(score(times, segments, truth))
            hit, iou, false = np.array(stats, dtype=float).T
            row.append(f"det {hit.mean():4.2f} IoU {iou.mean():5.3f} false {int(false.sum()):2d}")
        print(f"{k:5d} {w:4d} | " + " | ".join(row))
    print("time on the grid: " + ", ".join(f"{m} {t:.2f} s" for m, t in totals.items()))
    print("reference, measured elsewhere on other draws (det/IoU): bayesian_blocks " +
          ", ".join(f"{d}/{i}" for d, i in REFERENCE["bayesian_blocks"]) + "; ruptures PELT " +
          ", ".join(f"{d}/{i}" for d, i in REFERENCE["pelt"]))

    big = speed_data()
    ours_full = best_time(lambda: detect_bursts(big), 3)
    print(f"\nSpeed: ours on {big.size:,} events over 10 days: {ours_full:.3f} s")
    if "bayesian_blocks" in methods:
        from astropy.stats import bayesian_blocks
        n = min(args.astropy_n, big.size)
        sub = big if n == big.size else np.sort(np.random.default_rng(1).choice(big, n, replace=False))
        ours_sub = ours_full if n == big.size else best_time(lambda: detect_bursts(sub), 3)
        theirs = best_time(lambda: bayesian_blocks(sub.astype(float), fitness="events", p0=0.05), 1)
        print(f"astropy bayesian_blocks on {n:,} events: {theirs:.1f} s; ours {ours_sub:.3f} s; "
              f"measured ratio {theirs / ours_sub:,.0f}x")
        if n != big.size:
            guess = theirs * (big.size / n) ** 2
            print(f"astropy at {big.size:,} extrapolated as n^2 (not measured): "
                  f"~{guess:.0f} s, ~{guess / ours_full:,.0f}x ours")


if __name__ == "__main__":
    main()

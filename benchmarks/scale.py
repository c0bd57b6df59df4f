"""Benchmark: time and memory of ``load`` and ``detect`` on one large registrations file.

A child process simulates ``--scenario`` (default ``tulsa``) at ``--n`` registrations
(default 1,000,000) and writes the registrations, without ``attended`` (an export taken
before the event), to a temporary CSV in the contract's format (ISO 8601 timestamps with
the local offset). The parent then times :func:`detector.load` on that file and
:func:`detector.detect` on the result, separately (``time.perf_counter``), and reads its
peak resident set size (``resource.getrusage``, ``ru_maxrss``) after the imports, after
``load`` and after ``detect``. Peak RSS only grows, so each row is the peak so far; the
simulation runs in its own process so that its memory does not hide that of ``load`` and
``detect`` (its own peak is shown on the first row). With ``--posts`` the simulated posts and
follows are written too and loaded with the registrations, so ``detect`` also finds account
clusters and trigger posts.

Run: ``python benchmarks/scale.py [--n 1000000] [--seed 0] [--scenario tulsa] [--posts]``
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time


def peak_rss_mib(who=resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MiB (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def write_registrations(scenario: str, n: int, seed: int, path: str, posts: bool = False) -> None:
    """Simulate and write the registrations CSV, and with ``posts`` the posts and follows
    beside it (runs in a child process)."""
    import detector
    from detector.simulation import iso_local

    sim = detector.simulate(scenario, n=n, seed=seed)
    regs = sim.registrations.drop(columns="attended")
    regs = regs.assign(created_at=iso_local(regs["created_at"], sim.timezone))
    regs.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    if posts:
        folder = os.path.dirname(path)
        sim.posts.assign(created_at=iso_local(sim.posts["created_at"], sim.timezone)).to_csv(
            os.path.join(folder, "posts.csv"), index=False, encoding="utf-8", lineterminator="\n")
        sim.follows.to_csv(os.path.join(folder, "follows.csv"), index=False, encoding="utf-8", lineterminator="\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="registrations (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scenario", default="tulsa")
    parser.add_argument("--posts", action="store_true", help="also load the posts and follows")
    args = parser.parse_args(argv)

    import pandas as pd

    import detector
    import detector.detection  # noqa: F401  (imported now so that the baseline RSS includes it)
    import detector.loading  # noqa: F401

    print(f"detector {detector.__version__} scale benchmark: {args.scenario}, n={args.n:,}, seed {args.seed}")
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()} {platform.system()}, "
          f"Python {platform.python_version()}, pandas {pd.__version__}")
    with tempfile.TemporaryDirectory(prefix="detector-scale-") as tmp:
        path = os.path.join(tmp, "registrations.csv")
        t0 = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(
            target=write_registrations, args=(args.scenario, args.n, args.seed, path, args.posts))
        child.start()
        child.join()
        if child.exitcode != 0:
            sys.exit(f"simulation failed (exit code {child.exitcode})")
        simulate_s = time.perf_counter() - t0
        size_mib = os.path.getsize(path) / 2**20
        rows = [("simulate + write CSV (child)", simulate_s, peak_rss_mib(resource.RUSAGE_CHILDREN), "")]
        rows.append(("imports (baseline)", float("nan"), peak_rss_mib(), ""))

        t0 = time.perf_counter()
        extra = {"posts": os.path.join(tmp, "posts.csv"), "follows": os.path.join(tmp, "follows.csv")} \
            if args.posts else {}
        data = detector.load(registrations=path, **extra)
        load_s = time.perf_counter() - t0
        note = f"{args.n / load_s:,.0f} registrations/s, {size_mib:,.1f} MiB CSV"
        if args.posts:
            note += f" (+ {len(data.posts):,} posts, {len(data.follows):,} follows)"
        rows.append(("load", load_s, peak_rss_mib(), note))

        t0 = time.perf_counter()
        result = detector.detect(data)
        detect_s = time.perf_counter() - t0
        counts = result.summary["counts"]
        rows.append(("detect", detect_s, peak_rss_mib(),
                     f"{args.n / detect_s:,.0f} rows/s, {counts['flagged']:,} flagged in {counts['clusters']} clusters"
                     + (f", {int(result.accounts.clusters['flagged'].sum())} account clusters" if args.posts else "")))
        rows.append(("load + detect", load_s + detect_s, peak_rss_mib(), ""))

    print(f"\n{'step':<30} {'seconds':>8} {'peak RSS MiB':>13}  note")
    for step, seconds, rss, note in rows:
        shown = "-" if seconds != seconds else f"{seconds:.2f}"
        print(f"{step:<30} {shown:>8} {rss:>13,.0f}  {note}")


if __name__ == "__main__":
    main()

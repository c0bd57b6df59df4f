"""Benchmark: ``detector detect`` end to end at scale, as a batch job runs it.

For each size (default 100,000 and 1,000,000 registrations) a child process simulates
``--scenario`` (default ``tulsa``) with as many posts as registrations (``noise_accounts`` set
so; follows come with them) and writes the contract's CSV files (ISO 8601 timestamps with the
local offset, no ``attended``: an export taken before the event). Then, in this one run:

- **pyarrow's bare read**: ``pyarrow.csv.read_csv`` of the three files, every column as text,
  best of ``--runs`` (the floor any CSV tool pays);
- **end to end**: ``detector detect -r ... --posts ... --follows ... --out DIR -q`` in a
  subprocess (read, detect, write every output), best of ``--runs``: wall time and the
  subprocess's peak resident set size (``os.wait4``'s ``ru_maxrss``).

It prints, per size, the wall time, the peak memory, the ratio to pyarrow's read, and the
growth from the smallest size to the largest, then the issue's targets with PASS/FAIL.

Run: ``python benchmarks/scale.py [--sizes 100000 1000000] [--runs 3] [--scenario tulsa] [--seed 0]``
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time

#: posts per registration in the default tulsa scenario grow by ~1.0 per unit of noise_accounts
#: (0.2 gives ~0.39 posts per registration, 0.82 about one)
NOISE_FOR_ONE_POST_EACH = 0.82


def write_world(scenario: str, n: int, seed: int, folder: str) -> None:
    """Simulate and write registrations, posts and follows as CSV (runs in a child process)."""
    import detector
    from detector.simulation import iso_local

    sim = detector.simulate(scenario, n=n, seed=seed, noise_accounts=NOISE_FOR_ONE_POST_EACH)
    regs = sim.registrations.drop(columns="attended")
    regs.assign(created_at=iso_local(regs["created_at"], sim.timezone)).to_csv(
        os.path.join(folder, "registrations.csv"), index=False, encoding="utf-8", lineterminator="\n")
    sim.posts.assign(created_at=iso_local(sim.posts["created_at"], sim.timezone)).to_csv(
        os.path.join(folder, "posts.csv"), index=False, encoding="utf-8", lineterminator="\n")
    sim.follows.to_csv(os.path.join(folder, "follows.csv"), index=False, encoding="utf-8", lineterminator="\n")


def bare_read(folder: str) -> float:
    """Seconds pyarrow takes to read the three files, every column as text."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    start = time.perf_counter()
    for name in ("registrations.csv", "posts.csv", "follows.csv"):
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as fh:
            header = fh.readline().rstrip("\n").split(",")
        pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(column_types={c: pa.large_string() for c in header}))
    return time.perf_counter() - start


def end_to_end(folder: str, out: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``detector detect`` over the folder's files."""
    cmd = [sys.executable, "-m", "detector", "detect", "-r", os.path.join(folder, "registrations.csv"),
           "--posts", os.path.join(folder, "posts.csv"), "--follows", os.path.join(folder, "follows.csv"),
           "--out", out, "-q", "--no-progress"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"detect failed: {err[-2000:]}")
    peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return wall, peak


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; the best is shown")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scenario", default="tulsa")
    args = parser.parse_args(argv)

    import pandas as pd

    import detector

    print(f"detector {detector.__version__} scale benchmark: {args.scenario}, sizes {args.sizes}, seed {args.seed}, "
          f"best of {args.runs}")
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()} {platform.system()}, "
          f"Python {platform.python_version()}, pandas {pd.__version__}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="detector-scale-") as tmp:
        for n in sorted(args.sizes):
            folder = os.path.join(tmp, f"n{n}")
            os.makedirs(folder)
            child = multiprocessing.get_context("spawn").Process(target=write_world,
                                                                 args=(args.scenario, n, args.seed, folder))
            child.start()
            child.join()
            if child.exitcode != 0:
                sys.exit(f"simulation failed (exit code {child.exitcode})")
            counts = {name: sum(1 for _ in open(os.path.join(folder, f"{name}.csv"), encoding="utf-8")) - 1
                      for name in ("registrations", "posts", "follows")}
            mib = sum(os.path.getsize(os.path.join(folder, f"{k}.csv")) for k in counts) / 2**20
            reads = [bare_read(folder) for _ in range(args.runs)]
            runs = [end_to_end(folder, os.path.join(tmp, f"out{n}")) for _ in range(args.runs)]
            wall = min(r[0] for r in runs)
            peak = min(r[1] for r in runs)
            print(f"n={n:,}: {counts['posts']:,} posts, {counts['follows']:,} follows, {mib:,.0f} MiB of CSV; "
                  f"detect runs {', '.join(f'{w:.1f} s/{p:,.0f} MiB' for w, p in runs)}; "
                  f"pyarrow reads {', '.join(f'{r:.2f} s' for r in reads)}", flush=True)
            rows.append((n, counts, wall, peak, min(reads)))

    print(f"\n{'registrations':>13} {'posts':>10} {'follows':>10} {'wall s':>7} {'peak MiB':>9} {'pyarrow s':>9} "
          f"{'x read':>7}")
    for n, counts, wall, peak, read in rows:
        print(f"{n:>13,} {counts['posts']:>10,} {counts['follows']:>10,} {wall:>7.1f} {peak:>9,.0f} {read:>9.2f} "
              f"{wall / read:>7.1f}")
    small, large = rows[0], rows[-1]
    growth = large[2] / small[2]
    print(f"\ngrowth: {large[0]:,} vs {small[0]:,} registrations ({large[0] / small[0]:.0f}x the data): "
          f"{growth:.1f}x the time")
    if large[0] >= 1_000_000:
        print("\n== TARGETS (1M registrations + as many posts, end to end) ==")
        for what, ok, shown in (
                ("wall time <= 30 s", large[2] <= 30, f"{large[2]:.1f} s"),
                ("peak memory <= 2.5 GB", large[3] <= 2.5 * 1024, f"{large[3] / 1024:.2f} GiB"),
                ("<= 25x pyarrow's bare read", large[2] / large[4] <= 25, f"{large[2] / large[4]:.1f}x"),
                (f"time at {large[0]:,} <= 11x time at {small[0]:,}", growth <= 11, f"{growth:.1f}x")):
            print(f"{what:<45} {shown:>10}  {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()

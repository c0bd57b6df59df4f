"""Time and peak memory of ``token_matrix``: the implementation it replaced (kept verbatim as
``reference_token_matrix`` in tests/test_features_speed.py) against the current one.

    python benchmarks/features.py                       # n = 100,000 and 1,000,000, best of 3
    python benchmarks/features.py --sizes 100000 --repeat 5
    python benchmarks/features.py --data 1000000=/work/scratch/s11/data1m   # read CSVs, not simulate

Each world is ``detector.simulate("tulsa", n, seed=0)`` (registrations, posts and follows) read
through ``detector.load``, as ``detect`` sees it, unless ``--data N=DIR`` names a folder of
``registrations.csv``, ``posts.csv`` and ``follows.csv`` to read instead. Every measurement runs
in a fresh process that loads the tables and calls ``token_matrix(registrations, posts, follows)``
once, the old and the new implementation taking turns, so that both see the same machine:

- ``seconds``: wall clock of the call (best and median of ``--repeat`` runs), and its CPU time;
- ``peak MB``: the largest resident memory during the call above the resident memory before it
  (the kernel's high-water mark, reset just before the call), the least of the runs;
- ``output MB``: the size of the result (X's arrays and the names).

The script also checks that both implementations give identical output (names, facets and X,
array for array) and says so.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _status_mb(key: str) -> float:
    with open("/proc/self/status") as f:
        return int(re.search(rf"^{key}:\s+(\d+) kB", f.read(), re.M).group(1)) / 1024


def _worker(which: str, path: str) -> None:
    """Run one implementation once on the pickled tables; print one JSON line."""
    import gc

    import numpy as np

    sys.path.insert(0, str(ROOT / "tests"))
    if which == "old":
        from test_features_speed import reference_token_matrix as build
    else:
        from detector.detection.features import token_matrix as build
    with open(path, "rb") as f:
        regs, posts, follows = pickle.load(f)
    gc.collect()
    before = _status_mb("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")                        # reset the high-water mark to the current size
        hwm = True
    except OSError:
        hwm = False
    cpu, wall = time.process_time(), time.perf_counter()
    tm = build(regs, posts, follows)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _status_mb("VmHWM") - before if hwm else float("nan")
    X = tm.X
    digest = hashlib.sha1()
    for a in (np.asarray(X.shape), X.indptr, X.indices, X.data):
        digest.update(str(a.dtype).encode())
        digest.update(np.ascontiguousarray(a).tobytes())
    for a in (tm.names, tm.facets):
        digest.update(str(a.dtype).encode())
        digest.update("\x00".join(map(str, a.tolist())).encode())
    out = (X.data.nbytes + X.indices.nbytes + X.indptr.nbytes + sum(sys.getsizeof(n) for n in tm.names)) / 2**20
    print(json.dumps({"seconds": wall, "cpu": cpu, "peak_mb": peak, "output_mb": out, "nnz": int(X.nnz),
                      "tokens": int(X.shape[1]), "digest": digest.hexdigest()}))


def _prepare(n: int, folder: str | None, out: Path) -> Path:
    import detector

    t = time.perf_counter()
    if folder:
        d = Path(folder)
        data = detector.load(registrations=d / "registrations.csv", posts=d / "posts.csv", follows=d / "follows.csv")
        how = f"read from {folder}"
    else:
        sim = detector.simulate("tulsa", n=n, seed=0)
        data = detector.load(registrations=sim.registrations, posts=sim.posts, follows=sim.follows)
        how = "simulated (tulsa, seed 0)"
    path = out / f"tables_{n}.pkl"
    with open(path, "wb") as f:
        pickle.dump((data.registrations, data.posts, data.follows), f, protocol=5)
    print(f"n = {len(data.registrations):,}: {how}, {len(data.posts):,} posts, {len(data.follows):,} follows "
          f"({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    return path


def _run(which: str, path: Path) -> dict:
    r = subprocess.run([sys.executable, __file__, "--worker", which, str(path)], capture_output=True, text=True,
                       cwd=ROOT)
    if r.returncode:
        raise SystemExit(f"{which} failed:\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data", nargs="*", default=[], metavar="N=DIR",
                    help="read the world of size N from DIR's CSVs instead of simulating it")
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        _worker(*args.worker)
        return
    folders = dict(item.split("=", 1) for item in args.data)
    rows = []
    with tempfile.TemporaryDirectory(prefix="features-bench-") as tmp:
        for n in args.sizes:
            path = _prepare(n, folders.get(str(n)), Path(tmp))
            runs = {"old": [], "new": []}
            for k in range(args.repeat):
                for which in ("old", "new"):
                    runs[which].append(_run(which, path))
                    r = runs[which][-1]
                    print(f"  n={n:,} {which} run {k + 1}: {r['seconds']:.2f} s, {r['peak_mb']:.0f} MB",
                          file=sys.stderr)
            os.remove(path)
            same = {r["digest"] for r in runs["old"] + runs["new"]}
            rows.append((n, runs, len(same) == 1))
    print(f"token_matrix, best of {args.repeat} (peak: resident memory above the start of the call)\n")
    head = (f"{'n':>10} {'impl':>4} {'best s':>8} {'median s':>9} {'cpu s':>7} {'peak MB':>8} {'output MB':>10} "
            f"{'tokens':>10} {'nnz':>11}")
    print(head)
    print("-" * len(head))
    for n, runs, same in rows:
        summary = {}
        for which in ("old", "new"):
            rs = runs[which]
            times = sorted(r["seconds"] for r in rs)
            best = min(rs, key=lambda r: r["seconds"])
            peak = min(r["peak_mb"] for r in rs)
            summary[which] = (times[0], peak)
            print(f"{n:>10,} {which:>4} {times[0]:>8.2f} {times[len(times) // 2]:>9.2f} {best['cpu']:>7.2f} "
                  f"{peak:>8.0f} {best['output_mb']:>10.0f} {best['tokens']:>10,} {best['nnz']:>11,}")
        (t_old, m_old), (t_new, m_new) = summary["old"], summary["new"]
        print(f"{'':>10} {'':>4} {t_old / t_new:>7.1f}x faster, peak memory {m_new / m_old:.0%} of before; "
              f"output {'IDENTICAL' if same else 'DIFFERENT'}")
    if not all(same for _, _, same in rows):
        raise SystemExit("the outputs differ")


if __name__ == "__main__":
    main()

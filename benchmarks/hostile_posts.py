"""One very popular object: many posts of the same URL by few accounts in one minute.

Builds 200,000 posts (unique post ids) of one URL by 200 accounts, spread uniformly over 60 s,
and a small registrations file whose account ids include some of the 200, then runs

- ``detector network --posts P --out O --kind link --null 0`` (evidence written), and
- ``detector detect -r REGS --posts P --out O``

each in its own subprocess, and prints the wall time, the peak RSS (the child's ``ru_maxrss``,
from ``os.wait4``) and the exit code; a run is killed past ``--timeout`` seconds or
``--limit-mb`` of resident memory. Every post is within the window of every other, so there are
200k x 200k post pairs but only 200 x 199 account pairs: time and memory must follow the
account pairs.

Run: ``python benchmarks/hostile_posts.py [--posts 200000] [--accounts 200] [--timeout 900]
[--limit-mb 12000] [--keep DIR]``. Figures on a shared 2-core machine vary by a few seconds.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def build(folder: Path, n_posts: int, n_accounts: int, seed: int = 0) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp("2024-03-01T12:00:00Z")
    accounts = np.array([f"acct{k:04d}" for k in range(n_accounts)], dtype=object)
    posts = pd.DataFrame({
        "post_id": [f"p{k:07d}" for k in range(n_posts)],
        "account_id": accounts[rng.integers(0, n_accounts, n_posts)],
        "created_at": (t0 + pd.to_timedelta(np.sort(rng.uniform(0, 60, n_posts)), unit="s"))
        .strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "url": "https://example.org/very-popular",
    })
    n_regs = 300
    reg_acc = np.where(rng.random(n_regs) < 0.3, accounts[rng.integers(0, n_accounts, n_regs)], None)
    regs = pd.DataFrame({
        "registration_id": [f"r{k:05d}" for k in range(n_regs)],
        "created_at": (t0 + pd.to_timedelta(np.sort(rng.uniform(-3600, 7200, n_regs)), unit="s"))
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "account_id": reg_acc,
        "email": [f"person{k}@example.com" for k in range(n_regs)],
    })
    p, r = folder / "posts.csv", folder / "registrations.csv"
    posts.to_csv(p, index=False)
    regs.to_csv(r, index=False)
    return p, r


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            m = re.search(r"VmRSS:\s+(\d+)", f.read())
        return int(m.group(1)) if m else 0
    except OSError:
        return 0


def run(args: list[str], timeout: float, limit_mb: float) -> dict:
    """Wall time, peak RSS (MB, from ``wait4``'s rusage of the child) and exit code of
    ``python -m detector ARGS``; the child is killed past ``timeout`` seconds or ``limit_mb``
    of resident memory (so that a runaway run does not take the machine down)."""
    cmd = [sys.executable, "-m", "detector", *args]
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        why = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                why = "timeout"
            elif _rss_kb(proc.pid) > limit_mb * 1024:
                why = f"killed at {limit_mb:.0f} MB"
            if why:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        err.seek(0)
        tail = err.read()[-400:]
    return {"wall_s": wall, "peak_mb": usage.ru_maxrss / 1024, "code": why or proc.returncode, "stderr": tail}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=200_000)
    ap.add_argument("--accounts", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=900, help="Seconds before a run is killed.")
    ap.add_argument("--limit-mb", type=float, default=12_000, help="Resident memory at which a run is killed.")
    ap.add_argument("--keep", help="Folder to keep the inputs and outputs in.")
    a = ap.parse_args(argv)
    folder = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="hostile_posts_"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        (folder / "in").mkdir(exist_ok=True)
        (folder / "out").mkdir(exist_ok=True)
        posts, regs = build(folder / "in", a.posts, a.accounts)
        print(f"{a.posts:,} posts of one URL by {a.accounts} accounts in 60 s; inputs in {folder}")
        cases = {
            "network --kind link --null 0": ["network", "--posts", posts, "--out", folder / "out" / "net",
                                             "--kind", "link", "--null", "0"],
            "detect -r REGS --posts P": ["detect", "-r", regs, "--posts", posts, "--out", folder / "out" / "det",
                                         "--quiet"],
        }
        for name, args in cases.items():
            r = run([str(x) for x in args], a.timeout, a.limit_mb)
            print(f"{name:<30} {r['wall_s']:7.1f} s  peak RSS {r['peak_mb']:8.0f} MB  exit {r['code']}")
            if r["code"] != 0:
                print("   ", r["stderr"].replace("\n", "\n    "))
        ev = folder / "out" / "net" / "evidence_link.csv"
        if ev.exists():
            with open(ev) as f:
                rows = sum(1 for _ in f) - 1
            print(f"evidence_link.csv: {rows:,} rows, {ev.stat().st_size / 1e6:.1f} MB")
    finally:
        if not a.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Benchmark: our co-action networks beside coordination-network-toolkit (CNT) 1.5.2.

For each size, a child process simulates ``tulsa`` posts (``noise_accounts=0.77`` and as
many registrations as target posts, about one post per registration; the exact count is
printed, nothing is truncated) and writes them twice: in CNT's CSV format and in our
contract's format (``created_at`` as integer Unix seconds). Then, timed by wall clock:

* CNT, in its own virtual environment (``--venv``, created and filled by ``pip`` on first
  use; CNT never goes into the main environment), as subprocesses: ``preprocess`` once,
  then ``compute co_link / co_tweet / co_retweet --time_window 60 --min_edge_weight 2
  --n_cpus 2``; its edges are read from the SQLite tables ``co_*_network``.
* ours, in this process: ``read_posts`` once, then ``coaction_network(kind=link / text /
  share, window=60, min_weight=2, compat="cnt")``, which should reproduce CNT's edges
  exactly (self-loops included); and the default mode (``compat=None``), whose differences
  from CNT are expected (no self-loops, an empty URL cell is not a URL, ...) and only counted;
  then all kinds at once with ``coaction_networks`` (side by side on 2 threads, as CNT runs
  with ``--n_cpus 2``), whose edges must equal the per-kind ones. The compiled counting loop
  is warmed up before timing (it is compiled once per installation and cached on disk).

Printed: per kind, the edge sets compared as ``(account_1, account_2, weight)`` tuples, with
examples of differing pairs; then a table of seconds (CNT preprocess and our CSV read shared
equally among the kinds), the ratio CNT / ours, and the end-to-end totals; the peak RSS of
this process (``ru_maxrss``: the simulation runs in a child, so this is ours, peak so far).
Each side runs ``--repeat`` times (default 3), alternating on the same files; the ratio is of the
medians (CNT's time alone swings by 2-3x between runs on this shared machine).

Run: ``python benchmarks/compare_cnt.py [--sizes 200000 1000000] [--seed 0]
[--kinds link text share] [--venv benchmarks/.cnt-venv] [--keep DIR] [--cnt-only]``
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

CNT_VERSION = "1.5.2"
CNT_KIND = {"link": "co_link", "text": "co_tweet", "share": "co_retweet"}
WINDOW, MIN_WEIGHT, N_CPUS, NOISE = 60, 2, 2, 0.77
HERE = os.path.dirname(os.path.abspath(__file__))


def peak_rss_mib() -> float:
    """Peak resident set size of this process in MiB (``ru_maxrss`` is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def ensure_venv(path: str) -> str:
    """Create the venv at ``path`` if needed, install CNT there; return its python."""
    python = os.path.join(path, "bin", "python")
    if not os.path.exists(python):
        print(f"creating {path}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", path], check=True)
    probe = [python, "-c", "import importlib.metadata as m; print(m.version('coordination_network_toolkit'))"]
    if subprocess.run(probe, capture_output=True, text=True).stdout.strip() != CNT_VERSION:
        subprocess.run([python, "-m", "pip", "install", "-q", f"coordination_network_toolkit=={CNT_VERSION}"],
                       check=True)
    return python


def simulate_and_write(target: int, seed: int, cnt_csv: str, ours_csv: str) -> tuple:
    """Simulate about ``target`` posts; write both CSVs (child process). Returns (posts, accounts, span)."""
    import pandas as pd

    import detector

    posts = detector.simulate("tulsa", n=target, seed=seed, noise_accounts=NOISE).posts
    unix = (posts["created_at"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
    pd.DataFrame({"message_id": posts["post_id"], "user_id": posts["account_id"],
                  "username": posts["account_id"], "repost_id": posts["shared_post_id"], "reply_id": "",
                  "message": posts["text"], "timestamp": unix, "urls": posts["url"]}
                 ).to_csv(cnt_csv, index=False, lineterminator="\n")
    ours = posts[["post_id", "account_id", "created_at", "text", "url", "shared_post_id", "platform"]]
    ours.assign(created_at=unix).to_csv(ours_csv, index=False, lineterminator="\n")
    span = f"{posts['created_at'].min():%Y-%m-%d %H:%M} to {posts['created_at'].max():%Y-%m-%d %H:%M} UTC"
    return len(posts), posts["account_id"].nunique(), span


def run_cnt(python: str, db: str, csv_path: str, kinds: list) -> dict:
    """Time CNT's preprocess and each compute (subprocesses); returns seconds by step."""
    def step(*args):
        t0 = time.perf_counter()
        done = subprocess.run([python, "-m", "coordination_network_toolkit", db, *args],
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"CNT {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return time.perf_counter() - t0

    seconds = {"preprocess": step("preprocess", "--format", "csv", csv_path)}
    for kind in kinds:
        seconds[kind] = step("compute", CNT_KIND[kind], "--time_window", str(WINDOW),
                             "--min_edge_weight", str(MIN_WEIGHT), "--n_cpus", str(N_CPUS))
    return seconds


def cnt_edges(db: str, kind: str):
    """CNT's edges of one kind, read from its SQLite table, as ``account_1, account_2, weight``."""
    import pandas as pd

    with sqlite3.connect(db) as con:
        return pd.read_sql_query("select user_1 as account_1, user_2 as account_2, weight "
                                 f"from {CNT_KIND[kind]}_network", con)


def run_ours(csv_path: str, kinds: list, compat) -> tuple:
    """Time ``read_posts`` once, ``coaction_network`` per kind, and all kinds at once with
    ``coaction_networks`` (the kinds side by side on 2 threads, as CNT uses 2 processes).
    Returns (read s, {kind: (s, edges)}, together s)."""
    from detector.coaction import coaction_network, coaction_networks
    from detector.loading import read_posts

    t0 = time.perf_counter()
    posts = read_posts(csv_path)
    read_s, out = time.perf_counter() - t0, {}
    for kind in kinds:
        t0 = time.perf_counter()
        net = coaction_network(posts, kind=kind, window=WINDOW, min_weight=MIN_WEIGHT, compat=compat)
        out[kind] = (time.perf_counter() - t0, net.edges)
    t0 = time.perf_counter()
    together = coaction_networks(posts, tuple(kinds), window=WINDOW, min_weight=MIN_WEIGHT, compat=compat, workers=2)
    together_s = time.perf_counter() - t0
    for kind in kinds:   # the same edges either way
        assert together[kind].edges.equals(out[kind][1]), kind
    return read_s, out, together_s


def warm_up() -> None:
    """Compile (first run after install) or load (later runs) the counting loop before timing."""
    import pandas as pd

    from detector.coaction import coaction_network

    posts = pd.DataFrame({"post_id": ["1", "2"], "account_id": ["a", "b"], "url": ["x", "x"],
                          "created_at": pd.to_datetime([0, 1], unit="s", utc=True)})
    coaction_network(posts, "link", min_weight=1)


def compare(ours, cnt, label: str, examples: int = 5) -> bool:
    """Print two edge tables compared as sets of (account_1, account_2, weight); return identical."""
    key = ["account_1", "account_2"]
    ours = ours[key + ["weight"]].astype({"account_1": str, "account_2": str, "weight": "int64"})
    cnt = cnt.astype({"account_1": str, "account_2": str, "weight": "int64"})
    dup = int(ours.duplicated(key).sum())
    both = ours.drop_duplicates(key).merge(cnt, on=key, how="outer", suffixes=("_ours", "_cnt"))
    same = (both["weight_ours"] == both["weight_cnt"]).to_numpy()
    in_cnt = both["weight_cnt"].notna().to_numpy() & ~same
    only_ours, only_cnt = int((both["weight_ours"].notna().to_numpy() & ~same).sum()), int(in_cnt.sum())
    loops_only = int((in_cnt & (both["account_1"] == both["account_2"]).to_numpy()).sum())
    identical = not (dup or only_ours or only_cnt)
    loops = int((cnt["account_1"] == cnt["account_2"]).sum())
    print(f"  {label:<20} ours {len(ours):>10,}  cnt {len(cnt):>10,} ({loops:,} self-loops)  "
          f"common {int(same.sum()):>10,}  only ours {only_ours:>9,}  only cnt {only_cnt:>9,} ({loops_only:,} loops)  "
          f"identical: {'yes' if identical else 'no'}" + (f"  ({dup:,} duplicated pairs in ours)" if dup else ""))
    shown = both.loc[~same].sort_values(key).head(0 if identical else examples)
    for a1, a2, wo, wc in shown.itertuples(index=False):
        print(f"      {a1} -> {a2}: ours {'-' if wo != wo else int(wo)}, cnt {'-' if wc != wc else int(wc)}")
    return identical


def bench(target: int, args, python: str, workdir: str) -> list:
    """Simulate, run both tools at one size, print comparisons; return table rows."""
    cnt_csv, ours_csv = os.path.join(workdir, "cnt.csv"), os.path.join(workdir, "posts.csv")
    db = os.path.join(workdir, "cnt.db")
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    t0 = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        n, accounts, span = pool.apply(simulate_and_write, (target, args.seed, cnt_csv, ours_csv))
    print(f"\n== target {target:,}: {n:,} posts by {accounts:,} accounts, {span} "
          f"(simulated + written in {time.perf_counter() - t0:.0f} s; not timed below)")

    cnt_totals, ours_totals = [], []
    for run in range(1, args.repeat + 1):      # each side's runs alternate, on the same files
        for f in (db, db + "-wal", db + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        cnt_s = run_cnt(python, db, cnt_csv, args.kinds)
        print(f"  run {run}: CNT seconds: " + ", ".join(f"{k} {s:.1f}" for k, s in cnt_s.items()), flush=True)
        cnt_totals.append(sum(cnt_s.values()))
        if args.cnt_only:
            continue
        read_s, ours, together_s = run_ours(ours_csv, args.kinds, "cnt")
        ours_totals.append(read_s + together_s)
        print(f"  run {run}: end to end CNT {cnt_totals[-1]:.1f} s, ours (compat='cnt', all kinds) "
              f"{ours_totals[-1]:.2f} s: {cnt_totals[-1] / ours_totals[-1]:.1f}x", flush=True)
    if args.cnt_only:
        for kind in args.kinds:
            print(f"  {CNT_KIND[kind]}: {len(cnt_edges(db, kind)):,} edges")
        return []
    med_cnt, med_ours = statistics.median(cnt_totals), statistics.median(ours_totals)
    print(f"  median of {args.repeat} runs: CNT {med_cnt:.1f} s, ours {med_ours:.2f} s: {med_cnt / med_ours:.1f}x "
          f"(runs: {', '.join(f'{c / o:.1f}x' for c, o in zip(cnt_totals, ours_totals))})")
    rss = peak_rss_mib()
    read_d, default, together_d = run_ours(ours_csv, args.kinds, None)
    print(f"  ours seconds (compat='cnt'): read {read_s:.1f}, " +
          ", ".join(f"{k} {s:.1f}" for k, (s, _) in ours.items()) +
          f"; all kinds together {together_s:.1f}; peak RSS so far {rss:,.0f} MiB")
    print(f"  ours seconds (default):      read {read_d:.1f}, " +
          ", ".join(f"{k} {s:.1f}" for k, (s, _) in default.items()) +
          f"; all kinds together {together_d:.1f}; end to end {read_d + together_d:.1f}, "
          f"CNT total / this {sum(cnt_s.values()) / (read_d + together_d):.1f}")

    rows, k = [], len(args.kinds)
    for kind in args.kinds:
        cnt = cnt_edges(db, kind)
        same = compare(ours[kind][1], cnt, f"{kind} compat='cnt'")
        compare(default[kind][1], cnt, f"{kind} default", examples=0)
        rows.append((n, kind, cnt_s["preprocess"] / k + cnt_s[kind], read_s / k + ours[kind][0],
                     cnt_s[kind], ours[kind][0], len(cnt), same))
    total_cnt, total_ours = sum(cnt_s.values()), read_s + together_s
    rows.append((n, "total", total_cnt, total_ours, total_cnt - cnt_s["preprocess"],
                 together_s, sum(r[6] for r in rows), all(r[7] for r in rows)))
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000], help="target posts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--venv", default=os.path.join(HERE, ".cnt-venv"), help="CNT's virtual environment")
    parser.add_argument("--keep", metavar="DIR", help="write (and keep) the generated files here")
    parser.add_argument("--kinds", nargs="+", default=list(CNT_KIND), choices=list(CNT_KIND))
    parser.add_argument("--cnt-only", action="store_true", help="time CNT alone (ours not run)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each side, alternating (default 3); the ratio is of the medians")
    args = parser.parse_args(argv)

    python = ensure_venv(args.venv)
    import pandas as pd

    import detector
    if not args.cnt_only:
        import detector.coaction  # noqa: F401  (imported before timing)
        import detector.loading  # noqa: F401
        warm_up()
    print(f"detector {detector.__version__} vs coordination-network-toolkit {CNT_VERSION}: window {WINDOW} s, "
          f"min weight {MIN_WEIGHT}, CNT --n_cpus {N_CPUS}, seed {args.seed}")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, pandas {pd.__version__}; "
          f"{args.repeat} runs of each side on a shared machine: read the median ratios, not the seconds")
    rows = []
    for target in args.sizes:
        if args.keep:
            workdir = os.path.join(args.keep, str(target))
            os.makedirs(workdir, exist_ok=True)
            rows += bench(target, args, python, workdir)
        else:
            with tempfile.TemporaryDirectory(prefix="compare-cnt-") as tmp:
                rows += bench(target, args, python, tmp)
    if not rows:
        return
    print("\nseconds: CNT = preprocess/kinds + compute, ours = read/kinds + compute; total = preprocess or "
          "read + all computes (ours: all kinds together, coaction_networks on 2 threads; CNT: --n_cpus 2)")
    print(f"{'posts':>9} {'kind':<6} {'CNT s':>8} {'ours s':>8} {'ratio':>7} | {'CNT cmp':>8} {'ours cmp':>8} "
          f"{'ratio':>7} | {'edges':>10} identical")
    for n, kind, c, o, cc, oc, edges, same in rows:
        print(f"{n:>9,} {kind:<6} {c:>8.1f} {o:>8.2f} {c / o:>7.1f} | {cc:>8.1f} {oc:>8.2f} {cc / oc:>7.1f} | "
              f"{edges:>10,} {'yes' if same else 'no'}")


if __name__ == "__main__":
    main()

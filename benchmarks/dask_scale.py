"""Benchmark: ``detect(..., engine="dask")`` on a LocalCluster at 10 million registrations.

The world: ``--events`` (default 100) copies of ``detector.simulate("tulsa", n=--per-event, seed=k)``
(default 100,000 each, so 10,000,000 registrations), copy ``k`` made its own event
(``rally-k``), its registration, account and post ids prefixed with ``Ek-`` and its times moved
``14 * k`` days later (100 rallies over four years, not 100 on the same evening), without
``attended`` (an export taken before the events). Each copy keeps about ``--posts-per-event``
posts (default 20,000, so 2,000,000 posts): the cascades of its campaigns' trigger posts, then
whole cascades drawn at random. No follows (10 million registrations would bring 19 million).
Child processes simulate the copies (two at a time) and the parts are joined into one Parquet
file per table, plus a subset of the first ``--subset-events`` events (1,000,000 registrations).

Then, each in a fresh process (so that every peak is its own run's):

1. **local, subset**: ``detector.detect`` with the local engine on the subset: seconds to load,
   to detect, the process's peak memory; outputs written.
2. **dask, subset**: the same with ``engine="dask"`` on a LocalCluster of ``--workers`` (default 2)
   single-threaded worker processes with ``--memory-limit`` (default 4 GiB) each; outputs written
   and compared with the local run's, byte for byte.
3. **dask, full**: the whole world with the dask engine (outputs not written).

Each run prints the wall time of load and detect, and within detect the seconds of its steps:
the events (on the cluster with dask) and what runs in the client whatever the engine (tokens,
households, the trigger context, registrants tied to trigger posts, the posts' co-action networks
and account clusters; "the rest" is the results' tables), the machine's load average (the
machine may be shared), and the process's peak resident memory (``VmHWM``; the client's holds
the LocalCluster's scheduler too). A dask run adds each worker's peak resident memory and the
CPU seconds the workers used (both read in the worker processes with ``client.run``).

Run: ``python benchmarks/dask_scale.py [--events 100] [--per-event 100000] [--workers 2]``
(about 25 minutes on 2 cores; ``--events 4 --per-event 20000 --subset-events 2`` for a smoke run;
``--data DIR`` keeps the generated files there and reuses them; ``--skip-full``, ``--skip-subset``).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

DAYS_APART = 14


def _part(args) -> tuple[int, int, int]:
    """Simulate copy ``k`` and write its registrations and posts as Parquet (in a child process)."""
    k, n, posts_per_event, folder = args
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    import detector
    from detector.detection.triggers import post_roots

    sim = detector.simulate("tulsa", n=n, seed=k)
    prefix, shift = f"E{k:03d}-", pd.Timedelta(days=DAYS_APART * k)

    def ids(series):
        s = series.astype("string")
        return s.where(s.isna(), prefix + s)

    regs = sim.registrations.drop(columns=["attended"], errors="ignore").copy()
    for column in regs.columns:
        if isinstance(regs[column].dtype, pd.CategoricalDtype):
            regs[column] = regs[column].astype("string")
    regs["registration_id"] = ids(regs["registration_id"])
    regs["account_id"] = ids(regs["account_id"])
    regs["event_id"] = f"rally-{k:03d}"
    regs["created_at"] = regs["created_at"] + shift

    posts = sim.posts
    roots = post_roots(posts)
    size = np.bincount(roots, minlength=len(posts))
    first = np.unique(roots[posts["post_id"].isin(sim.campaigns["trigger_post_id"]).to_numpy()])
    rest = np.random.default_rng(k).permutation(np.setdiff1d(np.unique(roots), first))
    chosen = np.concatenate([first, rest])
    total = np.cumsum(size[chosen])
    keep = chosen[: max(int(np.searchsorted(total, posts_per_event, side="right")), 1)]
    posts = posts.iloc[np.flatnonzero(np.isin(roots, keep))].copy()
    for column in posts.columns:
        if isinstance(posts[column].dtype, pd.CategoricalDtype):
            posts[column] = posts[column].astype("string")
    for column in ("post_id", "shared_post_id", "account_id"):
        posts[column] = ids(posts[column])
    posts["created_at"] = posts["created_at"] + shift
    for name, table in (("registrations", regs), ("posts", posts)):
        pq.write_table(pa.Table.from_pandas(table, preserve_index=False), os.path.join(folder, f"{name}-{k:03d}.parquet"))
    return k, len(regs), len(posts)


def generate(folder: str, events: int, per_event: int, posts_per_event: int, subset: int) -> dict:
    """Write the world's parts in child processes and join them; the paths of the full tables and
    of the subset."""
    import multiprocessing

    import pyarrow.parquet as pq

    parts = os.path.join(folder, "parts")
    os.makedirs(parts, exist_ok=True)
    todo = [(k, per_event, posts_per_event, parts) for k in range(events)
            if not os.path.exists(os.path.join(parts, f"posts-{k:03d}.parquet"))]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(2, maxtasksperchild=10) as pool:
        for k, n_regs, n_posts in pool.imap_unordered(_part, todo):
            print(f"  simulated event {k}: {n_regs:,} registrations, {n_posts:,} posts", file=sys.stderr, flush=True)
    paths = {}
    for which, count in (("full", events), ("subset", subset)):
        for name in ("registrations", "posts"):
            path = os.path.join(folder, f"{name}-{which}.parquet")
            paths[which, name] = path
            if os.path.exists(path):
                continue
            writer = None
            for k in range(count):
                table = pq.read_table(os.path.join(parts, f"{name}-{k:03d}.parquet"))
                if writer is None:
                    writer = pq.ParquetWriter(path + ".tmp", table.schema)
                writer.write_table(table.cast(writer.schema))
            writer.close()
            os.replace(path + ".tmp", path)
    print(f"world written in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return {f"{which}_{name}": path for (which, name), path in paths.items()}


def _mib(kib: float) -> float:
    return kib / (2**20 if sys.platform == "darwin" else 2**10)


def peak_mib() -> float:
    """This process's peak resident memory, MiB: ``VmHWM`` where /proc has it. ``ru_maxrss`` is
    kept across ``execve``, so a process spawned from a large one (a Dask worker from the client
    that started the cluster) would report its parent's size."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def cpu_seconds() -> float:
    """CPU seconds (user + system) this process has used."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(figures: dict, name: str, owner, attribute: str) -> None:
    """Add the seconds spent in ``owner.attribute`` (a function or a class's method) to ``figures[name]``."""
    original = getattr(owner, attribute)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            figures[name] = figures.get(name, 0.0) + time.perf_counter() - start

    setattr(owner, attribute, wrapper)


def run(engine: str, registrations: str, posts: str, out: str | None, workers: int, memory_limit: str) -> dict:
    """One measured run (in its own process): load, detect (with the seconds of its main client-side
    steps), and for dask the cluster's figures."""
    import logging

    import detector
    import detector.engines as engines
    from detector.detection import composition, features, linking, triggers

    figures = {"engine": engine, "steps": {}}
    steps = figures["steps"]
    _timed(steps, "tokens", features, "token_matrix")
    _timed(steps, "households", composition, "household_units")
    _timed(steps, "trigger context", triggers.TriggerContext, "__init__")
    _timed(steps, "tied registrants", linking, "join_tied_registrants")
    _timed(steps, "account clusters", linking, "link_account_clusters")
    _timed(steps, "events", engines.DaskEngine if engine == "dask" else engines.LocalEngine, "run")
    start = time.perf_counter()
    data = detector.load(registrations=registrations, posts=posts)
    figures["load_s"] = time.perf_counter() - start
    figures["registrations"], figures["posts"] = len(data.registrations), len(data.posts)
    figures["events"] = int(data.registrations["event_id"].nunique())
    options = {"progress": False}
    client = cluster = None
    if engine == "dask":
        from distributed import Client, LocalCluster

        start = time.perf_counter()
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit=memory_limit,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        client = Client(cluster)
        figures["cluster_start_s"] = time.perf_counter() - start
        options.update(engine="dask", scheduler=client)
        figures["worker_cpu_before"] = sum(client.run(cpu_seconds).values())
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    result = detector.detect(data, **options)
    figures["detect_s"] = time.perf_counter() - start
    figures["loadavg"] = [load_before, os.getloadavg()[0]]
    figures["flagged"] = int(result.registrations["flagged"].sum())
    figures["clusters"] = int(len(result.clusters))
    if client is not None:
        figures["worker_peak_mib"] = sorted(client.run(peak_mib).values())
        figures["worker_cpu_s"] = sum(client.run(cpu_seconds).values()) - figures.pop("worker_cpu_before")
        figures["workers"] = len(figures["worker_peak_mib"])
        client.close()
        cluster.close()
    if out:
        start = time.perf_counter()
        result.to_dir(out)
        figures["write_s"] = time.perf_counter() - start
    figures["client_peak_mib"] = peak_mib()
    return figures


def _child(args) -> dict:
    """Run :func:`run` in a fresh Python process; its figures."""
    cmd = [sys.executable, os.path.abspath(__file__), "--child", json.dumps(args)]
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"run {args['engine']} failed (exit {done.returncode})")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_s"] = time.perf_counter() - start
    return figures


def _show(label: str, f: dict) -> None:
    print(f"\n{label}: {f['registrations']:,} registrations in {f['events']} events, {f['posts']:,} posts")
    print(f"  load {f['load_s']:.1f} s, detect {f['detect_s']:.1f} s"
          + (f" (cluster start {f['cluster_start_s']:.1f} s before)" if f["engine"] == "dask" else "")
          + (f", write {f['write_s']:.1f} s" if "write_s" in f else "")
          + f"; load average {f['loadavg'][0]:.1f} -> {f['loadavg'][1]:.1f} on {os.cpu_count()} cores")
    s = f["steps"]
    rest = f["detect_s"] - sum(s.values())
    print("  in detect: " + ", ".join(f"{k} {v:.1f} s" for k, v in s.items()) + f", the rest {rest:.1f} s")
    print(f"  flagged {f['flagged']:,} registrations in {f['clusters']} clusters")
    if f["engine"] == "dask":
        peaks = ", ".join(f"{p:,.0f}" for p in f["worker_peak_mib"])
        print(f"  worker peak memory: {peaks} MiB (largest {max(f['worker_peak_mib']) / 1024:.2f} GiB, "
              f"limit {f['memory_limit']}); workers' CPU {f['worker_cpu_s']:.0f} s in {s['events']:.0f} s of "
              f"events ({f['worker_cpu_s'] / s['events'] / f['workers']:.0%} of {f['workers']} cores)")
    print(f"  client process peak memory: {f['client_peak_mib'] / 1024:.2f} GiB")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--per-event", type=int, default=100_000)
    parser.add_argument("--posts-per-event", type=int, default=20_000)
    parser.add_argument("--subset-events", type=int, default=10, help="events of the local-engine comparison")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="4GiB")
    parser.add_argument("--data", help="folder for the generated files (kept and reused); default a temporary one")
    parser.add_argument("--skip-subset", action="store_true")
    parser.add_argument("--skip-full", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        a = json.loads(args.child)
        figures = run(a["engine"], a["registrations"], a["posts"], a.get("out"), a["workers"], a["memory_limit"])
        figures["memory_limit"] = a["memory_limit"]
        print(json.dumps(figures))
        return
    args.subset_events = min(args.subset_events, args.events)
    with tempfile.TemporaryDirectory(prefix="dask-scale-") as tmp:
        folder = args.data or tmp
        print(f"generating {args.events} events x {args.per_event:,} registrations in {folder}", file=sys.stderr)
        paths = generate(folder, args.events, args.per_event, args.posts_per_event, args.subset_events)
        common = {"workers": args.workers, "memory_limit": args.memory_limit}
        print(f"machine: {os.cpu_count()} cores; dask LocalCluster: {args.workers} single-threaded worker processes, "
              f"{args.memory_limit} each")
        if not args.skip_subset:
            outs = {e: os.path.join(tmp, f"out-{e}") for e in ("local", "dask")}
            runs = {e: _child({"engine": e, "registrations": paths["subset_registrations"],
                               "posts": paths["subset_posts"], "out": outs[e], **common}) for e in ("local", "dask")}
            for e in ("local", "dask"):
                _show(f"{e} engine, subset", runs[e])
            names = sorted(os.listdir(outs["local"]))
            same = names == sorted(os.listdir(outs["dask"])) and all(
                open(os.path.join(outs["local"], n), "rb").read() == open(os.path.join(outs["dask"], n), "rb").read()
                for n in names)
            print(f"  outputs of the two engines identical byte for byte: {'yes' if same else 'NO'} ({len(names)} files)")
            print(f"  detect: dask {runs['dask']['detect_s']:.1f} s vs local {runs['local']['detect_s']:.1f} s "
                  f"({runs['local']['detect_s'] / runs['dask']['detect_s']:.2f}x); the events: "
                  f"{runs['dask']['steps']['events']:.1f} s vs {runs['local']['steps']['events']:.1f} s "
                  f"({runs['local']['steps']['events'] / runs['dask']['steps']['events']:.2f}x)")
        if not args.skip_full:
            full = _child({"engine": "dask", "registrations": paths["full_registrations"],
                           "posts": paths["full_posts"], **common})
            _show("dask engine, full", full)
            limit_mib = _parse_bytes(args.memory_limit) / 2**20
            print(f"  largest worker under its limit: {'yes' if max(full['worker_peak_mib']) < limit_mib else 'NO'}")


def _parse_bytes(text: str) -> float:
    from dask.utils import parse_bytes

    return parse_bytes(text)


if __name__ == "__main__":
    main()

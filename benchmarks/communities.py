"""Benchmark: the community-detection engine (Louvain) on the graphs ``detect`` builds.

For each ``--n`` (default 100,000 and 1,000,000) a child process simulates ``tulsa`` (seed 0)
with its posts and follows, loads them with :func:`detector.load` (``attended`` dropped, as in
an export taken before the event) and runs :func:`detector.detect` with
:func:`detector.communities.find_clusters` recorded: every call's ``edges``, ``n_nodes`` and
options. There are two kinds of call: the registrations' graph (with its starting ``groups``)
and the account graph found in posts.

Then each engine runs every recorded call of one n, in a fresh process per run (``--runs``,
default 3): ``networkit`` (PLM, the engine detect uses), ``networkx`` (``louvain_communities``,
the reference), ``igraph`` (``Graph.community_multilevel``, GPL: not a dependency, measured when
installed) and ``leidenalg``
(Leiden with the same modularity and resolution, when installed; not used by the package).
Each run times the whole ``find_clusters`` call (``time.perf_counter``; the engine's import is
done before, and shown apart) and reads the peak resident set size during it (``VmHWM`` after
resetting it through ``/proc/self/clear_refs``; elsewhere ``ru_maxrss``, which also counts what
came before). One more run with seed 1 measures each engine's own seed-to-seed agreement.

Printed: one row per n x graph x engine: the graph's edges and nodes, median (min-max) seconds
over the runs, median peak RSS added by the call (MiB), the adjusted Rand index of its partition
against networkx's (seed 0) and against its own seed-1 partition, the number of communities and
of registrations (or accounts) in one. The Rand index is taken over the graph's nodes (those on
an edge), each node left out of every community (-1) counting as a community of its own.

Run: ``python benchmarks/communities.py [--n 100000 1000000] [--runs 3] [--engines networkit networkx
igraph leidenalg] [--cache DIR]`` (about 7 minutes on 2 cores, half of it recording the 1M graph;
``--n 100000`` for a quick run). With
``--cache`` the recorded graphs are kept there and reused.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ENGINES = ("networkit", "networkx", "igraph", "leidenalg")


# ---------------------------------------------------------------- recording the graphs (child)

def record(n: int, path: str) -> None:
    """Simulate, load, detect; save every ``find_clusters`` call's arguments to ``path`` (npz)."""
    import detector
    import detector.communities as communities

    calls = []
    original = communities.find_clusters

    def recording(edges, n_nodes, **options):
        calls.append((edges[["u", "v", "weight"]].copy(), n_nodes, dict(options)))
        return original(edges, n_nodes, **options)

    communities.find_clusters = recording
    sim = detector.simulate("tulsa", n=n, seed=0)
    data = detector.load(registrations=sim.registrations.drop(columns="attended"), posts=sim.posts,
                         follows=sim.follows)
    del sim
    detector.detect(data, progress=False)
    arrays = {}
    for i, (edges, n_nodes, options) in enumerate(calls):
        arrays[f"{i}_u"] = edges["u"].to_numpy(np.int64)
        arrays[f"{i}_v"] = edges["v"].to_numpy(np.int64)
        arrays[f"{i}_w"] = edges["weight"].to_numpy(float)
        arrays[f"{i}_meta"] = np.array([n_nodes, options.get("min_size", 20), options.get("seed", 0)], dtype=np.int64)
        arrays[f"{i}_resolution"] = np.array([options.get("resolution", 1.0)])
        if options.get("groups") is not None:
            arrays[f"{i}_groups"] = np.asarray(options["groups"], dtype=np.int64)
    np.savez(path, n_calls=np.array([len(calls)]), **arrays)


def load_calls(path: str) -> list[dict]:
    z = np.load(path)
    calls = []
    for i in range(int(z["n_calls"][0])):
        n_nodes, min_size, seed = (int(x) for x in z[f"{i}_meta"])
        calls.append({"u": z[f"{i}_u"], "v": z[f"{i}_v"], "w": z[f"{i}_w"], "n_nodes": n_nodes,
                      "min_size": min_size, "seed": seed, "resolution": float(z[f"{i}_resolution"][0]),
                      "groups": z[f"{i}_groups"] if f"{i}_groups" in z else None})
    return calls


# ---------------------------------------------------------------- one run of one engine (child)

def _leiden(members, u, v, w, resolution, seed):
    """Leiden (leidenalg) with the same modularity and resolution, on one component."""
    import igraph
    import leidenalg

    g = igraph.Graph(n=len(members), edges=list(zip(np.searchsorted(members, u).tolist(),
                                                      np.searchsorted(members, v).tolist())))
    part = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition, weights=w.tolist(),
                                    resolution_parameter=resolution, seed=seed)
    membership = np.asarray(part.membership, dtype=np.int64)
    order = np.argsort(membership, kind="stable")
    return [members[p] for p in np.split(order, np.flatnonzero(np.diff(membership[order])) + 1)]


def _rss_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def run(path: str, engine: str, seed_offset: int = 0) -> dict:
    """Every recorded call through ``find_clusters`` with ``engine``: seconds, peak MiB, labels."""
    import pandas as pd

    import detector.communities as communities

    calls = load_calls(path)
    t0 = time.perf_counter()
    if engine == "leidenalg":
        import igraph  # noqa: F401
        import leidenalg  # noqa: F401
        communities._engine = lambda: _leiden
    elif engine == "igraph":
        import igraph  # noqa: F401
    elif engine == "networkit":
        import networkit  # noqa: F401
    communities._ENGINE = engine if engine in ("networkx", "networkit") else "igraph"
    import_s = time.perf_counter() - t0
    out = []
    for c in calls:
        edges = pd.DataFrame({"u": c["u"], "v": c["v"], "weight": c["w"]})
        before = _rss_kib("VmRSS")
        exact = _reset_peak()
        base = before if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        labels = communities.find_clusters(edges, c["n_nodes"], min_size=c["min_size"], resolution=c["resolution"],
                                           seed=c["seed"] + seed_offset, groups=c["groups"])
        seconds = time.perf_counter() - t
        peak = _rss_kib("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out.append({"seconds": seconds, "peak_mib": max(0, (peak or 0) - (base or 0)) / 1024, "labels": labels})
    return {"import_s": import_s, "calls": out}


# ---------------------------------------------------------------- table (parent)

def graph_nodes(c: dict) -> np.ndarray:
    node = np.zeros(c["n_nodes"], dtype=bool)
    node[c["u"]] = True
    node[c["v"]] = True
    return node


def ari(a: np.ndarray, b: np.ndarray, node: np.ndarray) -> float:
    from sklearn.metrics import adjusted_rand_score

    def singletons(x):
        x = x[node].copy()
        out = x < 0
        x[out] = x.max(initial=0) + 1 + np.arange(out.sum())
        return x
    return float(adjusted_rand_score(singletons(a), singletons(b)))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100_000, 1_000_000], help="registrations")
    parser.add_argument("--runs", type=int, default=3, help="runs per engine (median shown)")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--cache", help="folder to keep (and reuse) the recorded graphs in")
    args = parser.parse_args(argv)

    import importlib.util

    import detector

    engines = [e for e in args.engines if e == "networkx" or importlib.util.find_spec(e) is not None]
    for e in sorted(set(args.engines) - set(engines)):
        print(f"note: {e} is not installed; skipped", file=sys.stderr)
    if "leidenalg" in engines and importlib.util.find_spec("igraph") is None:
        engines.remove("leidenalg")
    versions = {"networkit": "networkit", "networkx": "networkx", "igraph": "igraph", "leidenalg": "leidenalg"}
    shown = []
    for e in engines:
        mod = __import__(versions[e])
        shown.append(f"{e} {getattr(mod, '__version__', getattr(mod, 'version', '?'))}")
    print(f"detector {detector.__version__} community-engine benchmark: tulsa, seed 0, {args.runs} runs each")
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()} {platform.system()}, Python "
          f"{platform.python_version()}; {', '.join(shown)}")

    spawn = multiprocessing.get_context("spawn")
    tmp = tempfile.TemporaryDirectory(prefix="detector-communities-")
    folder = Path(args.cache) if args.cache else Path(tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.n:
        path = str(folder / f"tulsa_n{n}_seed0.npz")
        if not os.path.exists(path):
            print(f"recording the graphs of detect at n={n:,} ...", file=sys.stderr)
            t = time.perf_counter()
            with cf.ProcessPoolExecutor(1, mp_context=spawn) as pool:
                pool.submit(record, n, path).result()
            print(f"  {time.perf_counter() - t:.0f} s", file=sys.stderr)
        calls = load_calls(path)
        results: dict[str, list[dict]] = {}
        seed1: dict[str, dict] = {}
        for engine in engines:
            for r in range(args.runs + 1):
                print(f"  n={n:,} {engine} run {r + 1}{' (seed 1)' if r == args.runs else ''}", file=sys.stderr)
                with cf.ProcessPoolExecutor(1, mp_context=spawn) as pool:
                    res = pool.submit(run, path, engine, 1 if r == args.runs else 0).result()
                if r == args.runs:
                    seed1[engine] = res
                else:
                    results.setdefault(engine, []).append(res)
        for i, c in enumerate(calls):
            node = graph_nodes(c)
            kind = "registrations" if c["groups"] is not None else "accounts"
            reference = results["networkx"][0]["calls"][i]["labels"] if "networkx" in results else None
            for engine in engines:
                runs = [res["calls"][i] for res in results[engine]]
                secs = [x["seconds"] for x in runs]
                labels = runs[0]["labels"]
                same = all(np.array_equal(labels, x["labels"]) for x in runs)
                rows.append({
                    "n": n, "graph": kind, "edges": len(c["u"]), "nodes": int(node.sum()), "engine": engine,
                    "seconds": statistics.median(secs), "min": min(secs), "max": max(secs),
                    "import": statistics.median(res["import_s"] for res in results[engine]),
                    "peak": statistics.median(x["peak_mib"] for x in runs),
                    "ari_nx": ari(labels, reference, node) if reference is not None else float("nan"),
                    "ari_seed": ari(labels, seed1[engine]["calls"][i]["labels"], node),
                    "communities": int(labels.max(initial=-1) + 1), "in_one": int((labels >= 0).sum()),
                    "deterministic": same})
    tmp.cleanup()

    print(f"\n{'n':>9} {'graph':<13} {'edges':>9} {'nodes':>8} {'engine':<9} {'seconds':>7} {'(min-max)':>13} "
          f"{'import s':>8} {'peak MiB':>8} {'ARI nx':>6} {'ARI s1':>6} {'comm.':>5} {'in one':>7}")
    for r in rows:
        rng = f"({r['min']:.2f}-{r['max']:.2f})"
        print(f"{r['n']:>9,} {r['graph']:<13} {r['edges']:>9,} {r['nodes']:>8,} {r['engine']:<9} {r['seconds']:>7.2f} "
              f"{rng:>13} {r['import']:>8.2f} {r['peak']:>8.0f} {r['ari_nx']:>6.3f} {r['ari_seed']:>6.3f} "
              f"{r['communities']:>5} {r['in_one']:>7,}" + ("" if r["deterministic"] else "  NOT deterministic"))
    print("\nseconds: find_clusters alone, median of the runs (engine import apart); peak MiB: RSS added during "
          "the call; ARI nx: adjusted Rand index against networkx's partition (seed 0); ARI s1: against the "
          "same engine with seed 1; comm.: communities; in one: nodes in a community (not -1).")


if __name__ == "__main__":
    main()

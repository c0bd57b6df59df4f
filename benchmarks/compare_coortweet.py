"""Parity and contrast with CooRTweet 2.1.3 on its two real datasets.

For each dataset (``benchmarks/coortweet/rda/``, read with pyreadr), each shared object and each
window (10 s and 60 s), prints:

- ``compat``: our ``compat="coortweet"`` edges (:func:`detector.coaction.compat.coortweet_network`,
  the same as ``detector network --preset coortweet --compat coortweet``), with
  min_participation 2 and edge_weight 0.5, and, where R is installed with data.table and igraph
  (``apt-get install r-base-core r-cran-data.table r-cran-igraph``) and CooRTweet's sources are
  at ``$COORTWEET_SRC`` (its ``R/`` folder), CooRTweet's own ``detect_groups`` +
  ``generate_coordinated_network(edge_weight=0.5, subgraph=1)`` edges (``coortweet/run_coortweet.R``)
  and whether the two edge sets are identical. CooRTweet's time is the whole ``Rscript`` run
  (R's start, loading data.table and igraph, reading the CSV); ours is reading the table and
  computing the edges in this process;
- ``default``: our default mode (timeline-shift null model, Benjamini-Hochberg, Louvain), with
  min_cluster_size 2: accounts and edges kept, clusters, flagged clusters and the spread of the
  cluster scores.

Run: ``python benchmarks/compare_coortweet.py [--windows 10 60] [--repeat 3]``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
RDA = HERE / "coortweet" / "rda"
REFERENCE_R = HERE / "coortweet" / "run_coortweet.R"

#: dataset -> (file, {object column: kind}, time column, post column)
DATASETS = {
    "russian_coord_tweets": ("russian_coord_tweets.rda", ["object_id"], "timestamp_share", "content_id"),
    "german_elections": ("german_elections.rda", ["url_id", "hashtag_id", "domain_id", "phash_id"], "timestamp",
                         "post_id"),
}


def read_dataset(name: str) -> pd.DataFrame:
    import pyreadr

    file, _, _, _ = DATASETS[name]
    df = pyreadr.read_r(str(RDA / file))[name]
    for c in df.columns:
        if not pd.api.types.is_float_dtype(df[c]):
            df[c] = df[c].astype("string").astype(object).where(df[c].notna(), None)
    return df


def coortweet_layout(df: pd.DataFrame, name: str, obj: str) -> pd.DataFrame:
    """CooRTweet's four columns for one object, prepared as its vignette does for german_elections:
    ``prep_data``, ``unique`` by the four columns, rows without the object dropped (one post takes
    a row per combination of its url, hashtag, domain and image, so one object repeats)."""
    _, _, tcol, pcol = DATASETS[name]
    out = pd.DataFrame({"object_id": df[obj], "account_id": df["account_id"], "content_id": df[pcol],
                        "timestamp_share": df[tcol].astype(np.int64)})
    return out[out["object_id"].notna()].drop_duplicates().reset_index(drop=True)


def ours_compat(layout: pd.DataFrame, window: int):
    from detector.coaction.compat import coortweet_network
    from detector.loading import read_posts

    posts = read_posts(layout, preset="coortweet")
    return coortweet_network(posts, "column:object_id", window=window, min_participation=2, edge_weight=0.5)


def ours_default(layout: pd.DataFrame, window: int):
    from detector.coaction import account_clusters
    from detector.loading import read_posts

    posts = read_posts(layout, preset="coortweet")
    return account_clusters(posts, kinds=("column:object_id",), window=window, min_cluster_size=2)


def r_available() -> str | None:
    """CooRTweet's R sources when R can run them, else None."""
    src = os.environ.get("COORTWEET_SRC")
    if not (shutil.which("Rscript") and REFERENCE_R.exists() and src and Path(src).is_dir()):
        return None
    return src


def r_reference(layout: pd.DataFrame, window: int, src: str, tmp: Path) -> tuple[pd.DataFrame, float]:
    csv, out = tmp / "in.csv", tmp / "edges.csv"
    layout.to_csv(csv, index=False)
    start = time.perf_counter()
    subprocess.run(["Rscript", str(REFERENCE_R), str(csv), str(out), str(window), "2", "0.5"], check=True,
                   env={**os.environ, "COORTWEET_SRC": src}, capture_output=True)
    return pd.read_csv(out, dtype={"account_1": str, "account_2": str}), time.perf_counter() - start


def edge_set(edges: pd.DataFrame) -> set:
    a, b = edges["account_1"].astype(str), edges["account_2"].astype(str)
    return {tuple(sorted(p)) for p in zip(a, b)}


def n_accounts(edges: pd.DataFrame) -> int:
    return len(set(edges["account_1"].astype(str)) | set(edges["account_2"].astype(str)))


def median_time(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return out, float(np.median(times))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--windows", type=int, nargs="+", default=[10, 60])
    ap.add_argument("--repeat", type=int, default=1, help="runs of each side; the median time is printed")
    ap.add_argument("--datasets", nargs="+", default=list(DATASETS))
    args = ap.parse_args(argv)
    src = r_available()
    print("CooRTweet itself:", f"R sources at {src}" if src else
          "not run (needs Rscript, data.table, igraph and $COORTWEET_SRC); compat edges printed alone")
    head = (f"{'dataset':<22}{'object':<11}{'win':>4} | {'CooRTweet acc/edges':>20} {'s':>6} | "
            f"{'compat acc/edges':>17} {'s':>6} {'same':>5} | {'default acc/edges':>17} {'clusters':>9} "
            f"{'flagged':>8} {'score min/med/max':>18} {'s':>6}")
    print(head)
    print("-" * len(head))
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.datasets:
            df = read_dataset(name)
            for obj in DATASETS[name][1]:
                layout = coortweet_layout(df, name, obj)
                for w in args.windows:
                    compat, t_compat = median_time(lambda: ours_compat(layout, w), args.repeat)
                    ref, t_ref, same = None, float("nan"), "-"
                    if src:
                        runs = [r_reference(layout, w, src, Path(tmp)) for _ in range(args.repeat)]
                        ref, t_ref = runs[0][0], float(np.median([r[1] for r in runs]))
                        same = "yes" if edge_set(ref) == edge_set(compat) else \
                            f"no ({len(edge_set(ref) ^ edge_set(compat))})"
                    ac, t_def = median_time(lambda: ours_default(layout, w), args.repeat)
                    scores = ac.clusters["score"].to_numpy(float)
                    spread = f"{scores.min():.2f}/{np.median(scores):.2f}/{scores.max():.2f}" if len(scores) else "-"
                    ref_txt = f"{n_accounts(ref):,}/{len(ref):,}" if ref is not None else "-"
                    compat_txt = f"{n_accounts(compat):,}/{len(compat):,}"
                    default_txt = f"{n_accounts(ac.edges):,}/{len(ac.edges):,}"
                    print(f"{name:<22}{obj:<11}{w:>4} | {ref_txt:>20} {t_ref:>6.1f} | {compat_txt:>17} {t_compat:>6.1f} "
                          f"{same:>5} | {default_txt:>17} {len(ac.clusters):>9,} {int(ac.clusters['flagged'].sum()):>8,} "
                          f"{spread:>18} {t_def:>6.1f}")
                    sys.stdout.flush()


if __name__ == "__main__":
    main()

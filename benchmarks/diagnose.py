"""Diagnosis of one world of the transfer benchmark: where each campaign's members went.

The world is made, exported and loaded exactly as ``benchmarks/transfer.py`` does (the same
helpers), then detected; only detection's public results are read (``result.candidates``,
``result.registrations``) beside the world's truth, so it serves for blind worlds too without
reading either generator's or the detector's code.

Printed:

- per campaign: members, camouflage, the attributes its members are odd in (as the truth names
  them, when it does), the share flagged, the share in any candidate cluster (flagged or not),
  and the candidate holding most of its members with that cluster's size, score, unlike share and
  its lower bound, rate ratio and purity (share of its members from this campaign);
- the organic registrants flagged, and the flagged clusters that hold most of them;
- the candidates holding at least ``--min-share`` of a campaign or of the flagged organic ones.

Seeds 0-999 of ``random`` are the tuning seeds; diagnosing held-out seeds (1000 and up) is
reading the evaluation set, as is diagnosing blind worlds: do it to understand, not to tune.

Run: ``python benchmarks/diagnose.py SEED [--family random|blind] [--tier easy] [--variant default]
[--n N]`` (``--n`` defaults to the transfer benchmark's size for the world).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import transfer  # noqa: E402  (the same world, export and load as the benchmark)


def campaign_table(truth: pd.DataFrame, result, camouflage: dict, flagged_share: dict) -> pd.DataFrame:
    """One row per campaign: where its members went (see the module's docstring); ``flagged_share``
    per campaign from :func:`detector.evaluate`."""
    ids = result.registrations["registration_id"].astype(str).to_numpy()
    cand = result.candidates
    holder = np.full(len(ids), -1, dtype=np.int64)        # the candidate (row of cand) of each registration
    for k, members in enumerate(cand["members"]):
        holder[np.asarray(members, dtype=np.int64)] = k
    row_of = pd.Series(np.arange(len(ids)), index=ids)
    campaign = truth.set_index(truth["registration_id"].astype(str))["campaign"].astype(int)
    in_campaign = campaign.reindex(ids).fillna(0).astype(int).to_numpy()
    rows = []
    for c, members in truth[truth["campaign"].astype(int) > 0].groupby(truth["campaign"].astype(int)):
        at = row_of.reindex(members["registration_id"].astype(str)).dropna().astype(int).to_numpy()
        held = holder[at]
        best = pd.Series(held[held >= 0]).value_counts()
        row = {"campaign": c, "members": len(members), "camouflage": camouflage.get(c, np.nan),
               "flagged": flagged_share.get(c, 0.0),
               "in_candidates": float(np.mean(held >= 0)) if len(held) else 0.0}
        if "odd_attributes" in members:
            odd = members["odd_attributes"].dropna().astype(str).str.split("|").explode()
            row["odd"] = " ".join(f"{a}:{n / len(members):.0%}" for a, n in odd[odd != ""].value_counts().items())
        if len(best):
            k = int(best.index[0])
            m = np.asarray(cand["members"].iloc[k], dtype=np.int64)
            row.update({"best_size": len(m), "best_share": best.iloc[0] / len(members),
                        "best_score": cand["score"].iloc[k], "best_unlike": cand["unlike_share"].iloc[k],
                        "best_unlike_low": cand["unlike_low"].iloc[k], "best_rate": cand["rate_ratio"].iloc[k],
                        "best_purity": float(np.mean(in_campaign[m] == c))})
        rows.append(row)
    return pd.DataFrame(rows)


def organic_flags(truth: pd.DataFrame, result) -> tuple[int, int, pd.DataFrame]:
    """Organic registrants flagged, all organic registrants, and the flagged clusters by how many
    organic registrants they hold."""
    regs = result.registrations
    campaign = truth.set_index(truth["registration_id"].astype(str))["campaign"].astype(int)
    organic = campaign.reindex(regs["registration_id"].astype(str)).fillna(0).to_numpy() == 0
    hit = regs[organic & regs["flagged"].to_numpy(bool)]
    by_cluster = hit.groupby("cluster_id").size().sort_values(ascending=False).rename("organic_flagged")
    clusters = result.clusters.set_index("cluster_id") if len(result.clusters) else pd.DataFrame()
    table = by_cluster.to_frame().join(clusters[[c for c in ("size", "score", "rate_ratio", "unlike_share")
                                                  if c in clusters]], how="left") if len(by_cluster) else by_cluster
    return len(hit), int(organic.sum()), table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed", type=int)
    parser.add_argument("--family", choices=("random", "blind"), default="random")
    parser.add_argument("--tier", default="easy")
    parser.add_argument("--variant", default="default")
    parser.add_argument("--n", type=int)
    args = parser.parse_args(argv)

    import detector

    if args.family == "random":
        task = {"family": "random", "seed": args.seed, "n": args.n or transfer.world_n(args.seed)}
    else:
        task = {"family": "blind", "tier": args.tier, "variant": args.variant, "seed": args.seed,
                "n": args.n or 50_000}
    data, truth, campaigns, _, _ = transfer.load_world(task)
    truth = truth.assign(campaign=truth["campaign"].astype(int))
    result = detector.detect(data, progress=False)
    print(f"{task}: {len(truth):,} registrations, {int((truth['campaign'] > 0).sum()):,} in campaigns")
    ev = detector.evaluate(truth, result.registrations, result.summary)
    print(ev)
    shares = dict(zip(ev.per_campaign["campaign"].astype(int), ev.per_campaign["share_flagged"].astype(float)))
    table = campaign_table(truth, result, transfer.camouflage_by_campaign(truth, campaigns), shares)
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.max_colwidth", 80):
        print("\nper campaign:")
        print(table.to_string(index=False, float_format=lambda x: f"{x:.3g}") if len(table) else "(none)")
        hit, organic, by_cluster = organic_flags(truth, result)
        print(f"\norganic registrants flagged: {hit:,} of {organic:,} ({hit / max(organic, 1):.2%})")
        if len(by_cluster):
            print(by_cluster.head(10).to_string(float_format=lambda x: f"{x:.3g}"))


if __name__ == "__main__":
    main()

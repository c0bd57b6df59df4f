"""Posts side against the simulator's truth: trigger posts and account clusters.

For every scenario and seed, simulate, run ``detector.detect`` with posts and follows, and print

- **named first**: campaigns whose true trigger post (``campaigns.csv``) is named first by the
  flagged cluster that holds most of the campaign's members;
- **in top 3**: ... named among the cluster's three trigger posts;
- account clusters: how many were flagged, the share of their accounts that are amplifiers
  (purity), the share of amplifiers found (recall), and the adjusted Rand index of the clusters
  against the campaigns;
- F1 of the registrations and the share of organic-surge registrations flagged, to show that
  the posts side does not hurt the sign-up side;
- seconds for detect (whole) and for the account clusters alone.

Run: ``python benchmarks/posts_side.py [--n 100000] [--seeds 0 1 2] [--scenarios ...]``.
Figures come from one run on a shared machine; read the shares, not the seconds.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

import detector
from detector.coaction import account_clusters
from detector.evaluation import evaluate

SCENARIOS = ("easy", "medium", "hard", "elsewhere", "tulsa")


def trigger_hits(sim, result) -> tuple[list[bool], list[bool]]:
    """Per campaign: is its trigger named first, and among the three named?"""
    camp = sim.truth.set_index("registration_id")["campaign"]
    regs = result.registrations.join(camp, on="registration_id")
    named = result.clusters.set_index("cluster_id")["trigger_post_ids"].str.split()
    first, top3 = [], []
    for c in sim.campaigns.itertuples():
        held = regs.loc[(regs["campaign"] == c.campaign) & regs["flagged"], "cluster_id"]
        ids = named[held.value_counts().index[0]] if len(held) else []
        first.append(bool(ids) and ids[0] == c.trigger_post_id)
        top3.append(c.trigger_post_id in ids[:3])
    return first, top3


def account_quality(sim, ac) -> dict:
    truth = sim.accounts.set_index("account_id")
    flagged = ac.clusters.loc[ac.clusters["flagged"], "account_cluster_id"]
    m = ac.members[ac.members["account_cluster_id"].isin(flagged)].join(truth, on="account_id")
    n_amp = int((truth["role"] == "amplifier").sum())
    return {"acc_flagged": len(flagged),
            "purity": float((m["role"] == "amplifier").mean()) if len(m) else float("nan"),
            "amp_recall": float((m["role"] == "amplifier").sum() / n_amp) if n_amp else float("nan"),
            "acc_ari": float(adjusted_rand_score(m["campaign"], m["account_cluster_id"])) if len(m) else float("nan")}


def run(scenario: str, n: int, seed: int) -> dict:
    sim = detector.simulate(scenario, n=n, seed=seed)
    t0 = time.perf_counter()
    result = detector.detect(sim)
    t_detect = time.perf_counter() - t0
    t0 = time.perf_counter()
    ac = account_clusters(sim.posts)
    t_accounts = time.perf_counter() - t0
    first, top3 = trigger_hits(sim, result)
    m = evaluate(sim.truth, result.registrations, result.summary).metrics
    return {"scenario": scenario, "seed": seed, "posts": len(sim.posts), "first": sum(first), "top3": sum(top3),
            "campaigns": len(first), **account_quality(sim, ac), "f1": m["f1"], "fpr_surges": m["fpr_surges"],
            "detect_s": t_detect, "accounts_s": t_accounts}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    args = p.parse_args(argv)
    rows = [run(sc, args.n, seed) for sc in args.scenarios for seed in args.seeds]
    df = pd.DataFrame(rows)
    pd.set_option("display.width", 200)
    print(df.round(3).to_string(index=False))
    g = df.groupby("scenario", sort=False).agg(
        first=("first", "sum"), top3=("top3", "sum"), campaigns=("campaigns", "sum"), purity=("purity", "mean"),
        amp_recall=("amp_recall", "mean"), acc_ari=("acc_ari", "mean"), f1=("f1", "mean"),
        fpr_surges=("fpr_surges", "mean"), detect_s=("detect_s", "mean"), accounts_s=("accounts_s", "mean"))
    print("\nper scenario (sums over seeds for the trigger counts, means otherwise)")
    print(g.round(3).to_string())
    tot = df[["first", "top3", "campaigns"]].sum()
    print(f"\ntrue trigger named first: {tot['first']}/{tot['campaigns']} = {tot['first'] / tot['campaigns']:.1%}; "
          f"in the top 3: {tot['top3']}/{tot['campaigns']} = {tot['top3'] / tot['campaigns']:.1%}")
    print(f"account clusters: purity {np.nanmean(df['purity']):.3f}, amplifier recall "
          f"{np.nanmean(df['amp_recall']):.3f}, ARI vs campaigns {np.nanmean(df['acc_ari']):.3f}")


if __name__ == "__main__":
    main()

"""Benchmark: a signal across events, measured before it is built into detection.

A campaign that makes up most of its event's sign-ups over days is invisible to detection today:
every test compares sign-ups with the event's own quiet sign-ups, and those are the campaign
(``benchmarks/transfer.py`` counts such misses as ``big_missed_filling``). Events of one export
can instead be compared with each other. This script measures one such signal on randomised
worlds (seeds 1000 and up: never used for tuning) before anything is built on it:

- the *attribute shift across events*: each event is one block, a token's baseline share is the
  median of its shares over the events (:func:`detector.detection.shift.robust_shares` with the
  events as blocks: one event's campaign cannot move it), and a token of the chosen facet
  families (``--families``, default e-mail) is significant in an event when it is held at least
  ``min_count`` times there, ``min_lift`` times its baseline, with a Poisson tail probability
  at most ``alpha`` over the tokens tested in all events (Bonferroni);
- a sign-up has *evidence* when it carries a token significant in its event.

Over the events of at least ``--min-event`` sign-ups of the worlds with at least 3 such events,
pooled, by how much of its event the campaigns make
up (none, under 50%, 50% or more): the events, their sign-ups, the share with evidence, the
share of those that are campaign members (precision) and the share of the campaign members
that have evidence (recall). The events with no campaign say what the signal costs organic
registrants; the events a campaign fills say whether it sees what detection misses today.

Run: ``python benchmarks/cross_event.py [--first-seed 1000] [--worlds 100] [--families email]
[--jobs 2]`` (about 3 minutes for 100 worlds on 2 cores).
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
BANDS = (("no campaign", 0.0, 0.0), ("campaign < 50%", 1e-12, 0.5), ("campaign >= 50%", 0.5, 1.01))


def cross_event_evidence(tm, events: np.ndarray, families=("email",), *, min_count: int = 8,
                         min_lift: float = 3.0, alpha: float = 0.01, min_event: int = 200) -> np.ndarray:
    """Per sign-up: whether it carries a token of ``families`` significant in its own event
    against the median of the token's shares over the events (see the module description).

    >>> from detector.detection.features import token_matrix
    >>> emails = [f"u{i}@mail.com" for i in range(900)] + [f"x{i}@burner.io" for i in range(100)]
    >>> events = np.repeat(np.arange(5), 200)
    >>> regs = pd.DataFrame({"email": [emails[i] for i in np.r_[0:800, 900:1000, 800:900]]})
    >>> hit = cross_event_evidence(token_matrix(regs), events, min_event=100)
    >>> int(hit[:800].sum()), int(hit[800:].sum())        # the burner domain, all in the fifth event
    (0, 100)
    """
    from scipy.special import gammainc

    from detector.detection.facets import FAMILIES
    from detector.detection.shift import robust_shares

    events = np.asarray(events)
    codes, _ = pd.factorize(events, use_na_sentinel=False)     # a missing event is one more block
    X = tm.X.tocsr()
    wanted = np.array([FAMILIES.get(f) in families for f in tm.facets], dtype=bool) & ~tm.is_rare
    share = robust_shares(X, codes, np.ones(X.shape[0], dtype=bool))
    big = [e for e in range(codes.max(initial=-1) + 1) if (codes == e).sum() >= min_event]
    hit = np.zeros(X.shape[0], dtype=bool)
    if len(big) < 3:
        return hit
    found = []
    for e in big:
        rows = np.flatnonzero(codes == e)
        count = np.asarray(X[rows].sum(axis=0)).ravel()
        expected = share * len(rows)
        tested = np.flatnonzero(wanted & (count >= min_count) & (count >= min_lift * expected))
        found.append((rows, tested, gammainc(count[tested], expected[tested])))
    n_tests = max(sum(len(t) for _, t, _ in found), 1)
    for rows, tested, p in found:
        significant = np.zeros(X.shape[1])
        significant[tested[p * n_tests <= alpha]] = 1.0
        hit[rows] = (X[rows] @ significant) > 0
    return hit


def run_world(seed: int, families: tuple, min_event: int) -> list[dict]:
    """One randomised world: per event, its sign-ups, campaign members, those with evidence."""
    sys.path.insert(0, str(HERE))
    import transfer
    from detector.detection.features import token_matrix

    data, truth, _, _, _ = transfer.load_world({"family": "random", "seed": seed, "n": transfer.world_n(seed)})
    regs = data.registrations.reset_index(drop=True)
    ids = regs["registration_id"].astype(str)
    camp = truth.set_index(truth["registration_id"].astype(str))["campaign"].reindex(ids).fillna(0).to_numpy() > 0
    events = regs["event_id"].astype(str).to_numpy()
    if (pd.Series(events).value_counts() >= min_event).sum() < 3:
        return []                  # fewer than 3 events to compare: the signal does not apply
    hit = cross_event_evidence(token_matrix(regs), events, families, min_event=min_event)
    out = []
    for event in np.unique(events):
        at = events == event
        if at.sum() < min_event:
            continue
        out.append({"seed": seed, "event": event, "n": int(at.sum()), "campaign": int((camp & at).sum()),
                    "evidence": int((hit & at).sum()), "campaign_evidence": int((hit & camp & at).sum())})
    return out


def summary(rows: pd.DataFrame) -> pd.DataFrame:
    """Events pooled by the share of their sign-ups that campaigns make up.

    >>> rows = pd.DataFrame({"n": [100, 100], "campaign": [0, 80], "evidence": [1, 60], "campaign_evidence": [0, 59]})
    >>> summary(rows)[["events", "with evidence", "precision", "recall"]].to_dict("records")[::2]
    [{'events': 1, 'with evidence': 0.01, 'precision': 0.0, 'recall': nan}, {'events': 1, 'with evidence': 0.6, 'precision': 0.983, 'recall': 0.738}]
    """
    share = rows["campaign"] / rows["n"]
    out = []
    for label, lo, hi in BANDS:
        sub = rows[(share == 0) if hi == 0 else ((share >= lo) & (share < hi))]
        n, c, e, ce = (float(sub[k].sum()) for k in ("n", "campaign", "evidence", "campaign_evidence"))
        out.append({"events": len(sub), "sign-ups": int(n), "with evidence": round(e / n, 4) if n else np.nan,
                    "precision": round(ce / e, 3) if e else np.nan, "recall": round(ce / c, 3) if c else np.nan,
                    "worst event, organic with evidence": round(float(((sub["evidence"] - sub["campaign_evidence"])
                                                                       / (sub["n"] - sub["campaign"]).clip(lower=1)).max()), 4)
                    if len(sub) else np.nan})
    return pd.DataFrame(out, index=[b[0] for b in BANDS])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument("--worlds", type=int, default=100)
    parser.add_argument("--families", nargs="+", default=["email"])
    parser.add_argument("--min-event", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if args.first_seed < 1000:
        print("note: seeds below 1000 are the tuning seeds", file=sys.stderr)
    seeds = range(args.first_seed, args.first_seed + args.worlds)
    rows = []
    with cf.ProcessPoolExecutor(max_workers=args.jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        for found in pool.map(run_world, seeds, [tuple(args.families)] * len(seeds), [args.min_event] * len(seeds)):
            rows += found
    frame = pd.DataFrame(rows, columns=["seed", "event", "n", "campaign", "evidence", "campaign_evidence"])
    print(f"cross-event shift of {' '.join(args.families)} tokens, random seeds {seeds.start}-{seeds.stop - 1}, "
          f"events of at least {args.min_event} sign-ups ({frame['seed'].nunique()} worlds, {len(frame)} events)")
    print(summary(frame).to_string())


if __name__ == "__main__":
    main()

"""Co-action weights and evidence are bounded by the account pairs, not the post pairs: exact
against a brute-force listing of the pairs, capped per edge with the total kept, and fast on one
object posted thousands of times a minute by a few accounts (benchmarks/hostile_posts.py runs
the full 200,000-post case through the command line)."""
import time

import numpy as np
import pandas as pd
import pytest

from detector.coaction import coaction_network


def posts_of(seed, n=600, n_accounts=12, span=300, objects=("a.org", "b.org", "a.org b.org", "")):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "post_id": [f"p{i}" for i in range(n)],
        "account_id": rng.choice([f"u{k:02d}" for k in range(n_accounts)], n),
        "created_at": pd.to_datetime(rng.integers(0, span, n), unit="s", utc=True),
        "url": rng.choice(np.array(objects, dtype=object), n)})


def brute_pairs(posts, window, same_account=False):
    """Every (account_1, account_2, post_1, post_2, object) co-action, by brute force."""
    rows = [(p.account_id, p.post_id, p.created_at.value, u) for p in posts.itertuples()
            for u in set(p.url.split())]
    out = set()
    for a1, m1, t1, o1 in rows:
        for a2, m2, t2, o2 in rows:
            if o1 == o2 and m1 != m2 and abs(t1 - t2) <= window * 1e9 and (same_account or a1 != a2):
                out.add((a1, a2, m1, m2, o1))
    return out


@pytest.mark.parametrize("seed,window,directed", [(0, 10, True), (1, 40, False), (2, 300, True), (3, 0, False)])
def test_uncapped_evidence_is_every_pair_and_the_total_is_counted(seed, window, directed):
    posts = posts_of(seed)
    net = coaction_network(posts, "link", window=window, min_weight=1, directed=directed)
    ev = net.evidence(per_edge=None)
    got = set(ev[["account_1", "account_2", "post_1", "post_2", "object"]].itertuples(index=False, name=None))
    edges = set(net.edges[["account_1", "account_2"]].itertuples(index=False, name=None))
    assert got == {r for r in brute_pairs(posts, window) if r[:2] in edges}
    by_edge = ev.groupby(["account_1", "account_2"])
    assert (by_edge.size() == by_edge["pairs"].first()).all()
    key = ["account_1", "account_2", "time_1", "time_2", "object", "post_1", "post_2"]
    assert ev.equals(ev.sort_values(key).reset_index(drop=True))


@pytest.mark.parametrize("per_edge", [1, 3, 10])
def test_capped_evidence_keeps_the_nearest_pairs_spread_over_the_posts(per_edge):
    posts = posts_of(4, n=800, n_accounts=6)
    net = coaction_network(posts, "link", window=60, min_weight=1, directed=False)
    full = net.evidence(per_edge=None)
    ev = net.evidence(per_edge=per_edge)
    key = ["account_1", "account_2", "post_1", "post_2", "object"]
    assert set(ev[key].itertuples(index=False, name=None)) <= set(full[key].itertuples(index=False, name=None))
    total = full.groupby(["account_1", "account_2"]).size()
    shown = ev.groupby(["account_1", "account_2"]).agg(n=("pairs", "size"), pairs=("pairs", "first"))
    assert (shown["pairs"] == total.reindex(shown.index)).all()
    assert (shown["n"] == np.minimum(shown["pairs"], per_edge)).all()
    # each row of a capped edge pairs a different post (and object) of account_1 while some are
    # left to cover, each with its nearest match first
    act = ["account_1", "account_2", "post_1", "object"]
    matched = full.drop_duplicates(act).groupby(["account_1", "account_2"]).size()
    covered = ev.drop_duplicates(act).groupby(["account_1", "account_2"]).size()
    assert (covered == np.minimum(matched.reindex(covered.index), per_edge)).all()
    nearest = full.assign(gap=full["lag_s"].abs()).groupby(act)["gap"].min()
    first = ev.assign(gap=ev["lag_s"].abs()).groupby(act)["gap"].min()
    assert (first == nearest.reindex(first.index)).all()


def test_one_object_posted_thousands_of_times_by_few_accounts_stays_bounded():
    n, k = 30_000, 40
    rng = np.random.default_rng(0)
    posts = pd.DataFrame({"post_id": [f"p{i}" for i in range(n)],
                          "account_id": rng.choice([f"u{a:02d}" for a in range(k)], n),
                          "created_at": pd.to_datetime(np.sort(rng.uniform(0, 60, n)) * 1e9, utc=True),
                          "url": "https://example.org/x"})
    coaction_network(posts.head(500), "link", directed=False).evidence()      # compile outside the clock
    start = time.perf_counter()
    net = coaction_network(posts, "link", window=60, directed=False)
    ev = net.evidence(per_edge=5)
    assert time.perf_counter() - start < 20      # n x n pairs would be 9 x 10^8
    assert len(net.edges) == k * (k - 1) // 2 and len(ev) == 5 * len(net.edges)
    counts = posts["account_id"].value_counts()
    for a, b, w12, w21 in net.edges[["account_1", "account_2", "weight_12", "weight_21"]].itertuples(index=False):
        assert (w12, w21) == (counts[a], counts[b])       # every post co-acts with the other's
    pairs = ev.groupby(["account_1", "account_2"])["pairs"].first()
    assert all(pairs[(a, b)] == counts[a] * counts[b] for a, b in pairs.index)

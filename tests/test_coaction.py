"""Co-action networks: exact agreement with a brute-force reading of CNT's SQL, and behaviour."""
from itertools import product

import numpy as np
import pandas as pd
import pytest

from detector.coaction import coaction_network, normalise_text


def random_posts(seed, n=120):
    rng = np.random.default_rng(seed)
    urls = ["a.org", "b.org", "a.org b.org", "", "c.org  a.org", None]
    texts = ["Go vote", "go  VOTE", "@x go vote", "", None, "other", "#tag1 hi", "hi #Tag1 #t2"]
    t = np.sort(rng.integers(0, 400, n))
    shared = np.where(rng.random(n) < 0.3, rng.integers(0, 5, n).astype(str), None)
    return pd.DataFrame({
        "post_id": [f"p{i}" for i in range(n)], "account_id": rng.choice(list("abcdefg"), n),
        "created_at": pd.to_datetime(t, unit="s", utc=True),
        "text": rng.choice(np.array(texts, dtype=object), n), "url": rng.choice(np.array(urls, dtype=object), n),
        "shared_post_id": shared})


def brute_cnt(posts, kind, window, min_weight, cnt=True):
    """CNT 1.5.2's SQL, row by row: weight(u1, u2) = count distinct e1.message_id joined to u2's rows."""
    rows = []
    for p in posts.itertuples():
        t = p.created_at.timestamp()
        repost = isinstance(p.shared_post_id, str)
        if kind == "link" and not repost:
            cell = p.url if isinstance(p.url, str) else ""
            items = cell.split(" ") if cnt else cell.split()
            rows += [(p.post_id, p.account_id, t, u) for u in set(items)]
        elif kind == "text" and not repost:
            txt = normalise_text(pd.Series([p.text])).iloc[0]
            if cnt or txt:
                rows.append((p.post_id, p.account_id, t, txt))
        elif kind == "share" and repost:
            rows.append((p.post_id, p.account_id, t, p.shared_post_id))
    seen = {}
    for (m1, u1, t1, o1), (m2, u2, t2, o2) in product(rows, rows):
        if o1 == o2 and abs(t1 - t2) <= window and (cnt or (u1 != u2 and m1 != m2)):
            seen.setdefault((u1, u2), set()).add(m1)
    return {(u1, u2, len(m)) for (u1, u2), m in seen.items() if len(m) >= min_weight}


@pytest.mark.parametrize("kind", ["link", "text", "share"])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("window,min_weight", [(1, 1), (30, 2), (0, 1)])
@pytest.mark.parametrize("compat", ["cnt", None])
def test_edges_equal_brute_force_reading_of_cnt(kind, seed, window, min_weight, compat):
    posts = random_posts(seed)
    net = coaction_network(posts, kind, window=window, min_weight=min_weight, compat=compat)
    got = set(net.edges[["account_1", "account_2", "weight"]].itertuples(index=False, name=None))
    assert got == brute_cnt(posts, kind, window, min_weight, cnt=compat == "cnt")



@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("window,min_weight", [(30, 2), (200, 2), (60, 3)])
@pytest.mark.parametrize("compat", ["cnt", None])
@pytest.mark.parametrize("kind", ["link", "text"])
def test_accounts_acting_once_left_out_of_windows_change_no_weight(kind, seed, window, min_weight, compat):
    # most accounts post once (left out of the windows of accounts that are not dense), a few
    # post often, some of them twice on one object within two windows (dense: full windows)
    posts = random_posts(seed, n=300)
    rng = np.random.default_rng(seed + 100)
    many = rng.random(len(posts)) < 0.4
    posts["account_id"] = np.where(many, rng.choice(list("abcdefgh"), len(posts)),
                                   [f"once{i}" for i in range(len(posts))])
    net = coaction_network(posts, kind, window=window, min_weight=min_weight, compat=compat)
    got = set(net.edges[["account_1", "account_2", "weight"]].itertuples(index=False, name=None))
    assert got == brute_cnt(posts, kind, window, min_weight, cnt=compat == "cnt")
    assert any(a.startswith("once") for e in got for a in e[:2])      # single accounts still weigh

def test_undirected_weight_is_min_of_directions_and_evidence_backs_it():
    posts = random_posts(5, n=200)
    d = coaction_network(posts, "link", window=30, min_weight=1)
    u = coaction_network(posts, "link", window=30, min_weight=1, directed=False)
    w = {(a, b): x for a, b, x in d.edges[["account_1", "account_2", "weight"]].itertuples(index=False)}
    for a, b, x in u.edges[["account_1", "account_2", "weight"]].itertuples(index=False):
        assert a < b and x == min(w[(a, b)], w[(b, a)])
    ev = u.evidence()
    assert (ev["account_1"] != ev["account_2"]).all() and (ev["lag_s"].abs() <= 30).all()
    got = ev.groupby(["account_1", "account_2"])["post_1"].nunique()
    for a, b, x in u.edges[["account_1", "account_2", "weight_12"]].itertuples(index=False):
        assert got[(a, b)] == x     # each of a's matched posts has a row
    one = u.evidence("b", "a")
    assert set(zip(one["account_1"], one["account_2"])) <= {("a", "b")}


def test_bad_options_are_errors():
    posts = random_posts(0)
    with pytest.raises(ValueError, match="unknown co-action kind"):
        coaction_network(posts, "likes")
    with pytest.raises(ValueError, match="window"):
        coaction_network(posts, "link", window=-1)
    with pytest.raises(ValueError, match="min_weight"):
        coaction_network(posts, "link", min_weight=0)


@pytest.mark.parametrize("seed", range(5))
def test_window_bounds_are_exact_at_nanosecond_resolution(seed):
    from detector.coaction import pairs

    rng = np.random.default_rng(seed)
    n = 400
    obj = np.sort(rng.integers(0, 6, n))
    # times with sub-second parts and exact boundary hits
    time = rng.integers(0, 50, n) * 10**9 + rng.choice([0, 1, 999_999_999, 500_000_000], n)
    o = np.lexsort((time, obj))
    obj, time = obj[o], time[o]
    w = 7 * 10**9
    lo, hi = pairs.window_bounds(obj, time, w)
    for i in range(n):
        inside = np.flatnonzero((obj == obj[i]) & (np.abs(time - time[i]) <= w))
        assert (lo[i], hi[i]) == (inside.min(), inside.max() + 1)


def test_near_duplicates_group_edited_copies_but_not_short_texts():
    from detector.coaction.neardup import near_duplicate_groups

    texts = pd.Series(["sign up for free tickets and do not go tonight",
                       "sign up for free tickets and do not go tonight pls",
                       "sign up for free tickets and do not go",
                       "completely different words in this one here",
                       "go vote", "go now", "go vote"])
    g = near_duplicate_groups(texts).tolist()
    assert g[0] == g[1] == g[2]            # Jaccard 10/11 and 8/10 (>= 0.8)
    assert g[3] != g[0]
    assert g[4] == g[6] != g[5]            # short texts: identical only


def test_estimate_window_from_simulated_posts_is_seconds_not_days(tulsa_20k):
    from detector.coaction import estimate_window

    w = estimate_window(tulsa_20k.posts, "link")
    assert 1 <= w <= 600
    assert estimate_window(tulsa_20k.posts, "link", episode_gap=float("inf")) > 3600  # CooRnet's reading


def test_significance_keeps_amplifier_edges_and_estimates_chance(tulsa_20k):
    from detector.coaction import edge_significance

    role = tulsa_20k.accounts.set_index("account_id")["role"]
    net = coaction_network(tulsa_20k.posts, "link", window=60, min_weight=1, directed=False)
    sig = edge_significance(net, n_null=5, seed=1)
    e = sig.edges
    amp = (e["account_1"].map(role) == "amplifier") & (e["account_2"].map(role) == "amplifier")
    heavy = e["weight"] >= 2
    assert (e.loc[heavy & amp, "q_value"] <= 0.05).mean() > 0.95
    table = sig.by_weight.set_index("min_weight")
    assert table.loc[1, "expected_by_chance"] > table.loc[2, "expected_by_chance"]   # repetition is rare by chance
    assert sig.min_weight_at(0.05) is not None
    again = edge_significance(net, n_null=5, seed=1)
    pd.testing.assert_frame_equal(again.edges, sig.edges)
    fast = edge_significance(net, n_null=5, seed=1, by_weight=False)
    np.testing.assert_allclose(fast.edges["p_value"], sig.edges["p_value"])   # same draws for the edges' accounts


def test_account_clusters_are_the_campaigns_amplifiers(tulsa_20k):
    from sklearn.metrics import adjusted_rand_score

    from detector.coaction import account_clusters

    ac = account_clusters(tulsa_20k.posts, seed=0)
    truth = tulsa_20k.accounts.set_index("account_id")
    flagged = ac.clusters[ac.clusters["flagged"]]
    assert len(flagged) >= 3
    m = ac.members.join(truth, on="account_id")
    m = m[m["account_cluster_id"].isin(flagged["account_cluster_id"])]
    assert (m["role"] == "amplifier").mean() >= 0.95
    assert m["account_id"].nunique() >= 0.9 * (truth["role"] == "amplifier").sum()
    assert adjusted_rand_score(m["campaign"], m["account_cluster_id"]) >= 0.6
    assert flagged["reasons"].str.contains("expected by chance").all()
    ev = ac.evidence(flagged["account_cluster_id"].iloc[0])
    assert len(ev) and (ev["lag_s"].abs() <= 60).all()
    g = ac.to_networkx()
    assert g.number_of_nodes() >= len(m) and all("kinds" in d for _, _, d in g.edges(data=True))


def test_no_account_cluster_in_organic_posts():
    import detector
    from detector.coaction import account_clusters

    sim = detector.simulate("organic", n=20_000, seed=2)
    ac = account_clusters(sim.posts, seed=0)
    assert not ac.clusters["flagged"].any()


def test_mentions_end_where_cnts_regex_module_says():
    # CNT's `regex` \s does not match U+001C-U+001F, Python's `re` does: the mention runs on
    assert normalise_text(pd.Series(["@x\x1cy hello world", "@ann\tHi"])).tolist() == ["hello world", "hi"]


def test_normalise_text_fast_path_equals_the_plain_python_reading():
    from detector.coaction.actions import _MENTION

    rng = np.random.default_rng(0)
    alphabet = list("Aab Z9#!@.") + ["  ", "\t", "\n", "É", "ß", "İ", "\x1c", "\u00a0", "\u2003", "😀"]
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 12))) for _ in range(3000)] + [None, ""]
    want = [" ".join(_MENTION.sub("", (x or "").lower()).split()) for x in texts]
    assert normalise_text(pd.Series(texts, dtype=object)).tolist() == want

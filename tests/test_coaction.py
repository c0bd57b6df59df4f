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

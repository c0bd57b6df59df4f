"""The fast paths of the scale work give what the plain computations give.

Each shortcut (sorting only what can change a median or a ranking, computing once per distinct
value, sharing a matrix instead of copying it) is checked against the plain computation it
replaced, on random inputs with the cases that matter: zeros holding exactly half the weight,
ties, rows in and out of order.
"""
import numpy as np
import pytest
from scipy import sparse

from detector.detection.composition import QuietReference, _below_quiet
from detector.detection.features import token_matrix
from detector.detection.graph import strongest_pairs
from detector.detection.shift import median_share, pooled_stretches, robust_shares, time_blocks, weighted_median


def _plain_strongest(pair_row, pair_weight, top):
    order = np.lexsort((-pair_weight, pair_row))
    rank = np.arange(len(order)) - np.searchsorted(pair_row[order], pair_row[order], side="left")
    keep = np.zeros(len(order), dtype=bool)
    keep[order[rank < top]] = True
    return keep


@pytest.mark.parametrize("seed", range(20))
def test_strongest_pairs_match_a_full_sort(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 400))
    rows = rng.integers(0, 50, n)
    if seed % 2:
        rows = np.sort(rows)                      # as the shift gives them, and out of order
    weights = rng.integers(0, 4, n).astype(float)  # many equal weights: ties keep the first
    for top in (1, 2, 3, 7):
        assert np.array_equal(strongest_pairs(rows, weights, top), _plain_strongest(rows, weights, top))
        if seed % 4 == 1:                         # grouped, with weights that are rarely equal
            smooth = rng.random(n)
            assert np.array_equal(strongest_pairs(rows, smooth, top), _plain_strongest(rows, smooth, top))


@pytest.mark.parametrize("seed", range(20))
def test_median_of_shares_sorts_only_what_can_move_it(seed):
    rng = np.random.default_rng(seed)
    shares = rng.random((300, 8)) * (rng.random((300, 8)) < rng.uniform(0.1, 0.9))
    weight = rng.integers(1, 4, 8).astype(float)
    if seed % 3 == 0:
        weight = np.ones(8)                        # zeros holding exactly half the weight: a tie
    median, lower = median_share(shares, weight, floor=0.25, n_quiet=1000)
    assert np.array_equal(median, weighted_median(shares, weight, axis=-1))
    assert np.allclose(lower, 0.25 * np.maximum(shares @ weight / weight.sum(), 0.5 / 1001))


def _plain_robust_shares(X, blocks, quiet, floor=0.25):
    """robust_shares without steps, on a dense matrix of counts."""
    nq = max(int(quiet.sum()), 1)
    pool, weight = pooled_stretches(blocks, quiet)
    rows = np.flatnonzero(quiet)
    at = pool[blocks[rows]]
    size = np.bincount(at, minlength=len(weight)).astype(float)
    counts = np.zeros((X.shape[1], len(weight)))
    dense = X.toarray()
    for k in range(len(weight)):
        counts[:, k] = dense[rows[at == k]].sum(axis=0)
    shares = counts / size
    lower = floor * np.maximum(shares @ weight / weight.sum(), 0.5 / (nq + 1.0))
    return np.maximum(weighted_median(shares, weight, axis=-1), lower)


@pytest.mark.parametrize("seed", range(10))
def test_robust_shares_match_the_dense_computation(seed):
    rng = np.random.default_rng(seed)
    n, tokens = 3000, 60
    # tokens from everywhere to nowhere: common, present in a few stretches, held once
    rate = rng.choice([0.3, 0.02, 0.001], tokens)
    dense = rng.random((n, tokens)) < rate
    dense[: n // 3, : tokens // 4] = False           # some tokens only later in the window
    X = sparse.csr_matrix(dense.astype(np.float32))
    blocks = time_blocks(np.arange(n), n)
    quiet = rng.random(n) < 0.8
    got = robust_shares(X, blocks, quiet)
    assert np.allclose(got, _plain_robust_shares(X, blocks, quiet), rtol=1e-12, atol=0)


def test_quiet_share_below_repeated_values_is_computed_once_per_value():
    rng = np.random.default_rng(0)
    pools = tuple(np.sort(rng.integers(0, 6, int(rng.integers(20, 60))).astype(float)) for _ in range(5))
    ref = QuietReference(pools, np.array([1.0, 2.0, 1.0, 1.0, 3.0]))
    values = rng.integers(0, 7, 500).astype(float)          # many repeats
    plain = np.array([_below_quiet(np.array([v]), ref)[0] for v in values])
    assert np.array_equal(_below_quiet(values, ref), plain)


def test_an_events_rows_in_order_share_the_matrix_and_others_are_copied():
    import pandas as pd

    tm = token_matrix(pd.DataFrame({"email": ["a@x.com", "b@y.org", "c@x.com", "d@z.net"]}))
    assert tm.rows(np.arange(4)).X is tm.X
    part = tm.rows(np.array([2, 0]))
    assert part.X is not tm.X and np.array_equal(part.X.toarray(), tm.X.toarray()[[2, 0]])


def test_poisson_tail_and_chi2_critical_value_match_scipy_stats():
    """``scipy.special`` in place of ``scipy.stats`` (half a second of import): the same bits."""
    from scipy import special, stats

    from detector.coaction.significance import poisson_sf

    rng = np.random.default_rng(0)
    k = np.r_[rng.integers(-3, 200, 5000).astype(float), rng.uniform(-2, 50, 500), [0, 1, -1, 3]]
    mu = np.r_[rng.uniform(0, 100, 5000) ** rng.uniform(0, 2, 5000), rng.uniform(0, 20, 500), [0, 0, 0, 2.5]]
    assert np.array_equal(poisson_sf(k, mu), stats.poisson.sf(k, mu))
    assert float(poisson_sf(3, 2.0)) == float(stats.poisson.sf(3, 2.0))
    p = rng.uniform(1e-12, 0.5, 1000)
    assert np.array_equal(special.chdtri(1, p), stats.chi2.isf(p, 1))


def test_trigger_ties_with_the_follows_that_can_tie_only():
    """Trigger posts code only the follows whose follower is a registrant's account and whose
    followee wrote a post; the ties they give are those of every follow, by a plain merge."""
    import pandas as pd

    import detector
    from detector.detection.triggers import TriggerContext

    sim = detector.simulate("tulsa", n=3000, seed=4)
    regs, posts, follows = sim.registrations, sim.posts, sim.follows
    extra = pd.DataFrame({"follower_id": ["nobody", regs["account_id"].dropna().iloc[0], "x"],
                          "followee_id": [posts["account_id"].iloc[0], "not-an-author", "y"]})
    follows = pd.concat([follows, extra], ignore_index=True)
    ctx = TriggerContext(regs, posts, follows)
    rows = np.flatnonzero(regs["account_id"].notna().to_numpy())
    accounts = np.unique(ctx.account_code[rows])
    cand = np.flatnonzero(ctx.P.is_root)
    got = ctx.ties(cand, accounts)
    code_of = dict(zip(regs["account_id"].to_numpy()[rows], ctx.account_code[rows]))
    authors = pd.DataFrame({"followee_id": ctx.P.author[cand], "root": cand})
    plain = follows[follows["follower_id"].isin(code_of)].merge(authors, on="followee_id")
    via_follows = {(code_of[a], r) for a, r in zip(plain["follower_id"], plain["root"])}
    assert via_follows and via_follows <= set(zip(got["account"], got["root"]))
    cascade = ctx.P.cascade_of(cand)
    via_posts = {(code_of[a], r) for a, r in zip(ctx.P.author[cascade], ctx.P.root[cascade]) if a in code_of}
    assert set(zip(got["account"], got["root"])) == via_follows | via_posts


@pytest.mark.parametrize("seed", range(3))
def test_identity_codes_match_the_facets_sub_matrices(seed):
    """Per identity facet and row, the first of the row's tokens of that facet (in the matrix's
    own entry order, scrambled within rows here), as the column-sliced sub-matrix gives it."""
    import detector
    from detector.detection.facets import IDENTITY_FACETS
    from detector.detection.features import TokenMatrix

    sim = detector.simulate("random", n=3000, seed=seed)
    tm = token_matrix(sim.registrations)
    X = tm.X.tocsr().copy()
    rng = np.random.default_rng(seed)
    for r in range(X.shape[0]):                     # entries out of column order within each row
        a, b = X.indptr[r], X.indptr[r + 1]
        X.indices[a:b] = X.indices[a:b][rng.permutation(b - a)]
    X.has_sorted_indices = False
    for matrix in (tm, TokenMatrix(X=X, names=tm.names, facets=tm.facets)):
        got = matrix.identity_codes
        assert got, "the world has identity tokens"
        for name in IDENTITY_FACETS:
            columns = np.flatnonzero((matrix.facets == name) & ~matrix.is_rare)
            if not len(columns):
                assert name not in got
                continue
            sub = matrix.X[:, columns].tocsr()
            has = np.diff(sub.indptr) > 0
            code = np.full(matrix.X.shape[0], len(columns), dtype=np.int64)
            code[has] = sub.indices[sub.indptr[:-1][has]]
            assert np.array_equal(got[name][0], columns) and np.array_equal(got[name][1], code), name


@pytest.mark.parametrize("seed", range(3))
def test_post_roots_parents_match_a_reindex(seed):
    """The shared post's row found by an Arrow look-up, as a pandas reindex finds it; missing and
    unknown shared ids (and a post literally named "None") have no parent."""
    import pandas as pd

    from detector.detection.triggers import post_roots

    rng = np.random.default_rng(seed)
    n = 400
    ids = np.array([f"p{i}" for i in rng.permutation(n)], dtype=object)
    ids[0] = "None"
    shared = np.where(rng.random(n) < 0.5, None, ids[rng.integers(0, n, n)]).astype(object)
    shared[rng.random(n) < 0.05] = "unknown"
    posts = pd.DataFrame({"post_id": pd.Series(ids, dtype="str"), "shared_post_id": pd.Series(shared, dtype="str")})
    pos = pd.Series(np.arange(n), index=ids)
    parent = pos.reindex(pd.Series(shared).where(pd.Series(shared).notna(), "\0missing")).to_numpy()
    parent = np.where(np.isnan(parent), np.arange(n), np.nan_to_num(parent)).astype(np.int64)
    for _ in range(20):
        parent = parent[parent]
    assert np.array_equal(post_roots(posts), parent)


def test_facet_codes_match_a_sort_of_every_token():
    """Facets coded by hashing give what ``np.unique`` over every token's facet gives."""
    from detector.detection.features import TokenMatrix

    rng = np.random.default_rng(0)
    facets = np.array(["phone", "email_domain", "name", "ip", "ua_word"], dtype=object)[rng.integers(0, 5, 5000)]
    got_names, got_codes = TokenMatrix(X=None, names=facets, facets=facets).facet_codes
    names, codes = np.unique(facets, return_inverse=True)
    assert got_names.tolist() == names.tolist() and np.array_equal(got_codes, codes.ravel())


@pytest.mark.parametrize("seed", range(3))
def test_window_counts_made_once_give_the_same_shift(seed):
    """Counting the windows once and testing them against two baselines gives what counting
    them for each baseline gives."""
    import detector
    from detector.detection.shift import token_shift, window_counts

    sim = detector.simulate("random", n=3000, seed=seed)
    regs = sim.registrations.sort_values("created_at", kind="stable")
    X = token_matrix(regs).X
    secs = (regs["created_at"] - regs["created_at"].min()).dt.total_seconds().to_numpy()
    bins = (secs // 900).astype(np.int64)
    quiet = np.random.default_rng(seed).random(len(bins)) < 0.8
    counts = window_counts(X, bins, int(bins.max()) + 1)
    for q in (quiet, ~quiet | (bins % 2 == 0)):
        a = token_shift(X, bins, int(bins.max()) + 1, q)
        b = token_shift(X, bins, int(bins.max()) + 1, q, counts=counts)
        for field in ("token", "bin", "count", "expected", "weight", "evidence", "pair_row", "pair_weight"):
            assert np.array_equal(getattr(a, field), getattr(b, field)), field
    with pytest.raises(ValueError, match="other bins"):
        token_shift(X, bins, int(bins.max()) + 2, quiet, counts=counts)

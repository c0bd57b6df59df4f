"""The attribute-shift window sums, on short data as on long."""
import numpy as np
import pytest
from scipy import sparse

from detector.detection._shift_kernels import window_cells
from detector.detection.shift import _window_totals


@pytest.mark.parametrize("nb", [1, 3, 30, 100])
@pytest.mark.parametrize("half", [1, 6, 24])
def test_window_sums_match_brute_force_even_when_the_window_is_wider_than_the_data(nb, half):
    rng = np.random.default_rng(nb * 100 + half)
    counts = rng.poisson(3.0, size=nb).astype(float)
    expected = np.array([counts[max(b - half, 0):b + half + 1].sum() for b in range(nb)])
    np.testing.assert_allclose(_window_totals(counts, half), expected)
    per_token = sparse.csr_matrix(counts[None, :])
    _, bins, sums = window_cells(per_token.indptr, per_token.indices, per_token.data, nb, min(half, nb - 1), 1e-9)
    swept = np.zeros(nb)
    swept[bins] = sums
    np.testing.assert_allclose(swept, expected)


def _stretches(n=24000, seed=0):
    from detector.detection.shift import time_blocks

    rng = np.random.default_rng(seed)
    return rng, time_blocks(np.arange(n), n), np.ones(n, dtype=bool)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("first, last", [(4, 12), (2, 12), (0, 9)])
def test_a_campaign_in_most_stretches_does_not_set_its_own_baseline(seed, first, last):
    from detector.detection.shift import robust_shares

    rng, blocks, quiet = _stretches(seed=seed)
    n = len(blocks)
    organic = rng.random(n) < 0.02                     # the token's organic share: 2%
    campaign = (blocks >= first) & (blocks < last) & (rng.random(n) < 0.08)   # a slow campaign carrying it
    X = sparse.csr_matrix((organic | campaign).astype(float)[:, None])
    plain = float(robust_shares(X, blocks, quiet)[0])
    stepped = float(robust_shares(X, blocks, quiet, steps=np.array([True]))[0])
    assert plain > 0.09                                # the median of the stretches is the campaign's
    assert 0.015 < stepped < 0.026                     # the stretches before (or after) it give the baseline


@pytest.mark.parametrize("seed", range(4))
def test_shares_that_only_drift_or_stay_put_have_no_step(seed):
    from detector.detection.shift import robust_shares, share_steps

    rng, blocks, quiet = _stretches(seed=seed)
    n = len(blocks)
    p = np.array([0.3, 0.05, 0.01, 0.002])
    cycle = 1 + 0.5 * np.sin(np.arange(n) / n * 2 * np.pi * 3)     # up to 3x between the top and the bottom
    ramp = np.linspace(0.6, 1.6, n)                                  # 2.7x from the start to the end
    X = sparse.csr_matrix(np.column_stack([rng.random((n, len(p))) < p,
                                           rng.random(n) < 0.02 * cycle, rng.random(n) < 0.02 * ramp]).astype(float))
    every = np.ones(X.shape[1], dtype=bool)
    np.testing.assert_array_equal(robust_shares(X, blocks, quiet, steps=every), robust_shares(X, blocks, quiet))
    counts = np.stack([np.asarray(X[blocks == b].sum(axis=0)).ravel() for b in range(12)], axis=1)
    _, found = share_steps(counts, np.bincount(blocks).astype(float), np.zeros(X.shape[1]))
    assert not found.any()


def test_only_the_tokens_allowed_to_step_do():
    from detector.detection.shift import robust_shares

    rng, blocks, quiet = _stretches()
    n = len(blocks)
    col = ((rng.random(n) < 0.02) | ((blocks >= 3) & (rng.random(n) < 0.1))).astype(float)
    X = sparse.csr_matrix(np.column_stack([col, col]))
    share = robust_shares(X, blocks, quiet, steps=np.array([True, False]))
    assert share[0] < 0.03 < 0.09 < share[1]


def test_steps_are_found_whatever_the_order_of_the_tokens_and_at_any_scale():
    from detector.detection.shift import share_steps

    counts = np.array([[2, 2, 2, 40, 40, 40, 40, 40, 40, 2], [10, 12, 9, 11, 10, 10, 12, 9, 10, 11],
                       [0, 0, 30, 30, 30, 30, 30, 30, 30, 30]], dtype=float)
    size = np.full(10, 100.0)
    outside, found = share_steps(counts, size, np.zeros(3))
    assert found.tolist() == [True, False, True]
    assert outside[[0, 2]].tolist() == [0.02, 0.0]
    order = [2, 0, 1]
    o2, f2 = share_steps(counts[order], size, np.zeros(3))
    np.testing.assert_array_equal(f2, found[order])
    np.testing.assert_allclose(o2, outside[order])
    # a token at a time: the same
    o1, f1 = share_steps(counts, size, np.zeros(3), chunk=1)
    np.testing.assert_array_equal(f1, found)
    np.testing.assert_allclose(o1, outside)
    # ten times the sign-ups, the same shares: the same steps (and more significant)
    o3, f3 = share_steps(counts * 10, size * 10, np.zeros(3))
    np.testing.assert_array_equal(f3, found)
    np.testing.assert_allclose(o3, outside)


@pytest.mark.parametrize("k", [1, 2, 3, 12])
def test_weighted_median_with_equal_weights_is_the_median(k):
    from detector.detection.shift import weighted_median

    rng = np.random.default_rng(k)
    values = rng.integers(0, 5, size=(50, k)).astype(float)     # ties too
    np.testing.assert_allclose(weighted_median(values, np.ones(k), axis=1), np.median(values, axis=1))
    np.testing.assert_allclose(weighted_median(values.T, np.ones(k), axis=0), np.median(values, axis=1))


def test_a_campaign_tail_in_two_dense_stretches_does_not_set_the_share():
    """Organic registrants 20 per stretch (too few for a stretch alone), a campaign's tail 600 in
    each of two: every stretch of time counts once, so the share is the organic one."""
    from detector.detection.shift import pooled_stretches, robust_shares

    rng = np.random.default_rng(3)
    per_stretch = np.full(12, 20)
    per_stretch[5:7] += 600
    blocks = np.repeat(np.arange(12), per_stretch)
    member = np.zeros(len(blocks), dtype=bool)
    member[np.flatnonzero(blocks == 5)[:600]] = member[np.flatnonzero(blocks == 6)[:600]] = True
    token = np.where(member, rng.random(len(blocks)) < 0.9, rng.random(len(blocks)) < 0.1)
    X = sparse.csr_matrix(token.astype(float)[:, None])
    quiet = np.ones(len(blocks), dtype=bool)
    pool, weight = pooled_stretches(blocks, quiet)
    assert pool.tolist() == [0, 0, 1, 1, 2, 2, 3, 4, 4, 5, 5, 5] and weight.tolist() == [2, 2, 2, 1, 2, 3]
    assert float(robust_shares(X, blocks, quiet)[0]) < 0.25       # organic 10%; all quiet ones: 77%

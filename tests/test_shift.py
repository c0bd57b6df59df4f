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


def test_a_campaign_in_most_stretches_does_not_set_its_own_baseline():
    from scipy import sparse
    from detector.detection.shift import robust_shares

    rng, blocks, quiet = _stretches()
    n = len(blocks)
    organic = rng.random(n) < 0.02                     # the token's organic share: 2%
    campaign = (blocks >= 4) & (rng.random(n) < 0.08)  # a slow campaign carrying it in 8 of 12 stretches
    X = sparse.csr_matrix((organic | campaign).astype(float)[:, None])
    share = float(robust_shares(X, blocks, quiet)[0])
    plain_median = float(np.median([X[blocks == b].mean() for b in range(12)]))
    assert plain_median > 0.09                         # the median of the stretches is the campaign's
    assert 0.015 < share < 0.025                       # the stretches without it give the baseline


def test_a_homogeneous_token_keeps_its_share_and_nothing_exceeds_the_median():
    from scipy import sparse
    from detector.detection.shift import robust_shares

    rng, blocks, quiet = _stretches(seed=1)
    n = len(blocks)
    p = np.array([0.3, 0.05, 0.01, 0.002])
    X = sparse.csr_matrix((rng.random((n, len(p))) < p).astype(float))
    share = robust_shares(X, blocks, quiet)
    assert np.allclose(share, p, rtol=0.2)
    medians = np.median(np.stack([np.asarray(X[blocks == b].mean(axis=0)).ravel() for b in range(12)]), axis=0)
    assert (share <= np.maximum(medians, 0.25 * (np.asarray(X.sum(axis=0)).ravel() + 0.5) / (n + 1)) + 1e-12).all()

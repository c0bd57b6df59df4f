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

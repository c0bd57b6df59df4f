"""The attribute shift's sliding-window counts (a compiled sweep) equal the banded matrix product
they replaced, on random sparse tables, at every window width and threshold."""
import numpy as np
import pytest
from scipy import sparse

from detector.detection._shift_kernels import window_cells


def band_product(counts, half, min_count):
    nb = counts.shape[1]
    half = min(half, nb - 1)
    offsets = range(-half, half + 1)
    band = sparse.diags([np.ones(nb - abs(k)) for k in offsets], list(offsets), shape=(nb, nb), format="csr")
    out = (counts @ band).tocoo()
    keep = out.data >= min_count
    cells = sorted(zip(out.row[keep].tolist(), out.col[keep].tolist(), out.data[keep].tolist()))
    return cells


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("half", [0, 1, 6, 24, 500])
def test_sweep_equals_band_product(seed, half):
    rng = np.random.default_rng(seed)
    rows, nb = rng.integers(1, 60), rng.integers(1, 400)
    dense = rng.poisson(rng.uniform(0.01, 2.0), (rows, nb)) * (rng.random((rows, nb)) < rng.uniform(0.02, 0.6))
    counts = sparse.csr_matrix(dense.astype(float))
    counts.sort_indices()
    for min_count in (1, 3, 8):
        r, b, c = window_cells(counts.indptr, counts.indices, counts.data, nb, min(half, nb - 1), min_count)
        assert sorted(zip(r.tolist(), b.tolist(), c.tolist())) == band_product(counts, half, min_count)

"""Compiled loop of the attribute shift's sliding window counts (numba; internal).

For each token (a row of a tokens x bins CSR matrix with sorted columns), a window of
``2 * half + 1`` bins slides over the bins where it holds any sign-up; the cells whose count
reaches ``min_count`` are written out. Nothing else is materialised: the band-matrix product it
replaces wrote every non-zero cell (``2 * half + 1`` per stored entry) before most were dropped.

Compiled on first use and cached on disk (``cache=True``).
"""
import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _sweep(indptr, indices, data, n_bins, half, min_count, out_row, out_bin, out_count, write):  # pragma: no cover
    n = 0
    for r in range(len(indptr) - 1):
        s, e = indptr[r], indptr[r + 1]
        if s == e:
            continue
        lo = s
        hi = s
        total = 0.0
        x = max(0, indices[s] - half)
        while x < n_bins:
            while hi < e and indices[hi] <= x + half:
                total += data[hi]
                hi += 1
            while lo < hi and indices[lo] < x - half:
                total -= data[lo]
                lo += 1
            if lo == hi:                      # nothing in the window: jump to the next entry's reach
                if hi >= e:
                    break
                x = max(x + 1, indices[hi] - half)
                continue
            if total >= min_count:
                if write:
                    out_row[n] = r
                    out_bin[n] = x
                    out_count[n] = total
                n += 1
            x += 1
    return n


def window_cells(indptr, indices, data, n_bins: int, half: int, min_count: float):
    """``(row, bin, count)`` of every cell whose sum over bins ``bin - half .. bin + half`` is at
    least ``min_count``, row by row and bin by bin (columns of each row sorted)."""
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    data = np.asarray(data, dtype=np.float64)
    empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0, np.float64)
    n = _sweep(indptr, indices, data, n_bins, half, min_count, empty_i, empty_i, empty_f, False)
    row, col, count = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.float64)
    _sweep(indptr, indices, data, n_bins, half, min_count, row, col, count, True)
    return row, col, count


@njit(cache=True, nogil=True)
def _hits(indptr, indices, bins, cell_start, cell_bin, out_row, out_col, out_cell, write):  # pragma: no cover
    n = 0
    for r in range(len(indptr) - 1):
        b = bins[r]
        for e in range(indptr[r], indptr[r + 1]):
            col = indices[e]
            lo, hi = cell_start[col], cell_start[col + 1]
            while lo < hi:                        # the token's cells are sorted by bin
                mid = (lo + hi) // 2
                if cell_bin[mid] < b:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < cell_start[col + 1] and cell_bin[lo] == b:
                if write:
                    out_row[n] = r
                    out_col[n] = col
                    out_cell[n] = lo
                n += 1
    return n


def cell_hits(indptr, indices, bins, cell_token, cell_bin, n_tokens: int):
    """The stored entries of a registrations x tokens CSR matrix that fall in a cell: ``(row,
    token, cell)`` for every entry whose token has a cell at the row's bin, in the matrix's own
    entry order. Cells are sorted by token, then bin, one per (token, bin)."""
    cell_start = np.searchsorted(cell_token, np.arange(n_tokens + 1)).astype(np.int64)
    bins = np.asarray(bins, dtype=np.int64)
    cell_bin = np.asarray(cell_bin, dtype=np.int64)
    empty = np.zeros(0, np.int64)
    n = _hits(indptr, indices, bins, cell_start, cell_bin, empty, empty.astype(indices.dtype), empty, False)
    row, col, cell = np.empty(n, np.int32), np.empty(n, indices.dtype), np.empty(n, np.int64)
    _hits(indptr, indices, bins, cell_start, cell_bin, row, col, cell, True)
    return row, col, cell

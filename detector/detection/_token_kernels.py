"""Compiled loop over the token matrix's stored entries (numba; internal).

Per row and per facet, the first stored entry of a token of that facet (in the row's order):
one pass over the entries, instead of a row number materialised for each of them.

Compiled on first use and cached on disk (``cache=True``).
"""
import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def first_of_facet(indptr, indices, facet_of, position, n_facets):  # pragma: no cover (compiled)
    """``out[k, i]``: ``position`` of the first token of facet ``k`` in row ``i`` (-1 when none);
    ``facet_of[t]`` is token ``t``'s facet (-1: not one of the ``n_facets``)."""
    n = len(indptr) - 1
    out = np.full((n_facets, n), -1, dtype=np.int64)
    for i in range(n):
        for e in range(indptr[i], indptr[i + 1]):
            t = indices[e]
            k = facet_of[t]
            if k >= 0 and out[k, i] < 0:
                out[k, i] = position[t]
    return out

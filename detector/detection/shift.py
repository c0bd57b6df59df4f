"""Attribute shift: which tokens are over-represented, when, against the organic baseline.

For every token ``t`` and time bin ``b`` the count of registrations carrying
``t`` in a short sliding window around ``b`` is compared with what the organic
composition predicts: ``p0(t) * N(b)``, where ``p0(t)`` is the token's share
among registrations outside every burst (learned from the data) and ``N(b)``
all sign-ups in the window. This measures a shift in *who* signs up, not in how
many: an organic surge brings more of the usual registrants and shifts little
(the sharing platform's referrer, say), a campaign brings a different crowd.
A cell is *significant* when the count is at least ``min_count``, its lift at
least ``min_lift`` and its Poisson tail probability below ``alpha`` (Bonferroni
over the cells tested). Its weight is ``log(lift)``.

A registration's *evidence* is the sum of the weights of its tokens in its own
bin: a naive-Bayes log-likelihood ratio of "this sign-up belongs to whatever
made these tokens surge now" against "it is an ordinary sign-up".
Everything is sparse: the cost grows with the number of (registration, token)
pairs, not with tokens x bins.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.special import gammainc

__all__ = ["Shift", "token_shift", "robust_shares", "time_blocks", "usable_blocks"]


@dataclass
class Shift:
    """Significant (token, bin) cells and the per-registration evidence they give.

    Attributes
    ----------
    token, bin : numpy.ndarray of int
        The significant cells.
    count, expected, lift, weight, pvalue : numpy.ndarray of float
        Their window count, baseline expectation, ``count / expected``, ``log(lift)``
        and Poisson tail probability.
    p0 : numpy.ndarray of float
        Baseline share of each token.
    evidence : numpy.ndarray of float
        Per registration: the sum of its tokens' weights in its bin.
    pair_row, pair_token, pair_weight : numpy.ndarray
        The (registration, token) pairs that carry weight, for the graph.
    """

    token: np.ndarray
    bin: np.ndarray
    count: np.ndarray
    expected: np.ndarray
    lift: np.ndarray
    weight: np.ndarray
    pvalue: np.ndarray
    p0: np.ndarray
    evidence: np.ndarray
    pair_row: np.ndarray
    pair_token: np.ndarray
    pair_weight: np.ndarray


def _window_totals(counts_per_bin: np.ndarray, half: int) -> np.ndarray:
    """All sign-ups in bins ``b - half .. b + half`` (clipped to the data), for every bin ``b``."""
    nb = len(counts_per_bin)
    cum = np.concatenate([[0.0], np.cumsum(counts_per_bin)])
    b = np.arange(nb)
    return cum[np.minimum(b + half, nb - 1) + 1] - cum[np.maximum(b - half, 0)]


def _cells(per_bin, token_ids, counts_per_bin, p0, half, min_count, min_lift, alpha):
    """Significant cells at one window width: arrays token, bin, count, expected, pvalue."""
    from ._shift_kernels import window_cells

    nb = per_bin.shape[1]
    # the window's sums, only where they reach min_count (most cells hold a few sign-ups)
    row, b, c = window_cells(per_bin.indptr, per_bin.indices, per_bin.data, nb, min(half, nb - 1), min_count)
    total_w = _window_totals(counts_per_bin, half)
    t = token_ids[row]
    e = p0[t] * np.maximum(total_w[b], 1e-9)
    candidate = c >= min_lift * e
    t, b, c, e = t[candidate], b[candidate], c[candidate], e[candidate]
    # Poisson upper tail P(K >= c | e) is the regularised lower incomplete gamma P(c, e).
    pvalue = gammainc(c, e)
    keep = pvalue * max(len(c), 1) <= alpha
    return t[keep], b[keep], c[keep], e[keep], pvalue[keep]


def time_blocks(t: np.ndarray, span: float, n_blocks: int = 12) -> np.ndarray:
    """``n_blocks`` equal stretches of ``[0, span)``: the block of each time ``t``.

    >>> time_blocks(np.array([0, 5, 11]), 12, n_blocks=3).tolist()
    [0, 1, 2]
    """
    return np.minimum((np.asarray(t) * n_blocks // span).astype(np.int64), n_blocks - 1)


def usable_blocks(blocks: np.ndarray, quiet: np.ndarray, *, min_block: int = 30) -> np.ndarray:
    """The blocks holding at least ``min_block`` quiet registrations; none when fewer than 3 do
    (a median over one or two stretches is no protection)."""
    size = np.bincount(blocks[quiet], minlength=int(blocks.max(initial=-1)) + 1)
    usable = np.flatnonzero(size >= min_block)
    return usable if len(usable) >= 3 else usable[:0]


def robust_shares(X: sparse.csr_matrix, blocks: np.ndarray, quiet: np.ndarray, *, floor: float = 0.25) -> np.ndarray:
    """Each token's share among quiet registrations, robust to a campaign hiding in them.

    "Quiet" means outside every burst of the rate, so a slow campaign, or a burst's tail,
    sits in it and inflates its own tokens' shares. The quiet registrations are cut into
    stretches of time (``blocks``, from :func:`time_blocks`); a token's share is the median of
    its shares in the :func:`usable_blocks` (a campaign present in a minority of them cannot
    move it), but at least ``floor`` times its share among all quiet registrations (a rare
    token whose median is 0 is not made infinitely rare). Without usable blocks it is the
    plain share.

    Examples
    --------
    >>> X = sparse.csr_matrix(np.r_[np.zeros(900), np.ones(100)][:, None])   # the token only at the end
    >>> blocks = time_blocks(np.arange(1000), 1000)
    >>> float(robust_shares(X, blocks, np.ones(1000, bool))[0]) < 0.05
    True
    """
    quiet = np.asarray(quiet, dtype=bool)
    qc = np.asarray(X.T @ quiet.astype(X.dtype)).ravel()      # no copy of the quiet rows of X
    nq = max(int(quiet.sum()), 1)
    pooled = (qc + 0.5) / (nq + 1.0)
    usable = usable_blocks(blocks, quiet)
    if len(usable) == 0:
        return pooled
    rows = np.flatnonzero(quiet)
    block = blocks[rows]
    n_blocks = int(blocks.max()) + 1
    size = np.bincount(block, minlength=n_blocks)
    onehot = sparse.csr_matrix((np.ones(len(rows)), (rows, block)), shape=(X.shape[0], n_blocks))
    per_block = (X.T @ onehot).toarray()[:, usable] / size[usable]
    return np.maximum(np.median(per_block, axis=1), floor * pooled)


def token_shift(X: sparse.csr_matrix, bins: np.ndarray, n_bins: int, quiet: np.ndarray, *,
                half_windows: tuple[int, ...] = (1, 6, 24), min_count: int = 8, min_lift: float = 3.0,
                alpha: float = 0.01, min_token_count: int = 5) -> Shift:
    """Find over-represented tokens per time bin and score each registration.

    Parameters
    ----------
    X : scipy.sparse.csr_matrix
        Registrations x tokens (binary), see :func:`~detector.detection.features.token_matrix`.
    bins : numpy.ndarray of int
        The time bin of each registration.
    n_bins : int
        Number of time bins (``bins`` takes values ``0 .. n_bins - 1``).
    quiet : numpy.ndarray of bool
        Registrations taken as organic when learning ``p0`` (those outside bursts).
    half_windows : tuple of int, default (1, 6, 24)
        Counts are summed over ``2 * h + 1`` bins for each ``h``: several time
        scales, so that slow campaigns are seen as well as sharp ones. A cell
        keeps the largest weight over the scales where it is significant.
    min_count, min_lift : float
        A cell needs at least this many registrations and this lift.
    alpha : float, default 0.01
        Family-wise error over the cells tested at each scale (Bonferroni).
    min_token_count : int, default 5
        Tokens seen fewer times in all are ignored.

    Returns
    -------
    Shift
    """
    n = X.shape[0]
    nb = n_bins
    totals = np.asarray(X.sum(axis=0)).ravel()
    token_ids = np.flatnonzero(totals >= min_token_count)
    p0 = robust_shares(X, time_blocks(bins, int(bins.max()) + 1), quiet)

    onehot = sparse.csr_matrix((np.ones(n), (np.arange(n), bins)), shape=(n, nb))
    per_bin = (X.T @ onehot).tocsr()[token_ids]        # tokens x bins, without copying X's columns
    per_bin.sort_indices()
    counts_per_bin = np.bincount(bins, minlength=nb).astype(float)
    found = [_cells(per_bin, token_ids, counts_per_bin, p0, h, min_count, min_lift, alpha)
             for h in half_windows]
    t, b, c, e, pvalue = (np.concatenate(parts) for parts in zip(*found))
    lift = c / e
    weight = np.log(lift)
    # one cell per (token, bin): the scale with the largest weight
    key = t.astype(np.int64) * nb + b
    order = np.lexsort((-weight, key))
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    sel = order[first]
    t, b, c, e, pvalue, lift, weight, key = (a[sel] for a in (t, b, c, e, pvalue, lift, weight, key))

    # evidence: for each (registration, token) pair, the weight of cell (token, bin of registration);
    # only the columns of tokens with a significant cell are looked at (most tokens have none)
    X = X.tocsr()
    significant = np.zeros(X.shape[1], dtype=bool)
    significant[t] = True
    stored = significant[X.indices]                   # X's entries, in X's own order, of those tokens
    row = np.repeat(np.arange(n, dtype=np.int32), np.diff(X.indptr))[stored]
    col = X.indices[stored]
    pair_key = col.astype(np.int64) * nb + bins[row]
    pos = np.clip(np.searchsorted(key, pair_key), 0, max(len(key) - 1, 0))
    hit = (key[pos] == pair_key) if len(key) else np.zeros(len(pair_key), dtype=bool)
    pair_row, pair_token = row[hit], col[hit]
    pair_weight = weight[pos[hit]]
    evidence = np.bincount(pair_row, weights=pair_weight, minlength=n)
    return Shift(token=t, bin=b, count=c, expected=e, lift=lift, weight=weight, pvalue=pvalue, p0=p0,
                 evidence=evidence, pair_row=pair_row, pair_token=pair_token, pair_weight=pair_weight)

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

__all__ = ["Shift", "WindowCounts", "window_counts", "token_shift", "robust_shares", "share_steps", "time_blocks", "pooled_stretches", "weighted_median", "median_share"]


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


@dataclass(frozen=True)
class WindowCounts:
    """Each token's count in sliding windows of time bins, where it reaches ``min_count``:
    what :func:`token_shift` tests. They do not depend on the baseline, so they are counted
    once (:func:`window_counts`) for every baseline tested against them.

    Attributes
    ----------
    n_bins, min_count : int
        The bins counted over, and the smallest count kept.
    blocks : numpy.ndarray of int
        Each registration's stretch of time (:func:`time_blocks`).
    cells : dict
        Per half window ``h``: arrays ``token, bin, count, total``, a (token, bin) cell, the
        token's registrations in bins ``bin - h .. bin + h`` and all registrations there.
    """

    n_bins: int
    min_count: int
    blocks: np.ndarray
    cells: dict


def window_counts(X: sparse.csr_matrix, bins: np.ndarray, n_bins: int, *, half_windows: tuple[int, ...] = (1, 6, 24),
                  min_count: int = 8, min_token_count: int = 5) -> WindowCounts:
    """Count each token in sliding windows of ``2 h + 1`` time bins, for each ``h`` in
    ``half_windows`` (see :func:`token_shift` for the parameters)."""
    from ._shift_kernels import window_cells

    n, nb = X.shape[0], n_bins
    totals = np.asarray(X.sum(axis=0)).ravel()
    token_ids = np.flatnonzero(totals >= min_token_count)
    onehot = sparse.csr_matrix((np.ones(n), (np.arange(n), bins)), shape=(n, nb))
    per_bin = (X.T @ onehot).tocsr()[token_ids]        # tokens x bins, without copying X's columns
    per_bin.sort_indices()
    counts_per_bin = np.bincount(bins, minlength=nb).astype(float)
    cells = {}
    for h in half_windows:
        # the window's sums, only where they reach min_count (most cells hold a few sign-ups)
        row, b, c = window_cells(per_bin.indptr, per_bin.indices, per_bin.data, nb, min(h, nb - 1), min_count)
        cells[h] = (token_ids[row], b, c, _window_totals(counts_per_bin, h)[b])
    return WindowCounts(n_bins=nb, min_count=min_count,
                        blocks=time_blocks(bins, int(bins.max()) + 1), cells=cells)


def _cells(counted, p0, min_lift, alpha):
    """Significant cells at one window width: arrays token, bin, count, expected, pvalue."""
    t, b, c, total_w = counted
    e = p0[t] * np.maximum(total_w, 1e-9)
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


def pooled_stretches(blocks: np.ndarray, quiet: np.ndarray, *, min_block: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive stretches pooled until each pool holds at least ``min_block`` quiet
    registrations, and each pool's *weight*: the number of its stretches that hold any.

    A median over stretches protects against a campaign hidden among the quiet registrations
    only if every stretch of time counts: dropping the stretches too sparse to estimate a
    share would leave the ones a campaign's tail fills (an event whose organic registrants
    are a few hundred over weeks, and a campaign's tail thousands over two days). So sparse
    stretches are pooled with their neighbours (a remainder at the end joins the last pool)
    and a pool weighs as many stretches as it spans: medians over pools are weighted
    (:func:`weighted_median`). Fewer than 3 pools give none (a median over one or two is
    no protection).

    Returns
    -------
    (pool, weight) : numpy.ndarray of int, numpy.ndarray of float
        The pool of each stretch (-1 when there are no pools), and each pool's weight.

    Examples
    --------
    >>> blocks = np.repeat(np.arange(6), [40, 10, 25, 40, 0, 5])
    >>> pool, weight = pooled_stretches(blocks, np.ones(len(blocks), bool))
    >>> pool.tolist(), weight.tolist()
    ([0, 1, 1, 2, 2, 2], [1.0, 2.0, 2.0])
    """
    size = np.bincount(blocks[quiet], minlength=int(blocks.max(initial=-1)) + 1)
    pool = np.full(len(size), -1, dtype=np.int64)
    current, held = 0, 0
    for b, k in enumerate(size):
        pool[b] = current
        held += k
        if held >= min_block:
            current, held = current + 1, 0
    n_pools = current
    if n_pools < 3:
        return np.full(len(size), -1, dtype=np.int64), np.zeros(0)
    pool[pool == n_pools] = n_pools - 1                 # a sparse remainder joins the last pool
    weight = np.bincount(pool, weights=(size > 0).astype(float), minlength=n_pools)
    return pool, weight


def weighted_median(values: np.ndarray, weights: np.ndarray, axis: int = -1) -> np.ndarray:
    """The median along ``axis`` when the entries weigh ``weights``; with equal weights,
    :func:`numpy.median`.

    >>> weighted_median(np.array([[1.0, 2.0, 9.0]]), np.array([1.0, 1.0, 3.0])).tolist()
    [9.0]
    >>> float(weighted_median(np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4)))
    2.5
    """
    v = np.moveaxis(np.asarray(values, dtype=float), axis, -1)
    w = np.asarray(weights, dtype=float)
    order = np.argsort(v, axis=-1, kind="stable")
    v = np.take_along_axis(v, order, axis=-1)
    cum = np.cumsum(w[order], axis=-1)
    half = cum[..., -1:] / 2.0
    at = np.minimum((cum < half - 1e-12).sum(axis=-1, keepdims=True), v.shape[-1] - 1)
    low = np.take_along_axis(v, at, axis=-1)
    # exactly half the weight at or below ``low``: the median is between it and the next value
    tie = np.abs(np.take_along_axis(cum, at, axis=-1) - half) <= 1e-12
    high = np.take_along_axis(v, np.minimum(at + 1, v.shape[-1] - 1), axis=-1)
    return np.where(tie, (low + high) / 2.0, low)[..., 0]


def median_share(shares: np.ndarray, weight: np.ndarray, *, floor: float, n_quiet: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``shares`` (a value's share in each pool of stretches), its weighted median over
    the pools and the floor no baseline goes below: ``floor`` times its share averaged over time
    (not over registrants, whom a campaign's tail can outnumber), and never below half a
    registrant among ``n_quiet``.

    >>> median_share(np.array([[0.0, 0.0, 0.3]]), np.ones(3), floor=0.25, n_quiet=99)
    (array([0.]), array([0.025]))
    """
    shares = np.asarray(shares, dtype=float)
    weight = np.asarray(weight, dtype=float)
    lower = floor * np.maximum(shares @ weight / weight.sum(), 0.5 / (n_quiet + 1.0))
    return _median_of_shares(shares, (shares != 0) @ weight, weight), lower


def _median_of_shares(shares, nonzero_weight: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """:func:`weighted_median` of rows of shares (>= 0; a dense array, or a sparse matrix whose
    rows are densified only when needed), ``nonzero_weight`` the weight of each row's non-zero
    entries. A row whose zeros hold more than half the weight has median 0 (sorted, a zero sits
    at and just after the half); most tokens (one person's phone number, a rare name) are in
    one stretch or two, so only the others are sorted."""
    total = float(weight.sum())
    out = np.zeros(shares.shape[0])
    full = np.flatnonzero(total - nonzero_weight <= total / 2.0 + 1e-12)
    if len(full):
        sub = shares[full]
        out[full] = weighted_median(sub.toarray() if sparse.issparse(sub) else sub, weight, axis=-1)
    return out


def robust_shares(X: sparse.csr_matrix, blocks: np.ndarray, quiet: np.ndarray, *, floor: float = 0.25,
                  steps: np.ndarray | None = None, min_step: float = 3.0) -> np.ndarray:
    """Each token's share among quiet registrations, robust to a campaign hiding in them.

    "Quiet" means outside every burst of the rate, so a slow campaign, or a burst's tail,
    sits in it and inflates its own tokens' shares. The quiet registrations are cut into
    stretches of time (``blocks``, from :func:`time_blocks`); a token's share is the median of
    its shares in them, each stretch counted once whatever it holds (a campaign present in a
    minority of them cannot move it; sparse stretches are pooled with their neighbours,
    :func:`pooled_stretches`), but at least ``floor`` times its share averaged over them (a
    rare token whose median is 0 is not made infinitely rare). With fewer than 3 pools it is
    the plain share.

    A campaign that runs for most of the window is in most stretches, so the median is its
    own share. For the tokens marked in ``steps``, the share may also *step*: when the
    token's share over one run of consecutive stretches is at least ``min_step`` times its
    share outside it, significantly (:func:`share_steps`), the share outside the run is used
    instead, if it is lower than the median.

    Examples
    --------
    >>> X = sparse.csr_matrix(np.r_[np.zeros(900), np.ones(100)][:, None])   # the token only at the end
    >>> blocks = time_blocks(np.arange(1000), 1000)
    >>> float(robust_shares(X, blocks, np.ones(1000, bool))[0]) < 0.05
    True
    >>> i = np.arange(6000)                     # 2% all along, 6% more from the fourth stretch on
    >>> X = sparse.csr_matrix((i % 50 == 0) | ((i >= 1500) & (i % 16 == 0)), dtype=float).T
    >>> [round(float(robust_shares(X, time_blocks(i, 6000), i >= 0, steps=s)[0]), 3) for s in ([False], [True])]
    [0.08, 0.02]
    """
    quiet = np.asarray(quiet, dtype=bool)
    qc = np.asarray(X.T @ quiet.astype(X.dtype)).ravel()      # no copy of the quiet rows of X
    nq = max(int(quiet.sum()), 1)
    pooled = (qc + 0.5) / (nq + 1.0)
    pool, weight = pooled_stretches(blocks, quiet)
    if len(weight) == 0:
        return pooled
    rows = np.flatnonzero(quiet)
    at = pool[blocks[rows]]
    size = np.bincount(at, minlength=len(weight)).astype(float)
    onehot = sparse.csr_matrix((np.ones(len(rows)), (rows, at)), shape=(X.shape[0], len(weight)))
    counts = (X.T @ onehot).tocsr()           # tokens x pools, sparse: most tokens are in few stretches
    shares = counts.copy()
    shares.data = counts.data / size[counts.indices]
    # summed over each token's stretches in order (a dense BLAS product sums in an order that
    # depends on the matrix's size and threads, so its last bit did too)
    lower = floor * np.maximum(np.asarray(shares @ weight).ravel() / weight.sum(), 0.5 / (nq + 1.0))
    share = _median_of_shares(shares, np.asarray((shares != 0) @ weight).ravel(), weight)
    if steps is not None and np.any(steps):
        # only tokens held at least twice in some stretch can step (share_steps tests no other)
        tokens = np.flatnonzero(np.asarray(steps) & (np.asarray(counts.max(axis=1).todense()).ravel() >= 2))
        if len(tokens):
            outside, found = share_steps(counts[tokens].toarray(), size, lower[tokens], min_step=min_step)
            share[tokens[found]] = np.minimum(share[tokens[found]], outside[found])
    return np.maximum(share, lower)


def share_steps(counts: np.ndarray, size: np.ndarray, lower: np.ndarray, *, min_step: float = 3.0,
                min_outside: int = 2, alpha: float = 0.001, chunk: int = 8192) -> tuple[np.ndarray, np.ndarray]:
    """Per token, the clearest step of its share over time: one run of consecutive stretches
    where it is higher than everywhere else.

    Every run ``[i, j)`` of the stretches that leaves at least ``min_outside`` of them outside
    is tried: the token's pooled share inside against its pooled share outside, by a
    likelihood-ratio (G) test, Bonferroni over the runs. A run counts only when the inside share
    is at least ``min_step`` times the outside one (and ``lower``): a share that drifts by less
    over the window (time of day, a ramp toward the event) has no step. A campaign that starts
    at some point and goes on (or stops) is such a run; a token that comes and goes with every
    night is not one run.

    Parameters
    ----------
    counts : numpy.ndarray, shape (tokens, stretches)
        Registrations carrying each token in each stretch, in time order.
    size : numpy.ndarray, shape (stretches,)
        Registrations in each stretch.
    lower : numpy.ndarray, shape (tokens,)
        A share no baseline goes below (the outside share is compared with at least this).

    Returns
    -------
    (outside, found) : numpy.ndarray, numpy.ndarray of bool
        The share outside the best run, and whether that run is a significant step.

    Examples
    --------
    >>> counts = np.array([[2, 2, 2, 40, 40, 40, 40, 40, 40, 2], [10, 12, 9, 11, 10, 10, 12, 9, 10, 11]])
    >>> outside, found = share_steps(counts, np.full(10, 100.0), np.zeros(2))
    >>> found.tolist(), round(float(outside[0]), 3)
    ([True, False], 0.02)
    """
    from scipy.special import chdtri, xlogy

    counts = np.asarray(counts, dtype=float)
    n_tok, nb = counts.shape
    outside = np.zeros(n_tok)
    found = np.zeros(n_tok, dtype=bool)
    tested = np.flatnonzero(counts.max(axis=1, initial=0) >= 2)
    if nb <= min_outside or len(tested) == 0:
        return outside, found
    i, j = np.triu_indices(nb + 1, k=1)                    # the runs [i, j)
    keep = nb - (j - i) >= min_outside
    i, j = i[keep], j[keep]
    cum_s = np.concatenate([[0.0], np.cumsum(size)])
    s_in, s_all = cum_s[j] - cum_s[i], cum_s[-1]
    s_out = s_all - s_in
    critical = chdtri(1, alpha / len(i))          # chi2.isf(alpha / len(i), 1)
    for start in range(0, len(tested), chunk):          # tokens x runs arrays, a chunk of tokens at a time
        rows = tested[start:start + chunk]
        cum_c = np.concatenate([np.zeros((len(rows), 1)), np.cumsum(counts[rows], axis=1)], axis=1)
        c_in = cum_c[:, j] - cum_c[:, i]
        c_all = cum_c[:, -1:]
        c_out = c_all - c_in
        p_in, p_out, p_all = c_in / s_in, c_out / s_out, c_all / s_all
        with np.errstate(divide="ignore", invalid="ignore"):
            g = 2 * (xlogy(c_in, p_in / p_all) + xlogy(c_out, p_out / p_all))
        g = np.where(p_in >= min_step * np.maximum(p_out, lower[rows, None]), np.nan_to_num(g), -np.inf)
        best = np.argmax(g, axis=1)
        at = np.arange(len(rows))
        found[rows] = g[at, best] > critical
        outside[rows] = p_out[at, best]
    return outside, found


def token_shift(X: sparse.csr_matrix, bins: np.ndarray, n_bins: int, quiet: np.ndarray, *,
                half_windows: tuple[int, ...] = (1, 6, 24), min_count: int = 8, min_lift: float = 3.0,
                alpha: float = 0.01, min_token_count: int = 5, steps: np.ndarray | None = None,
                counts: WindowCounts | None = None) -> Shift:
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
    steps : numpy.ndarray of bool, optional
        Tokens whose baseline share may step over the window (see :func:`robust_shares`,
        with ``min_step = min_lift``).
    counts : WindowCounts, optional
        The window counts of these ``X``, ``bins``, ``half_windows`` and ``min_count``, from
        :func:`window_counts` (counted here when not given): tested against several
        baselines, they are counted once.

    Returns
    -------
    Shift
    """
    n = X.shape[0]
    nb = n_bins
    if counts is None:
        counts = window_counts(X, bins, n_bins, half_windows=half_windows, min_count=min_count,
                               min_token_count=min_token_count)
    elif counts.n_bins != n_bins or counts.min_count != min_count or set(counts.cells) != set(half_windows):
        raise ValueError("counts were made for other bins, windows or min_count")
    p0 = robust_shares(X, counts.blocks, quiet, steps=steps, min_step=min_lift)
    found = [_cells(counts.cells[h], p0, min_lift, alpha) for h in half_windows]
    t, b, c, e, pvalue = (np.concatenate(parts) for parts in zip(*found))
    lift = c / e
    weight = np.log(lift)
    # one cell per (token, bin): the scale with the largest weight
    key = t.astype(np.int64) * nb + b
    order = np.lexsort((-weight, key))
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    sel = order[first]
    t, b, c, e, pvalue, lift, weight = (a[sel] for a in (t, b, c, e, pvalue, lift, weight))

    # evidence: for each (registration, token) pair, the weight of cell (token, bin of registration),
    # found by one compiled pass over X's entries (cells are sorted by token, then bin)
    from ._shift_kernels import cell_hits

    X = X.tocsr()
    pair_row, pair_token, cell = cell_hits(X.indptr, X.indices, bins, t, b, X.shape[1])
    pair_weight = weight[cell]
    evidence = np.bincount(pair_row, weights=pair_weight, minlength=n)
    return Shift(token=t, bin=b, count=c, expected=e, lift=lift, weight=weight, pvalue=pvalue, p0=p0,
                 evidence=evidence, pair_row=pair_row, pair_token=pair_token, pair_weight=pair_weight)

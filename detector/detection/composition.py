"""Who signed up: how unlike the organic registrants a set of registrants is.

An organic surge brings more of the usual people; a campaign brings a different
crowd. This module measures that difference with the data's own null and no
learned weights:

1. **Surprisal.** Each registration gets ``S = sum over identity facets of
   -log p(value)``, ``p`` the value's share among the *quiet* registrations
   (outside every burst, carrying no surging token). Values seen fewer than
   ``min_count`` times in the event share one bucket, "rare", so a campaign's
   many different out-of-region codes count as what they are (rare), and a
   facet where nearly every value is rare (100,000 postal codes among 50,000
   registrants) gives every registrant the same small surprisal: no
   information, no contribution. Missing is a value like any other; a column
   that is absent contributes nothing. Shares are medians over stretches of
   time (:func:`.shift.robust_shares`), so a campaign hidden among the quiet
   registrations of a few stretches does not make its own values common;
   without stretches, quiet registrations are scored leave-one-out.
2. **Unlike share.** For a cluster, ``D = max_t (F_quiet(t) - F_cluster(t))``,
   the one-sided two-sample Kolmogorov-Smirnov distance between the surprisal
   of its members and of the quiet registrations. If the cluster is a mixture
   of organic registrants and a share ``pi`` of others, ``D <= pi``
   (``F_cluster = (1 - pi) F_quiet + pi F_other``): ``D`` is a lower bound on
   the share of members who are not drawn from the organic population.
3. **Confidence.** Under the null that at most ``floor`` of the members are
   unlike the organic registrants, ``P(D >= d) <= exp(-2 m' (d - floor)^2)``
   with ``m' = m n / (m + n)`` (the Dvoretzky-Kiefer-Wolfowitz-Massart bound
   used by the two-sample test). ``m`` counts *households*, not sign-ups:
   registrants who share a phone number or an IP address with at most
   ``max_household - 1`` others are one draw, not several (they are not
   independent). The bound is multiplied by the number of candidate clusters
   examined (Bonferroni), since the clusters were searched for. The cluster's
   score is one minus that: the confidence that more than ``floor`` of its
   members come from another population than the organic registrants.

Everything here is invariant under renaming values, shifting the clock and
reordering rows, and monotone: rarer values, one more odd attribute, a larger
cluster of the same composition never lower the score.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .facets import IDENTITY_FACETS
from .shift import robust_shares, usable_blocks

__all__ = ["identity_surprisal", "household_units", "quiet_reference", "unlike_share", "unlike_confidence", "unlike_lower_bound"]


def _codes(X, columns: np.ndarray) -> np.ndarray:
    """Per row, the position in ``columns`` of the one token it carries, or ``len(columns)``."""
    sub = X[:, columns].tocsr()
    has = np.diff(sub.indptr) > 0
    code = np.full(X.shape[0], len(columns), dtype=np.int64)
    code[has] = sub.indices[sub.indptr[:-1][has]]
    return code


def _facet_surprisal(code: np.ndarray, quiet: np.ndarray, n_values: int, min_count: int,
                     blocks: np.ndarray | None = None) -> np.ndarray:
    counts = np.bincount(code, minlength=n_values + 1)
    rare = n_values + 1
    kept = np.where(counts[code] >= min_count, code, rare)
    kept[code == n_values] = n_values                  # missing: a value of its own
    if blocks is not None:
        onehot = sparse.csr_matrix((np.ones(len(kept)), (np.arange(len(kept)), kept)), shape=(len(kept), n_values + 2))
        p = robust_shares(onehot, blocks, quiet)[kept]
        return -np.log(np.clip(p, 1e-300, 1.0))
    in_quiet = np.bincount(kept[quiet], minlength=n_values + 2).astype(float)
    nq = float(quiet.sum())
    p = (in_quiet[kept] + 0.5) / (nq + 1.0)
    p[quiet] = (in_quiet[kept[quiet]] - 0.5) / max(nq, 1.0)   # leave one out
    return -np.log(np.clip(p, 1e-300, 1.0))


def identity_surprisal(tm, quiet: np.ndarray, *, extra: dict | None = None, min_count: int = 5,
                       blocks: np.ndarray | None = None) -> np.ndarray:
    """Per registration: how surprising its identity values are among the quiet registrations.

    Parameters
    ----------
    tm : TokenMatrix
        The registrations' tokens (:func:`.features.token_matrix`).
    quiet : numpy.ndarray of bool
        Registrations taken as organic.
    extra : dict, optional
        ``name -> integer codes`` of further identity attributes (e.g. attendance),
        ``-1`` for missing.
    min_count : int, default 5
        Values seen fewer times in all share the bucket "rare".
    blocks : numpy.ndarray of int, optional
        A stretch of time per registration: value shares are then the median of their
        shares over the stretches (:func:`.shift.robust_shares`), so a campaign hidden among
        the quiet registrations of a minority of stretches does not make its own values common.

    Returns
    -------
    numpy.ndarray of float
        ``S`` (nats), 0 when no identity attribute is known.

    Examples
    --------
    >>> import pandas as pd
    >>> from detector.detection.features import token_matrix
    >>> regs = pd.DataFrame({"email": ["a@mail.com"] * 8 + ["x@tmp.io"] * 2})
    >>> quiet = np.array([True] * 8 + [False] * 2)
    >>> s = identity_surprisal(token_matrix(regs), quiet, min_count=1)
    >>> bool(s[9] > s[0])
    True
    """
    quiet = np.asarray(quiet, dtype=bool)
    total = np.zeros(tm.X.shape[0])
    rare_token = tm.is_rare
    for name in IDENTITY_FACETS:
        columns = np.flatnonzero((tm.facets == name) & ~rare_token)
        if len(columns):
            total += _facet_surprisal(_codes(tm.X, columns), quiet, len(columns), min_count, blocks)
    for codes in (extra or {}).values():
        codes = np.asarray(codes, dtype=np.int64)
        n_values = int(codes.max(initial=-1)) + 1
        total += _facet_surprisal(np.where(codes < 0, n_values, codes), quiet, n_values, min_count, blocks)
    return total


def household_units(columns, *, max_household: int = 8) -> np.ndarray:
    """Per registration, a household id: registrations sharing a value of any of ``columns``
    (phone numbers, IP addresses) are one household, when that value is held by at most
    ``max_household`` registrations (a placeholder shared by hundreds is not a household) and
    the group they form holds at most ``max_household`` too.

    Parameters
    ----------
    columns : list of pandas.Series
        Aligned values, NaN for missing.

    Examples
    --------
    >>> phone = pd.Series(["1", "1", "2", None, "3"])
    >>> ip = pd.Series(["a", "b", "b", "c", None])
    >>> household_units([phone, ip]).tolist()
    [0, 0, 0, 1, 2]
    >>> chain = pd.Series(["a", "a", "b", "b", "c", "c"]), pd.Series(["x", "y", "y", "z", "z", "w"])
    >>> len(set(household_units(list(chain), max_household=3)))      # a chain of six is no household
    6
    """
    n = len(columns[0]) if columns else 0
    rows, cols, offset = [], [], n
    for values in columns:
        codes, uniques = pd.factorize(pd.Series(values).astype("string").str.strip(), use_na_sentinel=True)
        if len(uniques) == 0:      # a column with no value: no household from it
            continue
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        keep = (codes >= 0) & (counts[np.maximum(codes, 0)] <= max_household)
        rows.append(np.flatnonzero(keep))
        cols.append(codes[keep] + offset)
        offset += len(uniques)
    rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    cols = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    graph = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(offset, offset))
    _, label = connected_components(graph, directed=False)
    label = label[:n]
    # shared values can chain strangers (a few fake numbers and proxies reused across a crowd):
    # a group larger than a household is no household, its registrants count one each
    big = np.bincount(label)[label] > max_household
    label = np.where(big, label.max(initial=0) + 1 + np.arange(n), label)
    return pd.factorize(label)[0]


def quiet_reference(surprisal: np.ndarray, quiet: np.ndarray, blocks: np.ndarray | None = None):
    """What a cluster's surprisal is compared with (:func:`unlike_share`): the quiet
    registrations' surprisal sorted, one array per usable stretch of time when ``blocks`` are
    given (:func:`.shift.usable_blocks`), else one array.

    >>> quiet_reference(np.array([3.0, 1.0, 2.0]), np.array([True, True, False])).tolist()
    [1.0, 3.0]
    """
    usable = usable_blocks(blocks, quiet) if blocks is not None else []
    if len(usable) == 0:
        return np.sort(surprisal[quiet])
    return [np.sort(surprisal[quiet & (blocks == b)]) for b in usable]


def unlike_share(members: np.ndarray, quiet_sorted: np.ndarray) -> float:
    """One-sided KS distance ``max_t F_quiet(t) - F_members(t)``: a lower bound on the share of
    members unlike the quiet registrations.

    Parameters
    ----------
    members : numpy.ndarray of float
        The members' surprisal.
    quiet_sorted : numpy.ndarray of float, or list of them
        The quiet registrations' surprisal, sorted ascending; or one such array per stretch
        of time, whose distribution functions are then combined by their median (a
        campaign hidden in a minority of stretches does not move it).

    Examples
    --------
    >>> quiet = np.sort(np.arange(100.0))
    >>> unlike_share(np.arange(100.0), quiet)
    0.0
    >>> unlike_share(np.r_[np.arange(50.0), np.full(50, 1000.0)], quiet)
    0.5
    """
    references = quiet_sorted if isinstance(quiet_sorted, list) else [quiet_sorted]
    references = [r for r in references if len(r)]
    if len(members) == 0 or not references:
        return 0.0
    v = np.sort(np.asarray(members, dtype=float))
    below_members = np.searchsorted(v, v, side="left") / len(v)
    below_quiet = np.median([np.searchsorted(r, v, side="left") / len(r) for r in references], axis=0)
    return float(max(0.0, (below_quiet - below_members).max()))


def sort_within_groups(values: np.ndarray, starts: np.ndarray):
    """Sort each contiguous group of ``values`` (starting at ``starts``) in place of the group.

    Returns ``(sorted values, group of each, size of each group, first of a run of equal values
    in its group)``.

    >>> v, g, n, first = sort_within_groups(np.array([3, 1, 1, 2, 2]), np.array([0, 3]))
    >>> v.tolist(), g.tolist(), n.tolist(), first.tolist()
    ([1, 1, 3, 2, 2], [0, 0, 0, 1, 1], [3, 2], [True, False, True, True, False])
    """
    values, starts = np.asarray(values), np.asarray(starts, dtype=np.int64)
    sizes = np.diff(np.append(starts, len(values)))
    group = np.repeat(np.arange(len(starts)), sizes)
    v = values[np.lexsort((values, group))]
    first = np.ones(len(v), dtype=bool)
    first[1:] = v[1:] != v[:-1]
    first[starts] = True
    return v, group, sizes, first


def unlike_shares(values: np.ndarray, starts: np.ndarray, quiet_sorted) -> np.ndarray:
    """:func:`unlike_share` of many groups at once, with no loop over the groups.

    Parameters
    ----------
    values : numpy.ndarray of float
        The members' surprisal, group after group (each group contiguous, none empty).
    starts : numpy.ndarray of int
        Where each group starts in ``values`` (ascending, the first 0).
    quiet_sorted : numpy.ndarray of float, or list of them
        As in :func:`unlike_share`.

    Returns
    -------
    numpy.ndarray of float
        One unlike share per group, equal to :func:`unlike_share` of that group.

    Examples
    --------
    >>> quiet = np.sort(np.arange(100.0))
    >>> unlike_shares(np.r_[np.arange(100.0), np.arange(50.0), np.full(50, 1000.0)], np.array([0, 100]), quiet).tolist()
    [0.0, 0.5]
    """
    values = np.asarray(values, dtype=float)
    starts = np.asarray(starts, dtype=np.int64)
    references = quiet_sorted if isinstance(quiet_sorted, list) else [quiet_sorted]
    references = [r for r in references if len(r)]
    if len(starts) == 0 or not references:
        return np.zeros(len(starts))
    v, group, sizes, new_run = sort_within_groups(values, starts)
    # the members below each value: the position of the first equal value in its group
    first_equal = np.maximum.accumulate(np.where(new_run, np.arange(len(v)), 0))
    below_members = (first_equal - starts[group]) / sizes[group]
    below_quiet = np.median([np.searchsorted(r, v, side="left") / len(r) for r in references], axis=0)
    return np.maximum(np.maximum.reduceat(below_quiet - below_members, starts), 0.0)


def _effective(m: int, n: int) -> float:
    return m * n / max(m + n, 1)


def unlike_confidence(d: float, m: int, n: int, floor: float, tested: int = 1) -> float:
    """Confidence that more than ``floor`` of ``m`` members are unlike ``n`` quiet registrations,
    given the unlike share ``d``: ``1 - tested * exp(-2 m' (d - floor)^2)`` when ``d > floor``,
    else 0 (``tested``: the number of clusters examined, a Bonferroni correction).

    Examples
    --------
    >>> round(unlike_confidence(0.6, 200, 10_000, 0.15), 4)
    1.0
    >>> unlike_confidence(0.1, 200, 10_000, 0.15)
    0.0
    >>> unlike_confidence(0.4, 12, 10_000, 0.15, tested=40)
    0.0
    """
    if d <= floor or m == 0 or n == 0:
        return 0.0
    return float(max(0.0, 1.0 - max(tested, 1) * np.exp(-2.0 * _effective(m, n) * (d - floor) ** 2)))


def unlike_lower_bound(d: float, m: int, n: int, alpha: float) -> float:
    """Lower confidence bound (level ``1 - alpha``) on the share of members unlike the quiet ones.

    >>> round(unlike_lower_bound(0.5, 400, 10_000, 0.05), 3)
    0.438
    """
    if m == 0 or n == 0:
        return 0.0
    return float(max(0.0, d - np.sqrt(np.log(1.0 / alpha) / (2.0 * _effective(m, n)))))

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
   quiet registrations are scored leave-one-out, as any other registration with the
   same value would be (else their own presence makes their values look common and the
   reference less surprising than any other set of organic registrants).
2. **Unlike share.** For a cluster, ``D = max_t (F_quiet(t) - F_cluster(t))``,
   the one-sided two-sample Kolmogorov-Smirnov distance between the surprisal
   of its members and of the quiet registrations. If the cluster is a mixture
   of organic registrants and a share ``pi`` of others, ``D <= pi``
   (``F_cluster = (1 - pi) F_quiet + pi F_other``): ``D`` is a lower bound on
   the share of members who are not drawn from the organic population.
3. **Confidence.** Under the null that at most ``floor`` of the members are
   unlike the organic registrants, ``P(D >= d) <= exp(-2 m' (d - floor)^2)``
   with ``m' = m n / (m + n)`` (the Dvoretzky-Kiefer-Wolfowitz-Massart bound
   used by the two-sample test), ``n`` what the reference is worth
   (:func:`reference_size`: fewer than all quiet registrations when it is a
   median over pools of stretches). ``m`` counts *households*, not sign-ups:
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

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import ndtr, pdtrc
from scipy.sparse.csgraph import connected_components

from .facets import FAMILIES
from .shift import median_share, pooled_stretches, weighted_median

__all__ = ["identity_surprisal", "identity_surprisals", "household_units", "QuietReference",
           "quiet_reference", "reference_size", "time_spread", "unlike_share", "unlike_shares", "unlike_gaps",
           "crowd_supported_shares", "crowd_support", "crowd_confidence", "unlike_confidence",
           "unlike_lower_bound", "unlike_posterior", "quiet_bands", "BANDS", "CommonValues",
           "common_values", "top_excess"]


def _facet_surprisal(code: np.ndarray, quiet: np.ndarray, n_values: int, min_count: int,
                     blocks: np.ndarray | None = None, pools: tuple | None = None) -> np.ndarray:
    counts = np.bincount(code, minlength=n_values + 1)
    rare = n_values + 1
    kept = np.where(counts[code] >= min_count, code, rare)
    kept[code == n_values] = n_values                  # missing: a value of its own
    p = _quiet_shares(kept, quiet, n_values + 2, blocks, pools=pools)
    return -np.log(np.clip(p, 1e-300, 1.0))


def _quiet_shares(kept: np.ndarray, quiet: np.ndarray, n_codes: int, blocks: np.ndarray | None = None,
                  *, pools: tuple | None = None, floor: float = 0.25, resolution: float = 0.05) -> np.ndarray:
    """Per registration, the share of its value among the *other* quiet registrations.

    A quiet registration is scored leave-one-out, as any other registration would be with the
    same value: otherwise its own presence makes its value look common, and the quiet
    reference comes out less surprising than any other set of organic registrants (in a town
    of 3,000 postal codes, a held-out crowd of the same people would read 10% unlike it). With
    ``blocks`` making at least 3 pools of stretches (:func:`.shift.pooled_stretches`), the
    share is the weighted median over the pools, at least ``floor`` times its share averaged
    over them (as :func:`.shift.robust_shares`), a quiet registration's own pool counted
    without it (``pools``: :func:`.shift.pooled_stretches` of ``blocks``, when the caller has them).

    Where leaving the registration out moves its value's share by less than ``resolution``
    (in log terms: a value many share), the share is the one everybody else gets: otherwise
    thousands of quiet registrations of a common value would sit a hair above the others with
    it, each pool of stretches at its own hair, and those near-ties would hand whole atoms of
    the distribution to the one-sided KS distance.
    """
    quiet = np.asarray(quiet, dtype=bool)
    nq = int(quiet.sum())
    in_quiet = np.bincount(kept[quiet], minlength=n_codes).astype(float)
    everybody = (in_quiet[kept] + 0.5) / (nq + 1.0)          # the share of the value among all quiet ones
    alone = (in_quiet[kept] - quiet + 0.5) / (nq + 1.0)      # ... among the others
    if pools is None:
        pools = pooled_stretches(blocks, quiet) if blocks is not None else (None, np.zeros(0))
    pool, weight = pools
    n_pools = len(weight)
    own = np.flatnonzero(quiet)
    if n_pools > 0:
        where = pool[blocks]
        counts = np.bincount(kept[own] * n_pools + where[own],
                             minlength=n_codes * n_pools).reshape(n_codes, n_pools).astype(float)
        size = counts.sum(axis=0)

        def robust(shares):
            return np.maximum(*median_share(shares, weight, floor=floor, n_quiet=nq))

        everybody = robust(counts / size)[kept]
        # the quiet registrations, one (value, pool) pair at a time: their own pool counts the others
        inverse, pair = pd.factorize(kept[own] * n_pools + where[own])     # hashed: no sort of every row
        value, at = pair // n_pools, pair % n_pools
        c = counts[value].copy()
        c[np.arange(len(pair)), at] -= 1.0
        alone = everybody.copy()
        alone[own] = robust(c / size)[inverse]
    same = np.abs(np.log(np.clip(alone, 1e-300, None)) - np.log(everybody)) < resolution
    return np.where(same, everybody, alone)


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
    return identity_surprisals(tm, quiet, extra=extra, min_count=min_count, blocks=blocks)[0]


def identity_surprisals(tm, quiet: np.ndarray, *, extra: dict | None = None, min_count: int = 5,
                        blocks: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
    """:func:`identity_surprisal` and its parts, one per attribute family (e-mail, phone,
    postal, IP, name; each of ``extra`` its own): ``(total, {family: surprisal})``, the total
    the sum of the parts; families whose columns are absent are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> from detector.detection.features import token_matrix
    >>> regs = pd.DataFrame({"email": ["a@mail.com"] * 8 + ["x@tmp.io"] * 2, "phone": ["+1 555 0100"] * 10})
    >>> total, parts = identity_surprisals(token_matrix(regs), np.array([True] * 8 + [False] * 2), min_count=1)
    >>> sorted(parts), bool(np.allclose(total, parts["email"] + parts["phone"]))
    (['email', 'phone'], True)
    """
    quiet = np.asarray(quiet, dtype=bool)
    total = np.zeros(tm.X.shape[0])
    parts: dict[str, np.ndarray] = {}
    pools = pooled_stretches(blocks, quiet) if blocks is not None else None     # the same for every facet
    for name, (columns, code) in tm.identity_codes.items():
        v = _facet_surprisal(code, quiet, len(columns), min_count, blocks, pools)
        total += v
        family = FAMILIES[name]
        parts[family] = parts[family] + v if family in parts else v
    for name, codes in (extra or {}).items():
        codes = np.asarray(codes, dtype=np.int64)
        n_values = int(codes.max(initial=-1)) + 1
        v = _facet_surprisal(np.where(codes < 0, n_values, codes), quiet, n_values, min_count, blocks, pools)
        total += v
        parts[name] = v
    return total, parts


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


@dataclass(frozen=True)
class QuietReference:
    """The quiet registrations' surprisal, sorted, one array per pool of stretches of time
    (:func:`.shift.pooled_stretches`), and the weight of each pool (the stretches it spans):
    a cluster is compared with the weighted median of their distribution functions."""

    pools: tuple
    weights: np.ndarray


def quiet_reference(surprisal: np.ndarray, quiet: np.ndarray, blocks: np.ndarray | None = None):
    """What a cluster's surprisal is compared with (:func:`unlike_share`): the quiet
    registrations' surprisal sorted, one array per pool of stretches of time when ``blocks``
    are given and make at least 3 pools (:class:`QuietReference`), else one array.

    >>> quiet_reference(np.array([3.0, 1.0, 2.0]), np.array([True, True, False])).tolist()
    [1.0, 3.0]
    """
    pool, weights = pooled_stretches(blocks, quiet) if blocks is not None else (None, np.zeros(0))
    if len(weights) == 0:
        return np.sort(surprisal[quiet])
    at = pool[blocks]
    return QuietReference(tuple(np.sort(surprisal[quiet & (at == p)]) for p in range(len(weights))), weights)


def _pools_of(quiet_sorted) -> tuple[list, np.ndarray]:
    """A reference in any of its forms (one sorted array, a list of them, a
    :class:`QuietReference`) as (sorted arrays, their weights)."""
    if isinstance(quiet_sorted, QuietReference):
        return list(quiet_sorted.pools), np.asarray(quiet_sorted.weights, dtype=float)
    references = quiet_sorted if isinstance(quiet_sorted, list) else [quiet_sorted]
    return references, np.ones(len(references))


def time_spread(reference) -> float:
    """How unlike the quiet registrations of one pool of stretches of time can be the quiet
    registrations as a whole (the largest :func:`unlike_shares` of a pool against
    the reference): what time alone gives an attribute's composition, 0 without pools.

    >>> ref = QuietReference((np.arange(100.0), np.arange(100.0), np.arange(50.0, 150.0)), np.ones(3))
    >>> round(time_spread(ref), 2), time_spread(np.arange(10.0))
    (0.5, 0.0)
    """
    pools, _ = _pools_of(reference)
    pools = [p for p in pools if len(p)]
    if len(pools) < 2:
        return 0.0
    return float(max(unlike_shares(p, np.array([0]), reference)[0] for p in pools))


def reference_size(quiet_sorted) -> int:
    """How many quiet registrations the reference is worth in the confidence bound.

    One array: their number. Pools of stretches combined by a weighted median: a median is
    noisier than a mean of the same draws, and a pool that carries much of the weight counts
    for what it holds, not for all quiet registrations. The effective number is the
    asymptotic one of a weighted median of independent estimates, ``(2 / pi) (sum w_k
    sqrt(n_k))^2 / sum w_k^2`` (for ``K`` equal pools, ``2 / pi`` of all), never more than all
    of them. A pool counts for no more than the typical pool (the weighted median of their
    sizes): the pools a campaign's tail fills are large but far from the median, and sharpen
    nothing. When one pool holds more than half the weight, the median is always its value and
    the reference is worth that pool.

    >>> reference_size(np.arange(10.0))
    10
    >>> reference_size(QuietReference((np.arange(400.0),) * 12, np.ones(12)))    # 2/pi of 4,800
    3055
    >>> reference_size(QuietReference((np.arange(40.0), np.arange(5000.0), np.arange(5000.0)), np.array([10.0, 1.0, 1.0])))
    40
    """
    if not isinstance(quiet_sorted, (QuietReference, list)):
        return len(quiet_sorted)
    references, weights = _pools_of(quiet_sorted)
    sizes = np.array([len(r) for r in references], dtype=float)
    if len(sizes) == 0 or not np.any(weights > 0):
        return 0
    if weights.max() > weights.sum() / 2:
        return int(sizes[np.argmax(weights)])
    typical = np.minimum(sizes, weighted_median(sizes, weights))
    effective = 2.0 / np.pi * (weights @ np.sqrt(typical)) ** 2 / (weights @ weights)
    return int(min(effective, sizes.sum()))


def _below_quiet(v: np.ndarray, quiet_sorted) -> np.ndarray | None:
    """Per value, the share of quiet registrations below it (the weighted median over pools);
    None when there is no reference."""
    references, weights = _pools_of(quiet_sorted)
    keep = [i for i, r in enumerate(references) if len(r)]
    if not keep:
        return None
    if len(keep) > 1:             # a median over pools per value: once per distinct value
        distinct, inverse = np.unique(v, return_inverse=True)
        if len(distinct) < len(v):
            return _below_quiet(distinct, quiet_sorted)[inverse.ravel()]
    below = np.array([np.searchsorted(references[i], v, side="left") / len(references[i]) for i in keep])
    return weighted_median(below, weights[keep], axis=0)


def unlike_share(members: np.ndarray, quiet_sorted: np.ndarray) -> float:
    """One-sided KS distance ``max_t F_quiet(t) - F_members(t)``: a lower bound on the share of
    members unlike the quiet registrations.

    Parameters
    ----------
    members : numpy.ndarray of float
        The members' surprisal.
    quiet_sorted : numpy.ndarray of float, list of them, or QuietReference
        The quiet registrations' surprisal, sorted ascending; or one such array per stretch
        of time (a :class:`QuietReference` when the stretches weigh differently), whose
        distribution functions are then combined by their (weighted) median (a campaign
        hidden in a minority of stretches does not move it).

    Examples
    --------
    >>> quiet = np.sort(np.arange(100.0))
    >>> unlike_share(np.arange(100.0), quiet)
    0.0
    >>> unlike_share(np.r_[np.arange(50.0), np.full(50, 1000.0)], quiet)
    0.5
    """
    if len(members) == 0:
        return 0.0
    v = np.sort(np.asarray(members, dtype=float))
    below_quiet = _below_quiet(v, quiet_sorted)
    if below_quiet is None:
        return 0.0
    below_members = np.searchsorted(v, v, side="left") / len(v)
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
    quiet_sorted : numpy.ndarray of float, list of them, or QuietReference
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
    return unlike_gaps(values, starts, quiet_sorted)[0]


def unlike_gaps(values: np.ndarray, starts: np.ndarray, quiet_sorted):
    """:func:`unlike_shares` with where each group's gap is widest: ``(shares, thresholds,
    quiet_below)``, the surprisal ``t`` at which the share of quiet registrations below ``t``
    (``quiet_below``) most exceeds the group's (``inf`` and 0 where a group is nowhere
    less ordinary than the quiet ones).

    >>> d, t, q = unlike_gaps(np.r_[np.arange(50.0), np.full(50, 1000.0)], np.array([0]), np.arange(100.0))
    >>> d.tolist(), t.tolist(), q.tolist()
    ([0.5], [1000.0], [1.0])
    """
    values = np.asarray(values, dtype=float)
    starts = np.asarray(starts, dtype=np.int64)
    none = (np.zeros(len(starts)), np.full(len(starts), np.inf), np.zeros(len(starts)))
    if len(starts) == 0:
        return none
    v, group, sizes, new_run = sort_within_groups(values, starts)
    below_quiet = _below_quiet(v, quiet_sorted)
    if below_quiet is None:
        return none
    # the members below each value: the position of the first equal value in its group
    first_equal = np.maximum.accumulate(np.where(new_run, np.arange(len(v)), 0))
    below_members = (first_equal - starts[group]) / sizes[group]
    gap = below_quiet - below_members
    # above every member's value the group and the quiet ones both have all below them
    top = np.maximum.reduceat(gap, starts)
    at = np.flatnonzero(gap == top[group])
    at = at[np.r_[True, group[at][1:] != group[at][:-1]]]          # the first widest, per group
    found = top > 0
    return (np.maximum(top, 0.0), np.where(found, v[at], np.inf), np.where(found, below_quiet[at], 0.0))


def crowd_supported_shares(surprisal: np.ndarray, order: np.ndarray, starts: np.ndarray, crowds: tuple,
                           quiet_sorted, n_quiet: int, z: float) -> np.ndarray:
    """:func:`unlike_shares` of clusters, each lowered to what its whole crowd supports.

    A cluster picked by its tokens out of an ordinary crowd (an organic surge, an
    ordinary day) takes its surprising few and leaves the rest of the crowd *more*
    ordinary than the quiet registrations; a campaign's cluster leaves ordinary people
    behind. So the people a cluster shows as unlike must be there in its whole crowd (every
    sign-up of its span), not only in the part its tokens picked. At the cluster's
    threshold ``t`` (:func:`unlike_gaps`), the rest of its crowd holds ``U = r q - r_t`` more
    surprising registrants than quiet ones would (``r`` of them, ``r_t`` below ``t``, ``q``
    the share of quiet registrations below ``t``): about 0 for ordinary people, with a
    standard deviation ``s`` from the binomial draw and from the reference's own ``n_quiet``.
    When even ``U + z s`` is negative the cluster's unlike members are missing from its crowd
    as a whole, and its share loses ``-(U + z s) / m`` (``m`` members).

    Parameters
    ----------
    surprisal : numpy.ndarray of float
        Every registration's surprisal, in time order.
    order, starts : numpy.ndarray of int
        The clusters' members (:func:`..communities.label_runs`): cluster ``i`` is
        ``order[starts[i]:starts[i + 1]]``.
    crowds : (numpy.ndarray, numpy.ndarray)
        Per cluster, the rows ``lo .. hi - 1`` of its crowd (its members among them).
    quiet_sorted : numpy.ndarray, list of them, or QuietReference
        As in :func:`unlike_share`.
    n_quiet : int
        What the reference is worth (:func:`reference_size`).
    z : float
        How many standard deviations of depletion are allowed to chance.

    Examples
    --------
    An ordinary crowd of 4,000 and a cluster of its 400 most surprising: 90% unlike by
    selection alone, 7% once its crowd is asked (below the 15% a cluster may hold and still
    be organic); 400 different people in a crowd of 3,600 ordinary ones keep their share.

    >>> rng = np.random.default_rng(0)
    >>> quiet = np.sort(rng.exponential(size=20_000))
    >>> crowd = rng.exponential(size=4_000)
    >>> picked = np.argsort(crowd)[-400:]
    >>> unlike_shares(crowd[picked], np.array([0]), quiet).round(2).tolist()
    [0.9]
    >>> crowd_supported_shares(crowd, picked, np.array([0]), (np.array([0]), np.array([4_000])), quiet, 20_000, 1.64).round(2).tolist()
    [0.07]
    >>> mixed = np.r_[rng.exponential(size=3_600), 5 + rng.exponential(size=400)]
    >>> crowd_supported_shares(mixed, np.arange(3_600, 4_000), np.array([0]), (np.array([0]), np.array([4_000])), quiet, 20_000, 1.64).round(2).tolist()
    [0.99]
    """
    return crowd_support(surprisal, order, starts, crowds, quiet_sorted, n_quiet, z)[0]


def crowd_support(surprisal: np.ndarray, order: np.ndarray, starts: np.ndarray, crowds: tuple,
                  quiet_sorted, n_quiet: int, z: float, design: float = 1.0):
    """:func:`crowd_supported_shares` with what the whole crowd holds: ``(shares, excess, sd)``,
    ``excess`` the registrants of the crowd above the cluster's threshold beyond the quiet share
    (``N q - N_t`` for a crowd of ``N``, ``N_t`` of them below ``t``: the unlike people the
    crowd holds, cluster members included) and ``sd`` its standard deviation were the crowd
    all organic (binomial, the reference's own ``n_quiet``, and ``design``: how many
    registrations a household holds on average, since a household's members are not
    independent draws). :func:`crowd_confidence` turns them into a confidence."""
    d, threshold, q = unlike_gaps(surprisal[order], starts, quiet_sorted)
    if len(d) == 0:
        return d, d.copy(), d.copy()
    sizes = np.diff(np.append(starts, len(order))).astype(float)
    lo, hi = crowds
    crowd_below = np.array([np.count_nonzero(surprisal[a:b] < t) for a, b, t in zip(lo, hi, threshold)], dtype=float)
    crowd = np.maximum(np.asarray(hi - lo, dtype=float), sizes)
    rest = crowd - sizes
    rest_below = crowd_below - (q - d) * sizes               # the members below t: (q - d) of them
    excess = rest * q - rest_below
    lost = np.maximum(-(excess + z * _count_sd(rest, q, n_quiet)), 0.0)
    shares = np.maximum(d - lost / np.maximum(sizes, 1.0), 0.0)
    return shares, crowd * q - crowd_below, _count_sd(crowd, q, n_quiet, design)


def _count_sd(n: np.ndarray, q: np.ndarray, n_quiet: int, design: float = 1.0) -> np.ndarray:
    """Standard deviation of how many of ``n`` ordinary registrants fall below a threshold that a
    share ``q`` of the quiet ones fall below: the binomial draw, ``q`` itself estimated from
    ``n_quiet``, and ``design`` registrants per independent draw (households)."""
    return np.sqrt(max(design, 1.0) * n * q * (1 - q) * (1.0 + n / max(n_quiet, 1)))


def crowd_confidence(excess: float, sd: float, m: int, floor: float, tested: int = 1) -> float:
    """Confidence that a cluster's crowd holds more than ``floor`` of its ``m`` members' worth
    of unlike registrants: ``1 - tested * P(Z > (excess - floor m) / sd)`` (normal tail) when
    ``excess > floor m``, else 0.

    The cluster's own share (:func:`unlike_confidence`) says its members are unlike the
    organic registrants; this says the crowd they came from holds those unlike people at
    all, beyond the draw of an ordinary crowd of its size. A cluster the graph picked from the
    surprising tail of an ordinary crowd passes the first and fails this one; a campaign passes
    both. A larger excess never lowers it.

    >>> round(crowd_confidence(400.0, 30.0, 500, 0.15), 4)
    1.0
    >>> crowd_confidence(33.0, 26.0, 124, 0.15, tested=20)
    0.0
    """
    if excess <= floor * m or m == 0:
        return 0.0
    if sd <= 0:
        return 1.0
    return float(max(0.0, 1.0 - max(tested, 1) * ndtr(-(excess - floor * m) / sd)))


BANDS = (0.5, 0.75, 0.9, 0.97)
"""Where :func:`unlike_posterior` cuts its bands, in shares of quiet registrations below."""


def quiet_bands(quiet: np.ndarray, quiet_sorted, edges: tuple = BANDS) -> np.ndarray:
    """Each band's share among the quiet registrations (``quiet``: their surprisal), the values
    placed by the share of ``quiet_sorted`` below them, as :func:`unlike_posterior` places a
    crowd's: one array of ``len(edges) + 1`` shares, empty without quiet registrations.

    >>> quiet_bands(np.arange(100.0), np.arange(100.0)).tolist()
    [0.5, 0.25, 0.15, 0.07, 0.03]
    """
    quiet = np.asarray(quiet, dtype=float)
    u = _below_quiet(quiet, quiet_sorted) if len(quiet) else None
    if u is None:
        return np.zeros(0)
    return np.bincount(np.searchsorted(edges, u, side="right"), minlength=len(edges) + 1) / len(u)


def unlike_posterior(members: np.ndarray, quiet_sorted, quiet: np.ndarray | None = None, edges: tuple = BANDS,
                     *, bands: np.ndarray | None = None) -> np.ndarray:
    """Per member of a crowd (a burst of sign-ups), the probability that it is not one of the
    usual registrants, from how surprising its identity values are.

    Each value is placed by the share of quiet registrations below it (``quiet_sorted``, as in
    :func:`unlike_share`), in bands cut at ``edges``; ``quiet`` (the quiet registrations' own
    surprisal) gives each band's share among ordinary people (:func:`quiet_bands`; or pass
    those shares as ``bands`` when scoring many crowds against one reference). The crowd's
    share of ordinary people is at most what its least surprising band allows (``theta``: the
    band's count over its share, capped at 1; the other crowd puts members there too, so
    ``theta`` errs towards ordinary), and a member of band ``k`` with ``c_k`` members is unlike
    with probability ``1 - theta m q_k / c_k``, made non-decreasing in surprisal.

    Parameters
    ----------
    members : numpy.ndarray of float
        The crowd's surprisal.
    quiet_sorted : numpy.ndarray, list or QuietReference
        :func:`quiet_reference`.
    quiet : numpy.ndarray of float, optional
        The quiet registrations' surprisal (not needed with ``bands``).
    edges : tuple of float
        Band edges in shares of quiet registrations below.
    bands : numpy.ndarray of float, optional
        :func:`quiet_bands` of ``quiet``, ``quiet_sorted`` and ``edges``.

    Returns
    -------
    numpy.ndarray of float in [0, 1], one per member.

    Examples
    --------
    >>> quiet = np.arange(100.0)
    >>> crowd = np.concatenate([np.arange(0.0, 100.0, 2.0), np.full(50, 500.0)])
    >>> p = unlike_posterior(crowd, quiet, quiet)
    >>> float(p[:25].max()), float(p[-50:].min().round(2))
    (0.0, 0.97)
    """
    members = np.asarray(members, dtype=float)
    m = len(members)
    q = quiet_bands(quiet, quiet_sorted, edges) if bands is None else np.asarray(bands, dtype=float)
    u_members = _below_quiet(members, quiet_sorted) if m and len(q) else None
    if u_members is None:
        return np.zeros(m)
    band = np.searchsorted(edges, u_members, side="right")
    c = np.bincount(band, minlength=len(q)).astype(float)
    low = np.flatnonzero(q > 0)
    if len(low) == 0:
        return np.zeros(m)
    theta = min(1.0, c[low[0]] / (m * q[low[0]]))
    p = np.where(c > 0, 1.0 - theta * m * q / np.maximum(c, 1.0), 0.0)
    p = np.maximum.accumulate(np.clip(p, 0.0, 1.0))
    return p[band]


@dataclass(frozen=True)
class CommonValues:
    """One identity facet's value per registration (``code``: a position in ``columns``, the
    facet's token columns; ``len(columns)`` when missing) and each value's share among the
    quiet registrations (``q``; NaN where it is not tested one at a time)."""

    columns: np.ndarray
    code: np.ndarray
    q: np.ndarray


def common_values(tm, quiet: np.ndarray, *, min_count: int = 5, min_share: float = 0.0) -> list:
    """The identity facets' values that a crowd's excess of can be tested on, one
    :class:`CommonValues` per facet that has any: values held by at least ``min_count`` and
    ``min_share`` of the quiet registrations. Only common values: a rare one already makes its
    carriers surprising (:func:`identity_surprisal`), and each value tested counts in the
    Bonferroni factor.

    >>> import pandas as pd
    >>> from detector.detection.features import token_matrix
    >>> regs = pd.DataFrame({"email": ["a@mail.com"] * 8 + ["b@tmp.io"] * 2})
    >>> [int(np.isfinite(v.q).sum()) for v in common_values(token_matrix(regs), np.ones(10, bool))]
    [1, 1]
    """
    quiet = np.asarray(quiet, dtype=bool)
    n_quiet = max(int(quiet.sum()), 1)
    out = []
    for columns, code in tm.identity_codes.values():
        counts = np.bincount(code[quiet], minlength=len(columns) + 1)[: len(columns)]
        q = np.where((counts >= min_count) & (counts >= min_share * n_quiet), counts / n_quiet, np.nan)
        if np.isfinite(q).any():
            out.append(CommonValues(columns, code, q))
    return out


def top_excess(values: CommonValues, members: np.ndarray, units: np.ndarray | None = None, *,
               alpha: float = 0.05) -> tuple[float, int, np.ndarray, float, int]:
    """The tested values of one facet that are over-represented among ``members`` beyond chance:
    ``(excess, the most over-represented value's token column, each member's chance of being
    unlike the quiet registrations, that value's quiet share, how many values are over-represented)``.

    A value is over-represented when its count ``k`` among the ``m`` members is improbably
    high for a Poisson count of mean ``m q`` (``q`` its quiet share): ``P(X >= k) < alpha /
    values``, the facet's values tested one at a time (Bonferroni), so that a crowd of usual
    registrants shows an over-represented value in a facet with chance at most ``alpha``. ``excess`` sums the
    over-represented values' excess shares, ``share - q``: a campaign whose members come from
    a few IP blocks or one odd provider each ordinary by itself has its excess spread over
    several values, and the sum is a lower bound on the share of members unlike the quiet
    registrations (their values' distributions differ by at least that much). A carrier of an
    over-represented value is unlike them with chance ``1 - q / share`` (the value's excess
    odds); other members 0. With no value over-represented the excess is 0. With ``units``
    (the members' household ids) a household counts each of its values once.

    >>> import pandas as pd
    >>> from detector.detection.features import token_matrix
    >>> tm = token_matrix(pd.DataFrame({"email": ["a@mail.com"] * 80 + ["b@tmp.io"] * 20 + ["c@tmp.io"] * 10}))
    >>> quiet = np.arange(110) < 100
    >>> excess, column, p, q, n_over = top_excess(common_values(tm, quiet)[0], np.arange(100, 110))
    >>> round(excess, 2), str(tm.names[column]), p.round(2).tolist()[:2], q, n_over
    (0.8, 'email_domain=tmp.io', [0.8, 0.8], 0.2, 1)
    >>> spread = token_matrix(pd.DataFrame({"ip": [f"10.{i % 20}.0.1" for i in range(1000)]
    ...                                            + ["10.1.0.1", "10.2.0.1"] * 50}))
    >>> values = [v for v in common_values(spread, np.arange(1100) < 1000)
    ...           if str(spread.names[v.columns[0]]).startswith("ip16")][0]
    >>> round(top_excess(values, np.arange(1000, 1100))[0], 2)     # two blocks, 0.05 each at quiet
    0.9
    >>> round(top_excess(values, np.arange(1000, 1100), units=np.arange(100) // 50)[0], 2)   # two households
    0.0
    >>> round(top_excess(values, np.arange(1000, 1100), units=np.arange(100) // 2)[0], 2)    # fifty
    0.9
    """
    code = values.code[members]
    if units is None:
        m, counted = max(len(members), 1), code
    else:               # a household signing up together brings its values once
        width = len(values.q) + 1
        counted = np.unique(np.asarray(units, dtype=np.int64) * width + code) % width
        m = max(len(counted), 1)
    finite = np.isfinite(values.q)
    q = np.nan_to_num(values.q)
    counts = np.bincount(counted, minlength=len(q) + 1)[: len(q)]
    share = counts / m
    over = finite & (counts > m * q) & (pdtrc(counts - 1, m * q) < alpha / max(int(finite.sum()), 1))
    if not over.any():
        return 0.0, int(values.columns[0]), np.zeros(len(members)), float(q[0]), 0
    gain = np.where(over, share - q, 0.0)
    at = int(np.argmax(gain))
    odds = np.append(np.where(over, 1.0 - q / np.maximum(share, 1e-12), 0.0), 0.0)   # missing: not unlike
    return float(gain.sum()), int(values.columns[at]), odds[code], float(q[at]), int(over.sum())


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

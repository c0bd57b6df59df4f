"""The cluster score follows evidence: unit checks of detector/detection/composition.py and scoring.py.

A score that transfers must be monotone in evidence, give nothing to a facet with no
information, be invariant under renaming values, and read as a confidence under the null.
"""
import numpy as np
import pandas as pd
import pytest

from detector.detection.composition import (household_units, identity_surprisal, unlike_confidence,
                                            unlike_lower_bound, unlike_share)
from detector.detection.features import token_matrix

N = 4000


def _population(rng, n, *, odd=0.0, odd_columns=("email", "postal_code", "phone")):
    """Registrants of a town: ordinary values, and a share ``odd`` with values from elsewhere."""
    domains = np.array(["gmail.com", "yahoo.com", "outlook.com", "aol.com", "icloud.com"])
    local = rng.choice(domains, n, p=[0.5, 0.2, 0.15, 0.1, 0.05])
    postal = rng.choice([f"741{k:02d}" for k in range(40)], n)
    area = rng.choice(["918", "539"], n, p=[0.8, 0.2])
    phone = np.char.add(area, rng.integers(1_000_000, 9_999_999, n).astype(str))
    regs = pd.DataFrame({"email": [f"u{i}@{d}" for i, d in enumerate(local)], "postal_code": postal,
                         "phone": phone})
    is_odd = rng.random(n) < odd
    k = int(is_odd.sum())
    if "email" in odd_columns:
        regs.loc[is_odd, "email"] = [f"x{i}@mail{rng.integers(1000)}.io" for i in range(k)]
    if "postal_code" in odd_columns:
        regs.loc[is_odd, "postal_code"] = rng.integers(10_000, 99_999, k).astype(str)
    if "phone" in odd_columns:
        regs.loc[is_odd, "phone"] = np.char.add(rng.choice(["212", "310", "702"], k),
                                                rng.integers(1_000_000, 9_999_999, k).astype(str))
    return regs, is_odd


def _d(regs, quiet, members):
    s = identity_surprisal(token_matrix(regs), quiet)
    return unlike_share(s[members], np.sort(s[quiet]))


@pytest.fixture(scope="module")
def world():
    rng = np.random.default_rng(7)
    organic, _ = _population(rng, N)
    crowd, is_odd = _population(rng, 600, odd=0.6)
    regs = pd.concat([organic, crowd], ignore_index=True)
    quiet = np.r_[np.ones(N, bool), np.zeros(600, bool)]
    return regs, quiet, np.arange(N, N + 600), is_odd


def test_unlike_share_is_a_lower_bound_near_the_true_mixture(world):
    regs, quiet, members, is_odd = world
    d = _d(regs, quiet, members)
    assert 0.45 <= d <= is_odd.mean() + 0.05


def test_random_organic_sets_score_nothing():
    rng = np.random.default_rng(3)
    regs, _ = _population(rng, N)
    quiet = np.ones(N, bool)
    quiet[:1000] = False                      # held out, like a surge of the usual people
    s = identity_surprisal(token_matrix(regs), quiet)
    qs = np.sort(s[quiet])
    scores = [unlike_confidence(unlike_share(s[m], qs), len(m), len(qs), 0.15)
              for m in (rng.choice(1000, size, replace=False) for size in (15, 40, 200, 1000) for _ in range(5))]
    assert max(scores) < 0.5                   # a confidence: rarely high under the null


def test_a_facet_without_information_contributes_nothing(world):
    regs, quiet, members, _ = world
    base = _d(regs, quiet, members)
    same = regs.assign(referrer="x", name="Alex Doe", user_agent="Mozilla")      # everybody shares them
    rng = np.random.default_rng(1)                                                # every network is rare
    unique = regs.assign(ip=[".".join(map(str, rng.integers(1, 255, 4))) for _ in range(len(regs))])
    assert _d(same, quiet, members) == pytest.approx(base)
    assert abs(_d(unique, quiet, members) - base) <= 0.02


def test_an_absent_column_contributes_nothing(world):
    regs, quiet, members, _ = world
    s_all = identity_surprisal(token_matrix(regs[["email"]]), quiet)
    s_with_empty = identity_surprisal(token_matrix(regs[["email"]].assign(phone=None)), quiet)
    assert np.allclose(s_all, s_with_empty, atol=1e-3)


def test_one_more_odd_attribute_never_lowers_the_unlike_share(world):
    regs, quiet, members, is_odd = world
    before = _d(regs, quiet, members)
    more = regs.copy()
    more.loc[members[is_odd], "ip"] = "203.0.113.7"             # the odd members share one more odd value
    more.loc[: len(regs) - 601, "ip"] = [f"24.{i % 50}.1.1" for i in range(N)]
    assert _d(more, quiet, members) >= before


def test_rarer_values_never_lower_it(world):
    regs, quiet, members, is_odd = world
    before = _d(regs, quiet, members)
    rarer = regs.copy()
    ordinary = members[~is_odd][:100]                           # some members drop their common domain
    rarer.loc[ordinary, "email"] = [f"z{i}@nowhere{i}.example" for i in range(len(ordinary))]
    assert _d(rarer, quiet, members) >= before


def test_renaming_values_consistently_changes_nothing(world):
    regs, quiet, members, _ = world
    renamed = regs.assign(email=regs["email"].str.replace("@", "@r-", regex=False),
                          postal_code=regs["postal_code"].str.translate(str.maketrans("0123456789", "3456789012")),
                          phone=regs["phone"].str.translate(str.maketrans("0123456789", "9876543210")))
    s1 = identity_surprisal(token_matrix(regs), quiet)
    s2 = identity_surprisal(token_matrix(renamed), quiet)
    assert np.allclose(s1, s2)


@pytest.mark.parametrize("d, m", [(0.3, 50), (0.5, 50), (0.5, 500), (0.9, 20)])
def test_confidence_grows_with_evidence(d, m):
    c = unlike_confidence(d, m, 10_000, 0.15)
    assert unlike_confidence(d + 0.05, m, 10_000, 0.15) >= c           # a larger share
    assert unlike_confidence(d, 2 * m, 10_000, 0.15) >= c              # more households, same share
    assert unlike_confidence(d, m, 10_000, 0.15, tested=10) <= c       # searched among more clusters
    assert 0.0 <= unlike_lower_bound(d, m, 10_000, 0.05) <= d


def test_households_count_once_but_placeholders_do_not_make_one_household():
    phone = pd.Series(["1"] * 3 + ["000"] * 20 + [str(i) for i in range(10, 20)])
    units = household_units([phone], max_household=8)
    assert len(np.unique(units[:3])) == 1
    assert len(np.unique(units[3:23])) == 20


@pytest.mark.parametrize("stretches", [1, 5])
def test_unlike_shares_of_many_groups_equal_unlike_share_of_each(stretches):
    from detector.detection.composition import unlike_share, unlike_shares

    rng = np.random.default_rng(7)
    sizes = rng.integers(1, 60, size=40)
    values = np.round(rng.gamma(2.0, 2.0, size=int(sizes.sum())), 1)     # ties within and across groups
    values[: sizes[0]] += 5.0                                             # one group unlike the rest
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    refs = [np.sort(np.round(rng.gamma(2.0, 2.0, size=300), 1)) for _ in range(stretches)]
    ref = refs if stretches > 1 else refs[0]
    many = unlike_shares(values, starts, ref)
    one_by_one = [unlike_share(values[a:a + k], ref) for a, k in zip(starts, sizes)]
    assert many.tolist() == one_by_one
    assert many[0] > 0.5


@pytest.mark.parametrize("stretches", [False, True])
def test_the_quiet_reference_is_scored_as_any_other_organic_set(stretches):
    """Quiet registrations are scored leave-one-out: with values a few registrants each share
    (a town of 3,000 postal codes), a held-out crowd of the same people is not unlike them."""
    from detector.detection.composition import quiet_reference
    from detector.detection.shift import time_blocks

    rng = np.random.default_rng(11)
    n = 12_000
    regs = pd.DataFrame({"postal_code": rng.integers(0, 3_000, n).astype(str),
                         "email": [f"u{i}@{d}" for i, d in enumerate(rng.choice(["a.com", "b.com"], n))]})
    quiet = rng.random(n) < 0.3                  # a big surge of the usual people: 70% of the sign-ups
    blocks = time_blocks(np.arange(n), n) if stretches else None
    s = identity_surprisal(token_matrix(regs), quiet, blocks=blocks)
    # sampling noise only: under the DKW bound, 0.035 is exceeded with chance below 0.3%
    # (scored as themselves, the quiet ones made the crowd 10% unlike, 20% with stretches)
    assert unlike_share(s[~quiet], quiet_reference(s, quiet, blocks)) < 0.035


def test_a_campaign_tail_outnumbering_the_organic_registrants_is_not_the_reference():
    """An event whose organic registrants are a few dozen per stretch of time, and a campaign's
    tail hundreds in two stretches: every stretch counts once (sparse ones pooled), so the
    reference is the organic registrants and the campaign reads unlike them."""
    from detector.detection.composition import quiet_reference, reference_size
    from detector.detection.shift import time_blocks

    rng = np.random.default_rng(5)
    per_stretch = np.full(12, 20)
    per_stretch[5:7] += 600                                       # the tail: 1,200 quiet members
    t = np.concatenate([b + np.sort(rng.random(k)) for b, k in enumerate(per_stretch)])
    member = np.zeros(len(t), dtype=bool)
    member[np.flatnonzero((t >= 5) & (t < 7))[rng.permutation(1240)[:1200]]] = True
    domains = np.where(member, rng.choice(["x1.io", "x2.io"], len(t)), rng.choice(["a.com", "b.com", "c.org"], len(t)))
    regs = pd.DataFrame({"email": [f"u{i}@{d}" for i, d in enumerate(domains)]})
    quiet = np.ones(len(t), dtype=bool)
    blocks = time_blocks(t, 12.0)
    s = identity_surprisal(token_matrix(regs), quiet, blocks=blocks)
    reference = quiet_reference(s, quiet, blocks)
    assert unlike_share(s[member], reference) > 0.9
    assert unlike_share(s[~member], reference) < 0.2
    assert reference_size(reference) < 240                       # worth the organic ones at most, not 1,440


def test_quiet_registrations_of_common_values_are_not_split_into_near_ties():
    """Leaving a registration out of a value thousands share moves its share by a hair; each pool
    of stretches would move it by its own hair, and the one-sided KS distance would read those
    near-ties as whole atoms. Half the quiet registrations, drawn at random, are not unlike all."""
    from detector.detection.composition import quiet_reference
    from detector.detection.shift import time_blocks

    rng = np.random.default_rng(8)
    per_stretch = rng.integers(100, 1000, 12)
    t = np.concatenate([b + np.sort(rng.random(k)) for b, k in enumerate(per_stretch)])
    domains = rng.choice(["a.com", "b.com", "c.org", "d.net", "e.io"], len(t), p=[0.8, 0.1, 0.05, 0.03, 0.02])
    regs = pd.DataFrame({"email": [f"u{i}@{d}" for i, d in enumerate(domains)]})
    quiet = np.ones(len(t), dtype=bool)
    blocks = time_blocks(t, 12.0)
    s = identity_surprisal(token_matrix(regs), quiet, blocks=blocks)
    half = rng.random(len(t)) < 0.5
    assert unlike_share(s[half], quiet_reference(s, quiet, blocks)) < 0.05

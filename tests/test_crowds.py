"""The unlike-crowd step (detector/detection/event.py: ``crowds``): a burst is tested as a whole,
so a campaign whose members each differ in one attribute is found even when no shared token
links them, and an organic surge of the usual people is not."""
import dataclasses

import numpy as np
import pandas as pd
import pytest

from detector.detection import event as ev
from detector.detection.composition import household_units, unlike_posterior
from detector.detection.features import token_matrix
from detector.options import check_options

START = pd.Timestamp("2024-05-01", tz="UTC")


def _zipf(rng, values, n):
    p = 1.0 / np.arange(1, len(values) + 1)
    return rng.choice(values, n, p=p / p.sum())


def _people(rng, n, odd=None):
    """Registrants of one town, each value drawn with Zipf's law (a few common, many less
    so); with ``odd``, each differs in one of the attributes listed: a value of its own (phone,
    IP, e-mail), one of the town's least common postal codes (``"postal_tail"``), or the
    town's second e-mail provider (``"provider"``: common, only far more so)."""
    postal_codes = [f"1{k:04d}" for k in range(25)]
    people = pd.DataFrame({
        "email": [f"user{rng.integers(10**9)}@{d}" for d in
                  _zipf(rng, ["gmail.com", "yahoo.com", "outlook.com", "web.de", "gmx.de", "t-online.de"], n)],
        "phone": [f"+49 {a} {rng.integers(10**6, 10**7)}"
                  for a in _zipf(rng, ["30", "40", "89", "69", "221", "211"], n)],
        "postal_code": _zipf(rng, postal_codes, n),
        "ip": [f"{p}.{rng.integers(256)}.{rng.integers(1, 255)}" for p in
               _zipf(rng, [f"{a}.{b}" for a in (81, 84, 91) for b in range(12)], n)],
    })
    if odd:
        which = rng.choice(odd, n)
        for i, family in enumerate(which):
            tag = rng.integers(10**8)
            if family == "provider":
                people.loc[i, "email"] = f"user{tag}@yahoo.com"
            elif family == "postal_tail":
                people.loc[i, "postal_code"] = rng.choice(postal_codes[-5:])
            elif family == "postal_code":
                people.loc[i, "postal_code"] = f"9{tag % 10**6:06d}"
            elif family == "phone":
                people.loc[i, "phone"] = f"+{rng.integers(20, 99)} {tag}"
            elif family == "ip":
                people.loc[i, "ip"] = f"{rng.integers(100, 250)}.{rng.integers(256)}.{tag % 256}.1"
            elif family == "email":
                people.loc[i, "email"] = f"user{tag}@mail{tag}.example"
    return people


def _event(seed, *, crowd_odd):
    """Ten days of organic sign-ups, and a burst of 400 in 30 minutes on day 5: a campaign
    whose members are odd in one attribute each (``crowd_odd``), or the usual people."""
    rng = np.random.default_rng(seed)
    organic = _people(rng, 6000).assign(
        created_at=START + pd.to_timedelta(np.sort(rng.uniform(0, 10 * 86400, 6000)), unit="s"))
    burst = _people(rng, 400, odd=crowd_odd).assign(
        created_at=START + pd.Timedelta(days=5) + pd.to_timedelta(np.sort(rng.uniform(0, 1800, 400)), unit="s"))
    regs = pd.concat([organic.assign(member=False), burst.assign(member=bool(crowd_odd))], ignore_index=True)
    regs = regs.sort_values("created_at", kind="stable").reset_index(drop=True)
    regs["registration_id"] = [f"R{i}" for i in range(len(regs))]
    return regs


def _before_crowds(regs):
    """The state after rescore, with nothing flagged: as if the graph had found no cluster."""
    member = regs.pop("member").to_numpy()
    times = pd.to_datetime(regs["created_at"], utc=True)
    st = ev.EventState(event="e", idx=np.arange(len(regs)), times=times, tm=token_matrix(regs), attended=None,
                       units=household_units([regs["phone"], regs["ip"]]), opts=check_options({}).as_dict())
    for name, step in ev.STEPS:
        if step is ev.crowds:
            break
        st = step(st)
    st = dataclasses.replace(st, flagged=np.array([], dtype=np.int64), grown=np.full(len(regs), -1))
    return st, member


def _crowds_of(seed, odd):
    """The crowd step on an event whose burst is odd in ``odd``: (state after, flagged, member,
    the tests that flagged)."""
    st, member = _before_crowds(_event(seed, crowd_odd=odd))
    assert st.bursts, "the burst itself is found"
    after = ev.crowds(st)
    flagged = np.isin(after.grown, after.flagged)
    return after, flagged, member, set(after.feats.loc[after.feats["label"].isin(after.flagged), "unlike_in"])


@pytest.mark.parametrize("seed", [0, 1])
def test_a_crowd_odd_in_one_attribute_each_is_flagged(seed):
    st, member = _before_crowds(_event(seed, crowd_odd=["postal_code", "phone", "ip", "email"]))
    assert st.bursts, "the burst itself is found"
    after = ev.crowds(st)
    flagged = np.isin(after.grown, after.flagged)
    assert flagged[member].mean() >= 0.6
    assert flagged[~member].sum() <= 0.1 * flagged.sum()
    new = after.feats[after.feats["label"].isin(after.flagged)]
    assert (new["burst_size"] >= 380).all() and (new["unlike_share"] > 0.15).all()


@pytest.mark.parametrize("seed", [0, 1])
def test_an_organic_surge_of_the_usual_people_is_not_a_crowd(seed):
    st, _ = _before_crowds(_event(seed, crowd_odd=None))
    assert st.bursts, "the surge is a burst"
    after = ev.crowds(st)
    assert len(after.flagged) == 0 and after is st


@pytest.mark.parametrize("seed, odd, test", [
    # from the town's least common postal codes: diluted in the sum over the four attributes (an
    # unlike share of 0.35 there), plain in the postal codes alone (0.85-0.91)
    (2, "postal_tail", "postal"), (3, "postal_tail", "postal"),
    # one registrant in five uses yahoo.com; a crowd that all does is ordinary one registrant at a
    # time (its surprisal barely moves) but not as a crowd
    (4, "provider", "email_domain=yahoo.com"), (5, "provider", "email_domain=yahoo.com")])
def test_a_crowd_odd_in_one_way_is_found_by_the_test_that_sees_it(seed, odd, test):
    after, flagged, member, tests = _crowds_of(seed, [odd])
    assert flagged[member].mean() >= 0.9
    assert flagged[~member].sum() <= 0.05 * flagged.sum()
    # the family's own test, or the excess of one of its values (a crowd drawn from the rare
    # postal codes may pile on one of them)
    assert tests and all(t == test or t.split("=")[0].startswith(test) for t in tests), tests


def test_the_reasons_say_the_cluster_was_picked_from_a_burst_and_by_what():
    after, _, _, _ = _crowds_of(2, ["postal_tail"])
    reasons = [c.reasons for c in ev.candidates(after).candidates if c.label in set(after.flagged)]
    assert reasons and all("least ordinary of a burst of" in r and "postal code" in r for r in reasons)


def test_the_posterior_rises_with_surprisal_and_spares_the_ordinary():
    rng = np.random.default_rng(0)
    quiet = rng.normal(10, 2, 5000)
    crowd = np.concatenate([rng.normal(10, 2, 300), rng.normal(20, 2, 300)])
    p = unlike_posterior(crowd, np.sort(quiet), quiet)
    order = np.argsort(crowd)
    assert np.all(np.diff(p[order]) >= 0)                    # never lower for a more surprising member
    assert (p[:300] >= 0.5).mean() <= 0.05 and (p[300:] >= 0.5).mean() >= 0.9
    assert unlike_posterior(rng.normal(10, 2, 400), np.sort(quiet), quiet).max() < 0.5


def _crowds_with_tail(rng, regs):
    """The crowd step on ``regs`` (with ``member``) plus a campaign's tail: 40 more members odd
    in e-mail or phone over two hours from 40 minutes into day 5, at about the organic rate (no
    burst of their own). Returns (flagged, member, is_tail) per registration."""
    tail = _people(rng, 40, odd=["email", "phone"]).assign(
        created_at=START + pd.Timedelta(days=5, minutes=40) + pd.to_timedelta(np.sort(rng.uniform(0, 7200, 40)), unit="s"),
        member=True)
    regs = pd.concat([regs.assign(tail=False), tail.assign(tail=True)],
                     ignore_index=True).sort_values("created_at", kind="stable").reset_index(drop=True)
    is_tail = regs.pop("tail").to_numpy()
    regs["registration_id"] = [f"R{i}" for i in range(len(regs))]
    st, member = _before_crowds(regs)
    after = ev.crowds(st)
    return np.isin(after.grown, after.flagged), member, is_tail


@pytest.mark.parametrize("seed", [0, 2])
def test_a_campaign_running_on_after_its_burst_is_followed_by_its_profile(seed):
    # 400 in a burst, then 40 more over two hours at about the organic rate: no burst of their
    # own, but they match the profile of the crowd the burst showed
    rng = np.random.default_rng(seed + 100)
    regs = _event(seed, crowd_odd=["email", "phone"]).drop(columns="registration_id")
    flagged, member, is_tail = _crowds_with_tail(rng, regs)
    assert flagged[member & ~is_tail].mean() >= 0.9
    assert flagged[is_tail].mean() >= 0.8
    assert flagged[~member].mean() <= 0.01


def test_ordinary_crowds_rarely_show_an_over_represented_value():
    from detector.detection.composition import common_values, top_excess
    rng = np.random.default_rng(7)
    people = _people(rng, 20000)
    tm = token_matrix(people)
    quiet = np.arange(len(people)) < 6000
    values = common_values(tm, quiet)
    assert len(values) >= 4
    shown = np.zeros(len(values))
    for _ in range(100):
        crowd = rng.choice(np.arange(6000, len(people)), 400, replace=False)
        shown += [top_excess(v, crowd)[0] > 0 for v in values]
    assert shown.max() <= 12              # at most 5% per facet by design; 12 of 100 allows for noise
    # and a crowd that brings one common value in excess shows it, by the size of its excess
    crowd = np.concatenate([rng.choice(np.arange(6000, len(people)), 300, replace=False),
                            np.flatnonzero(people["email"].str.endswith("@web.de").to_numpy() & ~quiet)[:100]])
    excess = {str(tm.names[top_excess(v, crowd)[1]]): top_excess(v, crowd)[0] for v in values}
    assert 0.1 <= excess.get("email_domain=web.de", 0) <= 0.25


@pytest.mark.parametrize("seed", [0, 2])
def test_a_crowd_that_outnumbers_the_quiet_registrants_is_not_grown(seed):
    # the same campaign and tail in an event of few quiet sign-ups (the burst outnumbers them):
    # the crowd is still flagged, but its profile's lifts over so few quiet registrants draw
    # nobody else in
    rng = np.random.default_rng(seed + 100)
    organic = _people(rng, 300).assign(
        created_at=START + pd.to_timedelta(np.sort(rng.uniform(0, 10 * 86400, 300)), unit="s"), member=False)
    burst = _people(rng, 400, odd=["email", "phone"]).assign(
        created_at=START + pd.Timedelta(days=5) + pd.to_timedelta(np.sort(rng.uniform(0, 1800, 400)), unit="s"),
        member=True)
    flagged, member, is_tail = _crowds_with_tail(rng, pd.concat([organic, burst], ignore_index=True))
    assert flagged[member & ~is_tail].mean() >= 0.8
    assert flagged[is_tail].mean() <= 0.1
    assert flagged[~member].mean() <= 0.01

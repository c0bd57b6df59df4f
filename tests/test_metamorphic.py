"""Metamorphic tests: how detection must respond when its input is changed in a known way.

No test here knows the "right" flags of a world; each compares two detections, on small
simulated worlds (4,000 registrations, registrations only), against the simulator's truth:

1. a sharper burst (a campaign's sign-up times compressed towards their median) never lowers
   that campaign's flagged share;
2. one more odd attribute shared by a campaign's members never lowers its flagged share;
3. twice the organic background never raises the share of flags among the original organic
   registrants;
4. renaming every attribute value by a consistent bijection gives identical flags;
5. shifting every timestamp by a constant, or writing the same instants in another time zone,
   gives identical flags;
6. shuffling the rows gives identical flags, and so does writing every postal code in another
   country's format;
7. dropping an optional column never crashes, and the summary names it as absent;
8. a world without campaigns has (almost) nothing flagged.

The transformations live in ``tests/_worlds.py``.
"""
import pandas as pd
import pytest

import _worlds as W

#: Worlds whose baseline detection flags their campaigns (most of each), without flagging
#: everything: there is room for a change to lower (or raise) a campaign's flagged share.
WORLDS = [("medium", 0), ("medium", 1), ("medium", 2), ("elsewhere", 0), ("hard", 1), ("easy", 0)]

#: (scenario, seed, campaign) for the monotonicity properties 1 and 2. Campaigns that are only
#: half found at this size (elsewhere/0 campaigns 1 and 3, hard/1 campaign 1: 6-51% flagged)
#: are left out: their members move between clusters when anything changes, so the property is
#: checked where detection is settled (the cluster score itself is monotone by construction:
#: tests/test_composition.py).
CAMPAIGNS = [("medium", 0, 1), ("medium", 0, 2), ("medium", 0, 3),
             ("medium", 1, 1), ("medium", 1, 2), ("medium", 1, 3),
             ("medium", 2, 1), ("medium", 2, 2), ("medium", 2, 3),
             ("elsewhere", 0, 2), ("hard", 1, 4),
             ("easy", 0, 1), ("easy", 0, 2)]

#: A campaign under test must be this flagged at baseline (else properties 1 and 2 say nothing).
MIN_BASELINE_SHARE = 0.5

#: Property 3 allows 0.3% of the organic registrants (9 of 3,000): twice the background sharpens
#: the baseline and finds more of each campaign (elsewhere/0: clusters of 181 and 15 become 416
#: and 228), and the grown clusters take in a few more ordinary registrants with them.
ORGANIC_SLACK = 0.003


def _id(p):
    return "-".join(map(str, p))


@pytest.fixture(scope="module")
def world():
    """``world(scenario, seed)`` -> (simulation, registrations, baseline detection), cached."""
    cache = {}

    def get(scenario, seed):
        key = (scenario, seed)
        if key not in cache:
            sim = W.simulate(scenario, seed)
            regs = W.inputs(sim)
            cache[key] = (sim, regs, W.run(regs))
        return cache[key]
    return get


def _baseline_campaign(world, scenario, seed, campaign):
    sim, regs, base = world(scenario, seed)
    ids = W.campaign_ids(sim, campaign)
    assert len(ids) >= 40, f"campaign {campaign} of {scenario}/{seed} has only {len(ids)} registrations"
    share = W.flagged_share(base, ids)
    assert share >= MIN_BASELINE_SHARE, (
        f"precondition: campaign {campaign} of {scenario}/{seed} must be flagged at baseline "
        f"(flagged share {share:.3f} < {MIN_BASELINE_SHARE})")
    return sim, regs, base, ids, share


# --------------------------------------------------------------------------- 1. sharper burst


@pytest.mark.parametrize("scenario, seed, campaign", CAMPAIGNS, ids=map(_id, CAMPAIGNS))
def test_a_sharper_burst_never_lowers_the_campaigns_flagged_share(world, scenario, seed, campaign):
    sim, regs, base, ids, before = _baseline_campaign(world, scenario, seed, campaign)
    sharper = W.compress_campaign(regs, ids, factor=0.3)
    # the transformation did what it says: the members' spread is 0.3 of what it was
    old = regs.loc[regs["registration_id"].isin(set(ids)), "created_at"]
    new = sharper.loc[sharper["registration_id"].isin(set(ids)), "created_at"]
    assert abs((new.max() - new.min()) / (old.max() - old.min()) - 0.3) < 0.01
    after = W.flagged_share(W.run(sharper), ids)
    assert after >= before, (f"campaign {campaign} of {scenario}/{seed} ({len(ids)} registrations): "
                             f"flagged share {before:.4f} -> {after:.4f} after compressing its sign-up "
                             f"times by 0.3")


# --------------------------------------------------------------------------- 2. one more odd attribute


@pytest.mark.parametrize("kind", ["user_agent", "referrer", "email_domain"])
@pytest.mark.parametrize("scenario, seed, campaign", CAMPAIGNS, ids=map(_id, CAMPAIGNS))
def test_one_more_odd_attribute_never_lowers_the_campaigns_flagged_share(world, scenario, seed, campaign, kind):
    sim, regs, base, ids, before = _baseline_campaign(world, scenario, seed, campaign)
    odder = W.add_odd_attribute(regs, ids, W.organic_ids(sim), kind)
    changed = W.changed_rows(regs, odder).to_numpy()
    assert changed.any() and odder.loc[changed, "registration_id"].isin(set(ids)).all()
    after = W.flagged_share(W.run(odder), ids)
    assert after >= before, (f"campaign {campaign} of {scenario}/{seed} ({len(ids)} registrations, "
                             f"{int(changed.sum())} given an odd {kind}): flagged share {before:.4f} -> "
                             f"{after:.4f}")


# --------------------------------------------------------------------------- 3. more organic background


@pytest.mark.parametrize("scenario, seed", WORLDS, ids=map(_id, WORLDS))
def test_twice_the_organic_background_never_raises_the_organic_flag_share(world, scenario, seed):
    sim, regs, base = world(scenario, seed)
    other = W.simulate(scenario, seed + 1000)
    doubled, added = W.double_background(sim, other)
    organic = W.organic_ids(sim)
    assert len(added) >= 0.5 * len(organic)
    before = W.flagged_share(base, organic)
    result = W.run(doubled)
    after = W.flagged_share(result, organic)
    assert len(result.registrations) == len(regs) + len(added)
    assert after <= before + ORGANIC_SLACK, (f"{scenario}/{seed}: {len(added)} organic background registrations added to "
                             f"{len(regs)}; flagged share of the original {len(organic)} organic "
                             f"registrations {before:.4f} -> {after:.4f} "
                             f"({round(before * len(organic))} -> {round(after * len(organic))})")


# --------------------------------------------------------------------------- 4. renamed values


@pytest.mark.parametrize("scenario, seed", WORLDS, ids=map(_id, WORLDS))
def test_renaming_every_attribute_value_consistently_gives_identical_flags(world, scenario, seed):
    sim, regs, base = world(scenario, seed)
    renamed = W.rename_attributes(regs, seed=seed + 17)
    for col in ("email", "phone", "name", "postal_code", "ip", "user_agent", "referrer", "account_id", "event_id"):
        before, after = regs[col].astype(str), renamed[col].astype(str)
        known = regs[col].notna()
        assert (before[known] != after[known]).mean() > 0.9, f"{col} was hardly renamed"
        # a bijection: the same values group the same rows
        assert (pd.factorize(before)[0] == pd.factorize(after)[0]).all(), col
    assert base.registrations["flagged"].any(), "precondition: the world has flagged registrations"
    result = W.run(renamed)
    assert W.flags(result).equals(W.flags(base)), f"{scenario}/{seed}: " + W.flag_differences(base, result)


# --------------------------------------------------------------------------- 5. time shift and time zone


@pytest.mark.parametrize("change", ["shift", "time zone"])
@pytest.mark.parametrize("scenario, seed", WORLDS[:4], ids=map(_id, WORLDS[:4]))
def test_shifted_or_re_zoned_timestamps_give_identical_flags(world, scenario, seed, change):
    sim, regs, base = world(scenario, seed)
    assert base.registrations["flagged"].any(), "precondition: the world has flagged registrations"
    if change == "shift":
        offset = pd.Timedelta(days=3, hours=7, minutes=13, seconds=11)
        moved = W.shift_times(regs, offset)
        assert ((moved["created_at"] - regs["created_at"]) == offset).all()
    else:
        moved = W.in_time_zone(regs, "Asia/Tokyo")
        assert str(moved["created_at"].dt.tz) == "Asia/Tokyo"
        assert (moved["created_at"] == regs["created_at"]).all()   # the same instants
    result = W.run(moved)
    assert W.flags(result).equals(W.flags(base)), f"{scenario}/{seed} ({change}): " + \
        W.flag_differences(base, result)


# --------------------------------------------------------------------------- 6. row order


@pytest.mark.parametrize("scenario, seed", WORLDS[:4], ids=map(_id, WORLDS[:4]))
def test_shuffled_rows_give_identical_flags(world, scenario, seed):
    sim, regs, base = world(scenario, seed)
    assert base.registrations["flagged"].any(), "precondition: the world has flagged registrations"
    shuffled = W.shuffle_rows(regs, seed=seed + 5)
    assert not shuffled["registration_id"].equals(regs["registration_id"])
    result = W.run(shuffled)
    # the result keeps the input order
    assert result.registrations["registration_id"].astype(str).tolist() == \
        shuffled["registration_id"].astype(str).tolist()
    assert W.flags(result).equals(W.flags(base)), f"{scenario}/{seed}: " + W.flag_differences(base, result)


@pytest.mark.parametrize("scenario, seed", WORLDS[:4], ids=map(_id, WORLDS[:4]))
def test_postal_codes_written_in_another_format_give_identical_flags(world, scenario, seed):
    sim, regs, base = world(scenario, seed)
    assert base.registrations["flagged"].any(), "precondition: the world has flagged registrations"
    written = W.postal_codes_in_another_format(regs)
    assert written["postal_code"].dropna().str.fullmatch(r"\d{3} \d{2}").mean() > 0.9
    result = W.run(written)
    assert W.flags(result).equals(W.flags(base)), f"{scenario}/{seed}: " + W.flag_differences(base, result)


# --------------------------------------------------------------------------- 7. a column less


@pytest.mark.parametrize("column", ["email", "phone", "postal_code", "ip", "user_agent", "referrer", "name",
                                    "account_id", "event_id"])
def test_dropping_an_optional_column_works_and_is_reported(world, column):
    sim, regs, base = world("medium", 0)
    fewer = regs.drop(columns=[column])
    result = W.run(fewer)
    r = result.registrations
    assert len(r) == len(regs)
    assert set(r["registration_id"].astype(str)) == set(regs["registration_id"].astype(str))
    assert r["score"].between(0, 1).all()
    assert "columns" in result.summary and "absent" in result.summary["columns"], \
        f"summary has no columns/absent (keys: {sorted(result.summary)})"
    absent = result.summary["columns"]["absent"]
    assert isinstance(absent, list)
    assert column in absent, f"absent = {absent}"
    expected = {c for c in W.OPTIONAL_COLUMNS if c not in fewer.columns}   # the dropped one and 'attended'
    assert set(absent) == expected, f"absent = {absent}, expected {sorted(expected)}"


# --------------------------------------------------------------------------- 8. no campaign


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_an_organic_world_has_almost_nothing_flagged(seed):
    sim = W.simulate("organic", seed)
    assert (sim.truth["campaign"] == 0).all()
    assert (sim.truth["surge"] > 0).any(), "the organic world should hold organic surges"
    result = W.run(W.inputs(sim))
    share = float(result.registrations["flagged"].mean())
    assert share <= 0.005, f"organic/{seed}: {share:.4f} of {len(sim.truth)} registrations flagged"

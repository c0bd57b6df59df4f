"""Each step of one event's detection (detector/detection/event.py) alone, against the simulator's truth."""
import dataclasses

import numpy as np
import pandas as pd
import pytest

import detector
from detector.detection import event as ev
from detector.detection.composition import household_units
from detector.detection.features import token_matrix
from detector.options import check_options


@pytest.fixture(scope="module")
def states():
    sim = detector.simulate("easy", n=6000, seed=4)
    regs = sim.registrations.drop(columns=["attended"]).sort_values(["created_at", "registration_id"])
    regs = regs.reset_index(drop=True)
    campaign = regs["registration_id"].map(sim.truth.set_index("registration_id")["campaign"]).to_numpy() > 0
    times = pd.to_datetime(regs["created_at"], utc=True)
    st = ev.EventState(event="e", idx=np.arange(len(regs)), times=times, tm=token_matrix(regs), attended=None,
                       units=household_units([regs["phone"], regs["ip"]]), opts=check_options({}).as_dict())
    out = {"input": st}
    for name, step in ev.STEPS:
        st = step(st)
        out[name] = st
    return out, campaign


def test_every_step_returns_a_new_state_and_leaves_its_input_alone(states):
    out, _ = states
    names = ["input"] + [name for name, _ in ev.STEPS]
    for before, after in zip(names, names[1:]):
        if after == "trigger posts":        # no posts: nothing to split, the state passes through
            assert out[after] is out[before]
            continue
        if after == "unlike crowds" and out[after] is out[before]:
            continue                        # no burst left unlike beyond the flagged clusters
        assert out[after] is not out[before]
        changed = [f.name for f in dataclasses.fields(ev.EventState)
                   if getattr(out[before], f.name) is not getattr(out[after], f.name)]
        assert changed, f"step {after} changed nothing"
    assert out["input"].quiet is None and out["bursts"].shift is None


def test_bursts_leave_most_organic_registrations_quiet(states):
    out, campaign = states
    quiet = out["bursts"].quiet
    assert quiet[~campaign].mean() >= 0.7
    assert quiet[campaign].mean() <= quiet[~campaign].mean()


def test_shift_gives_campaign_members_the_evidence(states):
    out, campaign = states
    strong = out["attribute shift"].strong
    assert strong[campaign].mean() >= 0.5
    assert strong[~campaign].mean() <= 0.2      # organic surges shift their channel tokens too
    assert strong[campaign].mean() >= 4 * strong[~campaign].mean()


def test_communities_are_pure_and_scores_separate_them(states):
    out, campaign = states
    st = out["scores"]
    for label, cs in zip(st.feats["label"], st.cscore):
        members = st.labels == label
        share = campaign[members].mean()
        if cs >= 0.5:      # the unlike share is a lower bound on the share of campaign members
            assert share >= 0.5, (label, cs, share)
        if share <= 0.1:
            assert cs < 0.5, (label, cs, share)
    assert (st.cscore >= 0.5).any()


def test_expansion_grows_flagged_clusters_with_campaign_members(states):
    out, campaign = states
    before, after = out["scores"], out["expansion"]
    in_before = np.isin(before.labels, after.flagged)
    in_after = np.isin(after.grown, after.flagged)
    assert campaign[in_after].sum() >= campaign[in_before].sum()
    assert campaign[in_after].mean() >= 0.9


def test_rescoring_judges_flagged_clusters_by_their_final_members(states):
    out, campaign = states
    st = out["rescore"]
    grown = dict(zip(st.feats["label"], st.feats["size"]))
    for label in st.flagged:
        assert grown[label] == (out["expansion"].grown == label).sum()
    assert set(st.flagged) <= set(out["expansion"].flagged)


def test_candidates_score_every_registration(states):
    out, campaign = states
    st = out["candidates"]
    assert len(st.score) == len(campaign) and ((st.score >= 0) & (st.score <= 1)).all()
    flagged = [c for c in st.candidates if c.score >= 0.5]
    assert flagged and all(c.reasons and "sign-ups in" in c.reasons for c in flagged)
    assert np.median(st.score[campaign]) > np.median(st.score[~campaign])


def test_a_grown_cluster_that_fails_falls_back_to_its_core(states):
    out, campaign = states
    st = out["expansion"]
    label = int(min(st.flagged, key=lambda c: (st.grown == c).sum()))     # the smallest: a crowd drowns it
    core = st.cores & (st.grown == label)
    assert core.any()
    # expansion run wild: the cluster swallows every organic registrant nobody else holds
    grown = st.grown.copy()
    grown[(grown == -1) & ~campaign & ~st.cores] = label
    wild = dataclasses.replace(st, grown=grown, cores=np.zeros_like(st.cores))   # no core to fall back to
    assert label not in set(ev.rescore(wild).flagged)
    again = ev.rescore(dataclasses.replace(st, grown=grown))
    assert label in set(again.flagged)
    assert np.array_equal(np.flatnonzero(again.grown == label), np.flatnonzero(core))


def test_registrants_without_evidence_need_more_odds_to_join(states):
    from detector.detection.expand import expand_clusters

    out, _ = states
    st = out["expansion"]
    args = (st.labels if st.cores is None else np.where(st.cores, st.grown, -1), st.flagged, st.tm, st.shift.p0,
            st.organic, st.secs)
    _, free, _ = expand_clusters(*args)
    _, none, _ = expand_clusters(*args, evidence=np.zeros(len(st.secs)), no_evidence_odds=0.5)
    _, all_, _ = expand_clusters(*args, evidence=np.ones(len(st.secs)), no_evidence_odds=0.5)
    assert np.allclose(all_, free)                    # evidence everywhere: nothing changes
    inner = (free > 1e-6) & (free < 1 - 1e-6)
    odds = lambda p: p / (1 - p)                      # noqa: E731
    assert inner.any() and np.allclose(odds(none[inner]) / odds(free[inner]), 0.5, rtol=1e-4)


def test_cluster_signals_are_those_of_each_clusters_own_members(states):
    from detector.detection.composition import unlike_share

    out, _ = states
    st = out["scores"]
    # labels in no particular order, with gaps and a one-member cluster
    rng = np.random.default_rng(3)
    labels = np.where(rng.random(len(st.secs)) < 0.3, rng.choice([7, 2, 40, 11], size=len(st.secs)), -1)
    labels[np.flatnonzero(labels == -1)[0]] = 99
    feats = ev._signals(st, labels).set_index("label")
    assert sorted(feats.index) == [2, 7, 11, 40, 99]
    for c, row in feats.iterrows():
        m = np.flatnonzero(labels == c)
        assert row["size"] == len(m)
        assert row["first"] == st.secs[m].min() and row["last"] == st.secs[m].max()
        assert row["households"] == len(np.unique(st.units[st.idx][m]))
        assert row["evidence"] == np.median(st.shift.evidence[m])
        assert row["unlike_share"] == unlike_share(st.surprisal[m], st.reference)
        own = labels[st.shift.pair_row] == c
        facet_counts = pd.Series(st.tm.facets[st.shift.pair_token[own]]).value_counts()
        assert row["facets"] == (facet_counts >= 0.05 * len(m)).sum()
        assert row["channel_share"] + row["identity_share"] >= np.isin(m, st.shift.pair_row[own]).mean() - 1e-12


def test_unlike_crowds_only_add_flags(states):
    # a crowd is made of sign-ups no flagged cluster holds: what was flagged stays flagged, as it was
    out, _ = states
    before, after = out["rescore"], out["unlike crowds"]
    was = np.isin(before.grown, before.flagged)
    assert np.array_equal(after.grown[was], before.grown[was])
    assert set(before.flagged) <= set(after.flagged)
    assert np.isin(after.grown, after.flagged)[was].all()


def test_clusters_are_tested_alone_on_who_they_are_not_where(states):
    out, _ = states
    st = out["scores"]
    assert {"email", "postal", "phone", "ip", "name"} <= set(st.families)   # the crowds test them all
    alone = {c.split("@", 1)[1] for c in st.feats.columns if c.startswith("unlike_share@")}
    assert alone == {"email", "name"}
    assert set(st.feats["unlike_in"]) <= {"identity", "email", "name"}

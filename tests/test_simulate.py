"""Behaviour of the scenario simulator against its own ground truth."""
import doctest
import re

import numpy as np
import pandas as pd
import pytest

import detector.simulation as sim
from detector.simulation import SCENARIOS, Scenario, SimulatedData, list_scenarios, simulate

N = 3_000
REG_COLUMNS = ["registration_id", "created_at", "event_id", "account_id", "email", "phone", "name",
               "postal_code", "ip", "user_agent", "referrer", "attended"]
ALL = list_scenarios()


@pytest.fixture(scope="module")
def runs():
    return {name: simulate(name, n=N, seed=7) for name in ALL}


def test_named_scenarios():
    assert ALL == list(SCENARIOS)
    assert {"tulsa", "easy", "medium", "hard", "organic", "elsewhere"} <= set(ALL)
    assert all(isinstance(s, Scenario) for s in SCENARIOS.values())
    with pytest.raises(Exception):
        SCENARIOS["tulsa"].camouflage = 0.9  # frozen


@pytest.mark.parametrize("name", ALL)
def test_exact_n_and_columns(runs, name):
    d = runs[name]
    assert isinstance(d, SimulatedData)
    assert len(d.registrations) == N == len(d.truth)
    assert list(d.registrations.columns) == REG_COLUMNS
    assert list(d.posts.columns) == ["post_id", "account_id", "created_at", "text", "url", "shared_post_id",
                                     "platform"]
    assert list(d.follows.columns) == ["follower_id", "followee_id"]
    assert str(d.registrations["created_at"].dt.tz) == "UTC"
    assert str(d.posts["created_at"].dt.tz) == "UTC"
    assert d.registrations["created_at"].is_monotonic_increasing
    assert d.registrations["attended"].dtype == bool


@pytest.mark.parametrize("n", [1, 5, 50])
def test_tiny_n(n):
    d = simulate("hard", n=n, seed=0)
    assert len(d.registrations) == n
    assert (d.truth["campaign"] == 0).any()


def test_same_seed_same_frames_and_bytes(tmp_path):
    a, b = simulate("tulsa", n=N, seed=3), simulate("tulsa", n=N, seed=3)
    for name, df in a.tables().items():
        pd.testing.assert_frame_equal(df, b.tables()[name])
    pa, pb = a.write(tmp_path / "a"), b.write(tmp_path / "b")
    assert [p.split("/")[-1] for p in pa] == [p.split("/")[-1] for p in pb]
    for x, y in zip(pa, pb):
        assert open(x, "rb").read() == open(y, "rb").read(), x


def test_different_seeds_differ():
    a, b = simulate("tulsa", n=N, seed=1), simulate("tulsa", n=N, seed=2)
    assert not a.registrations["created_at"].equals(b.registrations["created_at"])
    assert not a.registrations["email"].equals(b.registrations["email"])


@pytest.mark.parametrize("name", ALL)
def test_truth_consistent(runs, name):
    d = runs[name]
    r, t = d.registrations, d.truth
    assert r["registration_id"].is_unique
    assert t["registration_id"].tolist() == r["registration_id"].tolist()
    assert (t["campaign"] == 0).any()
    assert len(d.surges) > 0 and (t["surge"] > 0).any()
    assert ((t["campaign"] > 0) & (t["surge"] > 0)).sum() == 0
    assert not t.loc[t["campaign"] == 0, "camouflaged"].any()
    sizes = t.loc[t["campaign"] > 0, "campaign"].value_counts()
    assert dict(zip(d.campaigns["campaign"], d.campaigns["size"])) == {c: int(sizes.get(c, 0))
                                                                        for c in d.campaigns["campaign"]}
    assert dict(zip(d.surges["surge"], d.surges["size"])) == t.loc[t["surge"] > 0, "surge"].value_counts().to_dict()
    assert set(t["event_id"].astype(str)) <= set(d.events["event_id"])
    assert t["camouflage_share"].between(0, 1).all()


def test_organic_has_no_campaign(runs):
    d = runs["organic"]
    assert (d.truth["campaign"] == 0).all() and len(d.campaigns) == 0
    assert set(d.surges["kind"]) >= {"announcement", "viral_share"}


@pytest.mark.parametrize("name, share", [("tulsa", 0.40), ("easy", 0.30), ("medium", 0.20), ("hard", 0.15),
                                         ("elsewhere", 0.25)])
def test_campaign_share(runs, name, share):
    d = runs[name]
    assert abs((d.truth["campaign"] > 0).mean() - share) < 0.01
    assert len(d.campaigns) == SCENARIOS[name].n_campaigns


def test_two_events(runs):
    for name in ("medium", "elsewhere"):
        assert runs[name].registrations["event_id"].nunique() == 2
    assert runs["tulsa"].registrations["event_id"].nunique() == 1


@pytest.mark.parametrize("name", ["tulsa", "easy", "hard", "elsewhere"])
def test_members_follow_their_trigger(runs, name):
    d = runs[name]
    r = d.registrations.assign(campaign=d.truth["campaign"].to_numpy())
    for _, c in d.campaigns.iterrows():
        delay = (r.loc[r["campaign"] == c["campaign"], "created_at"] - c["start"]).dt.total_seconds() / 3600
        assert (delay >= 0).all()
        # concentrated: most members within a day of the trigger, while the window is 8-10 days
        assert (delay < 24).mean() > (0.4 if name == "hard" else 0.6), (name, c["campaign"])
    # a fast scenario is burstier than a slow one
    if name == "easy":
        first = d.campaigns.iloc[0]
        delay = (r.loc[r["campaign"] == first["campaign"], "created_at"] - first["start"]).dt.total_seconds()
        assert np.median(delay) < 3 * 3600


def test_posts_and_follows_reference_existing_things(runs):
    for d in runs.values():
        p = d.posts
        assert p["post_id"].is_unique
        shared = p.dropna(subset=["shared_post_id"])
        assert shared["shared_post_id"].isin(p["post_id"]).all()
        src = p.set_index("post_id")["created_at"]
        assert (shared["created_at"].to_numpy() >= src[shared["shared_post_id"]].to_numpy()).all()
        accounts = set(d.accounts["account_id"])
        assert d.accounts["account_id"].is_unique
        assert p["account_id"].isin(accounts).all()
        assert d.follows["follower_id"].isin(accounts).all() and d.follows["followee_id"].isin(accounts).all()
        assert not (d.follows["follower_id"] == d.follows["followee_id"]).any()
        assert d.registrations["account_id"].dropna().isin(accounts).all()
        assert d.campaigns["trigger_post_id"].isin(p["post_id"]).all()
        assert d.surges["post_id"].isin(p["post_id"]).all()


def test_members_repost_trigger_and_follow_organiser(runs):
    d = runs["easy"]
    members = d.truth["campaign"] > 0
    linked = d.registrations.loc[members, "account_id"].dropna()
    for _, c in d.campaigns.iterrows():
        tree = {c["trigger_post_id"]} | set(d.posts.loc[d.posts["shared_post_id"] == c["trigger_post_id"], "post_id"])
        assert d.posts["shared_post_id"].isin(tree).sum() > 10
    followers = set(d.follows.loc[d.follows["followee_id"].isin(d.campaigns["organiser_account_id"]), "follower_id"])
    assert linked.isin(followers).mean() > 0.3
    # organic supporters post too, so posting alone is no giveaway
    org_accounts = d.registrations.loc[~members, "account_id"].dropna()
    assert org_accounts.isin(d.posts["account_id"]).any()


def test_attended_rates():
    d = simulate("tulsa", n=10_000, seed=11)
    att = d.registrations["attended"].groupby(d.truth["campaign"] > 0).mean()
    assert 0.55 <= att[False] <= 0.70
    assert att[True] <= 0.04


def test_odd_attributes_odd_by_frequency(runs):
    d = runs["tulsa"]
    m = (d.truth["campaign"] > 0).to_numpy()
    ua = d.registrations["user_agent"].astype(str)
    tiktok = ua.str.contains("musical_ly|BytedanceWebview").to_numpy()
    assert tiktok[m].mean() > 0.3 and 0 < tiktok[~m].mean() < 0.05
    area = d.registrations["phone"].fillna("").str.replace(r"\D", "", regex=True).str[-10:].str[:3]
    local = area.isin(["918", "539", "405", "580"]).to_numpy()
    assert local[~m].mean() > 0.75 and local[m].mean() < 0.6


def test_camouflage_makes_members_ordinary():
    lo = simulate("tulsa", n=N, seed=5, camouflage=0.0, camouflage_jitter=0.0)
    hi = simulate("tulsa", n=N, seed=5, camouflage=0.9, camouflage_jitter=0.0)
    share = [x.truth.loc[x.truth["campaign"] > 0, "camouflage_share"].mean() for x in (lo, hi)]
    assert share[0] == 0 and share[1] > 0.8
    assert hi.truth.loc[hi.truth["campaign"] > 0, "camouflaged"].mean() > 0.9
    assert (hi.campaigns["camouflage"] == 0.9).all()


def test_elsewhere_uses_other_vocabulary(runs):
    d = runs["elsewhere"]
    r = d.registrations
    ua, ref = r["user_agent"].astype(str), r["referrer"].astype(str)
    assert not ua.str.contains("musical_ly|Bytedance").any()
    assert not ref.str.contains("tiktok").any()
    assert ua.str.contains("Instagram").any() and ref.str.contains("instagram").any()
    assert set(d.posts["platform"].astype(str)) >= {"instagram"} and "tiktok" not in set(d.campaigns["platform"])
    org = r["postal_code"][(d.truth["campaign"] == 0).to_numpy()].dropna()
    assert org.str.startswith("85").mean() > 0.8
    tulsa = runs["tulsa"].registrations
    assert not set(r["email"].str.split("@").str[1]) >= set(tulsa["email"].str.split("@").str[1])


def test_overrides():
    d = simulate("tulsa", n=500, seed=0, camouflage=0.6, n_campaigns=2)
    assert d.scenario.camouflage == 0.6 and d.scenario.name == "tulsa"
    assert len(d.campaigns) == 2
    assert SCENARIOS["tulsa"].camouflage != 0.6   # the registry is untouched
    with pytest.raises(ValueError, match="camoflage.*not_a_knob|not_a_knob.*camoflage"):
        simulate("tulsa", n=100, camoflage=0.5, not_a_knob=1)
    with pytest.raises(ValueError, match="camouflage"):
        simulate("tulsa", n=100, camouflage=1.5)
    with pytest.raises(ValueError, match="nowhere"):
        simulate("nowhere", n=100)
    with pytest.raises(ValueError):
        simulate("tulsa", n=0)
    custom = SCENARIOS["easy"].replace(name="mine", campaign_share=0.5)
    assert (simulate(custom, n=1000, seed=0).truth["campaign"] > 0).mean() == pytest.approx(0.5, abs=0.01)


_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def test_written_csv(runs, tmp_path):
    d = runs["tulsa"]
    paths = d.write(tmp_path)
    names = {p.split("/")[-1] for p in paths}
    assert {"registrations.csv", "posts.csv", "follows.csv", "truth.csv", "campaigns.csv", "surges.csv"} <= names
    regs = pd.read_csv(tmp_path / "registrations.csv", dtype=str, keep_default_na=False)
    assert list(regs.columns) == REG_COLUMNS and len(regs) == N
    assert regs["created_at"].str.match(_ISO).all()
    assert regs["created_at"].str.endswith("-05:00").all()   # CDT in June
    assert set(regs["attended"]) == {"true", "false"}
    posts = pd.read_csv(tmp_path / "posts.csv", dtype=str, keep_default_na=False)
    assert posts["created_at"].str.match(_ISO).all()
    back = pd.to_datetime(regs["created_at"], utc=True)
    assert (back.to_numpy() == d.registrations["created_at"].to_numpy()).all()
    text = (tmp_path / "registrations.csv").read_bytes()
    assert text.count(b"\n") == N + 1 and b"\r" not in text
    assert (tmp_path / "truth.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[4] in ("true", "false")
    phx = runs["elsewhere"]
    phx.write(tmp_path / "phx")
    ph = pd.read_csv(tmp_path / "phx" / "registrations.csv", dtype=str)
    assert ph["created_at"].str.endswith("-07:00").all()


def test_repr_and_summary(runs):
    d = runs["tulsa"]
    assert "tulsa" in repr(d) and "campaigns=3" in repr(d)
    assert "<table" in d._repr_html_()
    s = d.summary()
    assert s["n"] == N and isinstance(s["campaign_share"], float)


def test_docstring_examples():
    import detector.simulation.data as data_mod
    import detector.simulation.generate as gen_mod
    import detector.simulation.scenarios as sc_mod
    for mod in (gen_mod, sc_mod, data_mod):
        assert doctest.testmod(mod, extraglobs={"pd": pd}).failed == 0
    assert set(sim.__all__) >= {"simulate", "SCENARIOS", "Scenario", "SimulatedData", "list_scenarios"}

"""CooRTweet's ground-truth simulator (ported in benchmarks/coortweet/simulate.py, checked against
the R function): at the window the coordination happens within, the default mode finds the
coordinated accounts and no other, and the compat mode gives CooRTweet's planted pairs."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "coortweet"))

import simulate as ct  # noqa: E402
from detector.coaction import account_clusters  # noqa: E402
from detector.coaction.compat import coortweet_pairs  # noqa: E402
from detector.loading import read_posts  # noqa: E402


def flagged_accounts(ac):
    ids = ac.clusters.loc[ac.clusters["flagged"], "account_cluster_id"]
    return set(ac.members.loc[ac.members["account_cluster_id"].isin(ids), "account_id"])


@pytest.mark.parametrize("scenario", ["default", "vignette", "sparse"])
def test_default_mode_finds_the_coordinated_accounts_at_the_matching_window(scenario):
    sc = ct.SCENARIOS[scenario]
    posts, pairs = ct.simulate_data(seed=1001, **sc["params"])
    ac = account_clusters(read_posts(posts, preset="coortweet"), kinds=("column:object_id",), window=sc["window"],
                          min_cluster_size=2)
    assert ct.f1(flagged_accounts(ac), ct.coordinated_accounts(pairs)) >= 0.95


def test_compat_pairs_are_the_planted_ones():
    sc = ct.SCENARIOS["default"]
    posts, pairs = ct.simulate_data(seed=7, **sc["params"])
    found = coortweet_pairs(read_posts(posts, preset="coortweet"), window=sc["window"], min_participation=3)
    key = ["object_id", "content_id", "content_id_y", "account_id", "account_id_y"]
    planted = pairs[pairs["coordinated"]]
    assert set(map(tuple, found[key].to_numpy())) == set(map(tuple, planted[key].to_numpy()))


def test_the_simulator_is_deterministic_and_plants_what_it_says():
    a, pa = ct.simulate_data(seed=3)
    b, pb = ct.simulate_data(seed=3)
    assert a.equals(b) and pa.equals(pb)
    c = pa[pa["coordinated"]]
    assert (c["time_delta"] <= 10).all() and (pa.loc[~pa["coordinated"], "time_delta"] > 10).all()
    assert c.groupby(["account_id", "account_id_y"]).size().min() >= 3      # min_participation

"""Row order with posts and follows: shuffling the rows of registrations, posts and follows
changes nothing in the result.

Without posts, detection is invariant because the registrations are put in a canonical order
(``pipeline._canonical_order``). With posts, order used to leak through: account codes numbered
in the order posts came in (the null model draws one offset per code, so p-values, account
cluster scores and the registrations they pull in moved), trigger posts tied on their counts
ranked by their row in the posts table, follows and reposts tokens numbered in the order of the
posts and follows tables (the sign-up side breaks ties by token), near-duplicate candidates chained
in the order texts came in, and ties in "most" counts resolved by whichever came first.
"""
import numpy as np
import pandas as pd
import pytest

import detector
from conftest import SCENARIO
from detector.coaction import coaction_network, edge_significance
from detector.detection.features import token_matrix
from detector.detection.triggers import TriggerContext


def shuffled(df: pd.DataFrame, seed: int) -> pd.DataFrame:
    return df.sample(frac=1, random_state=seed).reset_index(drop=True)


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(SCENARIO / name, dtype=str, keep_default_na=False, na_values=[""])


def tables(result) -> dict:
    """The result's tables, registrations by id (the result keeps the input's row order)."""
    out = {"registrations": result.registrations.sort_values("registration_id").reset_index(drop=True),
           "clusters": result.clusters, "triggers": result.triggers, "profiles": result.profiles,
           "account_links": result.account_links.sort_values(["account_id", "cluster_id"]).reset_index(drop=True)}
    out.update(account_clusters=result.accounts.clusters, account_members=result.accounts.members,
               coaction_edges=result.accounts.edges)
    return out


@pytest.fixture(scope="module")
def scenario_inputs():
    return read("registrations.csv"), read("posts.csv"), read("follows.csv")


@pytest.fixture(scope="module")
def scenario_result(scenario_inputs):
    regs, posts, follows = scenario_inputs
    return detector.detect(detector.load(registrations=regs, posts=posts, follows=follows))


@pytest.mark.parametrize("seed", [1, 2])
def test_shuffled_registrations_posts_and_follows_give_identical_results(scenario_inputs, scenario_result, seed):
    regs, posts, follows = scenario_inputs
    assert len(posts) and len(follows) and regs["account_id"].notna().any()
    again = detector.detect(detector.load(registrations=shuffled(regs, seed), posts=shuffled(posts, seed + 1),
                                          follows=shuffled(follows, seed + 2)))
    base, other = tables(scenario_result), tables(again)
    assert base["registrations"]["flagged"].any() and len(base["account_clusters"])
    for name, table in base.items():
        pd.testing.assert_frame_equal(other[name], table, obj=name)


def test_edge_p_values_do_not_depend_on_the_order_of_the_posts(scenario_inputs):
    posts = detector.load(registrations=scenario_inputs[0], posts=scenario_inputs[1]).posts
    for null in ("shift", "shuffle"):
        a, b = (edge_significance(coaction_network(p, "link", window=60, directed=False), n_null=5, null=null).edges
                for p in (posts, shuffled(posts, 7)))
        assert len(a)
        pd.testing.assert_frame_equal(a, b)


def test_reposts_and_follows_tokens_do_not_depend_on_the_order_of_their_tables(scenario_inputs):
    regs, posts, follows = scenario_inputs
    a = token_matrix(regs, posts, follows)
    b = token_matrix(regs, shuffled(posts, 3), shuffled(follows, 4))
    assert any(n.startswith("follows=") for n in a.names) and any(n.startswith("reposted=") for n in a.names)
    assert a.names.tolist() == b.names.tolist()
    assert (a.X != b.X).nnz == 0


def test_triggers_tied_on_counts_and_time_are_ranked_by_post_id_not_by_row():
    t0 = pd.Timestamp("2024-05-01T18:00:00Z")
    members = [f"m{k}" for k in range(10)]
    regs = pd.DataFrame({"account_id": members + [f"o{k}" for k in range(10)],
                         "created_at": [t0 + pd.Timedelta(minutes=k) for k in range(20)]})
    posts = pd.DataFrame({
        "post_id": ["A", "B"] + [f"r{k}" for k in range(10)],
        "account_id": ["x", "y"] + members,
        "created_at": [t0 - pd.Timedelta(hours=1)] * 2 + [t0 - pd.Timedelta(minutes=30)] * 10,
        "shared_post_id": [None, None] + ["A"] * 5 + ["B"] * 5})
    named = set()
    for p in (posts, posts.iloc[::-1].reset_index(drop=True)):
        ctx = TriggerContext(regs, p)
        named.add(ctx.name(np.arange(10), np.arange(10, 20))["trigger_post_ids"])
    assert named == {"A B"}


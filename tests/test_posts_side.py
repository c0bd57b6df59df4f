"""Posts meet registrations: trigger posts, account clusters merged with sign-up clusters, and
the posts-only `detector network` command with its Gephi exports."""
import networkx as nx
import numpy as np
import pandas as pd
import pytest

import detector
from conftest import SCENARIO, run_cli


def triggers_named_first(sim, result):
    """Campaigns whose true trigger post is named first by the cluster holding most of them."""
    camp = sim.truth.set_index("registration_id")["campaign"]
    regs = result.registrations.join(camp, on="registration_id")
    named = result.clusters.set_index("cluster_id")["trigger_post_ids"].str.split()
    hits = []
    for c in sim.campaigns.itertuples():
        held = regs.loc[(regs["campaign"] == c.campaign) & regs["flagged"], "cluster_id"]
        first = named[held.value_counts().index[0]] if len(held) else []
        hits.append(bool(first) and first[0] == c.trigger_post_id)
    return hits


@pytest.fixture(scope="module")
def tulsa_result(tulsa_20k):
    return detector.detect(tulsa_20k)


def test_true_trigger_posts_are_named_first(tulsa_20k, tulsa_result):
    assert all(triggers_named_first(tulsa_20k, tulsa_result))
    reasons = tulsa_result.clusters["reasons"]
    assert reasons.str.contains("triggered by post").all()


@pytest.mark.parametrize("scenario,floor", [("medium", 1.0), ("elsewhere", 0.66)])
def test_trigger_attribution_on_other_scenarios(scenario, floor):
    sim = detector.simulate(scenario, n=20_000, seed=3)
    hits = triggers_named_first(sim, detector.detect(sim))
    assert np.mean(hits) >= floor, hits


def test_account_clusters_merge_with_the_sign_up_clusters_they_share_accounts_with(tulsa_20k, tulsa_result):
    ac = tulsa_result.accounts
    flagged = ac.clusters[ac.clusters["flagged"]]
    merged = flagged[flagged["registration_clusters"] != ""]
    assert len(merged) >= 3
    truth = tulsa_20k.truth.set_index("registration_id")["campaign"]
    regs = tulsa_result.registrations.join(truth, on="registration_id")
    for row in merged.itertuples():
        for cid in row.registration_clusters.split():
            named = tulsa_result.clusters.set_index("cluster_id").loc[cid, "account_cluster_ids"]
            assert row.account_cluster_id in named.split()
            assert regs.loc[regs["cluster_id"] == cid, "campaign"].gt(0).mean() > 0.9


def test_registrations_alone_have_no_triggers_or_account_clusters(tulsa_20k):
    result = detector.detect(tulsa_20k.registrations)
    assert result.accounts is None
    assert (result.clusters["trigger_post_ids"] == "").all()
    assert not result.clusters["reasons"].str.contains("triggered by").any()


def test_detect_writes_account_files_and_graph_then_drops_them_without_posts(tmp_path):
    out = tmp_path / "out"
    done = run_cli("detect", "-r", SCENARIO / "registrations.csv", "--posts", SCENARIO / "posts.csv",
                   "--follows", SCENARIO / "follows.csv", "--out", out, "--graph", "gexf", "-q")
    assert done.returncode == 0, done.stderr
    ac = pd.read_csv(out / "account_clusters.csv", keep_default_na=False)
    members = pd.read_csv(out / "account_members.csv")
    assert set(members["account_cluster_id"]) == set(ac["account_cluster_id"])
    g = nx.read_gexf(out / "coaction_network.gexf")
    assert g.number_of_edges() > 0
    page = (out / "report.html").read_text()
    assert "Account clusters in posts" in page and "trigger posts" in page
    clusters = pd.read_csv(out / "clusters.csv", keep_default_na=False)
    assert clusters["trigger_post_ids"].str.len().gt(0).all()
    done = run_cli("detect", "-r", SCENARIO / "registrations.csv", "--out", out, "-q")
    assert done.returncode == 0, done.stderr
    assert not (out / "account_clusters.csv").exists()      # would describe other data


def test_network_command_writes_edges_evidence_and_gephi_files(tmp_path):
    out = tmp_path / "net"
    done = run_cli("network", "--posts", SCENARIO / "posts.csv", "--out", out, "--kind", "link", "--kind", "share",
                   "--format", "gexf", "--format", "graphml", "--window", "auto")
    assert done.returncode == 0, done.stderr
    for kind in ("link", "share"):
        edges = pd.read_csv(out / f"edges_{kind}.csv")
        assert {"account_1", "account_2", "weight", "p_value", "q_value"} <= set(edges.columns)
        ev = pd.read_csv(out / f"evidence_{kind}.csv")
        backed = ev.groupby(["account_1", "account_2"])["post_1"].nunique()
        for a, b, w in edges[["account_1", "account_2", "weight_12"]].itertuples(index=False):
            assert backed[(a, b)] == w
        for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
            g = read(out / f"network_{kind}.{fmt}")
            assert g.number_of_edges() == len(edges)
    assert (out / "account_clusters.csv").is_file()


def test_network_command_cnt_mode_and_bad_input(tmp_path):
    out = tmp_path / "cnt"
    done = run_cli("network", "--posts", SCENARIO / "posts.csv", "--out", out, "--kind", "text", "--compat", "cnt",
                   "--directed", "--null", "0", "--no-evidence")
    assert done.returncode == 0, done.stderr
    edges = pd.read_csv(out / "edges_text.csv")
    assert (edges["account_1"] == edges["account_2"]).any()      # CNT's self-loops
    assert not (out / "evidence_text.csv").exists()
    bad = run_cli("network", "--posts", SCENARIO / "registrations.csv", "--out", tmp_path / "bad")
    assert bad.returncode == 2 and "post_id" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "bad").exists()
    bad = run_cli("network", "--posts", SCENARIO / "posts.csv", "--out", tmp_path / "bad", "--window", "soon")
    assert bad.returncode == 2 and "--window" in bad.stderr

"""The posts side as researchers use it: long-format exports, any column as the shared object,
CooRTweet's and CNT's layouts, CooRTweet-compatible edges, and the knobs (minimum cluster size,
min-participation, weight quantile, stacking, platforms) in the API, the CLI and the TOML file."""
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import run_cli
from detector.coaction import account_clusters, coaction_network
from detector.coaction.compat import coortweet_network, coortweet_pairs
from detector.errors import InputError
from detector.loading import read_posts


def _ts(seconds):
    return pd.to_datetime(seconds, unit="s", utc=True)


def wide_and_long():
    """The same posts twice: URLs space-separated in one cell, and one row per (post, URL)."""
    rng = np.random.default_rng(4)
    n = 300
    acc = rng.choice([f"u{k}" for k in range(25)], n)
    t = np.sort(rng.integers(0, 20_000, n))
    urls = [" ".join(sorted(set(rng.choice([f"x{k}.org" for k in range(30)], rng.integers(1, 4))))) for _ in range(n)]
    wide = pd.DataFrame({"post_id": [f"p{i}" for i in range(n)], "account_id": acc, "created_at": _ts(t), "url": urls})
    long = wide.assign(url=wide["url"].str.split()).explode("url").reset_index(drop=True)
    return wide, long


def test_long_format_gives_the_same_network_as_one_row_per_post():
    wide, long = wide_and_long()
    assert long["post_id"].duplicated().any()
    for kind in ("link",):
        a = coaction_network(read_posts(wide), kind, window=300, min_weight=1)
        b = coaction_network(read_posts(long), kind, window=300, min_weight=1)
        pd.testing.assert_frame_equal(a.edges, b.edges)
        pd.testing.assert_frame_equal(a.evidence(), b.evidence())
    # the same column as an object column, split by space, gives the link network's edges too
    c = coaction_network(read_posts(wide), "column:url", window=300, min_weight=1, split="space")
    pd.testing.assert_frame_equal(a.edges, c.edges)


def test_long_format_rows_that_contradict_are_an_error_naming_both_rows(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("post_id,account_id,created_at,url\n1,a,2021-01-01T00:00:00Z,x\n2,b,2021-01-01T00:00:05Z,x\n"
                    "1,a,2021-01-01T00:00:09Z,y\n")
    with pytest.raises(InputError) as caught:
        read_posts(path)
    assert (caught.value.row, caught.value.column) == (3, "created_at")
    assert "rows 1 and 3" in str(caught.value)
    done = run_cli("network", "--posts", path, "--out", tmp_path / "out")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "rows 1 and 3" in done.stderr


def test_object_columns_and_hashtag_columns():
    posts = pd.DataFrame({"post_id": list("12345"), "account_id": list("ababc"),
                          "created_at": _ts([0, 5, 100, 104, 106]),
                          "phash": ["h1", "h1", "h2", "h2", None],
                          "tags": ["#A, b", "a", '["b", "#c"]', "C b", "c"]})
    edges = coaction_network(posts, "column:phash", window=10, min_weight=2, directed=False).edges
    assert edges[["account_1", "account_2", "weight"]].values.tolist() == [["a", "b", 2]]
    net = coaction_network(posts, "hashtag:tags", window=10, min_weight=1, directed=False)
    ev = net.evidence()
    assert set(ev["object"]) == {"a", "b", "c"}          # lower case, '#' dropped, JSON and comma lists split
    assert net.edges.set_index(["account_1", "account_2"])["weight"].to_dict() == {("a", "b"): 2, ("a", "c"): 1,
                                                                                   ("b", "c"): 1}
    with pytest.raises(InputError, match="no column 'nope'"):
        coaction_network(posts, "column:nope")
    with pytest.raises(ValueError, match="unknown co-action kind"):
        coaction_network(posts, "image")


def test_network_cli_with_an_object_column_and_an_empty_kind(tmp_path):
    rng = np.random.default_rng(0)
    rows = []
    for k in range(12):   # accounts g0-g3 share the same image within seconds, 12 times
        rows += [(f"g{k}-{a}", f"g{a}", 1000 * k + a, f"img{k}") for a in range(4)]
    rows += [(f"o{i}", f"o{i % 40}", int(t), f"img{1000 + i}") for i, t in enumerate(rng.integers(0, 12_000, 200))]
    posts = pd.DataFrame(rows, columns=["post_id", "account_id", "ts", "phash"])
    posts["created_at"] = _ts(posts.pop("ts"))
    path = tmp_path / "posts.csv"
    posts.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        done = run_cli("network", "--posts", path, "--out", tmp_path / "out", "--object", "phash", "--kind", "link",
                       "--window", "10", "--min-cluster-size", "2")
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "warning" not in done.stderr.lower()
    lines = done.stdout.splitlines()
    assert any(line.startswith("link") and "no objects: the posts have no url column" in line for line in lines)
    edges = pd.read_csv(tmp_path / "out" / "edges_column-phash.csv")
    assert len(edges) == 6
    clusters = pd.read_csv(tmp_path / "out" / "account_clusters.csv")
    members = pd.read_csv(tmp_path / "out" / "account_members.csv")
    top = clusters.iloc[0]
    assert top["flagged"] and top["size"] == 4 and "shared the same phash" in top["reasons"]
    assert set(members.loc[members["account_cluster_id"] == top["account_cluster_id"], "account_id"]) == \
        {"g0", "g1", "g2", "g3"}


def coortweet_table():
    """CooRTweet's own columns: long format, one account re-sharing an object, a one-row account."""
    rows = [  # object_id, account_id, content_id, timestamp_share
        ("o1", "a", "c1", 100), ("o1", "b", "c2", 105), ("o1", "b", "c3", 107), ("o1", "c", "c4", 300),
        ("o2", "a", "c5", 500), ("o2", "b", "c6", 509), ("o2", "c", "c7", 510),
        ("o3", "a", "c8", 900), ("o3", "c", "c9", 901), ("o4", "a", "c8", 900),   # c8 shares two objects
        ("o4", "d", "c10", 902), ("o5", "c5", "c11", 1000), ("o5", "b", "c12", 1001),
    ]
    return pd.DataFrame(rows, columns=["object_id", "account_id", "content_id", "timestamp_share"])


def test_coortweet_preset_reads_its_layout_and_compat_reproduces_its_rules(tmp_path):
    posts = read_posts(coortweet_table(), preset="coortweet")
    assert {"post_id", "account_id", "created_at", "object_id"} <= set(posts.columns)
    pairs = coortweet_pairs(posts, window=10, min_participation=2)
    # d has one row and c5's account one row: both dropped before pairing; b re-shares o1: two pairs
    assert not ({"d", "c5"} & set(pairs["account_id"]) | {"d", "c5"} & set(pairs["account_id_y"]))
    assert (pairs["time_delta"] >= 0).all() and (pairs["time_delta"] <= 10).all()
    pair_of = pairs[["account_id", "account_id_y"]].apply(lambda r: tuple(sorted(r)), axis=1)
    # a-b: (c1,c2), (c1,c3), (c5,c6); a-c: (c5,c7) at exactly 10 s (inclusive), (c8,c9); b-c: (c6,c7)
    assert pair_of.value_counts().to_dict() == {("a", "b"): 3, ("a", "c"): 2, ("b", "c"): 1}
    full = coortweet_network(posts, window=10, min_participation=2, edge_weight=0.0)   # above the lightest
    assert full.set_index(["account_1", "account_2"])["weight"].to_dict() == {("a", "b"): 3, ("a", "c"): 2}
    half = coortweet_network(posts, window=10, edge_weight=0.5)   # strictly above the median (2)
    assert half[["account_1", "account_2"]].values.tolist() == [["a", "b"]]
    path = tmp_path / "coortweet.csv"
    coortweet_table().to_csv(path, index=False)
    done = run_cli("network", "--posts", path, "--preset", "coortweet", "--compat", "coortweet", "--window", "10",
                   "--out", tmp_path / "net")
    assert done.returncode == 0, done.stderr
    edges = pd.read_csv(tmp_path / "net" / "edges_column-object_id.csv")
    assert edges[["account_1", "account_2", "weight"]].values.tolist() == [["a", "b", 3]]
    hint = run_cli("network", "--posts", path, "--out", tmp_path / "net2")
    assert hint.returncode == 2 and "--preset coortweet" in hint.stderr


def knob_posts():
    """Three account pairs: x-y co-act on 3 links, p-q on 1 link and 1 hashtag, s-t on 1 link."""
    rows = []
    for k in range(3):
        rows += [(f"x{k}", "x", 1000 * k, f"l{k}", ""), (f"y{k}", "y", 1000 * k + 2, f"l{k}", "")]
    rows += [("p1", "p", 5000, "m1", ""), ("q1", "q", 5001, "m1", ""),
             ("p2", "p", 7000, "", "#go"), ("q2", "q", 7003, "", "#go"),
             ("s1", "s", 9000, "m2", ""), ("t1", "t", 9004, "m2", "")]
    df = pd.DataFrame(rows, columns=["post_id", "account_id", "ts", "url", "text"])
    df["created_at"] = _ts(df.pop("ts"))
    df["platform"] = np.where(df["account_id"].isin(["s", "t"]), "TikTok", "twitter")
    return df.replace("", None)


def pairs_of(ac):
    return {tuple(sorted(g["account_id"])) for _, g in ac.members.groupby("account_cluster_id")}


def test_knobs_min_cluster_size_stacking_quantile_participation_and_platforms():
    posts = knob_posts()
    base = dict(kinds=("link", "hashtag"), window=10, null_draws=0, min_cluster_size=2, min_weight=1)
    assert pairs_of(account_clusters(posts, **base)) == {("x", "y"), ("p", "q"), ("s", "t")}
    assert pairs_of(account_clusters(posts, **{**base, "min_cluster_size": 3})) == set()
    # each kind thresholded at 2 (after) keeps x-y only; their sum (before) also keeps p-q
    assert pairs_of(account_clusters(posts, **{**base, "min_weight": 2})) == {("x", "y")}
    assert pairs_of(account_clusters(posts, **{**base, "min_weight": 2, "stack": "before"})) == {("x", "y"), ("p", "q")}
    # strictly above the median weight of the stacked pairs (3, 2, 1): x-y only
    assert pairs_of(account_clusters(posts, **{**base, "stack": "before", "weight_quantile": 0.5})) == {("x", "y")}
    # s and t co-act on one object only
    assert pairs_of(account_clusters(posts, **{**base, "min_participation": 2})) == {("x", "y"), ("p", "q")}
    assert pairs_of(account_clusters(posts, **{**base, "platforms": ("tiktok",)})) == {("s", "t")}
    with pytest.raises(InputError, match="stack='up'"):
        account_clusters(posts, stack="up")
    with pytest.raises(InputError, match="did you mean 'min_cluster_size'"):
        account_clusters(posts, min_clustre_size=2)


def test_knobs_from_the_cli_and_the_toml_file_agree_with_the_api(tmp_path):
    posts = knob_posts()
    path = tmp_path / "posts.csv"
    posts.to_csv(path, index=False)
    api = account_clusters(read_posts(path), kinds=("link", "hashtag"), window=10, null_draws=0, min_cluster_size=2,
                           min_weight=2, stack="before")
    config = tmp_path / "job.toml"
    config.write_text(f'[inputs]\nposts = "{path.name}"\n[output]\nout = "out_toml"\n'
                      '[network]\nkinds = ["link", "hashtag"]\nwindow = 10\nnull_draws = 0\nmin_cluster_size = 2\n'
                      'min_weight = 2\nstack = "before"\n')
    done = run_cli("network", "--config", config)
    assert done.returncode == 0, done.stderr
    # null_draws = 0 writes no clusters: the CLI needs the null model for them; compare the edges instead
    for kind in ("link", "hashtag"):
        assert (tmp_path / "out_toml" / f"edges_{kind}.csv").exists()
    done = run_cli("network", "--posts", path, "--out", tmp_path / "out_cli", "--kind", "link", "--kind", "hashtag",
                   "--window", "10", "--null", "5", "--min-cluster-size", "2", "--min-weight", "2", "--stack", "before",
                   "--alpha", "1")
    assert done.returncode == 0, done.stderr
    members = pd.read_csv(tmp_path / "out_cli" / "account_members.csv")
    assert {tuple(sorted(g["account_id"])) for _, g in members.groupby("account_cluster_id")} == pairs_of(api)
    bad = run_cli("network", "--posts", path, "--out", tmp_path / "bad", "--weight-quantile", "2")
    assert bad.returncode == 2 and "--weight-quantile" in bad.stderr and bad.stderr.count("\n") == 1
    config.write_text('[network]\nstack = "up"\n')
    bad = run_cli("network", "--config", config, "--posts", path, "--out", tmp_path / "bad")
    assert bad.returncode == 2 and "[network] stack" in bad.stderr


def test_window_auto_is_explained(tmp_path):
    posts = knob_posts()
    path = tmp_path / "posts.csv"
    posts.to_csv(path, index=False)
    done = run_cli("network", "--posts", path, "--out", tmp_path / "out", "--kind", "link", "--window", "auto")
    assert done.returncode == 0, done.stderr
    assert "window auto =" in done.stderr and "10, 30 or 60 s" in done.stderr


def test_coortweet_stacked_kinds_and_posts_prefixed_map(tmp_path):
    """Two object columns paired each on its own, their pairs stacked before one cut-off (CooRTweet's
    multi-modal vignette); --map takes posts.COLUMN as detect does."""
    table = coortweet_table().rename(columns={"content_id": "post", "timestamp_share": "when"})
    table["image"] = table["object_id"].where(table["object_id"].isin(["o1", "o3"]))
    posts = read_posts(table, mapping={"post_id": "post", "created_at": "when"})
    stacked = coortweet_network(posts, ["column:object_id", "column:image"], window=10, edge_weight=0.0)
    one = coortweet_pairs(posts, "column:object_id", window=10)
    two = coortweet_pairs(posts, "column:image", window=10)
    both = pd.concat([one, two])
    pair = both[["account_id", "account_id_y"]].apply(lambda r: tuple(sorted(r)), axis=1).value_counts()
    lightest = pair.min()
    assert stacked.set_index(["account_1", "account_2"])["weight"].to_dict() == \
        {k: v for k, v in pair.to_dict().items() if v > lightest}
    path = tmp_path / "posts.csv"
    table.to_csv(path, index=False)
    done = run_cli("network", "--posts", path, "--map", "posts.post_id=post", "--map", "created_at=when",
                   "--object", "object_id", "--object", "image", "--compat", "coortweet", "--stack", "before",
                   "--window", "10", "--out", tmp_path / "net")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "net" / "edges_stacked.csv").exists()


def test_bad_json_cells_and_absent_platforms_are_one_line_errors(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text('post_id,account_id,created_at,tags,platform\n1,a,2021-01-01T00:00:00Z,"[""x"", ""y""]",tiktok\n'
                    '2,b,2021-01-01T00:00:05Z,"[broken",tiktok\n')
    done = run_cli("network", "--posts", path, "--kind", "hashtag:tags", "--split", "json", "--out", tmp_path / "a")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "row 2, column 'tags'" in done.stderr and "JSON list" in done.stderr
    done = run_cli("network", "--posts", path, "--kind", "hashtag:tags", "--platform", "x", "--out", tmp_path / "b")
    assert done.returncode == 2 and "no posts of platform x; the platform column holds tiktok" in done.stderr


def test_unix_seconds_as_r_and_spreadsheets_write_them(tmp_path):
    path = tmp_path / "shares.csv"
    path.write_text("object_id,account_id,content_id,timestamp_share\no1,a,c1,1623881000.0\n"
                    "o1,b,c2,1.623881005e+09\no2,a,c3,1623882000.5\n")
    posts = read_posts(path, preset="coortweet")
    assert posts["created_at"].tolist() == list(pd.to_datetime([1623881000, 1623881005, 1623882000.5], unit="s",
                                                               utc=True))

"""Community detection's engine (:mod:`detector.communities`): networkit's Louvain (PLM), and
networkx's as the reference. Determinism, order independence, ``min_size``, starting groups,
canonical labels, the engines' agreement on clear structure."""

import numpy as np
import pandas as pd
import pytest

import detector.communities as communities
from detector.communities import find_clusters


def planted(k=5, size=40, p_in=0.5, p_out=0.004, seed=0):
    """``k`` communities of ``size`` nodes, dense inside, sparse between; node ids interleaved so
    that no community is a run of consecutive ids."""
    rng = np.random.default_rng(seed)
    n = k * size
    truth = np.arange(n) % k
    iu, iv = np.triu_indices(n, 1)
    same = truth[iu] == truth[iv]
    keep = rng.random(len(iu)) < np.where(same, p_in, p_out)
    u, v = iu[keep], iv[keep]
    w = rng.integers(1, 4, len(u)).astype(float)
    return pd.DataFrame({"u": u, "v": v, "weight": w}), n, truth


def noisy(n=600, m=2400, seed=1):
    """A graph with no clear communities: where Louvain's answer depends on its random order."""
    rng = np.random.default_rng(seed)
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    e = pd.DataFrame({"u": np.minimum(u, v), "v": np.maximum(u, v), "weight": rng.random(m) + 0.1})
    e = e[e.u != e.v].groupby(["u", "v"], as_index=False)["weight"].sum()
    return e, n


def as_partition(labels):
    """Communities as a set of frozensets of nodes (labels up to renaming), -1 left out."""
    return {frozenset(np.flatnonzero(labels == k).tolist()) for k in np.unique(labels) if k >= 0}


def check_canonical(labels, min_size):
    """Labels -1, 0 .. k-1, numbered by each community's smallest node, none smaller than min_size."""
    ks = labels[labels >= 0]
    if len(ks) == 0:
        return
    firsts = [int(np.flatnonzero(labels == k)[0]) for k in range(ks.max() + 1)]
    assert sorted(set(ks.tolist())) == list(range(ks.max() + 1))
    assert firsts == sorted(firsts)
    assert np.bincount(ks).min() >= min_size


@pytest.fixture(params=["networkit", "networkx"])
def engine(request, monkeypatch):
    monkeypatch.setattr(communities, "_ENGINE", request.param)
    return request.param


def test_planted_communities_found(engine):
    e, n, truth = planted()
    labels = find_clusters(e, n, min_size=10)
    assert as_partition(labels) == as_partition(truth)
    check_canonical(labels, 10)


def test_same_seed_same_result(engine):
    e, n = noisy()
    first = find_clusters(e, n, min_size=5, seed=3)
    for _ in range(3):
        np.testing.assert_array_equal(find_clusters(e, n, min_size=5, seed=3), first)
    check_canonical(first, 5)


def test_numpy_integer_seed(engine):
    e, n = noisy()
    np.testing.assert_array_equal(find_clusters(e, n, min_size=5, seed=np.int64(3)),
                                  find_clusters(e, n, min_size=5, seed=3))


def test_networkit_runs_on_one_thread_and_restores_the_setting():
    import networkit as nk

    before = nk.getMaxNumberOfThreads()
    e, n = noisy()
    find_clusters(e, n, min_size=5, seed=3)
    assert nk.getMaxNumberOfThreads() == before


def test_edge_order_and_direction_change_nothing(engine):
    """Edge rows shuffled and u, v swapped: the very same labels, even where Louvain is unsure."""
    e, n = noisy()
    rng = np.random.default_rng(7)
    expected = find_clusters(e, n, min_size=5, seed=2)
    for _ in range(3):
        shuffled = e.sample(frac=1.0, random_state=int(rng.integers(1 << 30))).reset_index(drop=True)
        swap = rng.random(len(shuffled)) < 0.5
        shuffled.loc[swap, ["u", "v"]] = shuffled.loc[swap, ["v", "u"]].to_numpy()
        np.testing.assert_array_equal(find_clusters(shuffled, n, min_size=5, seed=2), expected)


def test_node_ids_permuted_same_partition(engine):
    """Node ids renamed (and edges shuffled): the same communities up to relabelling, and labels
    still numbered by smallest member."""
    e, n, truth = planted(k=6, size=30, seed=4)
    expected = as_partition(find_clusters(e, n, min_size=10, seed=1))
    rng = np.random.default_rng(11)
    for _ in range(3):
        perm = rng.permutation(n)                     # old id -> new id
        moved = pd.DataFrame({"u": perm[e.u.to_numpy()], "v": perm[e.v.to_numpy()], "weight": e.weight.to_numpy()})
        moved = moved.sample(frac=1.0, random_state=int(rng.integers(1 << 30))).reset_index(drop=True)
        labels = find_clusters(moved, n, min_size=10, seed=1)
        check_canonical(labels, 10)
        back = labels[perm]                           # labels by old id
        assert as_partition(back) == expected


def test_min_size(engine):
    # a triangle (3), a pair (2), a path of 5, one isolated node
    e = pd.DataFrame({"u": [0, 1, 0, 3, 5, 6, 7, 8], "v": [1, 2, 2, 4, 6, 7, 8, 9], "weight": 1.0})
    assert find_clusters(e, 11, min_size=3).tolist() == [0, 0, 0, -1, -1, 1, 1, 1, 1, 1, -1]
    assert find_clusters(e, 11, min_size=2).tolist() == [0, 0, 0, 1, 1, 2, 2, 2, 2, 2, -1]
    assert (find_clusters(e, 11, min_size=6) == -1).all()


def test_small_components_left_whole(engine):
    """A component under 4 x min_size is one community even when Louvain would split it."""
    e, n, truth = planted(k=2, size=15, seed=2)      # 30 nodes, two clear halves
    assert len(as_partition(find_clusters(e, n, min_size=10))) == 1   # 30 < 40: whole
    assert as_partition(find_clusters(e, n, min_size=5)) == as_partition(truth)   # 30 >= 20: split


def test_small_communities_dropped(engine):
    """Louvain's communities smaller than min_size are -1, the rest kept."""
    e, n, truth = planted(k=4, size=30, seed=5)
    # a tail of 4 nodes hanging off node 0 by one light edge forms its own small community
    tail = pd.DataFrame({"u": [n, n, n, n + 1, n + 1, n + 2, 0], "v": [n + 1, n + 2, n + 3, n + 2, n + 3, n + 3, n],
                         "weight": [5, 5, 5, 5, 5, 5, 0.1]})
    labels = find_clusters(pd.concat([e, tail], ignore_index=True), n + 4, min_size=8)
    assert (labels[n:] == -1).all()
    assert as_partition(labels) == as_partition(truth)


def test_groups_identity_is_no_groups(engine):
    """Every node its own group: the same as no starting partition."""
    e, n = noisy()
    np.testing.assert_array_equal(find_clusters(e, n, min_size=5, seed=1, groups=np.arange(n)),
                                  find_clusters(e, n, min_size=5, seed=1))


def test_groups_are_never_split(engine):
    """Communities are unions of whole starting groups, even a group that straddles two planted
    communities; groups count by their members for min_size."""
    e, n, truth = planted(k=4, size=30, seed=6)
    groups = np.arange(n)
    halves = [np.flatnonzero(truth == k) for k in range(4)]
    for h in halves:                                  # each community in two halves
        groups[h[: len(h) // 2]] = h[0]
        groups[h[len(h) // 2:]] = h[len(h) // 2]
    straddle = np.array([halves[0][0], halves[1][-1], halves[1][-2]])
    groups[straddle] = n - 1                          # one group across communities 0 and 1
    groups = pd.factorize(groups, sort=True)[0]
    labels = find_clusters(e, n, min_size=10, seed=0, groups=groups)
    check_canonical(labels, 10)
    for g in np.unique(groups):
        assert len(np.unique(labels[groups == g])) == 1
    assert len(np.unique(labels[straddle])) == 1
    # the bulk of each planted community still together
    for h in halves:
        assert np.bincount(labels[h][labels[h] >= 0]).max() >= len(h) - 3


def test_groups_collapse_like_louvain_first_level(engine):
    """Starting from groups = collapsing each group into one node (summed edges, the edges within
    a group as its self-loop), then spreading the labels back."""
    e, n, truth = planted(k=4, size=30, seed=8)
    groups = pd.factorize(truth * 1000 + (np.arange(n) // 8), sort=True)[0]   # pieces of communities
    labels = find_clusters(e, n, min_size=10, seed=0, groups=groups)
    gu, gv = groups[e.u.to_numpy()], groups[e.v.to_numpy()]
    coarse = pd.DataFrame({"u": np.minimum(gu, gv), "v": np.maximum(gu, gv), "weight": e.weight.to_numpy()}) \
        .groupby(["u", "v"], as_index=False)["weight"].sum()
    k = groups.max() + 1
    sizes = np.bincount(groups)
    size_of = np.zeros(n, dtype=np.int64)
    size_of[:k] = sizes
    coarse_labels = communities._communities(coarse, n, size_of, 10, 1.0, 0)
    assert as_partition(labels) == as_partition(coarse_labels[groups])
    check_canonical(labels, 10)
    assert as_partition(labels) == as_partition(truth)


def test_networkit_is_the_default():
    assert communities._ENGINE == "networkit" and communities._engine() is communities._louvain_networkit


def test_engines_agree_on_clear_structure():
    e, n, _ = planted()
    out = {}
    for name in ("networkit", "networkx"):
        communities._ENGINE = name
        try:
            out[name] = find_clusters(e, n, min_size=5, seed=0)
        finally:
            communities._ENGINE = "networkit"
    np.testing.assert_array_equal(out["networkit"], out["networkx"])


def test_the_command_lines_lean_networkit_import_finds_the_same_communities(tmp_path):
    """The command line imports networkit without its plotting and scikit-learn parts (its process
    runs nothing else); PLM is there all the same and finds the same communities."""
    import subprocess
    import sys

    edges, n = noisy()
    edges.to_csv(tmp_path / "edges.csv", index=False)
    code = (
        "import sys, numpy as np, pandas as pd\n"
        "import detector.communities as c\n"
        "c.LEAN_NETWORKIT = True\n"
        f"labels = c.find_clusters(pd.read_csv(sys.argv[1]), {n}, min_size=5, seed=3)\n"
        "assert 'networkit' in sys.modules and 'sklearn' not in sys.modules\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "import matplotlib.pyplot\n"                 # the masks are gone after the import
        "print(' '.join(map(str, labels.tolist())))\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "edges.csv")], capture_output=True, text=True,
                         check=True).stdout
    lean = np.array(out.split(), dtype=np.int64)
    assert (lean >= 0).any()
    assert np.array_equal(lean, find_clusters(edges, n, min_size=5, seed=3))


def test_a_networkit_that_needs_its_optional_parts_is_imported_whole(tmp_path):
    """If networkit ever imports scikit-learn or pyplot outside its ``try``, the lean import falls
    back to the whole one instead of failing the command."""
    import os
    import subprocess
    import sys

    fake = tmp_path / "networkit"
    fake.mkdir()
    (fake / "__init__.py").write_text("import sklearn\nLOADED = 'whole'\n")
    code = ("import sys\nimport detector.communities as c\nc.LEAN_NETWORKIT = True\n"
            "nk = c._networkit()\nassert nk.LOADED == 'whole' and 'sklearn' in sys.modules\nprint('ok')\n")
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH", "")) if p)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": path})
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr

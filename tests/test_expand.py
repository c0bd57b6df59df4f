"""The expansion profile's tokens (detector/detection/expand.py)."""
import numpy as np
from scipy import sparse

from detector.detection.expand import _profile_tokens


def test_identity_families_keep_every_characteristic_token_channels_only_their_best():
    # tokens 0-2: e-mail domains (identity, one family); 3-4: referrers (channel, one family)
    family = np.array([0, 0, 0, 1, 1])
    onehot = sparse.csr_matrix((np.ones(5), (np.arange(5), family)), shape=(5, 2))
    channel = np.array([False, False, False, True, True])
    q = np.array([0.30, 0.20, 0.10, 0.40, 0.10])       # share among the cluster's members
    p0 = np.array([0.001, 0.002, 0.001, 0.01, 0.02])  # share at baseline
    tokens = np.arange(5)
    assert _profile_tokens(tokens, q, p0, onehot, channel).tolist() == [0, 1, 2, 3]
    # a second referrer (one a surge brought), nearly as common among members, is still not added
    q2 = q.copy()
    q2[4] = 0.35
    kept = _profile_tokens(tokens, q2, p0, onehot, channel)
    assert kept.tolist() == [0, 1, 2, 3]
    assert _profile_tokens(tokens[:0], q, p0, onehot, channel).tolist() == []


# --- the prior counts what a campaign's core missed, not an organic surge's crowd

def _world():
    """Ten hours at 10 organic sign-ups an hour (ordinary e-mail, one referrer). Hour 5:
    a campaign of 200, whose 60-member core carries a throwaway domain and whose 140 others
    copied ordinary values. Hour 2: an organic surge of 300 through one referrer, 200 of them
    in a community of their own (label 1), and 5 of the core's members signing up then."""
    import pandas as pd

    from detector.detection.features import token_matrix

    rng = np.random.default_rng(0)
    times, email, ref, label = [], [], [], []

    def add(count, lo, hi, domain, referrer, lab):
        times.extend(rng.uniform(lo, hi, count)); email.extend([f"p{len(email) + i}@{domain}" for i in range(count)])
        ref.extend([referrer] * count); label.extend([lab] * count)

    for h in range(10):
        add(10, h * 3600, (h + 1) * 3600, "mail.com", "https://google.com/", -1)
    add(60, 5 * 3600, 5.5 * 3600, "tmp.io", "https://google.com/", 0)          # the flagged core
    add(140, 5 * 3600, 5.5 * 3600, "mail.com", "https://google.com/", -1)      # its camouflaged rest
    add(5, 2 * 3600, 2.5 * 3600, "tmp.io", "https://google.com/", 0)
    add(200, 2 * 3600, 2.5 * 3600, "mail.com", "https://news.com/", 1)         # the surge's community
    add(100, 2 * 3600, 2.5 * 3600, "mail.com", "https://google.com/", -1)      # the surge's rest
    order = np.argsort(times, kind="stable")
    regs = pd.DataFrame({"email": np.array(email)[order], "referrer": np.array(ref)[order]})
    kind = np.array([0] * 100 + [1] * 60 + [2] * 140 + [1] * 5 + [3] * 200 + [4] * 100)[order]
    return token_matrix(regs), np.array(times)[order], np.array(label)[order], kind


def test_claim_counts_what_a_core_missed_but_not_a_surge_crowd():
    from detector.detection.expand import _claimed

    def flat(a, b):
        return 10.0 * (b - a) / 3600.0                 # 10 organic sign-ups an hour

    # hour 0: quiet; hour 1: a campaign, 60 of its 210 sign-ups in the core, nobody else stands out;
    # hour 2: an organic surge of 300 whose 200 channel-sharers form a community, 5 core members
    core = np.array([0, 60, 5])
    count = np.array([10, 210, 310])
    shown = np.array([0, 60, 205])
    claim = _claimed(core, count, shown, 0.0, 3600.0, flat)
    assert claim[0] == 0
    assert claim[1] == 200                             # the hour's excess above the baseline
    assert 5 <= claim[2] < 10                          # the surge's community claims its own crowd
    # no excess: the core only; a surge over most of the core's hours: k stays the campaign's
    assert _claimed(np.array([50]), np.array([55]), np.array([50]), 0.0, 3600.0, flat).tolist() == [50]
    many = _claimed(np.array([60, 60, 60, 5]), np.array([210, 210, 210, 1010]), np.array([60, 60, 60, 5]),
                    0.0, 3600.0, flat)
    assert many[:3].tolist() == [200, 200, 200] and many[3] <= 5 * 200 / 60 + 1e-9


def test_expansion_with_the_baseline_only_adds_members():
    from detector.detection.expand import expand_clusters

    tm, times, labels, kind = _world()
    quiet = kind == 0
    p0 = (np.asarray(tm.X[quiet].sum(axis=0)).ravel() + 0.5) / (quiet.sum() + 1.0)

    def expected(a, b):
        return 10.0 * (b - a) / 3600.0

    before, post_before, _ = expand_clusters(labels, np.array([0]), tm, p0, quiet, times)
    after, post_after, _ = expand_clusters(labels, np.array([0]), tm, p0, quiet, times, expected=expected)
    assert set(np.flatnonzero(before == 0)) <= set(np.flatnonzero(after == 0))
    assert (post_after >= post_before - 1e-12).all()
    assert (after[kind == 4] == 0).mean() < 0.1        # the surge's rest stays out


def test_a_cluster_left_without_a_profile_keeps_its_members():
    """A cluster whose members share nothing that sets them apart (forty e-mail domains, each
    held by 2.5% of them and of everybody: the tokens its core once shared, diluted by the
    members it grew to): with no feature left to weigh anyone against, it keeps its members
    and their posteriors instead of shedding them all."""
    import pandas as pd

    from detector.detection.expand import expand_clusters
    from detector.detection.features import token_matrix

    rng = np.random.default_rng(1)
    organic = [(t, f"ann{i}@mail{i % 40}.com") for i, t in enumerate(rng.uniform(0, 36000, 800))]
    campaign = [(t, f"ann{i + 800}@mail{i % 40}.com") for i, t in enumerate(rng.uniform(18000, 19800, 400))]
    rows = sorted(organic + campaign)
    times = np.array([t for t, _ in rows])
    tm = token_matrix(pd.DataFrame({"email": [e for _, e in rows]}))
    is_campaign = np.array([int(e[3:e.index("@")]) >= 800 for _, e in rows])
    quiet = ~is_campaign
    p0 = (np.asarray(tm.X[quiet].sum(axis=0)).ravel() + 0.5) / (quiet.sum() + 1.0)
    labels = np.where(is_campaign, 0, -1)
    previous = np.where(is_campaign, 0.8, 0.0)
    grown, posterior, _ = expand_clusters(labels, np.array([0]), tm, p0, quiet, times, posterior=previous)
    assert (grown[is_campaign] == 0).all() and (grown[~is_campaign] == -1).all()
    assert np.allclose(posterior[is_campaign], 0.8)
    # one domain held by a tenth of them is a profile again: members are weighed, not kept blindly
    rows = [(t, "ann@odd.com" if c and k % 10 == 0 else e) for k, ((t, e), c) in enumerate(zip(rows, is_campaign))]
    tm = token_matrix(pd.DataFrame({"email": [e for _, e in rows]}))
    p0 = (np.asarray(tm.X[quiet].sum(axis=0)).ravel() + 0.5) / (quiet.sum() + 1.0)
    grown, posterior, _ = expand_clusters(labels, np.array([0]), tm, p0, quiet, times, posterior=previous)
    assert not np.allclose(posterior[is_campaign], 0.8)


def test_plain_share_counts_members_who_show_nothing_from_the_hours_excess():
    from detector.detection.expand import _plain_share

    # two hours the cluster claims 200 of 210 sign-ups in; the 10 others are organic and show
    # nothing (p_none 1); of the claim, 150 show nothing in each hour
    hour = np.repeat([0, 1], 210)
    none = np.tile(np.r_[np.ones(160, bool), np.zeros(50, bool)], 2)
    n_hour, claim = np.array([210, 210]), np.array([200.0, 200.0])
    h = _plain_share(none, hour, n_hour, claim, 1.0, 0.0)
    assert 0.6 < h < 0.75                                  # 0.75 seen, less two standard deviations
    # what the profile's own shares predict is not counted twice
    assert _plain_share(none, hour, n_hour, claim, 1.0, 0.5) < h - 0.2
    # no excess beyond the organic part, or no claim: nothing
    assert _plain_share(none, hour, n_hour, np.array([10.0, 10.0]), 1.0, 0.0) == 0.0
    assert _plain_share(none, hour, n_hour, np.zeros(2), 1.0, 0.0) == 0.0


def test_an_hour_a_campaign_fills_claims_its_members_who_copied_ordinary_values():
    """Hour 5 of ``_world``: 200 sign-ups above a baseline of 10, 60 of them the flagged core
    (a throwaway domain), 140 who copied ordinary values in everything. Counted from the hour's
    excess, those 140 are the campaign's; the surge of hour 2 (its own community) still keeps
    its crowd, and the quiet hours lose nobody."""
    from detector.detection.expand import expand_clusters

    tm, times, labels, kind = _world()
    quiet = kind == 0
    p0 = (np.asarray(tm.X[quiet].sum(axis=0)).ravel() + 0.5) / (quiet.sum() + 1.0)

    def expected(a, b):
        return 10.0 * (b - a) / 3600.0

    grown, posterior, plain = expand_clusters(labels, np.array([0]), tm, p0, quiet, times, expected=expected)
    assert (grown[kind == 2] == 0).mean() > 0.9
    assert (grown[kind == 4] == 0).mean() < 0.1
    quiet_hours = quiet & ((times < 5 * 3600) | (times >= 6 * 3600))
    assert (grown[quiet_hours] == 0).sum() == 0
    assert plain[(kind == 2) & (grown == 0)].all() and not plain[kind == 1].any()

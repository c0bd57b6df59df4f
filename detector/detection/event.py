"""Detection within one event, as named steps over a typed state.

Each step reads the :class:`EventState` it is given and returns a new one with its own fields
filled (``dataclasses.replace``); :data:`STEPS` lists them in order, so a step can be run,
tested or replaced alone:

1. ``rate``: the learned organic baseline, the bursts above it, who is *quiet* (outside them);
2. ``shift``: which attribute tokens are over-represented when (:mod:`.shift`), and each
   registration's evidence;
3. ``communities``: the similarity graph of registrations with evidence and its Louvain
   communities (:mod:`.graph`, :mod:`.clusters`);
4. ``scores``: each community's signals and score, on its identity attributes together and on
   its e-mails and names alone (:mod:`.composition`, :mod:`.scoring`);
5. ``expansion``: flagged communities merged when alike and grown to the registrations of
   their span that match their profile (:mod:`.expand`);
6. ``triggers``: with posts, clusters holding several campaigns split by trigger post
   (:mod:`.linking`);
7. ``rescore``: flagged clusters scored again on their final members (a grown cluster that
   fails falls back to its core);
8. ``crowds``: the sign-ups of each burst that no flagged cluster holds, tested as one crowd;
   an unlike crowd's least ordinary members become a flagged cluster;
9. ``candidates``: one :class:`.candidate.Candidate` per community, with reasons, and every
   registration's score.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

import numpy as np
import pandas as pd

from .candidate import Candidate
from .facets import LOCATION_FAMILIES

__all__ = ["EventState", "STEPS", "detect_event"]


@dataclass(frozen=True)
class EventState:
    """What detection knows about one event after each step (None until a step fills it).

    Inputs: ``event``; ``idx`` (the event's row positions, in time order); ``times``
    (their timestamps); ``tm`` (their token matrix); ``attended`` (1/0/NaN or None);
    ``units`` (household of each row); ``opts`` (the checked options); ``ctx`` (a
    :class:`.triggers.TriggerContext` when posts were given).
    """

    event: str
    idx: np.ndarray
    times: pd.Series
    tm: Any
    attended: np.ndarray | None
    units: np.ndarray
    opts: dict
    ctx: Any = None
    # rate
    timeline: pd.DataFrame | None = None
    baseline_rate: Callable | None = None
    quiet: np.ndarray | None = None
    bursts: list | None = None
    # shift
    shift: Any = None
    strong: np.ndarray | None = None
    # communities
    labels: np.ndarray | None = None
    # scores
    surprisal: np.ndarray | None = None
    parts: dict | None = None                # surprisal per attribute family
    families: dict | None = None             # family -> (surprisal, quiet reference, time spread or None
                                             # for places), when several
    reference: Any = None
    feats: pd.DataFrame | None = None
    cscore: np.ndarray | None = None
    # expansion and triggers
    grown: np.ndarray | None = None
    cores: np.ndarray | None = None          # rows in a flagged community before expansion
    posterior: np.ndarray | None = None
    plain: np.ndarray | None = None          # grown members who show none of their cluster's profile
    growth: tuple | None = None              # what every growth reads (:func:`_growth_inputs`)
    flagged: np.ndarray | None = None
    # candidates
    candidates: list | None = None
    score: np.ndarray | None = None

    @cached_property
    def ns(self) -> np.ndarray:
        return self.times.dt.as_unit("ns").array.asi8

    @cached_property
    def secs(self) -> np.ndarray:
        ns = self.ns
        return (ns - ns[0]) / 1e9

    @cached_property
    def blocks(self) -> np.ndarray:
        """Twelve equal stretches of the event's time: the robust reference's blocks."""
        from .shift import time_blocks

        secs = self.secs
        return time_blocks(secs, max(secs[-1], 1.0))

    @property
    def organic(self) -> np.ndarray:
        """Registrations taken as organic: quiet, and carrying no surging token."""
        return self.quiet & ~self.strong


def _timeline(event, ns, edges_ns, expected, bin_seconds, timeline_seconds) -> pd.DataFrame:
    observed = np.histogram(ns, bins=edges_ns)[0]
    per = max(1, timeline_seconds // bin_seconds)
    groups = np.arange(len(observed)) // per
    tl_obs = np.bincount(groups, weights=observed)
    tl_exp = np.bincount(groups, weights=expected)
    start = pd.to_datetime(edges_ns[:-1][::per][: len(tl_obs)], utc=True)
    return pd.DataFrame({"event_id": event, "start": start, "observed": tl_obs.astype(int),
                         "expected": np.round(tl_exp, 3)})


def rate(st: EventState) -> EventState:
    """The organic baseline, the bursts, and who is outside them. ``baseline_rate(a, b)`` gives
    the organic sign-ups expected between ``a`` and ``b`` seconds after the first sign-up (one
    figure per pair when ``a`` and ``b`` are arrays)."""
    from .bursts import detect_bursts, expected_rate

    ns, opts = st.ns, st.opts
    # bins and the time of day counted from the first sign-up: shifting the clock changes nothing
    edges, expected = expected_rate(st.times, bin_seconds=opts["bin_seconds"], origin=int(ns[0] // 10**9),
                                    tz=None)
    edges_ns = pd.DatetimeIndex(edges).as_unit("ns").asi8
    timeline = _timeline(st.event, ns, edges_ns, expected, opts["bin_seconds"], opts["timeline_seconds"])
    cum = np.concatenate([[0.0], np.cumsum(expected)])
    edge_secs = (edges_ns - ns[0]) / 1e9

    def baseline_rate(a, b):
        lo = np.searchsorted(edge_secs, a, side="right") - 1
        hi = np.searchsorted(edge_secs, np.add(b, 1e-9), side="right") - 1
        rate = cum[np.minimum(np.maximum(hi, 0) + 1, len(expected))] - cum[np.maximum(lo, 0)]
        return float(rate) if np.ndim(rate) == 0 else rate      # arrays of bounds give an array

    quiet = np.ones(len(ns), dtype=bool)
    bursts = []
    for burst in detect_bursts(st.times, bin_seconds=opts["bin_seconds"], baseline=(edges, expected)):
        lo, hi = np.searchsorted(ns, [pd.Timestamp(burst.start).value, pd.Timestamp(burst.end).value])
        quiet[lo:hi] = False
        bursts.append({"event_id": st.event, "start": burst.start, "end": burst.end, "count": int(hi - lo),
                       "expected": float(burst.expected), "ratio": float(burst.ratio)})
    return dataclasses.replace(st, timeline=timeline, baseline_rate=baseline_rate, quiet=quiet, bursts=bursts)


def shift(st: EventState) -> EventState:
    """Over-represented tokens against the quiet composition, learned twice: the second time
    without the registrations that carried evidence the first time."""
    from .shift import token_shift, window_counts

    tm = st.tm.rows(st.idx)
    bins = (st.secs // st.opts["shift_bin_seconds"]).astype(np.int64)
    n_bins = int(bins.max()) + 1
    # who signs up may change for good when a campaign starts; which channel they come through
    # may too when an announcement goes viral, so only identity tokens step. Not the buckets
    # of rare values either: a few in a hundred ordinary registrants carry one, and a lowered
    # baseline would give each of them evidence for as long as a campaign runs
    steps = tm.is_identity & ~tm.is_rare
    counts = window_counts(tm.X, bins, n_bins)
    first = token_shift(tm.X, bins, n_bins, st.quiet, steps=steps, counts=counts)
    found = token_shift(tm.X, bins, n_bins, st.quiet & (first.evidence == 0), steps=steps, counts=counts)
    return dataclasses.replace(st, tm=tm, shift=found, strong=found.evidence >= st.opts["min_evidence"])


def _start_groups(shift_, keep, secs, *, seconds: float = 1800.0) -> np.ndarray:
    """Louvain's starting partition: same heaviest surging token, same half hour."""
    from .graph import strongest_pairs

    rows, tokens, weights = shift_.pair_row[keep], shift_.pair_token[keep], shift_.pair_weight[keep]
    top = strongest_pairs(rows, weights, 1)
    n = len(secs)
    token = np.full(n, -1, dtype=np.int64)
    half_hour = np.zeros(n, dtype=np.int64)
    token[rows[top]] = tokens[top]
    half_hour[rows[top]] = (secs[rows[top]] // seconds).astype(np.int64)
    alone = token < 0                                   # registrations without a pair: alone, after the others
    own = np.where(alone, np.arange(n, dtype=np.int64), 0)
    # groups numbered in the order of (token, half hour), then the lone rows in order: the numbering
    # depends only on the tokens' order, not on how many tokens the table holds
    order = np.lexsort((own, half_hour, token, alone))
    keys = np.stack([alone[order], token[order], half_hour[order], own[order]])
    new = np.ones(n, dtype=bool)
    new[1:] = (keys[:, 1:] != keys[:, :-1]).any(axis=0)
    groups = np.empty(n, dtype=np.int64)
    groups[order] = np.cumsum(new) - 1
    return groups


def communities(st: EventState) -> EventState:
    """Registrations with evidence linked by shared surging tokens, split into communities."""
    from ..communities import find_clusters
    from .graph import edge_list

    s, secs = st.shift, st.secs
    keep = st.strong[s.pair_row]
    edges = edge_list(s.pair_row[keep], s.pair_token[keep], s.pair_weight[keep], secs)
    labels = find_clusters(edges, len(st.idx), min_size=st.opts["min_cluster_size"], seed=st.opts["seed"],
                           groups=_start_groups(s, keep, secs))
    return dataclasses.replace(st, labels=labels)


def scores(st: EventState) -> EventState:
    """Each community's signals and its score (identity composition against the quiet ones)."""
    from .composition import identity_surprisals, quiet_reference, time_spread

    opts = st.opts
    att = st.attended[st.idx] if st.attended is not None else None
    use_att = att is not None and np.isfinite(att).any() if opts["use_attended"] == "auto" \
        else bool(opts["use_attended"]) and att is not None
    extra = {"attended": np.where(np.isfinite(att), att, -1).astype(np.int64)} if use_att else None
    blocks = st.blocks
    surprisal, parts = identity_surprisals(st.tm, st.organic, extra=extra, blocks=blocks)
    families = {}
    for f, v in (parts.items() if len(parts) > 1 else ()):
        quiet_v = v[st.organic]
        if len(quiet_v) == 0 or quiet_v.min() == quiet_v.max():
            continue               # a family that says the same of every quiet registrant is no test
        ref = quiet_reference(v, st.organic, blocks)
        # the crowds test every family alone; the clusters, who registrants say they are only
        families[f] = (v, ref, None if f in LOCATION_FAMILIES else time_spread(ref))
    st = dataclasses.replace(st, surprisal=surprisal, parts=parts, families=families,
                             reference=quiet_reference(surprisal, st.organic, blocks))
    feats = _signals(st, st.labels)
    feats, cscore = _score(st, feats, len(feats), crowd=False)
    return dataclasses.replace(st, feats=feats, cscore=cscore)


def _signals(st: EventState, labels: np.ndarray) -> pd.DataFrame:
    from .scoring import cluster_features

    att = st.attended[st.idx] if st.attended is not None else None
    return cluster_features(labels, st.tm, st.shift, times=st.secs, baseline_rate=st.baseline_rate,
                            quiet=st.organic, surprisal=st.surprisal, reference=st.reference,
                            units=st.units[st.idx], attended=att, alpha=(1 - st.opts["interval"]) / 2,
                            families={f: x for f, x in (st.families or {}).items() if x[2] is not None})


def _score(st: EventState, feats: pd.DataFrame, tested: int, *, crowd: bool = True) -> tuple[pd.DataFrame, np.ndarray]:
    """``(feats, scores)``: each cluster's score, its signals those of the test that decided it
    (:func:`.scoring.scored`)."""
    from .scoring import scored

    return scored(feats, min_unlike_share=st.opts["min_unlike_share"], tested=tested, crowd=crowd,
                  alpha=(1 - st.opts["interval"]) / 2)


def rescore(st: EventState) -> EventState:
    """Flagged clusters scored again on their final members: a small core that expansion grew
    into an organic surge (through the surge's channel) is judged by the crowd it became, and
    ``clusters.csv``'s signals describe the members it reports. Here the score also asks the
    cluster's crowd (:func:`.composition.crowd_confidence`): expansion took its new members
    out of that crowd by their profile (rare places, odd values), the very selection that
    makes a cluster look unlike by itself. A grown cluster that no longer
    passes falls back to its core (the members it had before expansion) when the core still
    passes on its own: what expansion added cannot take away what the core showed.

    The members expansion gave a cluster who show none of its profile's features (``st.plain``:
    they are in it on the prior and on the share of a campaign that copied ordinary values in
    everything, counted from the hours' excess, see :func:`.expand._plain_share`) are left out
    of the crowd it is judged by: they look ordinary by construction, so counting them would
    judge a campaign by how well it hid. They stay or go with the cluster."""
    if len(st.flagged) == 0:
        return st
    threshold = st.opts["flag_threshold"]
    grown = np.where(np.isin(st.grown, st.flagged), st.grown, -1)
    if st.plain is not None:
        grown = np.where(st.plain, -1, grown)
    again, cscore = _score(st, _signals(st, grown), len(st.feats))   # the same number of clusters examined
    by_label = {int(r["label"]): (r, cs) for r, cs in zip(again.to_dict("records"), cscore)}
    failing = np.array([c for c, (_, cs) in by_label.items() if cs < threshold], dtype=np.int64)
    new_grown = st.grown
    if len(failing):
        cores = np.where(np.isin(grown, failing) & st.cores, grown, -1)
        core_rows, core_scores = _score(st, _signals(st, cores), len(st.feats))
        new_grown = st.grown.copy()
        for r, cs in zip(core_rows.to_dict("records"), core_scores):
            if cs >= threshold:
                by_label[int(r["label"])] = (r, cs)
                new_grown[(st.grown == r["label"]) & ~st.cores] = -1
    rows, scores, keep = [], [], []
    for r, cs in zip(st.feats.to_dict("records"), st.cscore):
        if r["label"] in by_label:
            r, cs = by_label[r["label"]]
            if cs >= threshold:
                keep.append(r["label"])
        rows.append(r)
        scores.append(cs)
    return dataclasses.replace(st, feats=pd.DataFrame(rows), cscore=np.array(scores), grown=new_grown,
                               flagged=np.array(keep, dtype=np.int64))


def crowds(st: EventState) -> EventState:
    """Bursts whose crowd is unlike the usual registrants, beyond the flagged clusters.

    A burst is chosen by its rate alone, not by anybody's values, so its make-up can be
    tested against the quiet registrations without the bias of a cluster picked by its
    tokens. The sign-ups of each burst that no flagged cluster holds are tested as one
    cluster, on all identity attributes together and on each family alone (e-mail, phone,
    postal, IP, name: a campaign odd in its postal codes only is diluted in the sum), and on
    the common value of an identity attribute whose share in the crowd most exceeds its quiet
    share (a provider most of a campaign uses is ordinary one registrant at a time), with the
    same confidence as the clusters', counting households, Bonferroni over every test made in
    the event. When a test passes, the members some passing test finds more likely unlike than
    usual (:func:`.composition.unlike_posterior`, or a value's excess carriers, >= 0.5) become a
    flagged cluster with the most confident test's score, then grows by its profile
    (:func:`_grow_crowds`) when its members account for what the test found and the quiet
    reference outnumbers the burst. An organic surge brings the usual people and passes none;
    a campaign whose members each differ in an attribute or two shares no token for the graph,
    but its crowd differs."""
    from ..communities import label_runs
    from .composition import common_values, quiet_bands, quiet_reference, reference_size, top_excess, \
        unlike_confidence, unlike_lower_bound, unlike_posterior, unlike_shares

    opts, bursts = st.opts, st.bursts or []
    if not bursts or st.feats is None or st.surprisal is None:
        return st
    n = len(st.idx)
    taken = np.isin(st.grown, st.flagged) if len(st.flagged) else np.zeros(n, dtype=bool)
    first = int(max(st.labels.max(initial=-1), st.grown.max(initial=-1),
                    st.feats["label"].max() if len(st.feats) else -1)) + 1
    residual = np.full(n, -1, dtype=np.int64)
    ns = st.ns
    for i, burst in enumerate(bursts):
        lo, hi = np.searchsorted(ns, [pd.Timestamp(burst["start"]).value, pd.Timestamp(burst["end"]).value])
        span = np.arange(lo, hi)
        span = span[~taken[span] & (residual[span] < 0)]
        if len(span) >= opts["min_cluster_size"]:
            residual[span] = first + i
    if not (residual >= 0).any():
        return st
    rows = _signals(st, residual)
    order, starts, keys = label_runs(residual)
    households = rows.set_index("label").loc[keys, "households"].to_numpy()
    # the tests: all identity attributes together, and each family alone when there are several
    tests = [("identity", st.surprisal, st.reference)]
    tests += [(f, v, ref) for f, (v, ref, _) in (st.families or {}).items()]
    values = common_values(st.tm, st.organic)
    tested = len(st.feats) + len(bursts) * (len(tests) + len(values) + 1)
    floor, alpha = opts["min_unlike_share"], (1 - opts["interval"]) / 2
    d = np.array([unlike_shares(v[order], starts, ref) for _, v, ref in tests])
    sizes = [reference_size(ref) for _, _, ref in tests]
    conf = np.array([[unlike_confidence(d[t, g], int(households[g]), sizes[t], floor, tested)
                      for g in range(len(keys))] for t in range(len(tests))])
    n_quiet = int(st.organic.sum())
    bands = {}                                           # each test's bands among the quiet, once
    grown, posterior = st.grown.copy(), st.posterior.copy()
    by_label = {int(r["label"]): r for r in rows.to_dict("records")}
    new_rows, new_scores, new_labels, growing = [], [], [], []
    ends = np.append(starts[1:], len(order))
    for test, values_t, ref in tests:
        bands[test] = quiet_bands(values_t[st.organic], ref)
    quiet_rows = np.flatnonzero(st.organic)

    units = st.units[st.idx]

    def chances(rows_):
        """Per test, each of ``rows_``' chance of being unlike the quiet ones: by the band of its
        surprisal, or as an over-represented value's carrier at the value's excess odds; and
        each facet's excess (:func:`.composition.top_excess`)."""
        ex = [top_excess(v, rows_, units[rows_]) for v in values]
        out = [unlike_posterior(values_t[rows_], ref, bands=bands[test]) for test, values_t, ref in tests]
        return ex, np.array(out + [p_v for share_v, _, p_v, _, _ in ex if share_v > 0])

    for g, label in enumerate(keys):
        members = order[starts[g]:ends[g]]                # ascending positions
        options = [(conf[t, g], d[t, g], sizes[t], tests[t][0], t) for t in range(len(tests))]
        # values far more common in the crowd than among the quiet registrations (a common
        # e-mail provider, the IP prefixes some of them use): their excess carriers are unlike
        # them, however ordinary each value looks one registrant at a time
        excess, chance = chances(members)
        for share_v, column, _, _, n_over in excess:
            if share_v > 0:         # named by its most over-represented value, and how many more
                more = f" and {n_over - 1} other value{'s' * (n_over > 2)}" if n_over > 1 else ""
                options.append((unlike_confidence(share_v, int(households[g]), n_quiet, floor, tested), share_v,
                                n_quiet, str(st.tm.names[column]) + more, len(options)))
        # a crowd whose members each differ in one attribute or another: the share unlike in
        # any of them (each member's largest chance, counted only when one test alone gives
        # strong odds: a crowd that differs a little in many attributes, as an organic surge
        # does from quiet times a campaign fills, is not unlike in any one of them) beyond what
        # the same statistic gives on random sets of as many quiet registrations (it is positive
        # on them too: each test's chances follow its own noise)
        anyone = _strong(chance)
        # (the null only lowers the statistic: drawn only when the statistic alone would pass)
        if len(members) <= len(quiet_rows) and unlike_confidence(
                float(anyone.mean()), int(households[g]), n_quiet, floor, tested) >= opts["flag_threshold"]:
            rng = np.random.default_rng([int(opts["seed"]), int(label)])
            null = max(_strong(chances(rng.choice(quiet_rows, len(members), replace=False))[1]).mean()
                       for _ in range(NULL_DRAWS))
            beyond = max(0.0, float(anyone.mean()) - float(null))
            strongest = int(np.argmax(chance.mean(axis=1)))
            options.append((unlike_confidence(beyond, int(households[g]), n_quiet, floor, tested), beyond, n_quiet,
                            options[strongest][3], -1))
        passing = [o for o in options if o[0] >= opts["flag_threshold"]]
        if not passing:
            continue
        # every passing test names the members it finds unlike; the crowd is all of them, scored
        # by the most confident test and described by the one that sees the most of it
        score = max(o[0] for o in passing)
        _, share, size, name, _ = max(passing, key=lambda o: (o[1], o[0]))
        p = np.zeros(len(members))
        for *_, at in passing:
            p = np.maximum(p, anyone if at < 0 else chance[at])
        crowd = p >= 0.5
        if crowd.sum() < opts["min_cluster_size"]:
            continue
        grown[members[crowd]] = label
        posterior[members[crowd]] = p[crowd]
        low = unlike_lower_bound(float(share), int(households[g]), size, alpha)
        new_rows.append({**by_label[int(label)], "unlike_share": float(share), "n_quiet": size,
                         "unlike_low": low, "burst_size": len(members), "unlike_in": name})
        new_scores.append(score)
        new_labels.append(int(label))
        # the crowd's profile stands for what the test found unlike only when its members
        # account for it (at least the share's lower bound: a few members picked out of a
        # crowd that differs a little throughout say nothing about whom else to add), and its
        # lifts over the quiet registrants mean something only when these are not outnumbered
        # by the burst (an event that is mostly bursts has its quiet hours filled by campaigns)
        if crowd.mean() >= low and len(members) <= size:
            growing.append(int(label))
    if not new_rows:
        return st
    grown, posterior = _grow_crowds(st, grown, posterior, np.array(new_labels, dtype=np.int64),
                                    np.array(growing, dtype=np.int64))
    feats = pd.concat([st.feats, pd.DataFrame(new_rows)], ignore_index=True)
    return dataclasses.replace(st, feats=feats, cscore=np.concatenate([st.cscore, new_scores]), grown=grown,
                               posterior=posterior, flagged=np.concatenate([st.flagged, new_labels]).astype(np.int64))


def _grow_crowds(st: EventState, grown: np.ndarray, posterior: np.ndarray, new: np.ndarray, growing: np.ndarray):
    """The crowds' clusters grown like the flagged communities (:func:`expansion`): a campaign
    whose first wave made a burst often runs on in waves too small to be bursts, and its
    members there match the profile of those the burst showed. Only the crowds in ``growing``
    grow (see :func:`crowds`), by a profile of identity tokens (the crowd test found them
    unlike in their identity; a channel is what an organic surge shares with a campaign) whose
    shares are taken at their lower confidence bound (:data:`CROWD_PROFILE_CONFIDENCE`). Members of the other flagged clusters stay where
    they are, and so do the members the crowd test found."""
    if len(growing) == 0:
        return grown, posterior
    fixed = np.isin(grown, st.flagged) | np.isin(grown, new)
    grown, posterior, _ = _grow(st, grown, growing, posterior, fixed=fixed, confidence=CROWD_PROFILE_CONFIDENCE,
                                identity_only=True)
    return grown, posterior


def _grow(st: EventState, labels: np.ndarray, clusters: np.ndarray, posterior: np.ndarray, *,
          fixed: np.ndarray | None = None, confidence: float | None = None, identity_only: bool = False):
    """``clusters`` grown by :func:`.expand.expand_clusters`, round after round until nothing
    moves (at most ``expand_rounds``), each searched in its members' span: ``(labels,
    posterior, plain)``. Registrations in ``fixed`` keep their labels and posteriors;
    ``confidence`` and ``identity_only`` are :func:`.expand.expand_clusters`'."""
    from .expand import expand_clusters

    secs = st.secs
    spans = {c: (secs[labels == c].min(), secs[labels == c].max()) for c in clusters}
    families, columns, rare = st.growth if st.growth is not None else _growth_inputs(st)
    grown, plain = labels, np.zeros(len(labels), dtype=bool)
    for _ in range(st.opts["expand_rounds"]):
        before = grown
        grown, found, plain = expand_clusters(grown, clusters, st.tm, st.shift.p0, st.organic, secs, spans=spans,
                                              families=families, rare_matrix=rare, evidence=st.shift.evidence,
                                              expected=st.baseline_rate, columns=columns, posterior=posterior,
                                              plain=plain, confidence=confidence, identity_only=identity_only)
        if fixed is None:
            posterior = found
        else:
            grown = np.where(fixed, labels, grown)
            posterior = np.where(np.isin(grown, clusters) & ~fixed, found, posterior)
        if np.array_equal(grown, before):
            break                      # converged
    return grown, posterior, plain


def _growth_inputs(st: EventState) -> tuple:
    """What every growth of the event reads (:func:`.expand.expand_clusters`): the token
    families, the token matrix by column (a cluster's profile reads a few tokens' columns) and
    the rare-value indicators; ``tm`` and the shift's shares no longer change after the shift."""
    from .expand import family_matrix, rare_indicators

    families = family_matrix(st.tm)
    columns = st.tm.X.tocsc()
    return families, columns, rare_indicators(st.tm, st.shift.p0, families=families, columns=columns)


def _merge_under_best(labels, flagged, merged, score_of) -> tuple[np.ndarray, np.ndarray]:
    """Name each group of merged clusters after its best-scored part (its score and reasons are
    the group's), not after whichever part came first."""
    out = merged.copy()
    roots = {}
    for c in flagged:
        at = np.flatnonzero(labels == c)
        if len(at):
            roots.setdefault(int(merged[at[0]]), []).append(int(c))
    best = {root: max(parts, key=lambda c: (score_of.get(c, 0.0), -c)) for root, parts in roots.items()}
    for root, name in best.items():
        if name != root:
            out[merged == root] = name
    return out, np.array(sorted(best.values()), dtype=np.int64)


def expansion(st: EventState) -> EventState:
    """Flagged communities merged when alike, then grown to the registrations that match them."""
    from .expand import merge_similar

    secs, feats = st.secs, st.feats
    flagged = feats["label"].to_numpy()[st.cscore >= st.opts["flag_threshold"]] if len(feats) \
        else np.array([], dtype=np.int64)
    merged, flagged = _merge_under_best(st.labels, flagged, merge_similar(st.labels, flagged, st.tm.X, secs)[0],
                                        dict(zip(feats["label"], st.cscore)) if len(feats) else {})
    st = dataclasses.replace(st, growth=_growth_inputs(st))       # read again by the crowds' growth
    grown, posterior, plain = _grow(st, merged, flagged, np.zeros(len(st.idx)))
    cores = np.isin(merged, flagged)
    return dataclasses.replace(st, grown=grown, posterior=posterior, plain=plain & ~cores,
                               flagged=np.asarray(flagged, dtype=np.int64), cores=cores)


def triggers(st: EventState) -> EventState:
    """With posts: a flagged cluster holding several campaigns is split, one part per trigger."""
    from .linking import split_by_trigger

    if st.ctx is None or len(st.flagged) == 0:
        return st
    grown, flagged, feats, cscore = split_by_trigger(st.ctx, st.grown.copy(), st.flagged, st.feats, st.cscore,
                                                     st.idx, st.opts["min_cluster_size"], st.tm.X)
    return dataclasses.replace(st, grown=grown, flagged=flagged, feats=feats, cscore=cscore)


def _member_strength(evidence: np.ndarray) -> np.ndarray:
    return 1.0 - np.exp(-np.asarray(evidence, dtype=float) / 4.0)


def candidates(st: EventState) -> EventState:
    """One :class:`Candidate` per community (flagged ones with their grown members, reasons and
    trigger posts) and every registration's score."""
    from ..communities import groups_of
    from .reasons import cluster_reasons, describe_token, top_tokens

    idx, secs, shift_, ctx = st.idx, st.secs, st.shift, st.ctx
    strength = _member_strength(shift_.evidence)
    totals = np.asarray(st.tm.X.sum(axis=0)).ravel()      # each token's count in the event, for the reasons
    others = idx[~np.isin(st.grown, st.flagged)]
    score = 0.2 * strength
    found = []
    no_members = np.array([], dtype=np.int64)
    # members and their shift pairs: grown clusters for the flagged, graph communities for the rest
    groups = {True: groups_of(st.grown), False: groups_of(st.labels)}
    pair_groups = {True: groups_of(st.grown[shift_.pair_row]), False: groups_of(st.labels[shift_.pair_row])}
    for row, cs in zip(st.feats.to_dict("records"), st.cscore):
        is_flagged = bool(cs >= st.opts["flag_threshold"])
        if is_flagged and row["label"] not in st.flagged:
            continue  # merged into another flagged cluster
        members = groups[is_flagged].get(row["label"], no_members)
        if len(members) == 0:
            continue
        score[members] = cs * np.maximum(strength[members], st.posterior[members])
        first, last = secs[members].min(), secs[members].max()
        row.update(size=len(members), first=first, last=last, expected=max(st.baseline_rate(first, last), 1.0))
        profile = top_tokens(members, st.tm, shift_, k=8, pairs=pair_groups[is_flagged].get(row["label"], no_members),
                             totals=totals)
        reasons = cluster_reasons(row, profile[:3])
        trigger = ctx.name(idx[members], others) if ctx is not None and is_flagged else {}
        if trigger.get("trigger_reason"):
            reasons = f"{reasons}; {trigger['trigger_reason']}"
        found.append(Candidate(
            event_id=st.event, label=int(row["label"]), score=float(cs), members=idx[members],
            first_seen=st.times.iloc[int(members[0])], last_seen=st.times.iloc[int(members[-1])],
            expected=row["expected"], rate_ratio=row["size"] / row["expected"], signals=row,
            profile=tuple((describe_token(name), share, p0) for name, share, p0 in profile), reasons=reasons,
            trigger_post_ids=trigger.get("trigger_post_ids", ""),
            trigger_base_share=trigger.get("trigger_base_share", float("nan"))))
    return dataclasses.replace(st, candidates=found, score=score)


#: Random sets of quiet registrations the "unlike in any attribute" statistic of a crowd is
#: compared with (:func:`crowds`): the largest of them is its null.
NULL_DRAWS = 19

#: A crowd's profile, when its cluster grows (:func:`_grow_crowds`), takes each feature's share
#: among the crowd at this one-sided lower confidence bound: a crowd of a few dozen shows
#: its profile only roughly.
CROWD_PROFILE_CONFIDENCE = 0.95

#: The least chance of being unlike (odds 4:1) that one test must give a member for the
#: "unlike in any attribute" statistic to count it (:func:`crowds`).
STRONG_CHANCE = 0.8


def _strong(chance: np.ndarray) -> np.ndarray:
    """Each member's largest chance of being unlike over the tests (rows), or 0 when no test
    gives it at least :data:`STRONG_CHANCE`."""
    top = chance.max(axis=0)
    return np.where(top >= STRONG_CHANCE, top, 0.0)

#: The steps, in order: (name shown in the progress bar, function EventState -> EventState).
STEPS = (("bursts", rate), ("attribute shift", shift), ("graph and clusters", communities),
         ("scores", scores), ("expansion", expansion), ("trigger posts", triggers), ("rescore", rescore),
         ("unlike crowds", crowds), ("candidates", candidates))


def detect_event(event, idx, times, tm, attended, units, opts, ctx=None, note=None) -> EventState:
    """Run :data:`STEPS` on one event and return the final state (``candidates``, ``score``,
    ``bursts``, ``timeline`` are what :func:`.pipeline.detect` gathers)."""
    st = EventState(event=event, idx=idx, times=times, tm=tm, attended=attended, units=units, opts=opts, ctx=ctx)
    for name, step in STEPS:
        if note is not None:
            note(f"{event}: {name}")
        st = step(st)
    return st

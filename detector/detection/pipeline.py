"""The detection pipeline: registrations in, scored clusters out.

load -> signals -> graph -> clusters -> scores, per event:

1. **bursts** of the sign-up rate against the learned organic baseline
   (:mod:`.bursts`); registrations outside every burst are the first guess at
   what is organic;
2. **tokens** (:mod:`.features`) and their **shift** (:mod:`.shift`): which
   attribute values are over-represented, when, against the organic
   composition, giving every registration an *evidence* (summed log lifts);
   the baseline is learned again without the registrations that carry evidence;
3. **graph** (:mod:`.graph`): registrations with evidence >= ``min_evidence``
   linked when they share a surging token close in time;
4. **clusters** (:mod:`.clusters`): Louvain communities of that graph;
5. **scores** (:mod:`.scoring`): a logistic model over vocabulary-free cluster
   features gives each cluster the probability that it is coordinated, with
   reasons (:mod:`.reasons`).

Scoring rule (documented for analysts):

- a cluster is flagged when its score >= ``flag_threshold`` (default 0.5);
- a registration's score is its cluster's score times its strength of
  membership (the larger of ``1 - exp(-evidence / 4)`` and its expansion
  posterior) when it is in a cluster, and ``0.2 * (1 - exp(-evidence / 4))``
  otherwise; it is flagged when its cluster is;
- ``estimated_coordinated_registrations`` is the sum over clusters of score x
  size (the expected number of coordinated members if the scores are
  calibrated); its interval treats each cluster as an independent Bernoulli
  draw of its whole membership, then widens by the 5%-95% range of the
  method's relative error measured on simulated training scenarios (stored
  with the scorer); its lower end counts flagged clusters only.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..options import DEFAULTS, check_options
from ..result import DetectionResult
from .candidate import CLUSTER_COLUMNS, Candidate, candidates_frame

__all__ = ["detect", "DEFAULTS"]


def _registrations(data) -> tuple[pd.DataFrame, dict, list]:
    if isinstance(data, pd.DataFrame):
        return data, {"registrations": "<registrations DataFrame>"}, []
    return data.registrations, dict(getattr(data, "sources", {})), list(getattr(data, "notes", []))


def _canonical_order(regs: pd.DataFrame) -> np.ndarray:
    """Rows by sign-up time, ties by registration id: the order detection works in, whatever
    the input's order."""
    ns = pd.to_datetime(regs["created_at"], utc=True).dt.as_unit("ns").array.asi8
    return np.lexsort((regs["registration_id"].astype(str).to_numpy(), ns))


def _candidates_in_input_order(candidates, flagged, canon) -> pd.DataFrame:
    """``result.candidates``: every candidate with its cluster id when flagged, and its members as
    positions in the input."""
    ids = {(c.event_id, c.label): c.cluster_id for c in flagged}
    return candidates_frame([dataclasses.replace(c, members=np.sort(canon[c.members]),
                                                 cluster_id=ids.get((c.event_id, c.label), ""))
                             for c in candidates])


def _raise_scores(score: np.ndarray, raised: list) -> None:
    """Apply the score rises a linking step returned: ``(row positions, score)`` pairs."""
    for rows, value in raised:
        score[rows] = np.maximum(score[rows], value)


def _absent_columns(regs: pd.DataFrame) -> list[str]:
    """The contract's optional registration columns that the input lacks or leaves empty."""
    from ..schema import REGISTRATIONS

    return [c for c in REGISTRATIONS.optional if c not in regs or not regs[c].notna().any()]


def _member_strength(evidence: np.ndarray) -> np.ndarray:
    return 1.0 - np.exp(-np.asarray(evidence, dtype=float) / 4.0)


def _event_timeline(event, ns, edges_ns, expected, bin_seconds, timeline_seconds) -> pd.DataFrame:
    observed = np.histogram(ns, bins=edges_ns)[0]
    per = max(1, timeline_seconds // bin_seconds)
    groups = np.arange(len(observed)) // per
    tl_obs = np.bincount(groups, weights=observed)
    tl_exp = np.bincount(groups, weights=expected)
    start = pd.to_datetime(edges_ns[:-1][::per][: len(tl_obs)], utc=True)
    return pd.DataFrame({"event_id": event, "start": start, "observed": tl_obs.astype(int),
                         "expected": np.round(tl_exp, 3)})


def _start_groups(shift, keep, secs, *, seconds: float = 1800.0) -> np.ndarray:
    """Louvain's starting partition: same heaviest surging token, same half hour."""
    from .graph import strongest_pairs

    rows, tokens, weights = shift.pair_row[keep], shift.pair_token[keep], shift.pair_weight[keep]
    top = strongest_pairs(rows, weights, 1)
    key = np.arange(len(secs), dtype=np.int64) + (1 << 40)  # registrations without a pair: alone
    half_hour = (secs[rows[top]] // seconds).astype(np.int64)
    key[rows[top]] = tokens[top].astype(np.int64) * (1 << 20) + half_hour
    return pd.factorize(key, sort=True)[0]


def _rate_signals(event, times, ns, opts):
    """The rate side of one event: its timeline, the baseline, bursts, and who is outside them.

    Returns ``(timeline, baseline_rate, quiet, bursts)``: ``baseline_rate(a, b)`` gives the
    organic sign-ups expected between ``a`` and ``b`` seconds after the first sign-up; ``quiet``
    marks the registrations outside every burst.
    """
    from .bursts import detect_bursts, expected_rate

    # bins and the time of day counted from the first sign-up: shifting the clock changes nothing
    edges, expected = expected_rate(times, bin_seconds=opts["bin_seconds"], origin=int(ns[0] // 10**9), tz=None)
    edges_ns = pd.DatetimeIndex(edges).as_unit("ns").asi8
    timeline = _event_timeline(event, ns, edges_ns, expected, opts["bin_seconds"], opts["timeline_seconds"])
    cum = np.concatenate([[0.0], np.cumsum(expected)])
    edge_secs = (edges_ns - ns[0]) / 1e9

    def baseline_rate(a, b):
        lo, hi = np.searchsorted(edge_secs, [a, b + 1e-9], side="right") - 1
        return float(cum[min(max(hi, 0) + 1, len(expected))] - cum[max(lo, 0)])

    quiet = np.ones(len(ns), dtype=bool)
    bursts = []
    for burst in detect_bursts(times, bin_seconds=opts["bin_seconds"], baseline=(edges, expected)):
        lo, hi = np.searchsorted(ns, [pd.Timestamp(burst.start).value, pd.Timestamp(burst.end).value])
        quiet[lo:hi] = False
        bursts.append({"event_id": event, "start": burst.start, "end": burst.end, "count": int(hi - lo),
                       "expected": float(burst.expected), "ratio": float(burst.ratio)})
    return timeline, baseline_rate, quiet, bursts


def _event_clusters(event, idx, times, tm, attended, units, opts, ctx=None, steps=None):
    """Detect within one event. Returns (cluster rows, per-row score, bursts, timeline).

    ``ctx`` (a :class:`.triggers.TriggerContext`, when posts were given) splits clusters by
    trigger post and names each flagged cluster's triggers."""
    from .clusters import find_clusters, groups_of
    from .expand import expand_clusters, family_matrix, merge_similar, rare_indicators
    from .features import TokenMatrix
    from .graph import edge_list
    from .linking import split_by_trigger
    from .reasons import cluster_reasons, describe_token, top_tokens
    from .composition import identity_surprisal
    from .scoring import cluster_features, score_clusters
    from .shift import token_shift

    note = steps.note if steps is not None else (lambda text: None)
    ns = times.dt.as_unit("ns").array.asi8
    secs = (ns - ns[0]) / 1e9
    note(f"{event}: bursts")
    timeline, baseline_rate, quiet, bursts = _rate_signals(event, times, ns, opts)
    note(f"{event}: attribute shift")
    tm = TokenMatrix(tm.X[idx], tm.names, tm.facets)
    X = tm.X
    bins = (secs // opts["shift_bin_seconds"]).astype(np.int64)
    n_bins = int(bins.max()) + 1
    shift = token_shift(X, bins, n_bins, quiet)
    shift = token_shift(X, bins, n_bins, quiet & (shift.evidence == 0))

    strong = shift.evidence >= opts["min_evidence"]
    note(f"{event}: graph and clusters")
    keep = strong[shift.pair_row]
    edges_df = edge_list(shift.pair_row[keep], shift.pair_token[keep], shift.pair_weight[keep], secs)
    labels = find_clusters(edges_df, len(idx), min_size=opts["min_cluster_size"], seed=opts["seed"],
                           groups=_start_groups(shift, keep, secs))
    att = attended[idx] if attended is not None else None
    use_att = att is not None and np.isfinite(att).any() if opts["use_attended"] == "auto" \
        else bool(opts["use_attended"]) and att is not None
    organic = quiet & ~strong
    extra = {"attended": np.where(np.isfinite(att), att, -1).astype(np.int64)} if use_att else None
    surprisal = identity_surprisal(tm, organic, extra=extra)
    feats = cluster_features(labels, tm, shift, times=secs, baseline_rate=baseline_rate, quiet=organic,
                             surprisal=surprisal, units=units[idx], attended=att, alpha=(1 - opts["interval"]) / 2)
    cscore = score_clusters(feats, min_unlike_share=opts["min_unlike_share"])

    note(f"{event}: scores and expansion")
    strength = _member_strength(shift.evidence)
    flagged = feats["label"].to_numpy()[cscore >= opts["flag_threshold"]] if len(feats) else np.array([], int)
    merged, flagged = merge_similar(labels, flagged, tm.X, secs)
    grown, posterior = merged, np.zeros(len(idx))
    spans = {c: (secs[merged == c].min(), secs[merged == c].max()) for c in flagged}
    families = family_matrix(tm)
    rare = rare_indicators(tm, shift.p0, families=families)
    for _ in range(opts["expand_rounds"]):
        grown, posterior = expand_clusters(grown, flagged, tm, shift.p0, quiet & ~strong, secs, spans=spans,
                                           families=families, rare_matrix=rare)
    if ctx is not None and len(flagged):
        note(f"{event}: trigger posts")
        grown, flagged, feats, cscore = split_by_trigger(ctx, grown, flagged, feats, cscore, idx,
                                                         opts["min_cluster_size"], tm.X)
    others = idx[~np.isin(grown, flagged)]
    score = 0.2 * strength
    found = []
    no_members = np.array([], dtype=np.int64)
    # members and their shift pairs: grown clusters for the flagged, graph communities for the rest
    groups = {True: groups_of(grown), False: groups_of(labels)}
    pair_groups = {True: groups_of(grown[shift.pair_row]), False: groups_of(labels[shift.pair_row])}
    for row, cs in zip(feats.to_dict("records"), cscore):
        is_flagged = bool(cs >= opts["flag_threshold"])
        if is_flagged and row["label"] not in flagged:
            continue  # merged into another flagged cluster
        members = groups[is_flagged].get(row["label"], no_members)
        if len(members) == 0:
            continue
        score[members] = cs * np.maximum(strength[members], posterior[members])
        first, last = secs[members].min(), secs[members].max()
        row.update(size=len(members), first=first, last=last, expected=max(baseline_rate(first, last), 1.0))
        profile = top_tokens(members, tm, shift, k=8, pairs=pair_groups[is_flagged].get(row["label"], no_members))
        reasons = cluster_reasons(row, profile[:3])
        trigger = ctx.name(idx[members], others) if ctx is not None and is_flagged else {}
        if trigger.get("trigger_reason"):
            reasons = f"{reasons}; {trigger['trigger_reason']}"
        found.append(Candidate(
            event_id=event, label=int(row["label"]), score=float(cs), members=idx[members],
            first_seen=times.iloc[int(members[0])], last_seen=times.iloc[int(members[-1])],
            expected=row["expected"], rate_ratio=row["size"] / row["expected"], signals=row,
            profile=tuple((describe_token(name), share, p0) for name, share, p0 in profile), reasons=reasons,
            trigger_post_ids=trigger.get("trigger_post_ids", ""),
            trigger_base_share=trigger.get("trigger_base_share", float("nan"))))
    return found, score, bursts, timeline


def detect(data, **options) -> DetectionResult:
    """Find coordinated sign-up clusters and score every registration.

    Parameters
    ----------
    data : Dataset or pandas.DataFrame
        What :func:`detector.load` returned, or a registrations table with at
        least ``registration_id`` and ``created_at`` (tz-aware).
    **options
        Any of :data:`DEFAULTS`: ``flag_threshold`` (clusters scoring at least
        this are flagged), ``min_cluster_size``, ``min_evidence`` (summed log
        lifts a registration needs to enter the graph), ``interval`` (coverage of
        the estimate's interval: 0.8, 0.9, 0.95 or 0.99), ``use_attended``
        (``"auto"``: use the ``attended`` column when it holds values),
        ``bin_seconds``, ``shift_bin_seconds``, ``timeline_seconds``,
        ``coaction_window`` (seconds or ``"auto"``) and ``coaction_min_weight`` for the
        account clusters found in posts (:func:`detector.coaction.account_clusters`),
        ``progress`` (``"auto"``: a bar on standard error in a terminal or notebook, none in
        batch logs; or True/False), ``seed``, ``min_unlike_share`` (a cluster is flagged when
        we are confident that more than this share of its members are unlike the organic
        registrants). Every option is declared, with its range, in :mod:`detector.options`.

    Returns
    -------
    DetectionResult

    Examples
    --------
    >>> from detector.simulation import simulate
    >>> sim = simulate("easy", n=3000, seed=1)
    >>> result = detect(sim.registrations)
    >>> len(result.registrations) == 3000
    True
    """
    from ..progress import Steps, wanted
    from .composition import household_units
    from .features import token_matrix
    from .assemble import account_links, profile_table, summary_of, trigger_table
    from .linking import join_tied_registrants, link_account_clusters

    opts = check_options(options).as_dict()  # unknown names, types, ranges: one InputError, before any work
    regs, sources, notes = _registrations(data)
    canon = _canonical_order(regs)          # the row order of the input changes nothing
    regs = regs.iloc[canon].reset_index(drop=True)
    created = pd.to_datetime(regs["created_at"], utc=True)
    events = regs["event_id"].astype(str) if "event_id" in regs else pd.Series("event", index=regs.index)
    attended = None
    if "attended" in regs and regs["attended"].notna().any():
        attended = regs["attended"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    posts, follows = getattr(data, "posts", None), getattr(data, "follows", None)
    event_names = sorted(events.unique())
    with Steps(2 + len(event_names) + (posts is not None), "detect", enabled=wanted(opts["progress"])) as steps:
        steps.step("attribute tokens")
        tm = token_matrix(regs, posts, follows)
        units = household_units([regs[c] for c in ("phone", "ip") if c in regs] or [regs["registration_id"]])
        ctx = None
        if posts is not None and len(posts):
            from .triggers import TriggerContext
            ctx = TriggerContext(regs, posts, follows)
        score = np.zeros(len(regs))
        candidates, bursts, timelines = [], [], []
        for event in event_names:
            steps.step(f"event {event}")
            idx = np.flatnonzero((events == event).to_numpy())
            order = np.argsort(created.iloc[idx].to_numpy(), kind="stable")
            idx = idx[order]
            found, ev_score, ev_bursts, timeline = _event_clusters(event, idx, created.iloc[idx], tm, attended, units,
                                                                  opts, ctx, steps)
            score[idx] = ev_score
            candidates += found
            bursts += ev_bursts
            timelines.append(timeline)

        cluster_of = np.full(len(regs), "", dtype=object)
        flagged = sorted((c for c in candidates if c.score >= opts["flag_threshold"]),
                         key=lambda c: (c.first_seen, c.event_id))
        flagged = [dataclasses.replace(c, cluster_id=f"C{i + 1:03d}") for i, c in enumerate(flagged)]
        if ctx is not None:
            steps.step("posts: co-action networks and account clusters")
            flagged, raised = join_tied_registrants(flagged, ctx, events.to_numpy())
            _raise_scores(score, raised)
        flagged, accounts, raised = link_account_clusters(flagged, regs, posts, opts)
        _raise_scores(score, raised)
        steps.step("results")
        for c in flagged:
            cluster_of[c.members] = c.cluster_id
    back = np.argsort(canon)                # rows again in the input's order
    registrations = pd.DataFrame({"registration_id": regs["registration_id"].astype(str).to_numpy()[back],
                                  "score": np.round(score, 6)[back], "cluster_id": cluster_of.astype(str)[back],
                                  "flagged": (cluster_of != "")[back]})
    clusters = pd.DataFrame([c.to_row() for c in flagged], columns=list(CLUSTER_COLUMNS))
    timeline = pd.concat(timelines, ignore_index=True)
    bursts = pd.DataFrame(bursts, columns=["event_id", "start", "end", "count", "expected", "ratio"])
    options_used = {k: opts[k] for k in DEFAULTS}
    excess = float(sum(max(0.0, b["count"] - b["expected"]) for b in bursts.to_dict("records")))
    summary = summary_of(registrations, clusters, candidates, options_used, sources, notes, events.nunique(),
                         excess=excess, absent=_absent_columns(regs))
    if accounts is not None:
        summary["counts"].update(posts=int(len(posts)), account_clusters=int(accounts.clusters["flagged"].sum()))
    return DetectionResult(registrations=registrations, clusters=clusters, summary=summary,
                           timeline=timeline, bursts=bursts, candidates=_candidates_in_input_order(
                               candidates, flagged, canon),
                           accounts=accounts, triggers=trigger_table(flagged, ctx), profiles=profile_table(flagged),
                           account_links=account_links(regs, cluster_of))

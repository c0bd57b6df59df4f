"""The detection pipeline: registrations in, scored clusters out.

load -> signals -> graph -> clusters -> scores, per event (:mod:`.event` runs the steps:
bursts, attribute shift, graph and communities, scores, expansion, trigger posts,
candidates), then across events: flagged clusters numbered, registrants tied to their
trigger posts and account clusters from the posts joined (:mod:`.linking`), and the result's
tables (:mod:`.assemble`).

Scoring rule (documented for analysts):

- a cluster's score is the confidence that more than ``min_unlike_share`` of its members
  are unlike the organic registrants in who they are (:mod:`.composition`); it is flagged
  when its score >= ``flag_threshold`` (default 0.5);
- a registration's score is its cluster's score times its strength of membership (the
  larger of ``1 - exp(-evidence / 4)`` and its expansion posterior) when it is in a
  cluster, and ``0.2 * (1 - exp(-evidence / 4))`` otherwise; it is flagged when its
  cluster is;
- ``estimated_coordinated_registrations`` is the sum over candidate clusters of score x
  size, with the interval of :func:`.assemble.summary_of`.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..loading import one_row_per_post
from ..options import DEFAULTS, check_options
from ..result import DetectionResult
from .candidate import CLUSTER_COLUMNS, candidates_frame

__all__ = ["detect", "DEFAULTS"]


def _registrations(data) -> tuple[pd.DataFrame, dict, list]:
    """The registrations, their sources and the loader's notes. A plain DataFrame goes through
    :func:`detector.load` first: the same checks and coercions as a file (Unix seconds, naive
    times, duplicate ids, text columns)."""
    if isinstance(data, pd.DataFrame):
        from ..loading import load

        data = load(registrations=data)
    elif not hasattr(data, "registrations"):
        raise TypeError(f"detect() takes what detector.load returned or a registrations DataFrame, "
                        f"not {type(data).__name__}")
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
    from ..schema import DEFAULT_EVENT_ID, REGISTRATIONS

    def filled_in(column):  # the loader's one event, given when the input has no event_id
        values = regs[column]
        return column == "event_id" and isinstance(values.dtype, pd.CategoricalDtype) \
            and list(values.cat.categories) == [DEFAULT_EVENT_ID]

    return [c for c in REGISTRATIONS.optional if c not in regs or not regs[c].notna().any() or filled_in(c)]


def time_outliers(ns: np.ndarray, *, reach: float = 5.0, min_rows: int = 20) -> np.ndarray:
    """Sign-ups far outside their event's time and cut off from it: before ``q25 - reach * IQR``
    or after ``q75 + reach * IQR`` of the event's times (the IQR at least one day), with a
    stretch of at least ``reach * IQR`` without any sign-up between them and the rest, in an
    event of at least ``min_rows`` rows. A stray ``1970-01-01`` among June 2020 would otherwise
    stretch the time grid over fifty empty years; the organic sign-ups spread over the weeks
    around a campaign that crowds three quarters of an event into two days are not stray.

    >>> day = 86_400 * 10**9
    >>> ns = np.r_[np.arange(100) * day // 10, -50 * 365 * day]
    >>> np.flatnonzero(time_outliers(ns)).tolist()
    [100]
    >>> weeks = np.r_[np.arange(40) * day, 20 * day + np.arange(400) * day // 1000]   # a burst in 40 days
    >>> int(time_outliers(weeks).sum())
    0
    """
    ns = np.asarray(ns, dtype=np.int64)
    stray = np.zeros(len(ns), dtype=bool)
    if len(ns) < min_rows:
        return stray
    q25, q75 = np.quantile(ns, [0.25, 0.75])
    iqr = max(q75 - q25, 86_400 * 1e9)
    order = np.argsort(ns, kind="stable")
    t = ns[order]
    cut_off = np.diff(t) >= reach * iqr                  # a stretch without sign-ups after t[i]
    low = np.flatnonzero(cut_off & (t[:-1] < q25 - reach * iqr))
    if len(low):
        stray[order[:low[-1] + 1]] = True
    high = np.flatnonzero(cut_off & (t[1:] > q75 + reach * iqr))
    if len(high):
        stray[order[high[0] + 1:]] = True
    return stray


def _outlier_note(regs: pd.DataFrame, rows: np.ndarray, source: str) -> str:
    shown = ", ".join(f"{regs['registration_id'].iat[r]} ({regs['created_at'].iat[r]:%Y-%m-%dT%H:%M:%SZ})"
                      for r in rows[:5])
    more = f" and {len(rows) - 5:,} more" if len(rows) > 5 else ""
    return (f"{source}: {len(rows):,} sign-up(s) far outside their event's time were left out of the analysis "
            f"(score 0, not flagged): {shown}{more}; check the created_at of these rows")


#: Rate bins per event at most: an event spanning more than ``MAX_BINS * bin_seconds`` (139 days at
#: the default minute) is binned more coarsely, so that time and memory do not grow with its span.
MAX_BINS = 200_000


def _bins_for_span(opts: dict, span_seconds: float) -> tuple[dict, bool]:
    """The options for an event of this span: ``bin_seconds``, ``shift_bin_seconds`` and
    ``timeline_seconds`` scaled up by one factor when the rate would need more than
    :data:`MAX_BINS` bins; and whether they were."""
    factor = int(np.ceil(span_seconds / (MAX_BINS * opts["bin_seconds"])))
    if factor <= 1:
        return opts, False
    return {**opts, **{k: opts[k] * factor for k in ("bin_seconds", "shift_bin_seconds", "timeline_seconds")}}, True


def _counted_only(events: list, seconds: int) -> pd.DataFrame:
    """The timeline of events too small to be analysed, ``(event, sorted ns)`` pairs: the bins
    holding sign-ups (not the empty ones between them), and as expected the mean per bin over the
    event's span."""
    step = seconds * 10**9
    names, starts, observed, expected = [], [], [], []
    for event, ns in events:
        bins, counts = np.unique(ns // step, return_counts=True)
        names.append(np.full(len(counts), event, dtype=object))
        starts.append(bins * step)
        observed.append(counts)
        expected.append(np.full(len(counts), len(ns) / (bins[-1] - bins[0] + 1)))
    return pd.DataFrame({"event_id": np.concatenate(names), "start": pd.to_datetime(np.concatenate(starts), utc=True),
                         "observed": np.concatenate(observed).astype(int),
                         "expected": np.round(np.concatenate(expected), 3)})


def detect(data, *, engine: str = "local", scheduler=None, **options) -> DetectionResult:
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
    engine : {"local", "dask"}, default "local"
        Where the per-event detection runs (:mod:`detector.engines`): in this process, or one
        task per event on a Dask cluster. It never changes the result.
    scheduler : str or distributed.Client, optional
        With ``engine="dask"``: the address of a running Dask scheduler (``tcp://host:8786``) or a
        connected client; by default a ``LocalCluster`` started for the run (one worker process
        per core, at most 4 GiB each).

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
    from ..engines import open_engine

    opts = check_options(options).as_dict()  # unknown names, types, ranges: one InputError, before any work
    runner = open_engine(engine, scheduler)  # an unknown engine, a missing install or a wrong address: said now
    with runner:
        return _detect(data, opts, runner)


def _detect(data, opts: dict, runner) -> DetectionResult:
    """:func:`detect` with checked options, its events run by ``runner`` (:mod:`detector.engines`)."""
    from ..engines import EventInputs, EventJob
    from ..progress import Steps, wanted
    from .composition import household_units
    from .features import token_matrix
    from .assemble import account_links, profile_table, summary_of, trigger_table
    from .linking import join_tied_registrants, link_account_clusters

    regs, sources, notes = _registrations(data)
    canon = _canonical_order(regs)          # the row order of the input changes nothing
    # in time order already (as most exports are): no second copy of the table
    regs = regs.reset_index(drop=True) if np.array_equal(canon, np.arange(len(canon))) \
        else regs.iloc[canon].reset_index(drop=True)
    created = pd.to_datetime(regs["created_at"], utc=True)
    events = regs["event_id"].astype(str) if "event_id" in regs else pd.Series("event", index=regs.index)
    attended = None
    if "attended" in regs and regs["attended"].notna().any():
        attended = regs["attended"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    posts, follows = getattr(data, "posts", None), getattr(data, "follows", None)
    all_posts, posts = posts, one_row_per_post(posts)   # co-actions read every row of a long-format table
    event_names = sorted(events.unique())
    # the events: their rows in time order, less the stray sign-ups; too small ones are only counted
    jobs, outliers, coarsened, counted = [], [], [], []
    ns_all = created.dt.as_unit("ns").array.asi8
    rows_of = pd.Series(np.arange(len(regs))).groupby(events.to_numpy()).indices
    for event in event_names:
        idx = rows_of[event]
        idx = idx[np.argsort(ns_all[idx], kind="stable")]
        ns = ns_all[idx]
        stray = time_outliers(ns)
        if stray.any():
            outliers.append(idx[stray])
            idx, ns = idx[~stray], ns[~stray]
        if len(idx) < opts["min_cluster_size"]:   # too few sign-ups to hold a cluster: only counted
            counted.append((event, ns))
            continue
        event_opts, coarser = _bins_for_span(opts, (ns[-1] - ns[0]) / 1e9)
        if coarser:
            coarsened.append(event)
        jobs.append(EventJob(event, idx, event_opts))
    with Steps(2 + len(jobs) + (posts is not None), "detect", enabled=wanted(opts["progress"])) as steps:
        steps.step("attribute tokens")
        tm = token_matrix(regs, posts, follows)
        units = household_units([regs[c] for c in ("phone", "ip") if c in regs] or [regs["registration_id"]])
        ctx = None
        if posts is not None and len(posts):
            from .triggers import TriggerContext
            ctx = TriggerContext(regs, posts, follows)
        score = np.zeros(len(regs))
        candidates, bursts, timelines = [], [], []
        inputs = EventInputs(regs=regs, created=created, tm=tm, attended=attended, units=units, ctx=ctx,
                             posts=posts, follows=follows)
        for job, found in zip(jobs, runner.run(jobs, inputs, steps)):
            score[job.idx] = found.score
            candidates += found.candidates
            bursts += found.bursts
            timelines.append(found.timeline)
        if counted:
            timelines.append(_counted_only(counted, opts["timeline_seconds"]))
        del tm, inputs                      # the tokens are not read after the events: their memory goes back

        cluster_of = np.full(len(regs), "", dtype=object)
        flagged = sorted((c for c in candidates if c.score >= opts["flag_threshold"]),
                         key=lambda c: (c.first_seen, c.event_id))
        flagged = [dataclasses.replace(c, cluster_id=f"C{i + 1:03d}") for i, c in enumerate(flagged)]
        if ctx is not None:
            steps.step("posts: co-action networks and account clusters")
            flagged, raised = join_tied_registrants(flagged, ctx, events.to_numpy())
            _raise_scores(score, raised)
        flagged, accounts, raised = link_account_clusters(flagged, regs, all_posts, opts)
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
    if coarsened:
        notes = [*notes, f"{len(coarsened):,} event(s) span more than {MAX_BINS * opts['bin_seconds'] / 86_400:,.0f} "
                 f"days ({', '.join(coarsened[:3])}{', ...' if len(coarsened) > 3 else ''}): their time bins were "
                 f"widened to keep at most {MAX_BINS:,} per event"]
    if outliers:
        notes = [*notes, _outlier_note(regs, np.sort(np.concatenate(outliers)), sources.get("registrations", "input"))]
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

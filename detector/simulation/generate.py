"""`simulate`: generate registrations, posts, follows and their ground truth."""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from .attributes import ATTRIBUTES, draw_attributes
from .data import SimulatedData
from .randomise import knobs, random_scenario
from .scenarios import Scenario, resolve
from .social import account_ids, build_social, organiser_handles
from .timeline import COMPONENTS, plan_timeline
from .vocab import vocabulary

__all__ = ["RANDOM", "simulate"]

#: The name of the randomised scenario (not in :data:`SCENARIOS`: it is drawn per seed).
RANDOM = "random"


def simulate(scenario: "str | Scenario" = "tulsa", n: int = 100_000, seed: int | None = 0,
             **overrides) -> SimulatedData:
    """Simulate a registration period with organic surges and coordinated no-show campaigns.

    Parameters
    ----------
    scenario : str or Scenario, default "tulsa"
        A name from :data:`SCENARIOS` (see :func:`list_scenarios`), ``"random"`` (every knob drawn
        from wide priors as a function of ``seed``, see :mod:`detector.simulation.randomise`) or a
        :class:`Scenario`.
    n : int, default 100_000
        Exact number of registrations to produce.
    seed : int, numpy.random.Generator or None, default 0
        Seed of the random streams; the same integer seed gives identical tables and files.
        A Generator is used to draw an integer seed; None draws fresh entropy.
    **overrides
        Replace fields of the scenario, e.g. ``camouflage=0.6``.

    Returns
    -------
    SimulatedData
        ``registrations``, ``posts``, ``follows``, ``truth``, ``campaigns``, ``surges``,
        ``accounts``, ``events``, ``scenario``, ``knobs``; ``write(out_dir)`` saves them as CSV
        (and the knobs as ``knobs.json``).

    Raises
    ------
    ValueError
        For an unknown scenario, unknown override names (all named), invalid values, or ``n < 1``.

    Examples
    --------
    >>> from detector.simulation import simulate
    >>> data = simulate("easy", n=2_000, seed=1)
    >>> len(data.registrations)
    2000
    >>> sorted(data.truth["campaign"].unique().tolist())
    [0, 1, 2]
    >>> bool(data.registrations["created_at"].is_monotonic_increasing)
    True
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    n = int(n)
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(2**63))
    if isinstance(scenario, str) and scenario == RANDOM:
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1)
        sc = resolve(random_scenario(seed, n), **overrides)
    else:
        sc = resolve(scenario, **overrides)
    streams = np.random.SeedSequence(seed).spawn(5)    # the fifth: output habits (blank cells)
    r_time, r_attr, r_social, r_ids = (np.random.default_rng(s) for s in streams[:4])
    V = vocabulary(sc)
    tl, events = plan_timeline(sc, n, r_time, V.region.timezone)
    k = len(tl.campaigns)
    handles = organiser_handles(r_ids, V, k)
    cam = np.zeros((k + 1, len(ATTRIBUTES)))   # chance a member's attribute is drawn ordinary
    for c in tl.campaigns:
        cam[c["campaign"]] = 1.0 - (1.0 - c["camouflage"]) * np.asarray(c["odd"]) if c["odd"] else c["camouflage"]
    attrs = draw_attributes(tl, sc, V, r_attr, cam, handles)
    posts, follows, accounts, pacc = build_social(tl, sc, V, r_social, attrs, events, handles)
    ids = account_ids(r_ids, len(accounts["role"]))
    data = _assemble(sc, n, seed, tl, events, attrs, posts, follows, accounts, pacc, ids, handles)
    _output_habits(data, np.random.default_rng(streams[4]))
    data.knobs = knobs(data)
    return data


def _output_habits(data: SimulatedData, rng: np.random.Generator) -> None:
    """Blank a share of some columns' cells and drop whole columns, as the scenario says."""
    sc, regs = data.scenario, data.registrations
    for col, rate in sc.blank:
        if rate > 0 and col in regs:
            hit = rng.random(len(regs)) < rate
            if isinstance(regs[col].dtype, pd.CategoricalDtype):
                regs[col] = regs[col].mask(hit).cat.remove_unused_categories()
            else:
                regs[col] = regs[col].mask(hit)
    if sc.drop_columns:
        data.registrations = regs.drop(columns=[c for c in sc.drop_columns if c in regs])


def _utc(t) -> pd.Series:
    return pd.Series(pd.to_datetime(np.asarray(t, dtype=np.int64), unit="s", utc=True))


def _na(values) -> pd.Series:
    """Strings with '' as missing."""
    s = pd.Series(values, dtype="str")
    return s.mask(s == "")


def _cat(values) -> pd.Series:
    """Categorical with '' as missing; categories in order of first appearance."""
    codes, uniq = pd.factorize(np.asarray(values, dtype=object))
    blank = np.flatnonzero(uniq == "")
    if len(blank):
        codes = np.where(codes == blank[0], -1, codes - (codes > blank[0]))
        uniq = np.delete(uniq, blank[0])
    return pd.Series(pd.Categorical.from_codes(codes, pd.Index(uniq, dtype="str")))


def _ids(prefix: str, count: int) -> np.ndarray:
    width = max(7, len(str(count)))
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, count + 1)], dtype=object)


def _assemble(sc, n, seed, tl, events, attrs, posts, follows, accounts, pacc, ids, handles) -> SimulatedData:
    event_ids = np.array([e["id"] for e in events], dtype=object)
    # --- posts, in time order
    po = np.argsort(posts["t"], kind="stable")
    pid = np.empty(len(po), dtype=object)
    pid[po] = _ids("P", len(po))
    shared = posts["shared"][po]
    post_df = pd.DataFrame({
        "post_id": pid[po], "account_id": ids[posts["author"][po]], "created_at": _utc(posts["t"][po]),
        "text": _na(posts["text"][po]), "url": _na(posts["url"][po]),
        "shared_post_id": _na(np.where(shared >= 0, pid[np.maximum(shared, 0)], "")),
        "platform": _cat(posts["platform"][po])})
    # --- registrations, in time order
    o = np.argsort(tl.t, kind="stable")
    rid = _ids("R", n)
    a = {k: v[o] for k, v in attrs.items() if k != "odd"}
    odd = attrs["odd"][o]
    account = np.where(a["linked"], ids[pacc[o]], "")
    regs = pd.DataFrame({
        "registration_id": rid, "created_at": _utc(tl.t[o]), "event_id": _cat(event_ids[tl.event[o]]),
        "account_id": _na(account), "email": _na(a["email"]), "phone": _na(a["phone"]), "name": _na(a["name"]),
        "postal_code": _na(a["postal_code"]), "ip": _na(a["ip"]), "user_agent": _cat(a["user_agent"]),
        "referrer": _cat(a["referrer"]), "attended": a["attended"].astype(bool)})
    # --- truth
    member = tl.campaign[o] > 0
    share = np.where(member, 1.0 - odd.mean(axis=1), 0.0)
    bits = odd.astype(np.int64) @ (1 << np.arange(len(ATTRIBUTES)))
    labels = np.array(["|".join(x for j, x in enumerate(ATTRIBUTES) if b >> j & 1) for b in range(1 << len(ATTRIBUTES))],
                      dtype=object)
    drv = tl.driver[o]
    truth = pd.DataFrame({
        "registration_id": rid, "event_id": regs["event_id"], "campaign": tl.campaign[o].astype(np.int64),
        "surge": tl.surge[o].astype(np.int64), "camouflaged": member & (share >= 0.5),
        "camouflage_share": np.round(share, 4), "odd_attributes": _cat(labels[bits]),
        "person_id": a["person"].astype(np.int64), "group_id": tl.group[o].astype(np.int64),
        "component": pd.Categorical.from_codes(tl.component[o], COMPONENTS),
        "driver_post_id": _na(np.where(drv >= 0, pid[np.maximum(drv, 0)], ""))})
    # --- campaigns, surges, accounts, events
    size = np.bincount(tl.campaign, minlength=len(tl.campaigns) + 1)
    persons = [len(np.unique(attrs["person"][tl.campaign == c["campaign"]])) for c in tl.campaigns]
    campaigns = pd.DataFrame({
        "campaign": [c["campaign"] for c in tl.campaigns],
        "event_id": [event_ids[c["event"]] for c in tl.campaigns],
        "trigger_post_id": [pid[c["post"]] for c in tl.campaigns],
        "organiser_account_id": [ids[c["campaign"]] for c in tl.campaigns],
        "organiser_handle": [handles[c["campaign"]] for c in tl.campaigns],
        "platform": sc.platform, "start": _utc([c["start"] for c in tl.campaigns]),
        "size": [int(size[c["campaign"]]) for c in tl.campaigns], "persons": persons,
        "share": [round(int(size[c["campaign"]]) / n, 4) for c in tl.campaigns],
        "camouflage": [round(c["camouflage"], 4) for c in tl.campaigns],
        "n_reposts": [c["n_reposts"] for c in tl.campaigns],
        "rise_minutes": [round(c["rise_minutes"], 2) for c in tl.campaigns],
        "decay_minutes": [round(c["decay_minutes"], 2) for c in tl.campaigns]},
        columns=["campaign", "event_id", "trigger_post_id", "organiser_account_id", "organiser_handle", "platform",
                 "start", "size", "persons", "share", "camouflage", "n_reposts", "rise_minutes", "decay_minutes"])
    surges = pd.DataFrame({
        "surge": [g["surge"] for g in tl.surges], "kind": [g["kind"] for g in tl.surges],
        "platform": [g["platform"] for g in tl.surges], "event_id": [event_ids[g["event"]] for g in tl.surges],
        "post_id": [pid[g["post"]] for g in tl.surges], "start": _utc([g["start"] for g in tl.surges]),
        "size": [int((tl.surge == g["surge"]).sum()) for g in tl.surges],
        "rise_minutes": [float(g["rise_minutes"]) for g in tl.surges],
        "decay_minutes": [float(g["decay_minutes"]) for g in tl.surges]},
        columns=["surge", "kind", "platform", "event_id", "post_id", "start", "size", "rise_minutes", "decay_minutes"])
    used = np.zeros(len(ids), dtype=bool)   # accounts that appear in posts, follows or registrations
    used[posts["author"]] = used[follows.ravel()] = used[pacc[attrs["linked"]]] = True
    acc = pd.DataFrame({"account_id": ids[used], "role": pd.Categorical(accounts["role"][used]),
                        "campaign": accounts["campaign"][used].astype(np.int64)})
    ev = pd.DataFrame({"event_id": event_ids, "timezone": [e["tz"] for e in events],
                       "start": _utc([e["close"] for e in events]),
                       "registration_opens": _utc([e["open"] for e in events])})
    fol = pd.DataFrame({"follower_id": ids[follows[0]], "followee_id": ids[follows[1]]}, dtype="str")
    return SimulatedData(regs, post_df, fol, truth, campaigns, surges, acc, ev, sc, n, seed)

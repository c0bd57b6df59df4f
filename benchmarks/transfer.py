"""Benchmark: detection quality on worlds the detector was not tuned on (transfer).

Two families of worlds:

``random``
    The simulator's domain-randomised scenario (``detector.simulate("random", n, seed)``):
    every knob drawn from wide priors as a function of the seed (see
    ``detector/simulation/randomise.py``). **Seeds 0-999 are for tuning; this benchmark uses
    seeds 1000 and up (default 1000-1199), which must never be used for tuning.** ``n`` is
    drawn per seed, uniformly from 20,000-50,000 (``numpy.random.default_rng(seed)``).
``blind``
    The blind generator ``benchmarks/blind/generate.py`` (written apart from the simulator and
    the detector): ``generate(tier, n, seed, variant)`` for tiers easy, medium, hard, organic and
    variants default, other; seeds 0-4, n = 50,000. Skipped with a note when it is absent.

For each world: generate it, write its CSVs to a temporary folder, read them back with
``detector.load(registrations=..., posts=..., follows=...)`` as a user would (the
``attended`` column dropped; timestamps without an offset read in the world's zone unless its
knobs say they are UTC), run ``detector.detect(data, progress=False)`` (timed) and score it with
``detector.evaluate``. Per world: precision, recall and F1 of ``flagged`` against campaign
membership, the share of organic registrations flagged, the largest camouflage among its
campaigns, whether every campaign of >= 1,000 members with camouflage <= 0.3 had at least half
its members flagged, the estimate of coordinated registrations (value, low, high) and whether
its interval covers the true count, and the seconds in ``detect``.

Printed (tables to standard output, progress to standard error): one row per world family,
with the number of worlds, median / 10th percentile / minimum F1 (over the worlds with a
campaign), median and maximum share of organic registrations flagged, the share of worlds whose
estimate interval covers the truth and the number of worlds that failed to run. For ``random``:
worlds whose campaigns all have camouflage <= 0.3, <= 0.5 (each split into worlds whose campaigns
all differ in every attribute and worlds with a campaign that differs in some attributes only),
all worlds, and organic-only worlds;
for ``blind``: one row per tier x variant, then the same pooled rows. Then the targets, PASS/FAIL, per family:

- median F1 >= 0.95 over worlds whose campaigns all have camouflage <= 0.3;
- median F1 >= 0.85 over worlds whose campaigns all have camouflage <= 0.5;
- every organic-only world flags <= 0.5% of its registrations;
- no campaign of >= 1,000 members with camouflage <= 0.3 has less than half its members flagged;
- the estimate's interval covers the true count in >= 85% of worlds;
- every world ran.

For worlds whose truth names each member's odd attributes (``random``): the campaign members
by how many of those attributes their own row of the export holds (0, 1, 2, 3 or more: a member odd
only in a dropped column or a blank cell, or in none, can be told apart by its timing alone) and the
share of each flagged; the missed large campaigns of which fewer than half the members are odd in a
value the export holds (``big_missed_hidden``) and those that make up more than half of their event's
sign-ups (``big_missed_filling``: the event's quiet sign-ups are then mostly the campaign); and the
median F1 of flagging exactly the members odd in at least 1, 2 or 3 of them (:func:`visible_ceiling`),
how far odd values alone could carry a detector.

Then the 10 worlds with the lowest F1 and the organic-only worlds with the most registrations
flagged, with their knobs. Worlds run in parallel (``--jobs``, default 2 processes); results
are deterministic except the timings. An exception in one world is reported as a failed row
(traceback on standard error) and the run goes on.

Run: ``python benchmarks/transfer.py [--quick] [--worlds 200] [--first-seed 1000]
[--families random blind] [--blind-seeds 0 1 2 3 4] [--blind-n 50000] [--csv worlds.csv]
[--jobs 2]``. ``--quick``: 20 random worlds at n = 20,000 and blind seeds 0-1 at n = 20,000.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import importlib.util
import json
import math
import multiprocessing
import os
import platform
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np
import pandas as pd

from detector.simulation.scenarios import ATTRIBUTES

HERE = Path(__file__).resolve().parent
BLIND_PATH = HERE / "blind" / "generate.py"

TUNING_SEEDS = range(0, 1000)      # for tuning; never reported here
FIRST_SEED = 1000                  # held-out seeds start here
N_RANGE = (20_000, 50_000)
BLIND_TIERS = ("easy", "medium", "hard", "organic")
BLIND_VARIANTS = ("default", "other")
BIG_SIZE, BIG_CAMOUFLAGE, FOUND_SHARE = 1_000, 0.3, 0.5
F1_TARGETS = ((0.3, 0.95), (0.5, 0.85))    # (max camouflage of a world's campaigns, median F1 at least)
ORGANIC_FLAGGED_MAX = 0.005
COVERAGE_MIN = 0.85
# the export's column of each attribute a simulated member can be odd in (truth ``odd_attributes``)
ODD_COLUMNS = {a: "account_id" if a == "account" else a for a in ATTRIBUTES}
VISIBLE_GROUPS = ("0", "1", "2", "3+")


# --------------------------------------------------------------------------- one world (in a worker)

_BLIND = None


def _blind_module():
    global _BLIND
    if _BLIND is None:
        spec = importlib.util.spec_from_file_location("blind_generate", BLIND_PATH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module      # dataclasses look their module up while it loads
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[spec.name]
            raise
        _BLIND = module
    return _BLIND


def world_n(seed: int) -> int:
    """The number of registrations of random world ``seed``: uniform in 20,000-50,000."""
    return int(np.random.default_rng(seed).integers(N_RANGE[0], N_RANGE[1] + 1))


def _make(task: dict):
    """The world of ``task``: (truth, campaigns, knobs, writer)."""
    import detector

    if task["family"] == "random":
        sim = detector.simulate("random", n=task["n"], seed=task["seed"])
        return sim.truth, sim.campaigns, sim.knobs, sim.write, (sim.registrations, sim.posts, sim.follows)
    blind = _blind_module().generate(task["tier"], n=task["n"], seed=task["seed"], variant=task["variant"])
    return (blind.truth, blind.campaigns, dict(getattr(blind, "knobs", {}) or {}), blind.write,
            (blind.registrations, blind.posts, blind.follows))


def _export(writer, frames, folder: Path) -> dict:
    """Write the world, then the files a user would hand over: registrations without ``attended``."""
    writer(str(folder))
    paths = {}
    for name, frame in zip(("registrations", "posts", "follows"), frames):
        path = folder / f"{name}.csv"
        if not path.is_file():
            if frame is None:
                continue
            frame.to_csv(path, index=False)
        paths[name] = path
    regs = pd.read_csv(paths["registrations"], dtype=str, keep_default_na=False)
    if "attended" in regs:
        out = folder / "export_registrations.csv"
        regs = regs.drop(columns="attended")
        regs.to_csv(out, index=False, lineterminator="\n")
        paths["registrations"] = out
    return paths, regs


def camouflage_by_campaign(truth: pd.DataFrame, campaigns: pd.DataFrame) -> dict:
    """Camouflage per campaign id, from the campaigns table or else the truth."""
    if campaigns is not None and {"campaign", "camouflage"} <= set(campaigns.columns):
        return {int(c): float(v) for c, v in zip(campaigns["campaign"], campaigns["camouflage"])}
    if "camouflage" in truth:
        members = truth[truth["campaign"].astype(int) > 0]
        return {int(c): float(v) for c, v in members.groupby("campaign")["camouflage"].max().items()}
    return {}


def _visible_odd(truth: pd.DataFrame, flagged: pd.Series, registrations: pd.DataFrame) -> tuple[dict, dict]:
    """Campaign members by how many of the attributes they are odd in their own row of the export
    still holds (0, 1, 2, 3+: an odd value in a dropped column or a cell left blank cannot be
    seen), and how many of each were flagged: what the detector can see of a campaign, beside
    what it found. Also, per campaign, the share of its members odd in at least one value the
    export holds. Both empty when the truth does not name each member's odd attributes (the
    blind generator's).

    >>> truth = pd.DataFrame({"registration_id": ["a", "b", "c"], "campaign": [1, 1, 0],
    ...                       "odd_attributes": ["email|phone", "phone", None]})
    >>> regs = pd.DataFrame({"registration_id": ["a", "b", "c"], "email": ["x@y", "z@y", "o@y"],
    ...                      "phone": [None, None, "1"]})
    >>> counts, shares = _visible_odd(truth, pd.Series([True, False, False], index=["a", "b", "c"]), regs)
    >>> counts["members_odd0"], counts["members_odd1"], counts["flagged_odd1"], shares
    (1, 1, 1, {1: 0.5})
    """
    if "odd_attributes" not in truth:
        return {}, {}
    members = truth[truth["campaign"] > 0]
    odd = members["odd_attributes"].astype(object).where(members["odd_attributes"].notna(), "").astype(str)
    odd = odd.map(lambda text: set(text.split("|"))).to_numpy()        # each member's odd attributes, once
    regs = registrations.set_index(registrations["registration_id"].astype(str))
    ids = members["registration_id"].astype(str)
    visible = np.zeros(len(members), dtype=np.int64)
    for attribute, column in ODD_COLUMNS.items():
        if column not in regs:
            continue
        cells = regs[column].reindex(ids)
        held = cells.notna().to_numpy() & (cells.astype(str).str.strip() != "").to_numpy()
        is_odd = np.fromiter((attribute in found for found in odd), dtype=bool, count=len(odd))
        visible += is_odd & held
    group = np.minimum(visible, len(VISIBLE_GROUPS) - 1)
    hit = members["registration_id"].map(flagged).fillna(False).astype(bool).to_numpy()
    out = {}
    for g, label in enumerate(VISIBLE_GROUPS):
        out[f"members_odd{label}"] = int((group == g).sum())
        out[f"flagged_odd{label}"] = int(((group == g) & hit).sum())
    shares = pd.Series(visible > 0).groupby(members["campaign"].astype(int).to_numpy()).mean()
    return out, {int(c): float(v) for c, v in shares.items()}


def event_shares(truth: pd.DataFrame) -> dict:
    """Per campaign: its members' share of the registrations of the event most of them signed up
    for (empty when the truth has no ``event_id``).

    >>> truth = pd.DataFrame({"event_id": ["a"] * 4 + ["b"] * 4, "campaign": [1, 1, 1, 0, 2, 0, 0, 0]})
    >>> event_shares(truth)
    {1: 0.75, 2: 0.25}
    """
    if "event_id" not in truth:
        return {}
    size = truth["event_id"].astype(str).value_counts()
    members = truth[truth["campaign"] > 0]
    out = {}
    for c, events in members.groupby(members["campaign"].astype(int))["event_id"]:
        counts = events.astype(str).value_counts()
        main = sorted(counts.index[counts == counts.max()])[0]
        out[int(c)] = float(counts[main] / size[main])
    return out


_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d|UTC|GMT)$", re.IGNORECASE)


def _load_timezone(knobs: dict, registrations: pd.DataFrame) -> str:
    """The zone a user would name for the export: the world's own when its timestamps carry no
    offset and its knobs do not say they are UTC; else UTC (offsets and epochs need none)."""
    if "created_at" not in registrations:
        return "UTC"
    stamps = registrations["created_at"].astype(str).str.strip()
    stamps = stamps[stamps != ""].head(200)
    naive = bool(len(stamps)) and not stamps.str.fullmatch(r"-?\d+(?:\.\d+)?").all() \
        and not stamps.str.contains(_OFFSET).any()
    export = knobs.get("export") if isinstance(knobs.get("export"), dict) else {}
    style = str(knobs.get("time_style") or export.get("time_style") or "").lower()
    if naive and "utc" not in style and knobs.get("timezone"):
        return str(knobs["timezone"])
    return "UTC"


def load_world(task: dict):
    """The world of ``task`` generated, exported and read back as a user would:
    ``(data, truth, campaigns, knobs, columns)``, ``columns`` the registration columns the export
    fills."""
    import detector

    truth, campaigns, knobs, writer, frames = _make(task)
    with tempfile.TemporaryDirectory(prefix="transfer-") as tmp:
        paths, regs = _export(writer, frames, Path(tmp))
        columns = [c for c in regs.columns if (regs[c] != "").any()]
        data = detector.load(registrations=str(paths["registrations"]),
                             posts=str(paths["posts"]) if "posts" in paths else None,
                             follows=str(paths["follows"]) if "follows" in paths else None,
                             timezone=_load_timezone(knobs, regs))
    return data, truth, campaigns, knobs, columns


def run_world(task: dict) -> dict:
    """Generate, export, load, detect and evaluate one world; one flat row (errors caught)."""
    row = {k: task.get(k) for k in ("family", "tier", "variant", "seed", "n")}
    try:
        import detector

        data, truth, campaigns, knobs, columns = load_world(task)
        row["knobs"] = json.dumps(knobs, default=str, separators=(",", ":"))
        t0 = time.perf_counter()
        result = detector.detect(data, progress=False)
        row["detect_s"] = time.perf_counter() - t0
        truth = truth.copy()
        truth["campaign"] = truth["campaign"].astype(int)
        ev = detector.evaluate(truth, result.registrations, result.summary)
        m = ev.metrics
        cam = camouflage_by_campaign(truth, campaigns)
        per = ev.per_campaign
        sizes = dict(zip(per["campaign"].astype(int), per["size"].astype(int)))
        shares = dict(zip(per["campaign"].astype(int), per["share_flagged"].astype(float)))
        big = [c for c in sizes if sizes[c] >= BIG_SIZE and cam.get(c, 1.0) <= BIG_CAMOUFLAGE]
        missed = [c for c in big if shares[c] < FOUND_SHARE]
        est = result.summary.get("estimated_coordinated_registrations")
        value, low, high = (est.get("value"), est.get("low"), est.get("high")) if isinstance(est, dict) else (
            est, None, None)
        row["estimate_high_unwidened"] = est.get("high_unwidened") if isinstance(est, dict) else None
        n_true = int((truth["campaign"] > 0).sum())
        flagged = result.registrations["flagged"]
        flagged = flagged.to_numpy() if flagged.dtype == bool else flagged.astype(str).str.lower().isin(
            ("true", "1")).to_numpy()
        row.update(
            campaigns=len(sizes), true_coordinated=n_true, precision=float(m["precision"]), recall=float(m["recall"]),
            f1=float(m["f1"]), organic_flagged=float(m["fpr_organic"]), flagged_share=float(flagged.mean()),
            max_camouflage=max(cam.values(), default=math.nan) if sizes else math.nan,
            big_campaigns=len(big), big_missed=len(missed),
            estimate=None if value is None else float(value), estimate_low=None if low is None else float(low),
            estimate_high=None if high is None else float(high),
            covered=(bool(low <= n_true <= high) if low is not None and high is not None else None),
            error="")
        counts, seen = _visible_odd(truth, pd.Series(flagged, index=result.registrations["registration_id"].astype(str)),
                                    data.registrations)
        row.update(counts)
        # missed large campaigns of which fewer than half the members are odd in any value the export holds
        row["big_missed_hidden"] = sum(seen.get(c, 1.0) < FOUND_SHARE for c in missed) if seen else None
        # ... and those that make up most of their event: the event's own quiet sign-ups are the campaign
        filling = event_shares(truth)
        row["big_missed_filling"] = sum(filling.get(c, 0.0) >= FOUND_SHARE for c in missed) if filling else None
    except Exception:  # noqa: BLE001 - one world's failure is reported, not fatal
        row["error"] = traceback.format_exc()
    return row


# --------------------------------------------------------------------------- tables

COLUMNS = [("worlds", 6), ("f1 med", 7), ("f1 p10", 7), ("f1 min", 7), ("org med", 8), ("org max", 8),
           ("cover", 6), ("failed", 6)]


def _pct(x: float) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.2%}"


def _num(x: float) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


def _ok(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["error"] == ""] if len(frame) else frame


def _with_campaigns(frame: pd.DataFrame) -> pd.DataFrame:
    ok = _ok(frame)
    return ok[ok["campaigns"] > 0]


def _organic_only(frame: pd.DataFrame) -> pd.DataFrame:
    ok = _ok(frame)
    return ok[ok["campaigns"] == 0]


def _camouflage_at_most(frame: pd.DataFrame, limit: float) -> pd.DataFrame:
    sub = _with_campaigns(frame)
    return sub[sub["max_camouflage"] <= limit + 1e-9]


def _every_attribute(frame: pd.DataFrame) -> pd.Series:
    """Per world: every campaign's members differ in every attribute (``odd`` "all" in its knobs)."""
    def every(text) -> bool:
        try:
            camps = json.loads(text).get("campaigns", []) if isinstance(text, str) and text else []
        except ValueError:
            return True
        return all(c.get("odd", "all") == "all" for c in camps)
    return frame["knobs"].map(every).astype(bool) if len(frame) else pd.Series(dtype=bool)


def summary_row(label: str, frame: pd.DataFrame, failed: int) -> str:
    f1 = frame["f1"].dropna() if len(frame) else pd.Series(dtype=float)
    org = frame["organic_flagged"].dropna() if len(frame) else pd.Series(dtype=float)
    cov = frame["covered"].dropna().astype(bool) if len(frame) else pd.Series(dtype=bool)
    cells = [str(len(frame)),
             _num(float(f1.median())) if len(f1) else "n/a",
             _num(float(f1.quantile(0.1))) if len(f1) else "n/a",
             _num(float(f1.min())) if len(f1) else "n/a",
             _pct(float(org.median())) if len(org) else "n/a",
             _pct(float(org.max())) if len(org) else "n/a",
             f"{cov.mean():.2f}" if len(cov) else "n/a", str(failed)]
    return f"{label:<34}" + "".join(f" {c:>{w}}" for c, (_, w) in zip(cells, COLUMNS))


def print_family(name: str, frame: pd.DataFrame) -> None:
    print(f"\n== {name} ==")
    print(f"{'worlds':<34}" + "".join(f" {h:>{w}}" for h, w in COLUMNS))
    failed = frame[frame["error"] != ""] if len(frame) else frame
    if name == "blind":
        for tier in BLIND_TIERS:
            for variant in BLIND_VARIANTS:
                part = frame[(frame["tier"] == tier) & (frame["variant"] == variant)]
                if len(part):
                    print(summary_row(f"blind, {tier}/{variant}", _ok(part), int((part["error"] != "").sum())))
    for limit in (0.3, 0.5):
        print(summary_row(f"{name}, camouflage <= {limit}", _camouflage_at_most(frame, limit), 0))
    if name == "random":     # campaigns that differ in every attribute, and worlds with some that do not
        for limit in (0.3, 0.5):
            sub = _camouflage_at_most(frame, limit)
            every = _every_attribute(sub)
            print(summary_row(f"  every attribute odd, <= {limit}", sub[every], 0))
            print(summary_row(f"  some attributes only, <= {limit}", sub[~every], 0))
    print(summary_row(f"{name}, all", _ok(frame), int(len(failed))))
    print(summary_row(f"{name}, organic-only", _organic_only(frame), 0))
    print_visible(name, frame)


def print_visible(name: str, frame: pd.DataFrame) -> None:
    """Campaign members flagged, by the number of attributes they are odd in that the export holds."""
    if "members_odd0" not in frame:
        return
    for limit in (0.3, 0.5, None):
        sub = _camouflage_at_most(frame, limit) if limit is not None else _with_campaigns(frame)
        counts = {g: (float(sub[f"members_odd{g}"].sum()), float(sub[f"flagged_odd{g}"].sum())) for g in VISIBLE_GROUPS}
        total = sum(n for n, _ in counts.values())
        if not total:
            continue
        cells = [f"{g}: {n / total:.0%} of members, {hit / n:.0%} flagged" if n else f"{g}: none"
                 for g, (n, hit) in counts.items()]
        where = f"camouflage <= {limit}" if limit is not None else "all"
        print(f"  {name}, {where}: members by odd attributes the export holds: " + "; ".join(cells))
        print(f"  {name}, {where}: median F1 if exactly the members odd in at least k of them were flagged: "
              + ", ".join(f"k={k} {visible_ceiling(sub, k).median():.3f}" for k in (1, 2, 3)))


def visible_ceiling(frame: pd.DataFrame, k: int) -> pd.Series:
    """Per world: the F1 of flagging exactly the campaign members odd in at least ``k`` of the
    attributes the export holds, and no one else (precision 1): how far a detector that sees
    only odd values could go.

    >>> row = {f"members_odd{g}": n for g, n in zip(VISIBLE_GROUPS, (10, 20, 30, 40))}
    >>> round(float(visible_ceiling(pd.DataFrame([row]), 2).iloc[0]), 3)
    0.824
    """
    members = frame[[f"members_odd{g}" for g in VISIBLE_GROUPS]].to_numpy(dtype=float)
    recall = members[:, k:].sum(axis=1) / np.maximum(members.sum(axis=1), 1.0)
    return pd.Series(2 * recall / (1 + recall), index=frame.index)


def targets(frame: pd.DataFrame) -> list[tuple[str, str, bool | None]]:
    """(target, measured, held) for one family; held is None when no world qualifies."""
    out = []
    for limit, bound in F1_TARGETS:
        sub = _camouflage_at_most(frame, limit)
        med = float(sub["f1"].median()) if len(sub) else math.nan
        out.append((f"median F1 >= {bound:.2f}, camouflage <= {limit} ({len(sub)} worlds)", _num(med),
                    None if not len(sub) else med >= bound))
    org = _organic_only(frame)
    worst = float(org["flagged_share"].max()) if len(org) else math.nan
    out.append((f"organic-only worlds flag <= {ORGANIC_FLAGGED_MAX:.1%} ({len(org)} worlds, worst shown)",
                _pct(worst), None if not len(org) else worst <= ORGANIC_FLAGGED_MAX))
    ok = _ok(frame)
    big = int(ok["big_campaigns"].sum()) if len(ok) else 0
    missed = int(ok["big_missed"].sum()) if len(ok) else 0
    hidden = ok["big_missed_hidden"].dropna() if "big_missed_hidden" in ok else pd.Series(dtype=float)
    filling = ok["big_missed_filling"].dropna() if "big_missed_filling" in ok else pd.Series(dtype=float)
    why = [f"{int(hidden.sum())} under half their members odd in a value the export holds"] if len(hidden) else []
    why += [f"{int(filling.sum())} over half of their event's sign-ups"] if len(filling) else []
    why = f" (of the missed: {'; '.join(why)})" if missed and why else ""
    out.append((f"campaigns >= {BIG_SIZE:,} members, camouflage <= {BIG_CAMOUFLAGE}: >= half flagged",
                f"{big - missed}/{big}{why}", None if not big else missed == 0))
    cov = ok["covered"].dropna().astype(bool) if len(ok) else pd.Series(dtype=bool)
    out.append((f"estimate interval covers the truth in >= {COVERAGE_MIN:.0%} of worlds",
                f"{cov.mean():.2f}" if len(cov) else "n/a", None if not len(cov) else cov.mean() >= COVERAGE_MIN))
    failed = int((frame["error"] != "").sum()) if len(frame) else 0
    out.append(("every world ran", f"{failed} failed", failed == 0))
    return out


def print_targets(name: str, frame: pd.DataFrame) -> None:
    print(f"\n== TARGETS: {name} ==")
    for text, measured, held in targets(frame):
        verdict = "n/a" if held is None else "PASS" if held else "FAIL"
        print(f"{text:<66} {measured:>12}  {verdict}")


def short_knobs(row: pd.Series) -> str:
    """The knobs that matter most, in one line."""
    try:
        k = json.loads(row["knobs"]) if isinstance(row.get("knobs"), str) and row["knobs"] else {}
    except ValueError:
        k = {}
    if row["family"] != "random":
        text = json.dumps(k, separators=(",", ":"))
        return text if len(text) <= 400 else text[:397] + "..."
    camps = k.get("campaigns", [])
    parts = [f"country={k.get('country')}", f"events={k.get('events')}", f"window={k.get('window_days')}d",
             f"share={k.get('campaign_share')}",
             "campaigns=[" + ", ".join(f"{c['size']}@cam{c['camouflage']:.2f}/x{c['ratio']}/{c['duration_min']:.0f}min"
                                      f"/{c['waves']}w" + _odd_text(c.get("odd", "all")) for c in camps[:6])
             + (", ..." if len(camps) > 6 else "") + "]",
             f"surges={k.get('n_surges')}", f"platform={k.get('platform')}"
             f"(ua {'named' if k.get('platform_named_ua') else 'unnamed'},"
             f" ref {'named' if k.get('platform_named_referrer') else 'unnamed'})",
             f"dropped={k.get('dropped_columns')}", f"time={k.get('time_style')}",
             f"postal={k.get('postal_codes')}", f"isp={k.get('isp_prefixes')}/{k.get('ip_span')}",
             f"link={k.get('member_link_rate')}", f"multi={k.get('multi_registration')}"]
    return " ".join(parts)


def _odd_text(odd) -> str:
    """'' when a campaign differs in every attribute, else '/odd:' and the attributes with degrees."""
    if not isinstance(odd, dict):
        return ""
    return "/odd:" + "+".join(f"{a}{d:.1f}" for a, d in odd.items() if d > 0)


def _world_label(row: pd.Series) -> str:
    if row["family"] == "random":
        return f"random seed {row['seed']} n={row['n']:,}"
    return f"blind {row['tier']}/{row['variant']} seed {row['seed']} n={row['n']:,}"


def print_worst(frame: pd.DataFrame, count: int = 10) -> None:
    ok = _with_campaigns(frame)
    print(f"\n== WORST {count} WORLDS BY F1 ==")
    for _, r in ok.sort_values(["f1", "family", "seed"], kind="stable").head(count).iterrows():
        print(f"{_world_label(r):<40} f1 {r['f1']:.3f} (p {r['precision']:.3f}, r {r['recall']:.3f}), "
              f"organic flagged {r['organic_flagged']:.2%}, max camouflage {r['max_camouflage']:.2f}, "
              f"big missed {int(r['big_missed'])}/{int(r['big_campaigns'])}")
        print(f"    {short_knobs(r)}")
    org = _organic_only(frame)
    org = org[org["flagged_share"] > 0].sort_values(["flagged_share", "family", "seed"], ascending=[False, True, True],
                                                    kind="stable").head(count)
    print(f"\n== ORGANIC-ONLY WORLDS WITH THE MOST FLAGGED (up to {count}) ==")
    if not len(org):
        print("none flagged anything")
    for _, r in org.iterrows():
        print(f"{_world_label(r):<40} flagged {r['flagged_share']:.2%}")
        print(f"    {short_knobs(r)}")
    bad = frame[frame["error"] != ""] if len(frame) else frame
    if len(bad):
        print("\n== FAILED WORLDS ==")
        for _, r in bad.iterrows():
            print(f"{_world_label(r)}: {r['error'].strip().splitlines()[-1]}")


# --------------------------------------------------------------------------- main

def build_tasks(args) -> list[dict]:
    tasks = []
    if "random" in args.families:
        for seed in range(args.first_seed, args.first_seed + args.worlds):
            tasks.append(dict(family="random", tier="", variant="", seed=seed,
                              n=args.random_n if args.random_n else world_n(seed)))
    if "blind" in args.families:
        problem = None
        if not BLIND_PATH.is_file():
            problem = "not found"
        else:
            try:
                if not callable(getattr(_blind_module(), "generate", None)):
                    problem = "has no generate()"
            except Exception as exc:  # noqa: BLE001 - reported, the other family still runs
                problem = f"cannot be imported ({type(exc).__name__}: {exc})"
        if problem:
            args.skipped["blind"] = f"{BLIND_PATH.relative_to(HERE.parent)} {problem}; the blind family is skipped"
            print(f"note: {args.skipped['blind']}", file=sys.stderr)
        else:
            for tier in BLIND_TIERS:
                for variant in BLIND_VARIANTS:
                    for seed in args.blind_seeds:
                        tasks.append(dict(family="blind", tier=tier, variant=variant, seed=seed, n=args.blind_n))
    return tasks


def run_all(tasks: list[dict], jobs: int) -> list[dict]:
    rows: list[dict | None] = [None] * len(tasks)
    start = time.perf_counter()

    def report(i: int, row: dict, done: int) -> None:
        rows[i] = row
        label = f"{row['family']} {row['tier']}/{row['variant']}".replace(" /", "") + f" seed {row['seed']}"
        if row["error"]:
            print(f"[{done}/{len(tasks)}] {label}: FAILED\n{row['error']}", file=sys.stderr, flush=True)
        else:
            f1 = "n/a" if math.isnan(row["f1"]) else f"{row['f1']:.3f}"
            print(f"[{done}/{len(tasks)}] {label} n={row['n']:,}: f1 {f1}, organic flagged "
                  f"{row['organic_flagged']:.2%}, detect {row['detect_s']:.1f} s "
                  f"({time.perf_counter() - start:.0f} s elapsed)", file=sys.stderr, flush=True)

    if jobs <= 1:
        for i, task in enumerate(tasks):
            report(i, run_world(task), i + 1)
        return rows
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        futures = {pool.submit(run_world, task): i for i, task in enumerate(tasks)}
        for done, fut in enumerate(cf.as_completed(futures), start=1):
            i = futures[fut]
            try:
                row = fut.result()
            except Exception:  # noqa: BLE001 - e.g. a worker that died
                row = {k: tasks[i].get(k) for k in ("family", "tier", "variant", "seed", "n")}
                row["error"] = traceback.format_exc()
            report(i, row, done)
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="20 random worlds at n=20,000 and blind seeds 0-1 at n=20,000 (unless given)")
    parser.add_argument("--worlds", type=int, default=None, help="random worlds (default 200; quick 20)")
    parser.add_argument("--first-seed", type=int, default=FIRST_SEED,
                        help=f"first random seed (default {FIRST_SEED}; seeds 0-999 are for tuning)")
    parser.add_argument("--random-n", type=int, default=None,
                        help="registrations per random world (default drawn per seed from 20,000-50,000; quick 20,000)")
    parser.add_argument("--families", nargs="+", default=["random", "blind"], choices=["random", "blind"])
    parser.add_argument("--blind-seeds", type=int, nargs="+", default=None, help="blind seeds (default 0-4; quick 0 1)")
    parser.add_argument("--blind-n", type=int, default=None,
                        help="registrations per blind world (default 50,000; quick 20,000)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--csv", metavar="PATH", help="also save the per-world rows")
    args = parser.parse_args(argv)
    args.worlds = args.worlds if args.worlds is not None else (20 if args.quick else 200)
    args.random_n = args.random_n or (20_000 if args.quick else None)
    args.blind_seeds = args.blind_seeds if args.blind_seeds is not None else ([0, 1] if args.quick else list(range(5)))
    args.blind_n = args.blind_n or (20_000 if args.quick else 50_000)
    if args.first_seed < FIRST_SEED and "random" in args.families:
        print(f"warning: seeds below {FIRST_SEED} are for tuning; results on them do not measure transfer",
              file=sys.stderr)

    import detector

    start = time.perf_counter()
    n_text = f"n={args.random_n:,}" if args.random_n else f"n drawn from {N_RANGE[0]:,}-{N_RANGE[1]:,}"
    print(f"detector {detector.__version__} transfer benchmark: random seeds {args.first_seed}-"
          f"{args.first_seed + args.worlds - 1} ({n_text}); blind seeds {args.blind_seeds} "
          f"(n={args.blind_n:,}); families {' '.join(args.families)}; {args.jobs} worker(s)")
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()} {platform.system()}, "
          f"Python {platform.python_version()}, pandas {pd.__version__}")
    args.skipped = {}
    tasks = build_tasks(args)
    rows = run_all(tasks, args.jobs)
    frame = pd.DataFrame(rows)
    for col in ("f1", "precision", "recall", "organic_flagged", "flagged_share", "max_camouflage", "detect_s"):
        if col not in frame:
            frame[col] = math.nan
    for col in ("campaigns", "big_campaigns", "big_missed"):
        frame[col] = frame[col].fillna(0).astype(int) if col in frame else 0
    if "covered" not in frame:
        frame["covered"] = None
    if "knobs" not in frame:
        frame["knobs"] = ""
    frame["error"] = frame["error"].fillna("")
    for family in args.families:
        part = frame[frame["family"] == family]
        if not len(part):
            print(f"\n== {family} ==\nno worlds run" + (f" ({args.skipped[family]})" if family in args.skipped else ""))
            continue
        print_family(family, part)
        print_targets(family, part)
    if len(frame):
        print_worst(frame)
        ok = _ok(frame)
        if len(ok):
            print(f"\ndetect seconds: median {ok['detect_s'].median():.1f}, max {ok['detect_s'].max():.1f}")
    if args.csv:
        frame.to_csv(args.csv, index=False, float_format="%.6g")
        print(f"per-world rows written to {args.csv}")
    print(f"total time {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()

"""When sign-ups happen: intensity kernels on a minute grid, sampled per component.

Every component of a scenario (organic background per event, each organic surge,
each campaign's main burst, its repost sub-bursts and its long tail) is an
intensity over a one-minute grid covering all registration windows, modulated
by a daily cycle in the event's local time. Sign-up *groups* (a household, or
one campaign member signing up several times) are sampled from it; the group's
further sign-ups follow within minutes (or, for members coming back, hours).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


__all__ = ["COMPONENTS", "Timeline", "plan_timeline"]

COMPONENTS = ("background", "surge", "burst", "repost", "tail")
DAY = 86_400
# relative sign-up activity per local hour 0..23: quiet at night, evening peak
_DAILY = np.array([0.30, 0.16, 0.09, 0.06, 0.05, 0.08, 0.20, 0.40, 0.60, 0.72, 0.78, 0.82,
                   0.88, 0.82, 0.78, 0.78, 0.84, 0.95, 1.05, 1.15, 1.20, 1.08, 0.82, 0.52])
_DAILY = _DAILY / _DAILY.mean()


@dataclass
class Timeline:
    """Row-level timing and membership, plus the posts that drove them (internal)."""

    t: np.ndarray          # int64 epoch seconds
    event: np.ndarray      # index into events
    campaign: np.ndarray   # 0 organic, 1..k
    surge: np.ndarray      # 0 none, 1..m
    component: np.ndarray  # index into COMPONENTS
    group: np.ndarray      # sign-up group (household or repeat registrant)
    pos: np.ndarray        # 0 for the group's first sign-up
    driver: np.ndarray     # index of the post that drove the sign-up, -1 none
    posts: dict = field(default_factory=dict)     # seed posts, column -> list
    campaigns: list = field(default_factory=list)
    surges: list = field(default_factory=list)


class _Grid:
    def __init__(self, t0: int, t1: int, tzs: list[str]):
        self.start = t0 - t0 % 60
        self.t = np.arange(self.start, t1 + 60, 60, dtype=np.int64)
        utc = pd.DatetimeIndex(pd.to_datetime(self.t, unit="s", utc=True))
        self.hour = {}
        for tz in set(tzs):
            loc = utc.tz_convert(tz)
            self.hour[tz] = np.asarray(loc.hour + loc.minute / 60.0)

    def daily(self, tz: str, strength: float) -> np.ndarray:
        prof = np.interp(self.hour[tz], np.arange(25), np.append(_DAILY, _DAILY[0]))
        return 1.0 - strength + strength * prof

    def between(self, a: float, b: float) -> np.ndarray:
        return ((self.t >= a) & (self.t < b)).astype(float)

    def rise_decay(self, t0: float, rise_min: float, decay_min: float) -> np.ndarray:
        d = np.maximum((self.t - t0) / 60.0, 0.0)
        return np.where(self.t >= t0, -np.expm1(-d / rise_min) * np.exp(-d / decay_min), 0.0)

    def lomax(self, t0: float, scale_min: float, alpha: float) -> np.ndarray:
        d = np.maximum((self.t - t0) / 60.0, 0.0)
        return np.where(self.t >= t0, (1.0 + d / scale_min) ** -(alpha + 1.0), 0.0)

    def sample(self, rng: np.random.Generator, w: np.ndarray, size: int, fallback: np.ndarray) -> np.ndarray:
        if w.sum() <= 0:
            w = fallback
        cdf = np.cumsum(w)
        idx = np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right")
        idx = np.minimum(idx, len(self.t) - 1)
        return self.t[idx] + rng.integers(0, 60, size)


def _group_sizes(rng, m: int, p_multi: float, extra_mean: float) -> np.ndarray:
    """Sizes of sign-up groups that add up to exactly ``m`` rows."""
    if m <= 0:
        return np.zeros(0, dtype=np.int64)
    sizes = np.ones(m, dtype=np.int64)
    multi = rng.random(m) < p_multi
    sizes[multi] += rng.geometric(1.0 / extra_mean, int(multi.sum()))
    cs = np.cumsum(sizes)
    k = int(np.searchsorted(cs, m))
    sizes = sizes[: k + 1].copy()
    sizes[-1] -= cs[k] - m
    return sizes


class _Builder:
    def __init__(self, sc, rng, grid: _Grid, events: list[dict]):
        self.sc, self.rng, self.grid, self.events = sc, rng, grid, events
        self.parts: list[dict] = []
        self.posts = {k: [] for k in ("kind", "platform", "t", "shared", "campaign", "surge", "event")}
        self.n_groups = 0

    def post(self, kind, platform, t, shared=-1, campaign=0, surge=0, event=0) -> int:
        for k, v in zip(self.posts, (kind, platform, int(t), shared, campaign, surge, event)):
            self.posts[k].append(v)
        return len(self.posts["t"]) - 1

    def emit(self, m, w, e, *, campaign=0, surge=0, component=0, driver=-1):
        """Sample ``m`` rows for one component of event ``e`` with intensity ``w``."""
        if m <= 0:
            return
        rng, ev, sc = self.rng, self.events[e], self.sc
        mask = self.grid.between(ev["open"], ev["close"])
        if campaign:
            sizes = _group_sizes(rng, m, sc.multi_registration, 1.5)
        else:
            sizes = _group_sizes(rng, m, sc.family_share, 1.4)
        lead_t = self.grid.sample(rng, w * mask, len(sizes), mask)
        grp = np.repeat(np.arange(len(sizes)), sizes)
        starts = np.cumsum(sizes) - sizes
        pos = np.arange(m) - np.repeat(starts, sizes)
        if campaign:  # members come back quickly, or hours later
            inc = np.where(rng.random(m) < 0.7, rng.exponential(120.0, m), rng.lognormal(np.log(3 * 3600), 1.0, m))
        else:         # a household signs up one after another
            inc = rng.exponential(90.0, m)
        inc = np.where(pos > 0, np.ceil(inc), 0).astype(np.int64)
        cs = np.cumsum(inc)
        off = cs - np.repeat(cs[starts], sizes)
        lt = lead_t[grp]
        room = np.maximum(ev["close"] - lt, 1)
        t = lt + np.where(lt + off < ev["close"], off, off % room)   # stay within [leader, close)
        self.parts.append(dict(t=t, event=np.full(m, e), campaign=np.full(m, campaign), surge=np.full(m, surge),
                               component=np.full(m, component), group=grp + self.n_groups, pos=pos,
                               driver=np.full(m, driver)))
        self.n_groups += len(sizes)


def _event_windows(sc, tz: str) -> list[dict]:
    out = []
    for eid, local in sc.events:
        close = int(pd.Timestamp(local, tz=tz).tz_convert("UTC").timestamp())
        out.append(dict(id=eid, tz=tz, open=close - int(sc.window_days * DAY), close=close))
    return out


def plan_timeline(sc, n: int, rng: np.random.Generator, tz: str) -> tuple[Timeline, list[dict]]:
    """Draw the time, event and membership of ``n`` sign-ups for scenario ``sc`` (events in zone ``tz``)."""
    events = _event_windows(sc, tz)
    grid = _Grid(min(e["open"] for e in events), max(e["close"] for e in events), [e["tz"] for e in events])
    b = _Builder(sc, rng, grid, events)
    shares = np.asarray(sc.event_shares, float) / np.sum(sc.event_shares)
    n_camp = int(round(n * sc.campaign_share)) if sc.n_campaigns else 0
    n_camp = min(n_camp, n - 1)
    n_org = n - n_camp

    # --- organic: surges first (their posts are what campaigns and shares refer to)
    surge_p = [g.share for g in sc.surges]
    counts = rng.multinomial(n_org, surge_p + [1.0 - sum(surge_p)])
    announce = {}
    surges = []
    for i, (g, m) in enumerate(zip(sc.surges, counts[:-1]), start=1):
        ev = events[g.event]
        daily = grid.daily(ev["tz"], sc.diurnal)
        if g.days[1] <= 0:
            start = ev["open"]
        else:
            win = grid.between(ev["open"] + g.days[0] * DAY, min(ev["open"] + g.days[1] * DAY, ev["close"] - 3600))
            start = int(grid.sample(rng, win * daily ** 2, 1, grid.between(ev["open"], ev["close"]))[0])
        shared = announce.get(g.event, -1) if g.kind != "announcement" else -1
        pid = b.post(g.kind, g.platform, start, shared, 0, i, g.event)
        if g.kind == "announcement":
            announce.setdefault(g.event, pid)
        b.emit(int(m), grid.rise_decay(start, g.rise_minutes, g.decay_minutes) * daily, g.event,
               surge=i, component=1, driver=pid)
        surges.append(dict(surge=i, kind=g.kind, platform=g.platform, event=g.event, post=pid, start=start,
                           size=int(m), rise_minutes=g.rise_minutes, decay_minutes=g.decay_minutes))
    bg = rng.multinomial(int(counts[-1]), shares)
    for e, (ev, m) in enumerate(zip(events, bg)):
        frac = (grid.t - ev["open"]) / (ev["close"] - ev["open"])
        w = np.exp(np.log(sc.ramp) * np.clip(frac, 0, 1)) * grid.daily(ev["tz"], sc.diurnal)
        b.emit(int(m), w, e, component=0)

    # --- campaigns
    campaigns = []
    if n_camp:
        k = sc.n_campaigns
        if sc.campaign_specs:
            sizes = _apportion(n_camp, [c.weight for c in sc.campaign_specs])
        else:
            sizes = np.ones(k, dtype=np.int64) * min(1, n_camp // k)
            sizes += rng.multinomial(n_camp - sizes.sum(), rng.dirichlet(np.full(k, sc.size_concentration)))
        for c, size in enumerate(sizes, start=1):
            campaigns.append(_campaign(b, c, int(size), shares))
    tl = Timeline(**{k: np.concatenate([p[k] for p in b.parts]) for k in b.parts[0]},
                  posts=b.posts, campaigns=campaigns, surges=surges)
    return tl, events


def _apportion(total: int, weights) -> np.ndarray:
    """``total`` split in proportion to ``weights`` (largest remainders), as integers."""
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(-(raw - out), kind="stable")[: total - int(out.sum())]] += 1
    return out


def _campaign(b: _Builder, c: int, size: int, shares: np.ndarray) -> dict:
    sc, rng, grid = b.sc, b.rng, b.grid
    spec = sc.campaign_specs[c - 1] if sc.campaign_specs else None
    e = int(rng.choice(len(b.events), p=shares)) if spec is None else spec.event
    ev = b.events[e]
    lo, hi = sc.trigger_hours
    hour = grid.hour[ev["tz"]]
    in_hours = ((hour >= lo) & (hour < hi)) if lo < hi else ((hour >= lo) | (hour < hi))
    days = sc.trigger_days if spec is None or spec.days[1] < 0 else spec.days
    win = grid.between(ev["open"] + days[0] * DAY, min(ev["open"] + days[1] * DAY, ev["close"] - 6 * 3600))
    trigger = int(grid.sample(rng, win * (0.02 + in_hours), 1, grid.between(ev["open"], ev["close"]))[0])
    if spec is None:
        cam = float(np.clip(sc.camouflage + sc.camouflage_jitter * rng.standard_normal(), 0.0, 1.0))
        rise = sc.rise_minutes * rng.lognormal(0, 0.25)
        decay = sc.decay_minutes * rng.lognormal(0, 0.25)
        repost_share, tail_share = sc.repost_share, sc.tail_share
    else:
        cam, rise, decay = float(spec.camouflage), float(spec.rise_minutes), float(spec.decay_minutes)
        repost_share, tail_share = spec.repost_share, spec.tail_share
    remote = grid.daily(ev["tz"], sc.remote_diurnal)
    main, rep, tail = rng.multinomial(size, [1 - repost_share - tail_share, repost_share, tail_share])
    pid = b.post("trigger", sc.platform, trigger, -1, c, 0, e)
    if spec is None:
        n_rep = max(int(rng.poisson(sc.n_reposts)), 1) if (rep and sc.n_reposts > 0) else 0
    else:
        n_rep = int(spec.n_reposts) if rep else 0
    if n_rep == 0:
        main += rep
    else:
        lo_h, hi_h = sc.repost_delay_hours
        room_h = max((ev["close"] - trigger) / 3600 * 0.8, 0.5)
        delays = np.minimum(np.exp(rng.uniform(np.log(lo_h), np.log(hi_h), n_rep)), room_h)
        for r, (d, m) in enumerate(zip(np.sort(delays), rng.multinomial(rep, rng.dirichlet(np.ones(n_rep))))):
            rt = trigger + int(d * 3600)
            rid = b.post("repost", sc.platform, rt, pid, c, 0, e)
            b.emit(int(m), grid.rise_decay(rt, rise * 1.5, decay * 0.7) * remote, e,
                   campaign=c, component=3, driver=rid)
    b.emit(int(main), grid.rise_decay(trigger, rise, decay) * remote, e, campaign=c, component=2, driver=pid)
    b.emit(int(tail), grid.lomax(trigger, sc.tail_hours * 60, sc.tail_alpha) * remote, e,
           campaign=c, component=4, driver=pid)
    odd = tuple(spec.odd) if spec is not None and spec.odd else ()
    return dict(campaign=c, event=e, post=pid, start=trigger, size=size, camouflage=cam, odd=odd, n_reposts=n_rep,
                rise_minutes=float(rise), decay_minutes=float(decay))

"""The ``random`` scenario: every knob drawn from wide priors, as a function of the seed.

Domain randomisation: ``simulate("random", n=N, seed=S)`` draws a :class:`Scenario` with
:func:`random_scenario` and simulates it with the same seed, so that no single habit of the
named scenarios holds (burst shapes, campaign sizes and camouflage, the place, its postal
codes, phone numbers, networks, names and e-mail habits, the campaign platform and whether
its name shows, which optional columns exist, how times are written).

The knobs come from their own random streams, the children of
``SeedSequence(seed, spawn_key=(1000,))`` (one for the campaigns, one for which attributes
they differ in, one for everything else),
independent of the streams the simulation itself uses; ``n`` is only used to keep every
campaign at 30 to 50,000 members, so only the campaigns' draw depends on it. Priors (``U``
uniform, ``logU`` log-uniform):

===================  =====================================================================
events               1 (35%), 2-4 (30%) or 5-20 (35%), spread over up to 60 days; registration
                     windows logU 2-60 days; Dirichlet shares of the sign-ups
campaigns            none in 10% of worlds; else 1-10 campaigns holding U(0.01, 0.6) or
                     logU(0.002, 0.6) of the registrations, Dirichlet split, 30 to 50,000
                     members each
camouflage           per world a maximum U(0, 0.7); each campaign U(0.4, 1) x that maximum,
                     one campaign at it
odd attributes       half the campaigns differ in every attribute; the other half in 2-6 of the
                     8 (at least one of name, e-mail, phone, postal code, IP), each by a degree
                     U(0.3, 1) (a member's value is odd with chance degree x (1 - camouflage));
                     drawn from a third stream, so the other knobs do not depend on it
campaign bursts      the main wave's peak logU 1.5-500 x the organic baseline of its event; its
                     width (members / peak rate) follows from its size and is clipped to 10 min
                     - 5 days (so small campaigns may peak lower, big ones higher); one wave
                     (40%) or 1-10 further waves holding U(0.1, 0.7) of the members; a long
                     tail holding U(0, 0.4)
organic surges       0-5; widths logU 10 min - 5 days, peaks logU 1.5-500 x the baseline (at
                     most the event's whole background); U(0.3, 1) of their people come through
                     one channel, the campaign platform for 40% of the surges
place                one of 17 country profiles (names, e-mail domains, phone plan, postal
                     format, time zone; UTC in 10%), with made-up names / e-mail habits in
                     25% each; a made-up city
postal codes         logU 10 - 100,000 distinct local codes, popularity Zipf with offset
                     logU 0.5-200
phones               a national plan with or without area codes (20% without), written with
                     or without the country and area codes (Dirichlet mix of 9 formats)
IPs                  logU 2-2,000 regional /16 prefixes; third octets scattered (50%) or
                     clustered (logU 1-64 per prefix); U(0, 0.8) from mobile carriers (CGNAT),
                     up to half of them IPv6
platform             TikTok, Instagram, Facebook or Twitter (60%), or a made-up one; its name
                     in the in-app browser (70%) and in the referrers (70%)
habits               the mixing weights of every attribute generator (name styles, odd-value
                     kinds, browser shares, referrer sources ...) drawn around the defaults
                     with a spread U(0, 1)
columns              user_agent and referrer each dropped in 25% of worlds; phone,
                     postal_code, ip, account_id and name each in 5%; phone (50%) and postal
                     codes (30%) partly blank
linked accounts      U(0, 0.9) of members, U(0, 0.5) of organic sign-ups
times                written with the local offset (40%), in UTC (30%), without an offset in
                     UTC (15%) or in local time (15%)
the rest             daily cycle U(0, 1), ramp logU 1-8, households U(0, 0.3), travellers
                     U(0, 0.3), organic odd values logU 0.001-0.05, repeat sign-ups U(0, 0.4),
                     posting, following, amplifiers (none in 15%), audiences, noise accounts
===================  =====================================================================

:func:`knobs` summarises any simulation's knobs as a compact dict (``SimulatedData.knobs``,
written as ``knobs.json``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .synthetic import POSTAL_FORMATS, _Words
from .scenarios import ATTRIBUTES, CampaignSpec, Locale, Scenario, Surge
from .vocab import PLATFORMS

__all__ = ["PROFILES", "knobs", "random_scenario"]

KNOB_STREAM = 1000   # spawn key of the knobs' random stream
_MIN_SIZE, _MAX_SIZE = 30, 50_000
_MIN_DURATION, _MAX_DURATION = 10.0, 5 * 1440.0   # minutes
_RATIO = (1.5, 500.0)
_IDENTITY = [ATTRIBUTES.index(a) for a in ("name", "email", "phone", "postal_code", "ip")]

#: Country profiles: names, e-mail styles, time zones, phone plan (calling code, trunk prefix,
#: area code lengths, subscriber digits, range of local area codes), postal formats.
PROFILES: dict[str, dict] = {
    "us": dict(names=("us_south", "us_southwest"), email=("classic", "modern"),
               tz=("America/Chicago", "America/Phoenix", "America/New_York", "America/Los_Angeles", "America/Denver"),
               cc="1", trunk="", area_len=(3,), sub=(7,), areas=(1, 30), postal=("d5",)),
    "ca": dict(names=("us_south", "fr", "uk"), email=("classic", "modern", "fr"),
               tz=("America/Toronto", "America/Vancouver", "America/Edmonton"), cc="1", trunk="", area_len=(3,),
               sub=(7,), areas=(1, 10), postal=("ca",)),
    "uk": dict(names=("uk",), email=("uk",), tz=("Europe/London",), cc="44", trunk="0", area_len=(3, 4),
               sub=(6, 7), areas=(0, 40), postal=("uk",)),
    "de": dict(names=("de",), email=("de",), tz=("Europe/Berlin",), cc="49", trunk="0", area_len=(2, 3, 4),
               sub=(6, 7, 8), areas=(0, 60), postal=("d5",)),
    "fr": dict(names=("fr",), email=("fr",), tz=("Europe/Paris",), cc="33", trunk="0", area_len=(1,), sub=(8,),
               areas=(0, 5), postal=("d5",)),
    "br": dict(names=("br",), email=("br",), tz=("America/Sao_Paulo", "America/Manaus"), cc="55", trunk="",
               area_len=(2,), sub=(9, 8), areas=(1, 10), postal=("d5-d3",)),
    "in": dict(names=("in",), email=("in",), tz=("Asia/Kolkata",), cc="91", trunk="0", area_len=(2, 3, 4),
               sub=(8, 7), areas=(0, 20), postal=("d6",)),
    "jp": dict(names=("jp",), email=("jp",), tz=("Asia/Tokyo",), cc="81", trunk="0", area_len=(1, 2, 3), sub=(8,),
               areas=(0, 15), postal=("d3-d4",)),
    "kr": dict(names=("kr",), email=("kr",), tz=("Asia/Seoul",), cc="82", trunk="0", area_len=(2,), sub=(8,),
               areas=(0, 10), postal=("d5",)),
    "ng": dict(names=("ng",), email=("ng",), tz=("Africa/Lagos",), cc="234", trunk="0", area_len=(3,), sub=(7,),
               areas=(0, 5), postal=("d6",)),
    "pl": dict(names=("pl",), email=("pl",), tz=("Europe/Warsaw",), cc="48", trunk="", area_len=(2,), sub=(7,),
               areas=(0, 10), postal=("d2-d3",)),
    "tr": dict(names=("tr",), email=("tr",), tz=("Europe/Istanbul",), cc="90", trunk="0", area_len=(3,), sub=(7,),
               areas=(1, 10), postal=("d5",)),
    "ru": dict(names=("ru",), email=("ru",), tz=("Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk"),
               cc="7", trunk="8", area_len=(3,), sub=(7,), areas=(1, 20), postal=("d6",)),
    "mx": dict(names=("mx",), email=("mx",), tz=("America/Mexico_City", "America/Monterrey"), cc="52", trunk="",
               area_len=(2, 3), sub=(8, 7), areas=(1, 10), postal=("d5",)),
    "nl": dict(names=("de", "uk", "tr"), email=("synthetic", "de"), tz=("Europe/Amsterdam",), cc="31", trunk="0",
               area_len=(2, 3), sub=(7,), areas=(0, 10), postal=("nl",)),
    "se": dict(names=("synthetic",), email=("synthetic",), tz=("Europe/Stockholm",), cc="46", trunk="0",
               area_len=(2, 3), sub=(6, 7), areas=(0, 10), postal=("d3 d2",)),
    "au": dict(names=("uk",), email=("uk", "synthetic"), tz=("Australia/Sydney", "Australia/Perth"), cc="61",
               trunk="0", area_len=(1,), sub=(8,), areas=(0, 4), postal=("d4",)),
}
_BIG_POSTAL = ("d6", "d5-d3", "d3-d4", "uk", "ca", "nl")


def _logu(rng, lo: float, hi: float) -> float:
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def _shape(rng, duration: float) -> tuple[float, float]:
    """Rise and decay (minutes) of a burst whose peak-equivalent width is ``duration`` minutes.

    The kernel ``(1 - exp(-d/rise)) exp(-d/decay)`` has mass ``decay^2 / (rise + decay)`` and peak
    ``(decay/(rise+decay)) (rise/(rise+decay))^(rise/decay)``; their ratio is
    ``decay (1 + 1/f)^f`` with ``f = rise/decay``.
    """
    f = _logu(rng, 0.02, 0.5)
    decay = duration / (1 + 1 / f) ** f
    return round(f * decay, 3), round(decay, 3)


def _width(rise: float, decay: float) -> float:
    f = rise / decay
    return decay * (1 + 1 / f) ** f


def _locale(rng, country: str) -> tuple[Locale, str, str]:
    p = PROFILES[country]
    names = "synthetic" if rng.random() < 0.25 else _pick(rng, p["names"])
    email = "synthetic" if rng.random() < 0.25 else _pick(rng, p["email"])
    tz = "UTC" if rng.random() < 0.1 else _pick(rng, p["tz"])
    fmt = _pick(rng, p["postal"])
    count = int(round(_logu(rng, 10, 100_000)))
    if count > POSTAL_FORMATS[fmt].space // 3 and rng.random() < 0.5:
        fmt = _pick(rng, _BIG_POSTAL)
    count = min(count, POSTAL_FORMATS[fmt].space // 3)
    lo, hi = p["areas"]
    areas = int(rng.integers(lo, hi + 1)) if rng.random() < 0.8 else 0
    formats = rng.dirichlet(np.full(9, 0.5))
    formats[-1] *= 0.3          # empty phone fields
    formats = tuple(round(float(x), 4) for x in formats / formats.sum())
    span = 256 if rng.random() < 0.5 else int(round(_logu(rng, 1, 64)))
    loc = Locale(
        seed=int(rng.integers(2**31)), country=country, timezone=tz, postal_format=fmt, postal_codes=count,
        postal_skew=round(_logu(rng, 0.5, 200), 3), phone_country=p["cc"], phone_trunk=p["trunk"],
        phone_area_codes=areas, phone_area_len=int(_pick(rng, p["area_len"])), phone_sub_len=int(_pick(rng, p["sub"])),
        phone_formats=formats, isp_prefixes=int(round(_logu(rng, 2, 2000))), ip_span=span,
        mobile_ip=round(float(rng.uniform(0, 0.8)), 4), ipv6=round(float(rng.uniform(0, 0.5)), 4),
        platform_named_ua=bool(rng.random() < 0.7), platform_named_referrer=bool(rng.random() < 0.7),
        habit_spread=round(float(rng.uniform(0, 1)), 4))
    return loc, names, email


def _events(rng) -> tuple[tuple, tuple, float]:
    u = rng.random()
    k = 1 if u < 0.35 else int(rng.integers(2, 5)) if u < 0.65 else int(rng.integers(5, 21))
    window = round(_logu(rng, 2, 60), 3)
    base = pd.Timestamp("2019-01-01") + pd.Timedelta(days=int(rng.integers(0, 6 * 365)))
    spread = float(rng.uniform(0, 60)) if k > 1 else 0.0
    days = np.sort(rng.uniform(0, spread, k)) + window
    events = []
    for i, day in enumerate(days):
        t = base + pd.Timedelta(days=float(day))
        t = t.normalize() + pd.Timedelta(hours=int(rng.integers(9, 22)), minutes=int(rng.choice([0, 15, 30, 45])))
        events.append((f"event-{i + 1:02d}-{t:%Y%m%d}", f"{t:%Y-%m-%dT%H:%M}"))
    shares = rng.dirichlet(np.full(k, _logu(rng, 0.3, 5)))
    shares = np.maximum(shares, 1e-3)
    shares = tuple(round(float(x), 6) for x in shares / shares.sum())
    return tuple(events), shares, window


def _choice(rng, shares) -> int:
    p = np.asarray(shares, dtype=float)
    return int(rng.choice(len(p), p=p / p.sum()))


def _odd_degrees(rng) -> tuple[float, ...]:
    """How far one campaign differs in each attribute (``CampaignSpec.odd``); () = fully, in all."""
    if rng.random() < 0.5:
        return ()
    m = int(rng.integers(2, 7))
    while True:
        chosen = rng.choice(len(ATTRIBUTES), size=m, replace=False)
        if np.isin(chosen, _IDENTITY).any():
            break
    degrees = np.zeros(len(ATTRIBUTES))
    degrees[chosen] = np.round(rng.uniform(0.3, 1.0, m), 4)
    return tuple(degrees.tolist())


def _sizes(rng, n: int, organic_only: bool) -> np.ndarray:
    if organic_only:
        return np.zeros(0, dtype=np.int64)
    share = rng.uniform(0.01, 0.6) if rng.random() < 0.5 else _logu(rng, 0.002, 0.6)
    k = int(rng.integers(1, 11))
    w = rng.dirichlet(np.full(k, _logu(rng, 0.3, 5)))
    lo = _MIN_SIZE if n >= 200 else 1
    total = max(int(round(share * n)), lo)
    k = max(1, min(k, total // lo))
    w = np.sort(w)[::-1][:k]
    sizes = np.maximum(np.floor(total * w / w.sum()).astype(np.int64), lo)
    sizes = np.minimum(sizes, _MAX_SIZE)
    while sizes.sum() > 0.6 * n and sizes.max() > lo:     # a tiny n: keep organic sign-ups in the majority
        sizes[np.argmax(sizes)] -= max(1, int(sizes.max() // 10))
    return sizes


def random_scenario(seed: int, n: int) -> Scenario:
    """The ``random`` scenario's draw for ``seed``, for ``n`` registrations.

    Parameters
    ----------
    seed : int
        Seeds the knobs (stream ``SeedSequence(seed, spawn_key=(1000,))``).
    n : int
        Number of registrations; only used to keep campaigns at 30 to 50,000 members.

    Returns
    -------
    Scenario
        Named ``"random"``, with ``campaign_specs`` and a ``locale``.

    Examples
    --------
    >>> a, b = random_scenario(1, 10_000), random_scenario(1, 10_000)
    >>> a == b, a.name
    (True, 'random')
    """
    world, camp, odd = np.random.SeedSequence(int(seed), spawn_key=(KNOB_STREAM,)).spawn(3)
    rng = np.random.default_rng(world)       # everything but the campaigns: independent of n
    crng = np.random.default_rng(camp)       # the campaigns
    orng = np.random.default_rng(odd)        # which attributes each campaign differs in
    country = _pick(rng, list(PROFILES))
    loc, names, email = _locale(rng, country)
    words = _Words(rng)
    if rng.random() < 0.6:
        platform = _pick(rng, ("tiktok", "tiktok", "instagram", "instagram", "facebook", "twitter"))
    else:
        platform = next(w for w in (words.word(2, 3).lower() for _ in range(100))
                        if w.isalpha() and w not in PLATFORMS and w != "news" and len(w) >= 4)
    events, event_shares, window = _events(rng)
    grid_minutes = window * 1440
    organic_only = rng.random() < 0.10
    sizes = _sizes(crng, n, organic_only)
    share = float(sizes.sum()) / n
    n_org = n - int(sizes.sum())

    # --- organic surges: as sharp or slow as campaigns, some through the campaign platform
    raw = []
    for _ in range(int(rng.integers(0, 6))):
        e = _choice(rng, event_shares)
        duration = _logu(rng, _MIN_DURATION, _MAX_DURATION)
        room = grid_minutes / (duration * event_shares[e])     # ratio at which it matches the event's background
        ratio = _logu(rng, _RATIO[0], max(_RATIO[0], min(_RATIO[1], room)))
        if ratio > room:
            duration = max(_MIN_DURATION, duration * room / ratio)
        kind = _pick(rng, ("announcement", "viral_share", "viral_share", "news_mention"))
        plat = "news" if kind == "news_mention" and rng.random() < 0.7 else (
            platform if rng.random() < 0.4 else _pick(rng, ("facebook", "twitter", "instagram", "tiktok")))
        day = float(rng.uniform(0, window * 0.95))
        raw.append(dict(e=e, ratio=ratio, duration=duration, kind=kind, platform=plat, day=day,
                        mass=ratio * duration * event_shares[e] / grid_minutes, shift=float(rng.uniform(0.3, 1.0))))
    total = sum(g["mass"] for g in raw)
    scale = min(1.0, (0.7 / 0.3) / total) if total else 1.0    # surges hold at most 70% of organic sign-ups
    surges = []
    for g in raw:
        rise, decay = _shape(rng, g["duration"])
        surges.append(Surge(g["kind"], g["platform"], round(g["mass"] * scale / (1 + total * scale), 6),
                            (round(g["day"], 4), round(g["day"] + float(rng.uniform(0.05, 1.0)), 4)),
                            rise, decay, round(g["shift"], 4), g["e"]))
    background = n_org * (1 - sum(g.share for g in surges))

    # --- campaigns
    cmax = float(crng.uniform(0, 0.7))
    specs = []
    top = int(crng.integers(len(sizes))) if len(sizes) else -1
    for c, size in enumerate(sizes.tolist()):
        e = _choice(crng, event_shares)
        cam = cmax if c == top else cmax * float(crng.uniform(0.4, 1.0))
        if crng.random() < 0.4:
            n_rep, rep = 0, 0.0
        else:
            n_rep, rep = int(crng.integers(1, 11)), float(crng.uniform(0.1, 0.7))
        tail = float(crng.uniform(0, min(0.4, 0.9 - rep)))
        main = size * (1 - rep - tail)
        base_rate = max(background * event_shares[e] / grid_minutes, 1e-9)   # organic sign-ups per minute
        duration = main / (_logu(crng, *_RATIO) * base_rate)
        duration = float(np.clip(duration, _MIN_DURATION, _MAX_DURATION))
        rise, decay = _shape(crng, duration)
        day = float(crng.uniform(0, max(window - min(duration / 1440, window / 2) - 0.25, 0.01)))
        specs.append(CampaignSpec(float(size), round(cam, 4), rise, decay, n_rep, round(rep, 4), round(tail, 4),
                                  e, (round(day, 4), round(day + 0.5, 4)), _odd_degrees(orng)))

    drop = tuple(c for c, p in (("user_agent", 0.25), ("referrer", 0.25), ("phone", 0.05), ("postal_code", 0.05),
                                ("ip", 0.05), ("account_id", 0.05), ("name", 0.05)) if rng.random() < p)
    blank = tuple((c, round(float(rng.uniform(0, hi)), 4))
                  for c, p, hi in (("phone", 0.5, 0.5), ("postal_code", 0.3, 0.3))
                  if rng.random() < p and c not in drop)
    lo_h = _logu(rng, 0.1, 6)
    start_h = float(rng.uniform(0, 23))
    amplifiers = 0.0 if rng.random() < 0.15 else round(_logu(rng, 1, 100), 3)
    return Scenario(
        name="random", description=f"Randomised world (seed {seed}): every knob drawn from wide priors.",
        region="synthetic", events=events, event_shares=event_shares, capacity=int(rng.integers(500, 80_000)),
        window_days=window, ramp=round(_logu(rng, 1, 8), 4), diurnal=round(float(rng.uniform(0, 1)), 4),
        surges=tuple(surges), family_share=round(float(rng.uniform(0, 0.3)), 4),
        travel_share=round(float(rng.uniform(0, 0.3)), 4), organic_oddity=round(_logu(rng, 0.001, 0.05), 5),
        organic_link_rate=round(float(rng.uniform(0, 0.5)), 4), organic_post_rate=round(float(rng.uniform(0, 0.15)), 4),
        attend_organic=round(float(rng.uniform(0.4, 0.8)), 4), platform=platform,
        n_campaigns=len(specs), campaign_share=round(share, 8) if specs else 0.0,
        trigger_days=(0.0, window), trigger_hours=(round(start_h, 2), round(min(start_h + rng.uniform(4, 24), 24), 2)),
        rise_minutes=float(np.mean([s.rise_minutes for s in specs])) if specs else 3.0,
        decay_minutes=float(np.mean([s.decay_minutes for s in specs])) if specs else 50.0,
        repost_delay_hours=(round(lo_h, 3), round(lo_h * _logu(rng, 2, 40), 3)),
        tail_hours=round(_logu(rng, 0.5, 48), 3), tail_alpha=round(float(rng.uniform(0.8, 2.5)), 3),
        remote_diurnal=round(float(rng.uniform(0, 1)), 4), camouflage=round(cmax, 4), camouflage_jitter=0.0,
        multi_registration=round(float(rng.uniform(0, 0.4)), 4), member_link_rate=round(float(rng.uniform(0, 0.9)), 4),
        member_post_rate=round(float(rng.uniform(0, 0.6)), 4), member_follow_rate=round(float(rng.uniform(0, 0.8)), 4),
        amplifiers=amplifiers, amplifier_delay_s=round(_logu(rng, 3, 600), 3),
        audience_ratio=round(float(rng.uniform(0, 2)), 4), attend_campaign=round(float(rng.uniform(0, 0.1)), 4),
        names=names, email_style=email, oddities=_pick(rng, ("kpop", "stans", "synthetic")),
        noise_accounts=round(float(rng.uniform(0.05, 1.0)), 4), campaign_specs=tuple(specs), locale=loc,
        time_style=str(rng.choice(["local", "utc", "naive_utc", "naive_local"], p=[0.4, 0.3, 0.15, 0.15])),
        drop_columns=drop, blank=blank)


def knobs(sim) -> dict:
    """A compact, JSON-ready dict of a simulation's knobs, with realised campaign and surge figures.

    Burst figures per campaign and surge: ``duration_min``, the width of the main wave (its
    members divided by its peak rate, from the rise and decay), and ``ratio``, its peak rate over
    the mean organic background rate of its event (realised counts).
    """
    sc, tr = sim.scenario, sim.truth
    comp = tr["component"].astype(str).to_numpy()
    ev = tr["event_id"].astype(str).to_numpy()
    minutes = sc.window_days * 1440
    bg = {e: int(((comp == "background") & (ev == e)).sum()) / minutes for e in sim.events["event_id"]}
    camp = tr["campaign"].to_numpy()
    camps = []
    for row in sim.campaigns.itertuples(index=False):
        main = int(((camp == row.campaign) & (comp == "burst")).sum())
        width = _width(row.rise_minutes, row.decay_minutes)
        spec = sc.campaign_specs[row.campaign - 1] if sc.campaign_specs else None
        camps.append(dict(
            campaign=int(row.campaign), size=int(row.size), camouflage=float(row.camouflage),
            odd=dict(zip(ATTRIBUTES, spec.odd)) if spec and spec.odd else "all",
            duration_min=round(width, 1), ratio=round(main / width / max(bg[row.event_id], 1e-9), 2),
            waves=1 + int(row.n_reposts), repost_share=spec.repost_share if spec else sc.repost_share,
            tail_share=spec.tail_share if spec else sc.tail_share, event=str(row.event_id)))
    surge_list = []
    for row, g in zip(sim.surges.itertuples(index=False), sc.surges):
        width = _width(row.rise_minutes, row.decay_minutes)
        surge_list.append(dict(kind=row.kind, platform=row.platform, size=int(row.size), duration_min=round(width, 1),
                               ratio=round(row.size / width / max(bg[row.event_id], 1e-9), 2), shift=g.shift))
    loc = sc.locale
    out = dict(
        scenario=sc.name, seed=sim.seed, n=sim.n, events=len(sc.events), window_days=sc.window_days,
        timezone=sim.timezone, time_style=sc.time_style, campaign_share=round(float((camp > 0).mean()), 4),
        n_campaigns=len(camps), max_camouflage=max((c["camouflage"] for c in camps), default=0.0),
        campaigns=camps, n_surges=len(surge_list), surges=surge_list, platform=sc.platform,
        platform_named_ua=loc.platform_named_ua if loc else True,
        platform_named_referrer=loc.platform_named_referrer if loc else True,
        dropped_columns=list(sc.drop_columns), blank=dict(sc.blank),
        names=sc.names, email_style=sc.email_style, oddities=sc.oddities,
        member_link_rate=sc.member_link_rate, organic_link_rate=sc.organic_link_rate,
        multi_registration=sc.multi_registration, amplifiers=sc.amplifiers, member_post_rate=sc.member_post_rate,
        family_share=sc.family_share, travel_share=sc.travel_share, organic_oddity=sc.organic_oddity,
        diurnal=sc.diurnal, ramp=sc.ramp, remote_diurnal=sc.remote_diurnal, noise_accounts=sc.noise_accounts)
    if loc is not None:
        out.update(country=loc.country, postal_format=loc.postal_format, postal_codes=loc.postal_codes,
                   postal_skew=loc.postal_skew, phone_country=loc.phone_country, phone_area_codes=loc.phone_area_codes,
                   isp_prefixes=loc.isp_prefixes, ip_span=loc.ip_span, mobile_ip=loc.mobile_ip,
                   habit_spread=loc.habit_spread)
    else:
        out.update(region=sc.region)
    return out


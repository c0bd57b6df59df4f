"""Synthetic places and writing habits for the ``random`` scenario (internal).

:func:`synthesise` turns a :class:`~detector.simulation.scenarios.Locale` (a handful of
scalar knobs and a seed) into a full :class:`~detector.simulation.vocab.Vocabulary`: a city
with a made-up name, its postal codes in one of :data:`POSTAL_FORMATS` (10 to 100,000 of
them), a national phone numbering plan with or without area codes, clustered or scattered
network prefixes, names and e-mail habits of another country (or made-up ones), a campaign
platform whose in-app browser and referrers may or may not carry its name, and mixing
weights of every attribute generator drawn around the defaults. The same locale always
gives the same vocabulary.
"""
from __future__ import annotations

import dataclasses
import string
from dataclasses import dataclass

import numpy as np

from .places import NAMES, ODDITIES, REGIONS, VPN_PREFIXES, NameSet, Oddities, Region
from .vocab import (BROWSERS, EMAIL_STYLES, PLATFORMS, SEARCH_REFERRERS, EmailStyle, Habits, PhonePlan, Platform,
                    Vocabulary)

__all__ = ["POSTAL_FORMATS", "PostalFormat", "synthesise"]

_UPPER = string.ascii_uppercase
_UK_UNIT = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class PostalFormat:
    """A postal code format: ``space`` codes, the ``i``-th written by :meth:`write`."""

    name: str
    space: int
    placeholders: tuple[str, ...]

    def write(self, idx: np.ndarray) -> np.ndarray:
        idx = np.asarray(idx, dtype=np.int64)
        f = self.name
        if f == "d4":
            return np.array([f"{v + 1000:04d}" for v in idx.tolist()], dtype=object)
        if f == "d5":
            return np.array([f"{v + 1000:05d}" for v in idx.tolist()], dtype=object)
        if f == "d6":
            return np.array([f"{v + 100000:06d}" for v in idx.tolist()], dtype=object)
        if f == "d3-d4":
            return np.array([f"{(v + 1000000) // 10000:03d}-{v % 10000:04d}" for v in idx.tolist()], dtype=object)
        if f == "d5-d3":
            return np.array([f"{(v + 1000000) // 1000:05d}-{v % 1000:03d}" for v in idx.tolist()], dtype=object)
        if f == "d2-d3":
            return np.array([f"{v // 1000:02d}-{v % 1000:03d}" for v in idx.tolist()], dtype=object)
        if f == "d3 d2":
            return np.array([f"{(v + 10000) // 100:03d} {v % 100:02d}" for v in idx.tolist()], dtype=object)
        if f == "nl":
            return np.array([f"{v // 676 + 1000} {_UPPER[v % 676 // 26]}{_UPPER[v % 26]}" for v in idx.tolist()],
                            dtype=object)
        if f == "uk":   # area (2 letters) district (1-20) space sector (0-9) unit (2 letters)
            out = []
            for v in idx.tolist():
                v, unit = divmod(v, 400)
                v, sector = divmod(v, 10)
                area, district = divmod(v, 20)
                a = _UPPER[area // 26 % 26] + _UPPER[area % 26] if area >= 26 else _UPPER[area]
                out.append(f"{a}{district + 1} {sector}{_UK_UNIT[unit // 20]}{_UK_UNIT[unit % 20]}")
            return np.array(out, dtype=object)
        if f == "ca":   # A1A 1A1
            out = []
            for v in idx.tolist():
                v, d6 = divmod(v, 10)
                v, l5 = divmod(v, 20)
                v, d4 = divmod(v, 10)
                v, l3 = divmod(v, 20)
                v, d2 = divmod(v, 10)
                out.append(f"{'ABCEGHJKLMNPRSTVXY'[v % 18]}{d2}{_UK_UNIT[l3]} {d4}{_UK_UNIT[l5]}{d6}")
            return np.array(out, dtype=object)
        raise ValueError(f"unknown postal format {f!r}")


#: Postal code formats by name: digits (d4, d5, d6), Japanese d3-d4, Brazilian d5-d3, Polish
#: d2-d3, Swedish "d3 d2", Dutch "1234 AB", British and Canadian.
POSTAL_FORMATS: dict[str, PostalFormat] = {f.name: f for f in (
    PostalFormat("d4", 9_000, ("0000", "1234", "9999", "1111")),
    PostalFormat("d5", 99_000, ("00000", "12345", "99999", "11111")),
    PostalFormat("d6", 900_000, ("000000", "123456", "999999", "111111")),
    PostalFormat("d3-d4", 9_000_000, ("000-0000", "123-4567", "999-9999")),
    PostalFormat("d5-d3", 99_000_000, ("00000-000", "12345-678", "99999-999")),
    PostalFormat("d2-d3", 100_000, ("00-000", "12-345", "99-999")),
    PostalFormat("d3 d2", 90_000, ("000 00", "123 45", "999 99")),
    PostalFormat("nl", 9_000 * 676, ("0000 AA", "1234 AB", "9999 ZZ")),
    PostalFormat("uk", 676 * 20 * 10 * 400, ("ZZ99 9ZZ", "XX1 1XX", "AA1 1AA")),
    PostalFormat("ca", 18 * 10 * 20 * 10 * 20 * 10, ("A1A 1A1", "X0X 0X0", "H0H 0H0")),
)}

_COUNTRY_CODES = ("1", "44", "49", "33", "55", "91", "81", "82", "234", "48", "90", "7", "61", "52", "62", "63",
                  "86", "34", "39", "31", "20", "27", "54", "66", "84")
_GENERIC_MAIL = {"gmail.com": 0.5, "outlook.com": 0.1, "yahoo.com": 0.1, "hotmail.com": 0.1, "icloud.com": 0.08,
                 "proton.me": 0.02, "mail.com": 0.02, "gmx.com": 0.02, "yandex.com": 0.02, "aol.com": 0.02,
                 "zoho.com": 0.02}
_TLDS = ("com", "net", "org", "io", "co", "de", "fr", "nl", "eu", "app", "info", "online")
_VENUES = ("Arena", "Hall", "Stadium", "Convention Center", "Park", "Expo", "Forum", "Dome", "Pavilion",
           "Fairgrounds", "Amphitheater", "Center")
_EXTRA_SEARCH = ("https://yandex.ru/", "https://search.naver.com/", "https://www.baidu.com/",
                 "https://search.yahoo.co.jp/", "https://www.ecosia.org/", "https://www.qwant.com/",
                 "https://search.brave.com/", "https://www.seznam.cz/")
_IOS_WV = ("Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
           "Mobile/15E148")
_ANDROID_WV = ("Mozilla/5.0 (Linux; Android {android}; {device} Build/QP1A.190711.020; wv) AppleWebKit/537.36 "
               "(KHTML, like Gecko) Version/4.0 Chrome/{chrome} Mobile Safari/537.36")


class _Words:
    """Pronounceable made-up words from a random inventory of syllables."""

    def __init__(self, rng: np.random.Generator):
        cons = list("bcdfghjklmnprstvwz")
        vows = list("aeiou")
        self.rng = rng
        self.onsets = [c for c in cons if rng.random() < 0.75] + ["", "sh", "ch", "th", "k", "tr", "br"][
            : int(rng.integers(1, 8))]
        self.vowels = vows + (["y", "ai", "ou", "ei", "ia"][: int(rng.integers(0, 6))])
        self.codas = ["", "", "", "n", "r", "s", "l", "m", "k", "t"][: int(rng.integers(3, 11))]

    def word(self, lo: int = 2, hi: int = 3) -> str:
        r = self.rng
        k = int(r.integers(lo, hi + 1))
        return "".join(self.onsets[r.integers(len(self.onsets))] + self.vowels[r.integers(len(self.vowels))]
                       + (self.codas[r.integers(len(self.codas))] if j == k - 1 or r.random() < 0.2 else "")
                       for j in range(k))

    def distinct(self, count: int, lo: int = 2, hi: int = 3, title: bool = True) -> tuple[str, ...]:
        out: dict[str, None] = {}
        tries = 0
        while len(out) < count and tries < count * 50:
            w = self.word(lo, hi)
            tries += 1
            if len(w) >= 3:
                out[w.title() if title else w] = None
        return tuple(out)


def _jitter(rng, weights, spread: float) -> tuple[float, ...]:
    """Weights drawn from a Dirichlet around ``weights`` (``spread`` 0 = unchanged)."""
    w = np.asarray(weights, dtype=float)
    if spread <= 0:
        return tuple(float(x) for x in w)
    alpha = w / w.sum() * (1.0 / spread) * 4 + 0.05 * spread
    return tuple(round(float(x), 4) for x in rng.dirichlet(alpha))


def _beta_near(rng, p: float, spread: float) -> float:
    if spread <= 0:
        return p
    k = 4.0 / spread
    return round(float(rng.beta(p * k + 0.1, (1 - p) * k + 0.1)), 4)


def _postal(rng, fmt: PostalFormat, count: int):
    """Local codes (a dense random subset of one block), nearby codes and national codes."""
    count = int(min(count, fmt.space // 3))
    block = min(fmt.space, max(count * int(rng.integers(2, 4)), count + 10))
    start = int(rng.integers(0, fmt.space - block + 1))
    local = start + rng.choice(block, count, replace=False)
    near_lo, near_hi = max(0, start - block), min(fmt.space, start + 2 * block)
    near = rng.integers(near_lo, near_hi, 60)
    far = rng.integers(0, fmt.space, 400)
    local_set = set(local.tolist())
    near = np.array([v for v in dict.fromkeys(near.tolist()) if v not in local_set][:30], dtype=np.int64)
    far = np.array([v for v in dict.fromkeys(far.tolist()) if v not in local_set][:200], dtype=np.int64)
    return tuple(fmt.write(local)), tuple(fmt.write(near)), tuple(fmt.write(far))


def _prefixes(rng, count: int, firsts=None, exclude=()) -> tuple[str, ...]:
    """``count`` distinct /16 prefixes ``a.b``; ``firsts`` restricts the first octet."""
    ok = np.array([a for a in range(1, 224) if a not in (10, 127, 100, 169, 172, 192)])
    pool = ok if firsts is None else np.asarray(firsts)
    out: dict[str, None] = {}
    ex = set(exclude)
    while len(out) < count:
        a = pool[rng.integers(len(pool), size=count * 2)]
        b = rng.integers(0, 256, count * 2)
        for x, y in zip(a.tolist(), b.tolist()):
            p = f"{x}.{y}"
            if p not in ex:
                out[p] = None
            if len(out) >= count:
                break
    return tuple(out)


def _v6(rng, count: int) -> tuple[str, ...]:
    return tuple(f"2{rng.integers(0x400, 0xa00):03x}:{rng.integers(0, 0x10000):x}:" for _ in range(count))


def _digits(rng, count: int, length: int, avoid=()) -> tuple[str, ...]:
    out: dict[str, None] = {}
    ex = set(avoid)
    space = 9 * 10 ** (length - 1)
    count = min(count, space - len(ex))
    while len(out) < count:
        v = rng.integers(10 ** (length - 1), 10 ** length, count * 2 + 4)
        for x in v.tolist():
            s = str(x)
            if s not in ex:
                out[s] = None
            if len(out) >= count:
                break
    return tuple(out)


def _platform(rng, sc, loc, words: _Words) -> Platform:
    base = PLATFORMS.get(sc.platform)
    if base is None:    # a platform nobody has heard of
        name = sc.platform
        title = name.title()
        ver = f"{rng.integers(2, 40)}.{rng.integers(0, 20)}.{rng.integers(0, 10)}"
        base = Platform(
            name,
            (_IOS_WV + f" {title}/{ver}", _ANDROID_WV + f" {title}App/{ver}"),
            (f"https://www.{name}.com/", f"https://l.{name}.app/", f"https://{name}.com/@{{handle}}",
             f"https://m.{name}.com/"),
            ("https://linktr.ee/{handle}", "https://beacons.ai/{handle}", f"https://{name}.bio/{{handle}}"),
            "reshared")
    if not loc.platform_named_ua:   # the in-app browser is an anonymous web view
        base = dataclasses.replace(base, in_app_ua=(_IOS_WV, _ANDROID_WV))
    if not loc.platform_named_referrer:   # the app strips the referrer, or links go through a shortener
        base = dataclasses.replace(base, referrers=("", "", "https://bit.ly/{code}", "https://t.ly/{code}"),
                                   link_in_bio=tuple(x for x in base.link_in_bio if sc.platform not in x)
                                   or ("https://linktr.ee/{handle}",))
    return base


def _oddities(rng, sc, fmt: PostalFormat, plan: PhonePlan, words: _Words) -> Oddities:
    if sc.oddities in ODDITIES:
        base = ODDITIES[sc.oddities]
    else:   # a mix of both sets and made-up handles
        a, b = ODDITIES["kpop"], ODDITIES["stans"]

        def mix(x, y, k):
            pool = list(dict.fromkeys(x + y))
            return tuple(pool[i] for i in sorted(rng.choice(len(pool), min(k, len(pool)), replace=False)))
        base = Oddities(
            mix(a.fan_names, b.fan_names, 30), mix(a.joke_names, b.joke_names, 25),
            mix(a.handles, b.handles, 15) + words.distinct(12, 1, 2, title=False),
            mix(a.throwaway, b.throwaway, 12), mix(a.disposable_domains, b.disposable_domains, 8),
            a.placeholder_phones, a.foreign_phones, a.placeholder_postal, a.foreign_postal,
            a.foreign_ip_prefixes, a.trigger_texts + b.trigger_texts, a.member_texts + b.member_texts)
    t = plan.trunk
    sub0 = "0" * plan.sub_len
    holders = (sub0, "1234567890"[: plan.sub_len], f"+{plan.country} {sub0}", f"{t}{'#' * plan.sub_len}",
               "9" * plan.sub_len, f"{t}123{'#' * (plan.sub_len - 3)}")
    others = [f for f in POSTAL_FORMATS.values() if f.name != fmt.name]
    foreign_postal = tuple(x for f in (others[i] for i in rng.choice(len(others), 3, replace=False))
                           for x in f.write(rng.integers(0, f.space, 3)))
    return dataclasses.replace(
        base, placeholder_phones=holders + tuple(base.placeholder_phones[:3]),
        placeholder_postal=fmt.placeholders, foreign_postal=foreign_postal,
        foreign_ip_prefixes=_prefixes(rng, 8) + _v6(rng, 2))


def _email_style(rng, sc, words: _Words) -> EmailStyle:
    if sc.email_style in EMAIL_STYLES:
        return EMAIL_STYLES[sc.email_style]
    national = {f"{words.word(1, 2)}.{_TLDS[rng.integers(len(_TLDS))]}": 0.0 for _ in range(int(rng.integers(1, 5)))}
    domains = {**_GENERIC_MAIL, **national}
    w = rng.dirichlet(np.full(len(domains), 0.6))
    patterns = ("first.last", "firstlast", "firstlastNN", "flast", "firstNNNN", "first_last", "lastfirst",
                "f.last", "lastfirstNN", "firstNN", "flastNN", "handle")
    pw = rng.dirichlet(np.full(len(patterns), 0.5))
    keep = pw > 0.01
    return EmailStyle({k: round(float(x), 4) for k, x in zip(domains, w) if x > 1e-4} or {"gmail.com": 1.0},
                      {p: round(float(x), 4) for p, x in zip(patterns, pw) if keep[patterns.index(p)]}
                      or {"firstlast": 1.0},
                      round(float(rng.uniform(0, 0.2)), 4), words.distinct(10, 1, 2, title=False))


def _habits(rng, loc, sc, platforms: dict) -> Habits:
    s = loc.habit_spread
    H = Habits()
    in_app = dict(H.in_app_mix)
    referrers = dict(H.referrer_mix)
    if s > 0:
        in_app = {k: round(float(v * rng.uniform(0.2, 3.0)), 4) for k, v in in_app.items()}
        referrers = dict(zip(referrers, _jitter(rng, list(referrers.values()), s)))
    if sc.platform not in in_app:    # ordinary people use the campaign's platform too
        in_app[sc.platform] = round(float(rng.uniform(0, 0.08)), 4)
        referrers[sc.platform] = round(float(rng.uniform(0, 0.06)), 4)
    browsers = _jitter(rng, [w for _, w in BROWSERS.values()], s) if s > 0 else ()
    return Habits(
        name_styles=_jitter(rng, H.name_styles[:5] + (0.03,), s) if s > 0 else H.name_styles,
        name_plain=_jitter(rng, H.name_plain, s), odd_names=_jitter(rng, H.odd_names, s),
        odd_emails=_jitter(rng, H.odd_emails, s), disposable=_beta_near(rng, H.disposable, s),
        phone_formats=_jitter(rng, H.phone_formats, s), odd_phones=_jitter(rng, H.odd_phones, s),
        postal_skew=float(loc.postal_skew),
        postal_suffix=round(float(rng.uniform(0, 0.05)), 4) if loc.postal_format == "d5" else 0.0,
        odd_postal=_jitter(rng, H.odd_postal, s), mobile_ip=float(loc.mobile_ip), ip_span=int(loc.ip_span),
        odd_ips=_jitter(rng, H.odd_ips, s), in_app_mix=tuple(in_app.items()),
        odd_in_app=_beta_near(rng, H.odd_in_app, s), shift_in_app=_beta_near(rng, H.shift_in_app, s),
        referrer_mix=tuple(referrers.items()), odd_referrers=_jitter(rng, H.odd_referrers, s),
        browser_weights=browsers)


def synthesise(sc) -> Vocabulary:
    """The vocabulary of scenario ``sc``'s :class:`~detector.simulation.scenarios.Locale`."""
    loc = sc.locale
    rng = np.random.default_rng([int(loc.seed), 0x10CA1E])
    words = _Words(rng)
    # --- the place
    city = words.word(2, 3).title()
    venue = f"{city} {_VENUES[rng.integers(len(_VENUES))]}"
    tld = _TLDS[rng.integers(len(_TLDS))]
    host = f"{words.word(1, 2)}-tickets.{tld}"
    fmt = POSTAL_FORMATS[loc.postal_format]
    postal, travel_postal, national_postal = _postal(rng, fmt, loc.postal_codes)
    n_area = int(loc.phone_area_codes)
    if n_area:
        area = _digits(rng, n_area + 40, int(loc.phone_area_len))   # fewer when the length allows fewer
        n_local = min(n_area, max(1, len(area) // 2))
        local_area, rest = area[:n_local], area[n_local:]
        travel_area = rest[: max(1, min(8, len(rest) // 3))]
        national_area = rest[len(travel_area):] or rest
    else:
        local_area, travel_area, national_area = (), (), ()
    plan = PhonePlan(loc.phone_country, loc.phone_trunk, local_area, travel_area, national_area,
                     int(loc.phone_sub_len), tuple(loc.phone_formats),
                     tuple(c for c in _COUNTRY_CODES if c != loc.phone_country))
    k_isp = int(loc.isp_prefixes)
    firsts = np.sort(rng.choice(np.arange(1, 224), int(np.clip(k_isp // 20, 1, 100)), replace=False))
    isp = _prefixes(rng, k_isp, [a for a in firsts if a not in (10, 127, 100, 169, 172, 192)] or [24])
    isp_w = rng.dirichlet(np.full(len(isp), float(rng.uniform(0.3, 3.0))))
    national_isp = _prefixes(rng, int(rng.integers(20, 300)), exclude=isp)
    n_mob = int(rng.integers(2, 12))
    n_v6 = int(rng.binomial(n_mob, loc.ipv6))
    mobile = _prefixes(rng, n_mob - n_v6, exclude=isp) + _v6(rng, n_v6)
    news = tuple(f"https://www.{city.lower()}{x}.{tld}/" for x in ("news", "times", "post", "today", "24")[
        : int(rng.integers(2, 6))])
    tmpl = REGIONS["tulsa"].supporter_texts + REGIONS["phoenix"].supporter_texts
    region = Region(
        "synthetic", city, venue, loc.timezone, host, f"{city}Events", postal, travel_postal,
        {a: 1.0 for a in local_area}, travel_area, dict(zip(isp, (round(float(w), 6) for w in isp_w))),
        tuple(f"{words.word(1, 2)}.{t}" for t in ("net", "com", tld)) + (f"{city.lower()}.edu",),
        news, tuple(f"{city}{x}" for x in ("News", "Times", "Today")[: len(news)]),
        tuple(tmpl[i] for i in sorted(rng.choice(len(tmpl), 8, replace=False))))
    # --- the people
    if sc.names in NAMES:
        names = NAMES[sc.names]
    else:
        names = NameSet(words.distinct(int(rng.integers(60, 200))), words.distinct(int(rng.integers(80, 300))))
    email = _email_style(rng, sc, words)
    odd = _oddities(rng, sc, fmt, plan, words)
    plat = _platform(rng, sc, loc, words)
    platforms = {**PLATFORMS, plat.name: plat}
    habits = _habits(rng, loc, sc, platforms)
    search = dict(SEARCH_REFERRERS)
    if loc.habit_spread > 0:
        for u in rng.choice(len(_EXTRA_SEARCH), int(rng.integers(0, 3)), replace=False):
            search[_EXTRA_SEARCH[u]] = round(float(rng.uniform(0.05, 0.8)), 4)
    return Vocabulary(region, names, email, odd, plat, habits=habits, platforms=platforms,
                      national_area_codes=national_area or ("",), national_postal=national_postal,
                      national_isp=national_isp, mobile_prefixes=mobile,
                      vpn_prefixes=VPN_PREFIXES + _prefixes(rng, 4), search_referrers=search, phone=plan)

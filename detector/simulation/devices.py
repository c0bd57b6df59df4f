"""How people reach the sign-up page: IP addresses, user agents and referrers (internal).

Ordinary values mix regional ISPs with nationwide mobile carriers (whose CGNAT
addresses are shared by strangers), desktop and mobile browsers with some in-app
browsers, and the usual referrers. Odd values come from far away and from the
campaign platform's in-app browser and links.
"""
from __future__ import annotations

import numpy as np

from . import _draw as d
from .vocab import BROWSERS, UA_FILL

__all__ = ["draw_ips", "draw_referrers", "draw_user_agents", "ua_pool"]


def ua_pool(rng, templates, weights, per: int = 12):
    """Distinct user-agent strings from templates, ``per`` random fillings each, with weights."""
    vals, p = [], []
    for t, w in zip(templates, weights):
        keys = [k for k in UA_FILL if "{" + k + "}" in t]
        filled = sorted({t.format(**{k: UA_FILL[k][rng.integers(len(UA_FILL[k]))] for k in keys})
                         for _ in range(per if keys else 1)})
        vals += filled
        p += [w / len(filled)] * len(filled)
    p = np.asarray(p)
    return np.array(vals, dtype=object), p / p.sum()


def _platform_pool(rng, plat):
    return ua_pool(rng, plat.in_app_ua, [1.0] * len(plat.in_app_ua))


def draw_user_agents(rng, V, odd, shift_to, shift):
    """User agents; ``shift`` rows use the in-app browser of platform ``shift_to[row]``."""
    n = len(odd)
    H = V.habits
    mix = dict(H.in_app_mix)
    weights = H.browser_weights or [w for _, w in BROWSERS.values()]
    b_vals, b_p = ua_pool(rng, [t for t, _ in BROWSERS.values()], weights)
    vals, p = [b_vals], [b_p * (1 - sum(mix.values()))]
    for name, w in mix.items():
        v, q = _platform_pool(rng, V.platforms[name])
        vals.append(v)
        p.append(q * w)
    ua = d.pick(rng, np.concatenate(vals), n, np.concatenate(p))
    for name in np.unique(shift_to[shift]).tolist():
        if name in V.platforms:
            rows = shift & (shift_to == name) & (rng.random(n) < H.shift_in_app)
            v, q = _platform_pool(rng, V.platforms[name])
            ua[rows] = d.pick(rng, v, int(rows.sum()), q)
    k = int(odd.sum())
    if k:
        v, q = _platform_pool(rng, V.platform)
        in_app = d.pick(rng, v, k, q)
        mob = [BROWSERS[b][0] for b in ("safari_iphone", "chrome_android")]
        m_vals, m_p = ua_pool(rng, mob, [0.55, 0.45])
        ua[odd] = np.where(rng.random(k) < H.odd_in_app, in_app, d.pick(rng, m_vals, k, m_p))
    return ua


def _ipv4(rng, prefixes, cgnat: bool, span: int = 256):
    k = len(prefixes)
    if cgnat:   # carrier-grade NAT: a few addresses shared by many strangers
        c, e = rng.integers(0, 64, k) * 3 + 8, rng.integers(1, 255, k)
    elif span >= 256:
        c, e = rng.integers(0, 256, k), rng.integers(1, 255, k)
    else:       # clustered: each prefix uses a few third octets, fixed per prefix
        base = d.apply_unique(lambda p: (sum(map(ord, p)) * 37) % 256, prefixes).astype(np.int64)
        c, e = (base + rng.integers(0, span, k)) % 256, rng.integers(1, 255, k)
    return np.array([f"{p}.{a}.{b}" for p, a, b in zip(prefixes, c.tolist(), e.tolist())], dtype=object)


def _ip(rng, prefixes, cgnat, span: int = 256):
    out = np.empty(len(prefixes), dtype=object)
    v6 = np.array([":" in p for p in prefixes], dtype=bool)
    out[~v6] = _ipv4(rng, prefixes[~v6], cgnat, span)
    k = int(v6.sum())
    if k:
        g = rng.integers(0, 65536, (k, 6))
        out[v6] = [p + ":".join(f"{x:x}" for x in row) for p, row in zip(prefixes[v6], g.tolist())]
    return out


def draw_ips(rng, V, odd, travel):
    """IP addresses: regional ISPs and mobile carriers; odd ones far away, VPN or foreign."""
    n = len(odd)
    R, H = V.region, V.habits
    home = d.pick(rng, list(R.isp_prefixes), n, list(R.isp_prefixes.values()))
    home[travel] = d.pick(rng, V.national_isp, int(travel.sum()))
    mobile = rng.random(n) < H.mobile_ip
    k = int(odd.sum())
    if k:
        kind = d.codes(rng, H.odd_ips, k)   # far ISP, mobile, VPN, foreign
        far = np.select([kind == 0, kind == 2, kind == 3],
                        [d.pick(rng, V.national_isp, k), d.pick(rng, V.vpn_prefixes, k),
                         d.pick(rng, V.odd.foreign_ip_prefixes, k)], "")
        home[odd] = far
        mobile[odd] = kind == 1
    ip = _ip(rng, home, cgnat=False, span=H.ip_span)
    m = int(mobile.sum())
    ip[mobile] = _ip(rng, d.pick(rng, V.mobile_prefixes, m), cgnat=True)
    return ip


def _fill(rng, templates, handles):
    out = np.array(templates, dtype=object)
    rows = np.flatnonzero(d.apply_unique(lambda t: "{" in t, out).astype(bool))
    code = d.random_strings(rng, len(rows), 8, 10)
    out[rows] = [t.format(code=c, handle=h) for t, c, h in zip(out[rows], code, handles[rows])]
    return out


def draw_referrers(rng, V, odd, shift_to, shift, handles):
    """Referrers; ``shift`` rows come from platform ``shift_to[row]`` (or local news)."""
    n = len(odd)
    R = V.region
    host = f"https://{R.signup_host}/"
    opts = dict(V.habits.referrer_mix)
    kind = np.array(list(opts), dtype=object)[d.codes(rng, opts, n)]
    src = {"": [""], "official": [host, host + "events", host + "?utm_source=newsletter"],
           "news": list(R.news_sites), "webmail": ["https://mail.google.com/", "https://mail.yahoo.com/",
                                                   "android-app://com.google.android.gm/"],
           "other": ["https://www.reddit.com/", "https://www.youtube.com/", "https://news.google.com/",
                     "https://www.drudgereport.com/", "https://nextdoor.com/"]}
    for k, v in V.platforms.items():
        src[k] = list(v.referrers)
    ref = np.empty(n, dtype=object)
    search = kind == "search"
    S = V.search_referrers
    ref[search] = d.pick(rng, list(S), int(search.sum()), list(S.values()))
    for k, v in src.items():
        rows = kind == k
        ref[rows] = d.pick(rng, v, int(rows.sum()))
    for name in np.unique(shift_to[shift]).tolist():
        rows = shift & (shift_to == name)
        ref[rows] = d.pick(rng, src.get(name, R.news_sites), int(rows.sum()))
    k = int(odd.sum())
    if k:
        P = V.platform
        c = d.codes(rng, V.habits.odd_referrers, k)   # platform, link in bio, none
        ref[odd] = np.select([c == 0, c == 1], [d.pick(rng, P.referrers, k),
                                                d.pick(rng, P.link_in_bio or P.referrers, k)], "")
    return _fill(rng, ref, handles)

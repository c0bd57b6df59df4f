"""Posts, reposts and follows around the sign-ups (internal).

Seed posts (announcements, viral shares, news, campaign triggers and the reposts
that start sub-bursts) come from the timeline. Around them: members' duets of the
post that drove them, shortly before signing up; reposts by audiences who never
sign up; supporters' shares after signing up; unrelated chatter; and follows
(members to organisers, supporters to the official account, communities, noise).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import _draw as d
from .places import ANNOUNCE_TEXTS, NEWS_TEXTS, NOISE_TEXTS
from .vocab import PLATFORMS

__all__ = ["account_ids", "build_social", "organiser_handles"]

_P = 999_999_937  # prime: account ids are an affine bijection of account numbers modulo it
_AUTHOR_ROLE = {"viral_share": "sharer", "news_mention": "news", "repost": "influencer"}


def organiser_handles(rng, V, k: int) -> np.ndarray:
    """Handles of the ``k`` campaign organisers (index 0 unused)."""
    sep = d.pick(rng, ["", ".", "_", "x"], k)
    h = d.join(d.pick(rng, V.odd.handles, k), sep, d.pick(rng, V.odd.handles, k), d.numbers(rng, k, 0, 100))
    return np.concatenate([np.array([""], dtype=object), h])


def account_ids(rng, count: int) -> np.ndarray:
    """Distinct, unordered account ids for account numbers 0..count-1."""
    a, b = int(rng.integers(1, _P)), int(rng.integers(0, _P))
    v = (a * np.arange(count, dtype=np.int64) + b) % _P
    return np.array([f"u{x:09d}" for x in v.tolist()], dtype=object)


class _Posts:
    def __init__(self):
        self.cols = {k: [] for k in ("author", "t", "text", "url", "shared", "platform")}

    def add(self, **kw):
        m = len(kw["t"])
        for k in self.cols:
            v = kw[k]
            self.cols[k].append(np.full(m, v, dtype=object if isinstance(v, str) else None)
                                if np.ndim(v) == 0 else np.asarray(v))

    def arrays(self):
        return {k: np.concatenate(v) for k, v in self.cols.items()}


def _fmt(templates, **fields):
    return np.array([t.format(**fields).strip() for t in templates], dtype=object)


def build_social(tl, sc, V, rng, attrs, events, handles):
    """Accounts, posts and follows. Returns (posts dict, follows (2, m) array, accounts dict, person_account)."""
    R, O = V.region, V.odd
    n = len(tl.t)
    member, leader = tl.campaign > 0, tl.pos == 0
    odd_acct = attrs["odd"][:, -1]
    url_of = np.array([f"https://{R.signup_host}/events/{e['id']}" for e in events], dtype=object)
    stamps = [pd.Timestamp(e["close"], unit="s", tz=e["tz"]) for e in events]
    date_of = [f"{ts:%B} {ts.day}" for ts in stamps]
    sp = tl.posts
    S = len(sp["t"])
    k = sc.n_campaigns if tl.campaigns else 0

    # --- accounts: official, organisers, seed-post authors, persons, audience, noise
    role, acamp = ["official"] + ["organiser"] * k, [0] + list(range(1, k + 1))
    author = np.zeros(S, dtype=np.int64)
    for i, kind in enumerate(sp["kind"]):
        if kind == "trigger":
            author[i] = sp["campaign"][i]
        elif kind != "announcement":
            author[i] = len(role)
            role.append(_AUTHOR_ROLE[kind])
            acamp.append(sp["campaign"][i])
    p0 = len(role)
    n_person = int(attrs["person"].max()) + 1
    pacc = p0 + attrs["person"]
    posts = _Posts()

    # seed posts
    texts, urls = [], []
    for kind, c, e in zip(sp["kind"], sp["campaign"], sp["event"]):
        f = dict(city=R.city, venue=R.venue, date=date_of[e], url=url_of[e])
        pool = {"announcement": ANNOUNCE_TEXTS, "news_mention": NEWS_TEXTS, "viral_share": R.supporter_texts,
                "trigger": O.trigger_texts, "repost": O.member_texts}[kind]
        texts.append(pool[rng.integers(len(pool))].format(**f).strip())
        bio = (V.platform.link_in_bio or ("",))[0].format(handle=handles[c]) if c else ""
        urls.append({"trigger": f"{url_of[e]} {bio}".strip(), "repost": bio,
                     "news_mention": f"{R.news_sites[0]}news/{e + 1}{rng.integers(10**6)} {url_of[e]}"}.get(kind, url_of[e]))
    plat = [p if p in PLATFORMS else "twitter" for p in sp["platform"]]
    posts.add(author=author, t=np.array(sp["t"]), text=np.array(texts, dtype=object),
              url=np.array(urls, dtype=object), shared=np.array(sp["shared"]), platform=np.array(plat, dtype=object))
    seed_t = np.array(sp["t"], dtype=np.int64)

    # members' duets of the post that drove them, shortly before signing up
    rate = np.where(odd_acct, sc.member_post_rate, sc.organic_post_rate)
    rows = np.flatnonzero(member & leader & (rng.random(n) < rate))
    drv = tl.driver[rows]
    t = np.maximum(tl.t[rows] - 20 - rng.exponential(360, len(rows)).astype(np.int64), seed_t[drv] + 30)
    url = np.where(rng.random(len(rows)) < 0.2, url_of[tl.event[rows]], "")
    posts.add(author=pacc[rows], t=t, text=d.pick(rng, O.member_texts, len(rows)), url=url, shared=drv,
              platform=V.platform.name)
    # audiences reposting without signing up
    n_aud = int(round(sc.audience_ratio * len(rows)))
    a0 = p0 + n_person
    if n_aud:
        adrv = drv[rng.integers(0, len(rows), n_aud)]
        delay = 3600 * ((1 - rng.random(n_aud)) ** (-1 / 1.3) - 1)
        posts.add(author=a0 + np.arange(n_aud), t=seed_t[adrv] + 30 + np.minimum(delay, 20 * 86400).astype(np.int64),
                  text=d.pick(rng, O.member_texts, n_aud), url="", shared=adrv, platform=V.platform.name)
    aud_camp = np.asarray(sp["campaign"], dtype=np.int64)[adrv] if n_aud else np.zeros(0, dtype=np.int64)

    # supporters sharing after signing up
    orate = sc.organic_post_rate * np.where(tl.surge > 0, 3.0, 1.0)
    rows_o = np.flatnonzero(~member & leader & (rng.random(n) < orate))
    m = len(rows_o)
    announce = {e: i for i, (kk, e) in enumerate(zip(sp["kind"], sp["event"])) if kk == "announcement"}
    mix = ["facebook", "twitter", "instagram", V.platform.name]
    oplat = d.pick(rng, mix, m, [0.5, 0.3, 0.12, 0.08])
    in_surge = tl.surge[rows_o] > 0
    splat = np.array(plat, dtype=object)[np.maximum(tl.driver[rows_o], 0)]
    oplat = np.where(in_surge & (rng.random(m) < 0.7), splat, oplat)
    ann = np.array([announce.get(e, -1) for e in tl.event[rows_o].tolist()], dtype=np.int64)
    oshared = np.where(in_surge & (rng.random(m) < 0.6), tl.driver[rows_o],
                       np.where(rng.random(m) < 0.3, ann, -1))
    tmpl = d.pick(rng, R.supporter_texts, m)
    ourl = url_of[tl.event[rows_o]]
    otext = np.array([t_.format(city=R.city, venue=R.venue, url=u).strip() for t_, u in zip(tmpl, ourl)], dtype=object)
    has_url = np.array(["{url}" in t_ for t_ in tmpl], dtype=bool)
    ourl = np.where(has_url | (rng.random(m) < 0.3), ourl, "")
    ot = tl.t[rows_o] + 10 + rng.exponential(1200, m).astype(np.int64)
    ot = np.where(oshared >= 0, np.maximum(ot, seed_t[np.maximum(oshared, 0)] + 30), ot)
    posts.add(author=pacc[rows_o], t=ot, text=otext, url=ourl, shared=oshared, platform=oplat)

    # unrelated chatter
    n_noise = int(round(sc.noise_accounts * n))
    z0 = a0 + n_aud
    t_lo = min(e["open"] for e in events) - 2 * 86400
    t_hi = max(e["close"] for e in events) + 86400
    m = int(rng.poisson(1.0 * n_noise)) if n_noise else 0
    if m:
        nt = np.sort(rng.integers(t_lo, t_hi, m))
        base = sum(len(x) for x in posts.cols["t"])
        earlier = (rng.random(m) * np.arange(m)).astype(np.int64)
        nshared = np.where((rng.random(m) < 0.15) & (np.arange(m) > 0), base + earlier, -1)
        posts.add(author=z0 + rng.integers(0, n_noise, m), t=nt, text=d.pick(rng, NOISE_TEXTS, m), url="",
                  shared=nshared, platform=d.pick(rng, list(PLATFORMS), m, [0.3, 0.2, 0.25, 0.25]))

    follows = _follows(rng, tl, sc, pacc, odd_acct, author, aud_camp, a0, n_noise, z0, k)
    pc = np.zeros(n_person, dtype=np.int64)
    pc[attrs["person"]] = tl.campaign
    accounts = dict(
        role=np.concatenate([np.array(role, dtype=object), np.full(n_person, "person", dtype=object),
                             np.full(n_aud, "audience", dtype=object), np.full(n_noise, "noise", dtype=object)]),
        campaign=np.concatenate([np.array(acamp, dtype=np.int64), pc, aud_camp, np.zeros(n_noise, dtype=np.int64)]))
    return posts.arrays(), follows, accounts, pacc


def _follows(rng, tl, sc, pacc, odd_acct, author, aud_camp, a0, n_noise, z0, k):
    member, leader = tl.campaign > 0, tl.pos == 0
    edges = []
    # members -> their organiser; supporters -> official account, viral sharers
    rows = np.flatnonzero(leader & member)
    p = np.where(odd_acct[rows], sc.member_follow_rate, 0.03)
    f = rows[rng.random(len(rows)) < p]
    edges.append((pacc[f], tl.campaign[f]))
    rows = np.flatnonzero(leader & ~member)
    f = rows[rng.random(len(rows)) < 0.35]
    edges.append((pacc[f], np.zeros(len(f), dtype=np.int64)))
    f = rows[(tl.surge[rows] > 0) & (rng.random(len(rows)) < 0.15)]
    edges.append((pacc[f], author[tl.driver[f]]))
    f = np.flatnonzero(rng.random(len(aud_camp)) < 0.4)
    edges.append((a0 + f, aud_camp[f]))      # organiser c is account c
    if n_noise:
        for target in range(k + 1):   # popular accounts followed by strangers
            m = int(rng.binomial(n_noise, 0.05))
            edges.append((z0 + rng.integers(0, n_noise, m), np.full(m, target)))
    # communities: members of a campaign, local supporters; plus random follows
    p_lead = pacc[leader]
    camp_lead = tl.campaign[leader]
    for c in np.unique(camp_lead).tolist():
        accs = p_lead[camp_lead == c]
        m = int(rng.poisson(0.8 * len(accs)))
        edges.append((accs[rng.integers(0, len(accs), m)], accs[rng.integers(0, len(accs), m)]))
    pool = np.concatenate([p_lead, z0 + np.arange(n_noise)])
    m = int(rng.poisson(0.7 * len(pool)))
    edges.append((pool[rng.integers(0, len(pool), m)], pool[rng.integers(0, len(pool), m)]))
    src = np.concatenate([e[0] for e in edges]).astype(np.int64)
    dst = np.concatenate([e[1] for e in edges]).astype(np.int64)
    keep = src != dst
    base = int(max(src.max(initial=0), dst.max(initial=0))) + 1
    key = np.unique(src[keep] * base + dst[keep])
    return np.stack([key // base, key % base])

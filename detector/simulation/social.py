"""Posts, reposts and follows around the sign-ups (internal).

Seed posts (announcements, viral shares, news, campaign triggers and the reposts
that start sub-bursts) come from the timeline. Around them: members' duets of the
post that drove them, shortly before signing up; amplifiers, a few members of each
campaign who copy or repost each of its seed posts within seconds; reposts by
audiences who never sign up; supporters' shares after signing up; unrelated chatter
with links and hashtags; and follows (members to organisers, supporters to the
official account, communities, noise).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import _draw as d
from .places import ANNOUNCE_TEXTS, NEWS_TEXTS, NOISE_LINKS, NOISE_TAGS, NOISE_TEXTS

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

    def __len__(self):
        return sum(len(x) for x in self.cols["t"])

    def add(self, **kw):
        m = len(kw["t"])
        for k in self.cols:
            v = kw[k]
            self.cols[k].append(np.full(m, v, dtype=object if isinstance(v, str) else None)
                                if np.ndim(v) == 0 else np.asarray(v))

    def arrays(self):
        return {k: np.concatenate(v) for k, v in self.cols.items()}


class _Context:
    """What every step needs: the scenario, its vocabulary and the sign-ups."""

    def __init__(self, tl, sc, V, rng, attrs, events, handles):
        self.tl, self.sc, self.V, self.rng, self.handles = tl, sc, V, rng, handles
        self.n = len(tl.t)
        self.member = tl.campaign > 0
        self.first = ~(self.member & (tl.pos > 0))      # a person's first sign-up
        self.odd_acct = attrs["odd"][:, -1]
        self.person = attrs["person"]
        self.url_of = np.array([f"https://{V.region.signup_host}/events/{e['id']}" for e in events], dtype=object)
        stamps = [pd.Timestamp(e["close"], unit="s", tz=e["tz"]) for e in events]
        self.date_of = [f"{ts:%B} {ts.day}" for ts in stamps]
        self.t_lo = min(e["open"] for e in events) - 2 * 86400
        self.t_hi = max(e["close"] for e in events) + 86400
        self.sp = tl.posts
        self.seed_t = np.array(self.sp["t"], dtype=np.int64)
        self.k = len(tl.campaigns)


def build_social(tl, sc, V, rng, attrs, events, handles):
    """Accounts, posts and follows.

    Returns
    -------
    posts : dict of ndarray
        ``author`` (account number), ``t``, ``text``, ``url``, ``shared`` (post index or -1), ``platform``.
    follows : ndarray, shape (2, m)
        Follower and followee account numbers.
    accounts : dict of ndarray
        ``role`` and ``campaign`` per account number.
    person_account : ndarray
        Account number of each registration's person.
    """
    cx = _Context(tl, sc, V, rng, attrs, events, handles)
    # account numbers: official 0, organisers 1..k, seed-post authors, persons, audiences, noise
    role, acamp = ["official"] + ["organiser"] * cx.k, [0] + list(range(1, cx.k + 1))
    author = np.zeros(len(cx.seed_t), dtype=np.int64)
    for i, (kind, c) in enumerate(zip(cx.sp["kind"], cx.sp["campaign"])):
        if kind == "trigger":
            author[i] = c
        elif kind != "announcement":
            author[i] = len(role)
            role.append(_AUTHOR_ROLE[kind])
            acamp.append(c)
    n_person = int(cx.person.max()) + 1
    pacc = len(role) + cx.person
    a0 = len(role) + n_person
    posts = _Posts()
    plat, seed_text, seed_url = _seed_posts(cx, posts, author)
    drivers = _member_posts(cx, posts, pacc)
    amplifier = _amplifier_posts(cx, posts, pacc, seed_text, seed_url)
    aud_camp = _audience_posts(cx, posts, drivers, a0)
    _supporter_posts(cx, posts, pacc, plat)
    z0 = a0 + len(aud_camp)
    n_noise = _noise_posts(cx, posts, z0)
    follows = _follows(cx, pacc, author, aud_camp, a0, n_noise, z0)
    pc = np.zeros(n_person, dtype=np.int64)
    pc[cx.person] = tl.campaign
    accounts = dict(
        role=np.concatenate([np.array(role, dtype=object), np.where(amplifier, "amplifier", "person").astype(object),
                             np.full(len(aud_camp), "audience", dtype=object), np.full(n_noise, "noise", dtype=object)]),
        campaign=np.concatenate([np.array(acamp, dtype=np.int64), pc, aud_camp, np.zeros(n_noise, dtype=np.int64)]))
    return posts.arrays(), follows, accounts, pacc


def _seed_posts(cx, posts, author):
    """Announcements, viral shares, news, triggers and influencer reposts, with texts and URLs."""
    R, O, rng = cx.V.region, cx.V.odd, cx.rng
    texts, urls = [], []
    for kind, c, e in zip(cx.sp["kind"], cx.sp["campaign"], cx.sp["event"]):
        f = dict(city=R.city, venue=R.venue, date=cx.date_of[e], url=cx.url_of[e])
        pool = {"announcement": ANNOUNCE_TEXTS, "news_mention": NEWS_TEXTS, "viral_share": R.supporter_texts,
                "trigger": O.trigger_texts, "repost": O.member_texts}[kind]
        texts.append(pool[rng.integers(len(pool))].format(**f).strip())
        bio = (cx.V.platform.link_in_bio or ("",))[0].format(handle=cx.handles[c]) if c else ""
        article = f"{R.news_sites[rng.integers(len(R.news_sites))]}news/{rng.integers(10**6, 10**7)}"
        urls.append({"trigger": f"{cx.url_of[e]} {bio}".strip(), "repost": bio,
                     "news_mention": f"{article} {cx.url_of[e]}"}.get(kind, cx.url_of[e]))
    plat = np.array([p if p in cx.V.platforms else "twitter" for p in cx.sp["platform"]], dtype=object)
    texts, urls = np.array(texts, dtype=object), np.array(urls, dtype=object)
    posts.add(author=author, t=cx.seed_t, text=texts, url=urls, shared=np.array(cx.sp["shared"], dtype=np.int64),
              platform=plat)
    return plat, texts, urls


def _member_posts(cx, posts, pacc):
    """Members' duets / reposts of the post that drove them, shortly before they sign up."""
    tl, sc, rng = cx.tl, cx.sc, cx.rng
    rate = np.where(cx.odd_acct, sc.member_post_rate, sc.organic_post_rate)
    rows = np.flatnonzero(cx.member & cx.first & (rng.random(cx.n) < rate))
    drv = tl.driver[rows]
    t = np.maximum(tl.t[rows] - 20 - rng.exponential(360, len(rows)).astype(np.int64), cx.seed_t[drv] + 30)
    url = np.where(rng.random(len(rows)) < 0.2, cx.url_of[tl.event[rows]], "")
    posts.add(author=pacc[rows], t=t, text=d.pick(rng, cx.V.odd.member_texts, len(rows)), url=url, shared=drv,
              platform=cx.V.platform.name)
    return drv


def _amplifier_posts(cx, posts, pacc, seed_text, seed_url):
    """A few members per campaign (``amplifiers`` on average, however big the campaign) copy or
    repost each of its seed posts within seconds.

    Copies carry the seed's text (with case, @mention and spacing changes that normalisation
    undoes, or an added word) and its links; reposts point at it. Returns a mask of amplifying persons.
    """
    tl, sc, rng = cx.tl, cx.sc, cx.rng
    amplifier = np.zeros(int(cx.person.max()) + 1, dtype=bool)
    first = np.flatnonzero(cx.member & cx.first)
    kinds, camp = np.asarray(cx.sp["kind"], dtype=object), np.asarray(cx.sp["campaign"], dtype=np.int64)
    for c in range(1, cx.k + 1):
        pool = first[tl.campaign[first] == c]
        k = min(int(rng.poisson(sc.amplifiers)), len(pool))
        who = np.sort(rng.choice(pool, k, replace=False)) if k else pool[:0]
        seeds = np.flatnonzero((camp == c) & np.isin(kinds, ["trigger", "repost"]))
        if len(who) < 2 or len(seeds) == 0:
            continue
        amplifier[cx.person[who]] = True
        m = len(who) * len(seeds)
        src = np.repeat(seeds, len(who))
        author = np.tile(pacc[who], len(seeds))
        delay = 2 + rng.exponential(sc.amplifier_delay_s * (1 + 4 * sc.camouflage), m)
        copy = rng.random(m) < 0.6
        root = np.where(kinds[src] == "trigger", src, np.asarray(cx.sp["shared"], dtype=np.int64)[src])
        text = np.array([_vary(rng, t) for t in seed_text[root]], dtype=object)
        posts.add(author=author, t=cx.seed_t[src] + delay.astype(np.int64), text=np.where(copy, text, ""),
                  url=np.where(copy, seed_url[root], ""), shared=np.where(copy, -1, src), platform=cx.V.platform.name)
    return amplifier


def _vary(rng, text: str) -> str:
    """The text with a change: other case, a leading @mention or doubled spaces (normalisation
    undoes them), or an added word (a near-duplicate)."""
    u = rng.random()
    if u < 0.2:
        return text.upper()
    if u < 0.4:
        return f"@{rng.integers(10**5, 10**6)} {text}"
    if u < 0.6:
        return text.replace(" ", "  ", 1)
    if u < 0.8:
        return f"{text} {('pls', 'rt', 'go go', 'now!!', 'spread it')[rng.integers(5)]}"
    return text


def _audience_posts(cx, posts, drivers, a0):
    """Reposts by people who watch the campaign but never sign up. Returns their campaigns."""
    rng = cx.rng
    n_aud = int(round(cx.sc.audience_ratio * len(drivers)))
    if n_aud == 0:
        return np.zeros(0, dtype=np.int64)
    adrv = drivers[rng.integers(0, len(drivers), n_aud)]
    delay = np.minimum(3600 * ((1 - rng.random(n_aud)) ** (-1 / 1.3) - 1), 20 * 86400).astype(np.int64)
    posts.add(author=a0 + np.arange(n_aud), t=cx.seed_t[adrv] + 30 + delay,
              text=d.pick(rng, cx.V.odd.member_texts, n_aud), url="", shared=adrv, platform=cx.V.platform.name)
    return np.asarray(cx.sp["campaign"], dtype=np.int64)[adrv]


def _supporter_posts(cx, posts, pacc, plat):
    """Organic supporters sharing the sign-up link (often the post they came from) after signing up."""
    tl, sc, rng, R = cx.tl, cx.sc, cx.rng, cx.V.region
    rate = sc.organic_post_rate * np.where(tl.surge > 0, 3.0, 1.0)
    rows = np.flatnonzero(~cx.member & cx.first & (rng.random(cx.n) < rate))
    m = len(rows)
    announce = {e: i for i, (kind, e) in enumerate(zip(cx.sp["kind"], cx.sp["event"])) if kind == "announcement"}
    platform = d.pick(rng, ["facebook", "twitter", "instagram", cx.V.platform.name], m, [0.5, 0.3, 0.12, 0.08])
    in_surge = tl.surge[rows] > 0
    drove = plat[np.maximum(tl.driver[rows], 0)] if len(plat) else platform   # no seed post at all: no surge
    platform = np.where(in_surge & (rng.random(m) < 0.7), drove, platform)
    ann = np.array([announce.get(e, -1) for e in tl.event[rows].tolist()], dtype=np.int64)
    shared = np.where(in_surge & (rng.random(m) < 0.6), tl.driver[rows], np.where(rng.random(m) < 0.3, ann, -1))
    tmpl = d.pick(rng, R.supporter_texts, m)
    url = cx.url_of[tl.event[rows]]
    text = np.array([t.format(city=R.city, venue=R.venue, url=u).strip() for t, u in zip(tmpl, url)], dtype=object)
    has_url = np.array(["{url}" in t for t in tmpl], dtype=bool)
    url = np.where(has_url | (rng.random(m) < 0.3), url, "")
    t = tl.t[rows] + 10 + rng.exponential(1200, m).astype(np.int64)
    if len(cx.seed_t):   # (a world without surges or campaigns has no seed post)
        t = np.where(shared >= 0, np.maximum(t, cx.seed_t[np.maximum(shared, 0)] + 30), t)
    posts.add(author=pacc[rows], t=t, text=text, url=url, shared=shared, platform=platform)


def _noise_posts(cx, posts, z0):
    """Unrelated chatter on every platform, some of it reposted. Returns the number of noise accounts."""
    rng = cx.rng
    n_noise = int(round(cx.sc.noise_accounts * cx.n))
    m = int(rng.poisson(n_noise)) if n_noise else 0
    if m:
        t = np.sort(rng.integers(cx.t_lo, cx.t_hi, m))
        earlier = len(posts) + (rng.random(m) * np.arange(m)).astype(np.int64)
        shared = np.where((rng.random(m) < 0.15) & (np.arange(m) > 0), earlier, -1)
        pool = max(50, n_noise // 20)   # links and their popularity
        link = rng.choice(pool, m, p=d.zipf_weights(pool, 2.0))
        url = np.array([NOISE_LINKS[i % len(NOISE_LINKS)].format(id=f"{i:07x}") for i in link.tolist()], dtype=object)
        url = np.where((rng.random(m) < 0.3) & (shared < 0), url, "")
        text = d.pick(rng, NOISE_TEXTS, m)
        tag = rng.random(m) < 0.2
        text[tag] = d.join(text[tag], " ", d.pick(rng, NOISE_TAGS, int(tag.sum())))
        posts.add(author=z0 + rng.integers(0, n_noise, m), t=t, text=text, url=url,
                  shared=shared, platform=d.pick(rng, list(cx.V.platforms), m))
    return n_noise


def _follows(cx, pacc, author, aud_camp, a0, n_noise, z0):
    """Members follow their organiser, supporters the official account; communities; noise."""
    tl, sc, rng, k = cx.tl, cx.sc, cx.rng, cx.k
    edges = []
    rows = np.flatnonzero(cx.first & cx.member)
    f = rows[rng.random(len(rows)) < np.where(cx.odd_acct[rows], sc.member_follow_rate, 0.03)]
    edges.append((pacc[f], tl.campaign[f]))                     # organiser of campaign c is account c
    rows = np.flatnonzero(cx.first & ~cx.member)
    f = rows[rng.random(len(rows)) < 0.35]
    edges.append((pacc[f], np.zeros(len(f), dtype=np.int64)))   # the official account
    f = rows[(tl.surge[rows] > 0) & (rng.random(len(rows)) < 0.15)]
    edges.append((pacc[f], author[tl.driver[f]]))               # whoever posted the surge
    f = np.flatnonzero(rng.random(len(aud_camp)) < 0.4)
    edges.append((a0 + f, aud_camp[f]))
    for target in range(k + 1 if n_noise else 0):               # popular accounts followed by strangers
        m = int(rng.binomial(n_noise, 0.05))
        edges.append((z0 + rng.integers(0, n_noise, m), np.full(m, target)))
    accs_all, camp = pacc[cx.first], tl.campaign[cx.first]
    for c in range(k + 1):                                      # fan communities, local supporters
        accs = accs_all[camp == c]
        m = int(rng.poisson(0.8 * len(accs))) if len(accs) else 0
        edges.append((accs[rng.integers(0, len(accs), m)], accs[rng.integers(0, len(accs), m)]))
    pool = np.concatenate([accs_all, z0 + np.arange(n_noise)])
    m = int(rng.poisson(0.7 * len(pool)))
    edges.append((pool[rng.integers(0, len(pool), m)], pool[rng.integers(0, len(pool), m)]))
    src = np.concatenate([e[0] for e in edges]).astype(np.int64)
    dst = np.concatenate([e[1] for e in edges]).astype(np.int64)
    keep = src != dst
    base = int(max(src.max(initial=0), dst.max(initial=0))) + 1
    key = np.sort(src[keep] * base + dst[keep])
    key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    return np.stack([key // base, key % base])

#!/usr/bin/env python
"""Blind synthetic worlds of event registrations, social posts and follows.

Written from a short brief only (no look at how ``detector`` detects anything): an event
registration page is open for one to three weeks; ordinary people sign up on the local daily
cycle, more as the event nears, in households, and in *organic surges* (announcement,
celebrity share, news, TV, newsletter, last call) that arrive through one channel but are the
usual population. *Coordinated campaigns* start from a post (video, photo, chat group, forum),
run for minutes to days as one burst or several waves, and their members differ from the
population in a few attributes, each replaced by an ordinary value with probability
``camouflage``.

Usage::

    python benchmarks/blind/generate.py --tier easy --n 50000 --seed 1 [--variant other] --out DIR

    from benchmarks.blind.generate import generate
    world = generate("medium", n=50_000, seed=3, variant="default")
    world.write("out/")

Outputs (``Blind.write``): registrations.csv, posts.csv, follows.csv (the contract in
``/work/shared/CONTRACT.md``), truth.csv (registration_id, campaign, camouflage, surge),
campaigns.csv (one row per campaign with its knobs) and knobs.json (every knob of the world).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["generate", "Blind", "TIERS", "VARIANTS"]

# =============================================================================================
# Tiers: the ranges each world's knobs are drawn from
# =============================================================================================

TIERS = {
    # campaign_share: fraction of all registrations that belong to campaigns
    # duration_h: planned length of one campaign (log-uniform); waves: bursts per campaign
    # n_odd: how many attribute columns a campaign differs in; shape: gamma shape of a wave
    # (1 = instant onset then decay, >2 = slow rise); diurnal: how much members follow their
    # own daily cycle (0 = flat, scripts); surge_share: organic registrations in surges
    "easy": dict(campaign_share=(0.25, 0.35), n_campaigns=(1, 2), camouflage=(0.10, 0.20),
                 duration_h=(0.3, 8.0), waves=(1, 2), n_odd=(3, 5), shape=(1.0, 1.4),
                 diurnal=(0.0, 0.5), n_surges=(1, 3), surge_share=(0.05, 0.15), decoys=(0, 0)),
    "medium": dict(campaign_share=(0.15, 0.25), n_campaigns=(1, 3), camouflage=(0.30, 0.40),
                   duration_h=(3.0, 48.0), waves=(1, 3), n_odd=(2, 4), shape=(1.0, 2.0),
                   diurnal=(0.2, 0.8), n_surges=(2, 4), surge_share=(0.10, 0.22), decoys=(0, 1)),
    "hard": dict(campaign_share=(0.07, 0.13), n_campaigns=(2, 4), camouflage=(0.40, 0.50),
                 duration_h=(12.0, 120.0), waves=(2, 5), n_odd=(1, 3), shape=(1.3, 2.5),
                 diurnal=(0.5, 1.0), n_surges=(3, 5), surge_share=(0.15, 0.28), decoys=(1, 2)),
    "organic": dict(campaign_share=(0.0, 0.0), n_campaigns=(0, 0), camouflage=(0.0, 0.0),
                    duration_h=(1.0, 1.0), waves=(1, 1), n_odd=(0, 0), shape=(1.0, 1.0),
                    diurnal=(0.0, 0.0), n_surges=(3, 6), surge_share=(0.20, 0.40), decoys=(1, 2)),
}
VARIANTS = ("default", "other")

#: probability that an optional registrations column is left out of the export
DROP_P = dict(account_id=0.30, email=0.10, phone=0.25, name=0.10, postal_code=0.20, ip=0.30,
              user_agent=0.25, referrer=0.30)
MULTI_EVENT_P = 0.35
ATTENDED_P = 0.20
ODD_COLUMNS = ("phone", "postal_code", "ip", "email", "name", "user_agent", "referrer", "social")
ODD_WEIGHTS = dict(phone=0.8, postal_code=0.8, ip=0.8, email=1.0, name=0.5, user_agent=0.8,
                   referrer=0.8, social=0.9)
ODD_MODES = dict(
    phone=(("region", 0.55), ("placeholder", 0.25), ("sequential", 0.20)),
    postal_code=(("region", 0.60), ("placeholder", 0.20), ("venue", 0.20)),
    ip=(("datacenter", 0.40), ("region", 0.40), ("shared", 0.20)),
    email=(("throwaway", 0.35), ("plus", 0.30), ("pattern", 0.35)),
    name=(("joke", 0.35), ("placeholder", 0.20), ("sequential", 0.15), ("reused", 0.30)),
    user_agent=(("inapp", 0.70), ("uniform", 0.20), ("bot", 0.10)),
    referrer=(("platform", 0.45), ("shortener", 0.25), ("linktree", 0.10), ("tag", 0.20)),
    social=(("fresh_accounts", 0.5), ("fans", 0.5)),
)

# =============================================================================================
# Small helpers
# =============================================================================================


def _zipf(k, s=1.0):
    w = 1.0 / np.arange(1, k + 1) ** s
    return w / w.sum()


def _pick(rng, values, size, p=None):
    values = np.asarray(values, dtype=object)
    return values[rng.choice(len(values), size=size, p=p)]


def _wchoice(rng, pairs, size=None):
    """Choose from ((value, weight), ...)."""
    vals = [v for v, _ in pairs]
    w = np.array([w for _, w in pairs], dtype=float)
    idx = rng.choice(len(vals), size=size, p=w / w.sum())
    if size is None:
        return vals[int(idx)]
    return np.asarray(vals, dtype=object)[idx]


_HEXB = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_B32 = np.frombuffer(b"abcdefghijkmnpqrstuvwxyz23456789", dtype=np.uint8)
_ALNUM = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)


def _fill(rng, pat, m):
    """m strings from an ASCII pattern: D digit, N digit 2-9, L upper, l lower, H hex,
    A alphanumeric, B base32-ish lower; any other character is literal."""
    if m == 0:
        return np.empty(0, dtype=object)
    width = len(pat)
    a = np.empty((m, width), dtype=np.uint8)
    for j, ch in enumerate(pat):
        if ch == "D":
            a[:, j] = rng.integers(48, 58, m)
        elif ch == "N":
            a[:, j] = rng.integers(50, 58, m)
        elif ch == "L":
            a[:, j] = rng.integers(65, 91, m)
        elif ch == "l":
            a[:, j] = rng.integers(97, 123, m)
        elif ch == "H":
            a[:, j] = _HEXB[rng.integers(0, 16, m)]
        elif ch == "A":
            a[:, j] = _ALNUM[rng.integers(0, len(_ALNUM), m)]
        elif ch == "B":
            a[:, j] = _B32[rng.integers(0, len(_B32), m)]
        else:
            a[:, j] = ord(ch)
    return a.view(f"S{width}").ravel().astype(str).astype(object)


def _patterns(rng, patterns, k, p=None):
    """k strings, each from a pattern chosen among ``patterns``."""
    out = np.empty(k, dtype=object)
    if k == 0:
        return out
    which = rng.choice(len(patterns), size=k, p=p)
    for i, pat in enumerate(patterns):
        idx = np.flatnonzero(which == i)
        if len(idx):
            out[idx] = _fill(rng, pat, len(idx))
    return out


def _cat(*parts):
    """Element-wise string concatenation of arrays / scalars (None stays None if any part is None)."""
    n = max(len(p) for p in parts if not isinstance(p, str))
    cols = [[p] * n if isinstance(p, str) else p for p in parts]
    return np.array([None if any(x is None for x in xs) else "".join(xs) for xs in zip(*cols)],
                    dtype=object)


_FOLD: dict = {}


def _fold(s):
    """ASCII, lower case, no spaces (for e-mail local parts and handles)."""
    r = _FOLD.get(s)
    if r is None:
        r = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
        r = r.replace(" ", "").replace("'", "").replace("-", "")
        _FOLD[s] = r
    return r


_STRIP: dict = {}


def _strip_accents(s):
    r = _STRIP.get(s)
    if r is None:
        r = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
        _STRIP[s] = r
    return r


_BR_PARTICLE_OK = {"Silva", "Santos", "Souza", "Oliveira", "Andrade", "Almeida", "Araújo", "Barros", "Castro",
                   "Carvalho", "Freitas", "Lima", "Melo", "Moraes", "Costa", "Reis", "Assis", "Paula", "Jesus",
                   "Rocha", "Cunha", "Fonseca", "Campos", "Macedo", "Mendes", "Queiroz", "Sales"}


def _br_particle(surname):
    if surname in ("Santos", "Reis", "Anjos", "Passos", "Prazeres"):
        return "dos"
    if surname in ("Silva", "Costa", "Rocha", "Cunha", "Fonseca", "Cruz", "Luz", "Paz", "Mota", "Conceição"):
        return "da"
    return "de"


def _u(rng, lo, hi):
    return float(rng.uniform(lo, hi))


def _ri(rng, lo, hi):
    return int(rng.integers(lo, hi + 1))


def _loguniform(rng, lo, hi):
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _obj(values):
    """Object array with None for missing values (pandas may store missing text as NaN)."""
    a = np.array(values, dtype=object)
    a[pd.isna(a)] = None
    return a


def _iso(ts):
    return pd.Timestamp(ts, unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


# =============================================================================================
# Vocabularies: default = a Tulsa-like US city, TikTok as the main platform
# =============================================================================================

_US_F = """Emma Olivia Ashley Jessica Jennifer Sarah Amanda Emily Madison Hannah Elizabeth Ava Sophia
Brittany Megan Lauren Samantha Taylor Kayla Abigail Isabella Mia Harper Chloe Addison Kaylee Brooklyn
Grace Natalie Stephanie Rachel Heather Nicole Amber Tiffany Crystal Melissa Michelle Kimberly Lisa
Angela Amy Mary Patricia Linda Barbara Susan Karen Donna Sandra Carol Deborah Sharon Cynthia Brenda
Pamela Debra Tammy Tina Kelly Shelby Destiny Jasmine Maria Guadalupe Alejandra Daisy Leslie Makayla
Paisley Kinsley Aubrey Lily Zoey Nevaeh Riley Layla Savannah Peyton Haley Morgan Alexis Courtney Katie
Whitney Lindsey Erin Dana Wanda Judy Joyce Gloria Janet Rhonda Tonya Misty Autumn Cheyenne Dakota
Kennedy Aaliyah Imani Ebony Keisha Latoya Trinity Jada Rebecca Katherine Allison Brianna Sydney""".split()
_US_M = """James Michael John Robert David William Christopher Joshua Matthew Daniel Joseph Tyler
Brandon Ryan Andrew Jacob Justin Anthony Thomas Richard Charles Mark Donald Steven Paul Kenneth Kevin
Brian George Timothy Ronald Jason Edward Jeffrey Gary Nicholas Eric Jonathan Stephen Larry Scott
Benjamin Samuel Gregory Frank Alexander Raymond Patrick Jack Dennis Jerry Aaron Jose Adam Nathan
Henry Douglas Zachary Peter Kyle Walter Ethan Jeremy Harold Keith Christian Roger Noah Gerald Carl
Terry Sean Austin Arthur Lawrence Jesse Dylan Bryan Joe Jordan Billy Bruce Albert Willie Gabriel Logan
Alan Juan Wayne Roy Ralph Randy Eugene Vincent Russell Elijah Louis Bobby Philip Johnny Cody Dustin
Travis Colton Bryce Hunter Wyatt Cole Luis Carlos Miguel Jesus DeShawn Marcus Darius Tre Caleb""".split()
_US_LAST = """Smith Johnson Williams Brown Jones Davis Miller Wilson Moore Taylor Anderson Thomas Jackson
White Harris Martin Thompson Garcia Martinez Robinson Clark Rodriguez Lewis Lee Walker Hall Allen Young
Hernandez King Wright Lopez Hill Scott Green Adams Baker Gonzalez Nelson Carter Mitchell Perez Roberts
Turner Phillips Campbell Parker Evans Edwards Collins Stewart Sanchez Morris Rogers Reed Cook Morgan
Bell Murphy Bailey Rivera Cooper Richardson Cox Howard Ward Torres Peterson Gray Ramirez James Watson
Brooks Kelly Sanders Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long
Patterson Hughes Flores Washington Butler Simmons Foster Gonzales Bryant Alexander Russell Griffin Diaz
Hayes Myers Ford Hamilton Graham Sullivan Wallace Woods Cole West Jordan Owens Reynolds Fisher Ellis
Harrison Gibson McDonald Cruz Marshall Ortiz Gomez Murray Freeman Wells Webb Simpson Stevens Tucker
Porter Hunter Hicks Crawford Henry Boyd Mason Morales Kennedy Warren Dixon Ramos Reyes Burns Gordon
Shaw Holmes Rice Robertson Hunt Black Daniels Palmer Mills Nichols Grant Knight Ferguson Rose Stone
Hawkins Dunn Perkins Hudson Spencer Gardner Stephens Payne Pierce Berry Matthews Arnold Wagner Willis
Ray Watkins Olson Carroll Duncan Snyder Hart Cunningham Bradley Lane Andrews Ruiz Harper Fox Riley
Armstrong Carpenter Weaver Greene Lawrence Elliott Chavez Sims Austin Peters Kelley Franklin Lawson
Nguyen Tran Patel Kim Chen Sixkiller Hummingbird Fourkiller Proctor Chuculate Harjo Tiger Bigpond
Deerinwater Littledave Blackfox Starr Wolfe Goingsnake Vann Ridge""".split()

_US_NICK = {"Christopher": "chris", "Michael": "mike", "William": "will", "Robert": "rob",
            "Jennifer": "jen", "Elizabeth": "liz", "Joshua": "josh", "Matthew": "matt",
            "Nicholas": "nick", "Jessica": "jess", "Samantha": "sam", "Alexander": "alex",
            "Benjamin": "ben", "Jonathan": "jon", "Daniel": "dan", "Anthony": "tony",
            "Kimberly": "kim", "Stephanie": "steph", "Katherine": "kate", "Zachary": "zach",
            "Timothy": "tim", "Jacob": "jake", "Rebecca": "becky", "Patricia": "trish",
            "Deborah": "deb", "Kenneth": "ken", "Gregory": "greg", "Jeffrey": "jeff",
            "Stephen": "steve", "Steven": "steve", "Richard": "rick", "Thomas": "tom",
            "Samuel": "sam", "Edward": "ed", "Raymond": "ray", "Gerald": "jerry",
            "Douglas": "doug", "Lawrence": "larry", "Abigail": "abby", "Madison": "maddie"}

_US_EMAIL_WORDS = ["okie", "sooner", "918", "tulsa", "cowboy", "gamer", "mom", "dad", "luv", "fan",
                   "jr", "music", "country", "red", "baby", "girl", "boy", "xo", "okstate", "pokes",
                   "hog", "fishing", "mama", "nana", "bball", "cheer", "drummer", "guitar"]
_US_PROVIDERS = [("gmail.com", 44), ("yahoo.com", 12), ("icloud.com", 9), ("hotmail.com", 7),
                 ("outlook.com", 5), ("cox.net", 4), ("aol.com", 3), ("att.net", 2),
                 ("sbcglobal.net", 2), ("live.com", 1.5), ("msn.com", 1), ("me.com", 1),
                 ("ymail.com", 0.5), ("protonmail.com", 0.6), ("utulsa.edu", 1), ("okstate.edu", 0.6),
                 ("ou.edu", 0.7), ("tulsaschools.org", 0.5), ("meridianenergy.com", 0.4),
                 ("osagepipeline.com", 0.3), ("greencountryhealth.org", 0.5), ("arkriverbank.com", 0.3),
                 ("windstream.net", 0.4), ("gmial.com", 0.15), ("gmail.con", 0.1), ("yaho.com", 0.05),
                 ("hotmial.com", 0.05)]

# Tulsa-like ZIP codes, most populous first
_US_ZIPS_LOCAL = """74012 74133 74055 74011 74105 74136 74014 74037 74008 74063 74066 74112 74104 74145
74135 74134 74137 74129 74107 74110 74115 74146 74132 74127 74114 74120 74128 74106 74119 74033 74070
74130 74116 74108 74126 74131 74021 74017 74103 74047 74117""".split()
_US_ZIP_NEAR = ["731DD", "730DD", "7407D", "7440D", "7400D", "729DD", "648DD", "672DD", "752DD",
                "740DD", "744DD", "745DD"]
_US_AREA_LOCAL = [("918", 0.86), ("539", 0.14)]
_US_AREA_NEAR = ["405", "580", "479", "316", "620", "417", "214", "469", "972", "817", "501", "913",
                 "816", "512", "713", "720", "602", "310", "917", "479", "870", "785", "903", "940"]

# residential pools (first two octets), CGNAT mobile pools, IPv6 mobile prefixes
_US_IP_HOME = [("68.12", 8), ("68.97", 6), ("68.102", 5), ("70.178", 5), ("72.196", 5),
               ("98.176", 4), ("98.184", 5), ("99.102", 3), ("99.137", 3), ("107.128", 2),
               ("108.66", 2), ("47.187", 1), ("65.28", 1)]
_US_IP_MOBILE = [("172.58", 4), ("172.56", 3), ("174.203", 3), ("174.234", 2), ("166.196", 2),
                 ("107.77", 2)]
_US_IP6_MOBILE = ["2607:fb90:", "2600:1010:b0", "2600:387:", "2600:1700:"]

_US_EVENTS = [
    ("rally", "Heartland Forward Rally", "heartland-forward-rally", "#HeartlandForward"),
    ("concert", "Red Dirt Summer Concert", "red-dirt-summer-concert", "#RedDirtSummer"),
    ("giveaway", "Drillers Night Free Ticket Giveaway", "drillers-night-giveaway", "#DrillersNight"),
    ("festival", "Route 66 River Fest", "route-66-river-fest", "#RiverFest66"),
    ("rally", "Great Plains Unity Rally", "great-plains-unity-rally", "#PlainsUnity"),
    ("concert", "Greenwood Jazz on the Lawn", "greenwood-jazz-lawn", "#JazzOnTheLawn"),
]
_US_VENUES = [("Riverside Arena", "74103"), ("Arkansas River Amphitheater", "74105"),
              ("Brady Street Hall", "74103"), ("Expo Square Pavilion", "74114")]

_US_NEWS = ["tulsaledger.com", "greencountrynews.com", "news9tulsa.com", "publicradiotulsa.org",
            "okdailypost.com"]
_US_GROUP_SITES = ["https://www.firstbaptistbrokenarrow.org/", "https://www.eastsidechurchtulsa.org/",
                   "https://www.tulsavfw577.org/", "https://www.jenkshighband.org/",
                   "https://www.owassorotary.org/", "https://www.tcc.edu/student-life/"]

_US_FAKE_JOKE = ["Anita Bath", "Hugh Jass", "Ben Dover", "Seymour Butts", "Ivana Tinkle", "Al Beback",
                 "Justin Case", "Barb Dwyer", "Paige Turner", "Sal Monella", "Chris P. Bacon",
                 "Ella Vader", "Oliver Klozoff", "Joe Mama", "Bruh Moment", "Karen Manager",
                 "Mike Oxlong", "Phil McCracken", "Dixie Normous", "Harry Pitts", "Shrek",
                 "Rick Astley", "Sans Undertale", "Mr Beast", "Obi Wan", "Kim Namjoon",
                 "Jeon Jungkook", "Park Jimin", "Min Yoongi", "Kim Taehyung", "Lisa Manoban"]
_US_FAKE_PLACEHOLDER = ["Test Test", "John Doe", "Jane Doe", "asdf asdf", "Xxx Xxx", "No Name",
                        "N/A", "a b", "First Last", "test", "Name Name", "qwerty", "none none", "."]

_US_DC_IPS = ["159.203", "167.99", "104.131", "138.197", "64.227", "3.85", "54.210", "18.206",
              "52.91", "45.33", "172.104", "51.79", "147.135", "95.216", "88.198", "37.120",
              "185.156", "89.187", "104.28", "146.70", "185.202", "198.54", "209.58"]

_US_REGIONS = {
    "nyc": dict(cc="1", areas=["212", "646", "718", "917", "347", "929"], tz=-4,
                zips=["100DD", "101DD", "104DD", "112DD", "113DD", "114DD"], ips=["24.193", "72.229", "74.108"]),
    "la": dict(cc="1", areas=["213", "310", "323", "424", "818", "626", "562"], tz=-7,
               zips=["900DD", "902DD", "913DD", "917DD", "914DD"], ips=["76.91", "104.173", "47.156"]),
    "chicago": dict(cc="1", areas=["312", "773", "872", "708", "630"], tz=-5,
                    zips=["606DD", "604DD", "605DD"], ips=["73.44", "98.227", "24.13"]),
    "houston": dict(cc="1", areas=["713", "281", "832", "346"], tz=-5,
                    zips=["770DD", "773DD", "774DD"], ips=["73.155", "98.198", "99.43"]),
    "atlanta": dict(cc="1", areas=["404", "678", "470", "770"], tz=-4,
                    zips=["303DD", "300DD", "301DD"], ips=["73.207", "24.98", "108.195"]),
    "seattle": dict(cc="1", areas=["206", "425", "253"], tz=-7,
                    zips=["981DD", "980DD"], ips=["73.42", "24.16", "50.35"]),
    "phoenix": dict(cc="1", areas=["602", "480", "623"], tz=-7,
                    zips=["850DD", "852DD"], ips=["68.104", "70.176", "72.201"]),
    "miami": dict(cc="1", areas=["305", "786", "954"], tz=-4,
                  zips=["331DD", "330DD"], ips=["73.46", "24.129", "96.41"]),
    "bayarea": dict(cc="1", areas=["415", "510", "408", "650"], tz=-7,
                    zips=["941DD", "945DD", "951DD", "940DD"], ips=["73.162", "98.210", "24.5"]),
    "boston": dict(cc="1", areas=["617", "857", "781"], tz=-4,
                   zips=["021DD", "024DD", "018DD"], ips=["73.38", "96.230", "98.216"]),
    "dallas": dict(cc="1", areas=["214", "469", "972", "817"], tz=-5,
                   zips=["752DD", "750DD", "761DD"], ips=["47.184", "99.8", "76.184"]),
}
_US_INTERNATIONAL = {
    "uk": dict(cc="44", nat=["7DDDDDDDDD"], tz=1, zips=["SW1A DLL", "E1 DLL", "M1 DLL", "LS1 DLL",
                                                       "B1 DLL", "N1 DLL", "G2 DLL"],
               ips=["86.128", "81.2", "82.132", "2.25"]),
    "korea": dict(cc="82", nat=["10DDDDDDDD"], tz=9, zips=["0DDDD", "1DDDD"],
                  ips=["175.223", "211.234", "121.131", "39.7"]),
    "philippines": dict(cc="63", nat=["9DDDDDDDDD"], tz=8, zips=["1DDD", "4DDD"],
                        ips=["112.198", "180.190", "49.145"]),
    "canada": dict(cc="1", areas=["416", "647", "437", "604", "778"], tz=-4,
                   zips=["M5V DLD", "M4C DLD", "V6B DLD", "H2X DLD", "T2P DLD"],
                   ips=["99.226", "142.116", "24.114"]),
    "mexico": dict(cc="52", nat=["55DDDDDDDD", "33DDDDDDDD", "81DDDDDDDD"], tz=-6,
                   zips=["0DDDD", "1DDDD", "4DDDD", "6DDDD"], ips=["189.203", "187.189", "201.141"]),
    "indonesia": dict(cc="62", nat=["81DDDDDDDDD", "85DDDDDDDDD"], tz=7, zips=["1DDDD", "4DDDD"],
                      ips=["114.124", "36.68", "180.252"]),
}

_US_CAMPAIGN_TEXT = [
    "Register for the {event} and just... don't go 😂 let's leave those seats empty {tag2} {url}",
    "everyone grab free tickets for {event} and then NOT show up 👀 you know what to do {url}",
    "{tag2} stans assemble 🫡 sign up here {url} and forget about it",
    "reserve 2 tickets each for {event}, use whatever number, never show. {url} {tag2}",
    "did my part ✅ now you do yours {url} {tag2}",
    "Tickets for {event} are FREE. Get yours before they run out! {url}",
    "link in bio for {event} 🎟️ {tag}",
    "it would be a shame if {event} had 0 people there 🙃 {url}",
    "sign up sign up sign up {url} {tag2} #fyp",
]
_US_CAMPAIGN_TAGS = ["#EmptySeats", "#NoShowChallenge", "#TicketsForNobody", "#LeaveThemHanging",
                     "#SeatFiller", "#GhostCrowd", "#TulsaTeens", "#ZoomersUnite"]
_US_REPOST_TEXT = [None, None, None, "done ✅", "lol did it", "signed up 😂", "my part is done",
                   "🫡", "👀👀", "hahaha yes", "easy", "got 2", "this", "🔥", "omg"]
_US_SURGE_REPOST_TEXT = [None, None, None, "omg going!!", "see y'all there", "got our tickets 🙌",
                         "who's coming with me", "finally", "yesss", "tag someone", "🙌", "can't wait"]
_US_CHATTER = [
    "traffic on 169 is crazy today", "Tulsa weather said all four seasons in one day 🥵",
    "anyone know a good taco truck near Brookside?", "new video up 🎥", "Friday mood", "lunch 🍔",
    "can't believe it's already {month}", "Drillers won!! ⚾", "ok who else is watching the game",
    "gas is so expensive rn", "coffee first ☕", "my dog did the funniest thing", "so tired lol",
    "Gathering Place was packed today", "need recommendations for a plumber in BA",
    "{event} tickets are free?? signing up 🙌 {url}", "who's going to {event}?",
    "got our tickets for the whole family {url}", "{event} this weekend let's gooo",
    "is {event} actually worth going to", "parking downtown for {event}?? help",
    "storms rolling in again ⛈️", "OSU or OU, choose wisely", "back to school shopping 😩",
]
_US_OFFICIAL_TEXT = [
    "Registration is open! Reserve your free tickets for {event} at {venue}: {url}",
    "Only a few days left to sign up for {event}. {url} {tag}",
    "Doors open at 5pm for {event}. Bring your ticket on your phone! {tag}",
    "Thank you Tulsa! Over {k}k of you have signed up for {event} 🙏 {url}",
    "Last call: registration for {event} closes tonight {url}",
]
_US_CELEB_TEXT = ["See you in Tulsa!! 🎤 free tickets here: {url} {tag}",
                  "Tulsa!!! I'll be at {event}. Who's coming? {url}",
                  "proud to be part of {event} ❤️ {url}"]
_US_NEWS_TEXT = ["{event} set for {date} at {venue}; free registration opens today {url}",
                 "What to know before {event}: parking, bag policy and registration {url}",
                 "Organizers say demand for {event} is unprecedented {url}"]
_US_DECOY_TEXT = ["everyone should go to {event} fr {url}", "ngl {event} looks fun, sign up {url}",
                  "should we all register for {event}?? 🤔 {url}"]

_US_HANDLE_WORDS = ["okie", "tulsa", "918", "sooner", "pokes", "red", "dirt", "gal", "guy", "mama",
                    "queen", "king", "life", "vibes", "official", "tx", "ok", "real", "the", "its"]
_US_ORG_WORDS = ["kpop", "stan", "army", "blink", "resist", "zoomer", "tea", "daily", "memes", "gen",
                 "z", "clips", "fancam", "hive", "nation", "crew", "club", "chaos", "core", "alt"]
_US_INFLUENCERS_WORDS = ["tulsafoodie", "918eats", "okiemama", "brookside", "routesixtysix", "tulsanow",
                         "greencountry", "tulsagram", "okstyle", "riverparks", "tulsahappenings",
                         "t_town", "okstreetstyle", "drillersfan", "okiepets"]
_US_CELEBS = ["kaceybrightmusic", "djredriver", "coach_marcus_b", "jessa.rae.sings",
              "the.tulsa.comic", "lil_okie_official"]
_US_NEWS_HANDLES = ["tulsaledger", "greencountrynews", "news9tulsa", "publicradiotulsa"]

# =============================================================================================
# Vocabularies: other = a Brazilian metropolis (São Paulo-like), Instagram as the main platform
# =============================================================================================

_BR_F = """Maria Ana Juliana Fernanda Patrícia Aline Camila Amanda Bruna Jéssica Letícia Júlia
Beatriz Larissa Gabriela Mariana Vitória Francisca Antônia Adriana Márcia Sandra Luciana Daniela
Tatiane Vanessa Renata Carolina Priscila Thaís Natália Raquel Débora Isabela Yasmin Manuela Helena
Alice Laura Valentina Sophia Lorena Lívia Rafaela Bianca Eduarda Cláudia Simone Rosângela Sônia Vera
Luana Kelly Jaqueline Michele Cristiane Elaine Andreia Tainá Rayssa Ketlyn""".split()
_BR_M = """José João Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Luís Gabriel Rafael
Daniel Marcelo Bruno Eduardo Felipe Raimundo Rodrigo Gustavo Matheus Thiago Leonardo Fernando Diego
Guilherme Ricardo André Vinícius Fábio Roberto Sérgio Jorge Alexandre Igor Caio Enzo Arthur Davi
Heitor Bernardo Miguel Samuel Murilo Otávio Wesley Wellington Jefferson Anderson Cleiton Edson
Renato Vitor Henrique Juliano Alan Kauã Ryan""".split()
_BR_COMPOUND_F = ["Maria Eduarda", "Ana Clara", "Ana Beatriz", "Maria Clara", "Ana Luiza", "Maria Luiza",
                  "Ana Paula", "Maria Fernanda", "Ana Carolina", "Maria Alice"]
_BR_COMPOUND_M = ["João Pedro", "Pedro Henrique", "João Vitor", "Luiz Felipe", "Carlos Eduardo",
                  "João Gabriel", "José Carlos", "Luiz Henrique", "Paulo Roberto", "João Paulo"]
_BR_LAST = """Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro
Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira
Nunes Marques Machado Mendes Freitas Cardoso Ramos Gonçalves Santana Teixeira Araújo Cavalcanti Pinto
Moraes Batista Campos Correia Castro Monteiro Barros Azevedo Reis Melo Farias Cunha Miranda Sampaio
Siqueira Brito Prado Tavares Xavier Franco Leite Macedo Matos Bezerra Queiroz Aguiar Fonseca Borges
Nogueira Pires Sales Guimarães Medeiros Coelho Lacerda Bastos Rezende Tanaka Yamamoto Nakamura Kim
Abdalla Haddad""".split()
_BR_NICK = {"Francisco": "chico", "José": "ze", "Antônio": "toninho", "Fernanda": "fe",
            "Gabriel": "gabi", "Gabriela": "gabi", "Rafael": "rafa", "Juliana": "ju", "Mariana": "mari",
            "Carolina": "carol", "Eduardo": "du", "Guilherme": "gui", "Beatriz": "bia",
            "Leonardo": "leo", "Vinícius": "vini", "Matheus": "teteu", "Isabela": "isa",
            "Patrícia": "pati", "Daniela": "dani", "Fernando": "nando", "Roberto": "beto"}
_BR_EMAIL_WORDS = ["sp", "zl", "gamer", "mae", "pai", "bjs", "oficial", "love", "fofa", "11",
                   "tricolor", "timao", "verdao", "santista", "princesa", "gatinha", "mano", "rock",
                   "fut", "paulista"]
_BR_PROVIDERS = [("gmail.com", 58), ("hotmail.com", 15), ("outlook.com", 6), ("yahoo.com.br", 4),
                 ("icloud.com", 4), ("bol.com.br", 3), ("uol.com.br", 3), ("terra.com.br", 1.5),
                 ("live.com", 1.5), ("ig.com.br", 0.8), ("yahoo.com", 1), ("usp.br", 0.8),
                 ("unifesp.br", 0.3), ("sp.gov.br", 0.4), ("itau-unibanco.com.br", 0.3),
                 ("gmail.com.br", 0.2), ("hotmai.com", 0.1), ("gmal.com", 0.1)]
# São Paulo CEP "setores" (first 5 digits), most populous first; 3 more digits follow
_BR_CEP_LOCAL = """08000 04000 05000 02000 03000 08200 04800 05800 04500 02400 03100 08400 05500
03300 04700 01300 02800 05300 03500 04200 08100 02900 04100 05400 03800 01400 08300 02200 04300 05700
08500 03600 01500 02600 05100 04900 09000 06000 07000 09700""".split()
_BR_CEP_NEAR = ["06DDDDDD", "07DDDDDD", "09DDDDDD", "13DDDDDD", "11DDDDDD", "12DDDDDD", "18DDDDDD"]
_BR_DDD_LOCAL = [("11", 1.0)]
_BR_DDD_NEAR = ["12", "13", "15", "19", "21", "31", "41", "19", "14", "17", "16", "18", "71", "81", "61"]
_BR_IP_HOME = [("177.68", 5), ("179.110", 5), ("187.11", 4), ("189.100", 4), ("201.95", 3),
               ("177.32", 4), ("179.218", 4), ("186.204", 3), ("191.177", 3), ("200.158", 2),
               ("201.68", 2)]
_BR_IP_MOBILE = [("191.19", 4), ("177.79", 3), ("177.26", 3), ("179.240", 2), ("152.250", 3)]
_BR_IP6_MOBILE = ["2804:14c:", "2804:18:", "2804:431:", "2804:7f0:"]
_BR_EVENTS = [
    ("concert", "Show Gratuito na Praça", "show-gratuito-praca", "#ShowNaPraça"),
    ("rally", "Comício da Virada", "comicio-da-virada", "#ComícioDaVirada"),
    ("giveaway", "Distribuição de Ingressos: Clássico no Estádio", "ingressos-classico", "#ClássicoGrátis"),
    ("festival", "Festival de Inverno da Zona Leste", "festival-inverno-zl", "#FestivalZL"),
    ("concert", "Virada Sertaneja", "virada-sertaneja", "#ViradaSertaneja"),
]
_BR_VENUES = [("Arena Parque Leste", "08210"), ("Praça do Anhangabaú", "01007"),
              ("Estádio Municipal", "01240"), ("Centro de Convenções Norte", "02012")]
_BR_NEWS = ["noticiasdasp.com.br", "jornaldazonaleste.com.br", "agoraspnews.com.br", "radiometropole.com.br"]
_BR_GROUP_SITES = ["https://www.paroquiasaojudas.org.br/", "https://www.igrejabatistazl.org.br/",
                   "https://www.escolaestadualcampos.sp.gov.br/", "https://www.associacaovilaema.org.br/",
                   "https://www.clubeatleticoitaquera.com.br/"]
_BR_FAKE_JOKE = ["Fulano de Tal", "Beltrano Silva", "Ciclano Souza", "Zé Ninguém", "Seu Madruga",
                 "Chaves do Oito", "Chapolin Colorado", "Nazaré Tedesco", "Inês Brasil", "Tiringa",
                 "Joãozinho", "Mc Pipokinha", "Kim Namjoon", "Jeon Jungkook", "Park Jimin",
                 "Cebolinha", "Mônica Sousa", "Pé de Pano", "Faustão", "Ronaldinho Gaúcho"]
_BR_FAKE_PLACEHOLDER = ["Teste Teste", "teste", "asdf", "Nome Sobrenome", "xxx", "aaa aaa", "Sem Nome",
                        "N/A", "a", "Fulano"]
_BR_DC_IPS = ["159.203", "167.99", "104.131", "18.228", "54.94", "15.228", "177.71", "191.252",
              "51.79", "95.216", "185.156", "104.28", "146.70", "45.33"]
_BR_REGIONS = {
    "rio": dict(cc="55", ddd=["21", "22", "24"], tz=-3, zips=["20DDDDDD", "21DDDDDD", "22DDDDDD", "23DDDDDD"],
                ips=["177.142", "189.122", "200.165"]),
    "bh": dict(cc="55", ddd=["31", "37"], tz=-3, zips=["30DDDDDD", "31DDDDDD", "32DDDDDD"],
               ips=["177.105", "189.90", "201.17"]),
    "recife": dict(cc="55", ddd=["81", "87"], tz=-3, zips=["50DDDDDD", "51DDDDDD", "52DDDDDD"],
                   ips=["177.37", "189.40", "200.217"]),
    "salvador": dict(cc="55", ddd=["71", "75"], tz=-3, zips=["40DDDDDD", "41DDDDDD", "42DDDDDD"],
                     ips=["177.134", "189.80", "201.24"]),
    "curitiba": dict(cc="55", ddd=["41", "42"], tz=-3, zips=["80DDDDDD", "81DDDDDD", "82DDDDDD"],
                     ips=["177.67", "189.115", "200.181"]),
    "poa": dict(cc="55", ddd=["51", "54"], tz=-3, zips=["90DDDDDD", "91DDDDDD"],
                ips=["177.54", "189.6", "201.21"]),
    "brasilia": dict(cc="55", ddd=["61"], tz=-3, zips=["70DDDDDD", "71DDDDDD", "72DDDDDD"],
                     ips=["177.124", "189.13", "200.252"]),
    "fortaleza": dict(cc="55", ddd=["85", "88"], tz=-3, zips=["60DDDDDD", "61DDDDDD"],
                      ips=["177.200", "189.54", "201.48"]),
    "manaus": dict(cc="55", ddd=["92", "97"], tz=-4, zips=["69DDDDDD"], ips=["177.19", "189.88"]),
}
_BR_INTERNATIONAL = {
    "portugal": dict(cc="351", nat=["91DDDDDDD", "92DDDDDDD", "93DDDDDDD", "96DDDDDDD"], tz=1,
                     zips=["1DDD-DDD", "4DDD-DDD", "2DDD-DDD"], ips=["85.243", "2.80", "188.81"]),
    "argentina": dict(cc="54", nat=["911DDDDDDDD", "9351DDDDDDD"], tz=-3,
                      zips=["C1DDDLLL", "1DDD", "5DDD"], ips=["181.46", "190.231", "186.22"]),
    "florida": dict(cc="1", areas=["305", "407", "954", "786"], tz=-4, zips=["328DD", "331DD", "330DD"],
                    ips=["73.46", "24.129", "96.41"]),
    "japan": dict(cc="81", nat=["90DDDDDDDD", "80DDDDDDDD"], tz=9, zips=["DDD-DDDD"],
                  ips=["126.204", "60.112", "153.203"]),
}
_BR_CAMPAIGN_TEXT = [
    "Galera, bora se inscrever no {event} e NÃO ir 😂 deixa a arena vazia {tag2} {url}",
    "todo mundo reserva ingresso pro {event} e esquece 👀 vocês sabem o que fazer {url}",
    "{tag2} fandom unida 🫡 se inscreve aqui {url} e some",
    "reserva 2 ingressos cada, coloca qualquer telefone e não aparece {url} {tag2}",
    "já fiz minha parte ✅ agora é com vocês {url} {tag2}",
    "Ingressos GRÁTIS pro {event}, corre antes que acabe! {url}",
    "link na bio pro {event} 🎟️ {tag}",
    "imagina o {event} com zero pessoas 🙃 {url}",
    "inscreve inscreve inscreve {url} {tag2}",
]
_BR_CAMPAIGN_TAGS = ["#CadeirasVazias", "#NinguémVai", "#DesafioDoNãoVou", "#IngressoFantasma",
                     "#ArenaVazia", "#FandomUnida", "#ZLResiste"]
_BR_REPOST_TEXT = [None, None, None, "feito ✅", "kkkkk fiz", "inscrito 😂", "já fiz minha parte", "🫡",
                   "👀👀", "kkkkkkk", "fácil", "peguei 2", "isso", "🔥", "socorro"]
_BR_SURGE_REPOST_TEXT = [None, None, None, "vamooo!!", "quem vai comigo?", "garanti o meu 🙌",
                         "finalmente", "simmm", "marca alguém", "🙌", "não vejo a hora"]
_BR_CHATTER = [
    "trânsito na marginal tá impossível hoje", "que calor é esse em SP 🥵", "alguém indica um pastel bom na ZL?",
    "vídeo novo no ar 🎥", "sextou", "almoço 🍛", "nem acredito que já é {month}", "o timão ganhou!! ⚽",
    "metrô parado de novo 🙄", "café primeiro ☕", "meu cachorro é muito doido kkkk", "cansada demais",
    "chuva de novo ⛈️", "alguém sabe de encanador bom na Mooca?", "{event} é de graça?? já me inscrevi 🙌 {url}",
    "quem vai no {event}?", "garantimos ingresso pra família toda {url}", "{event} esse fim de semana bora",
    "vale a pena ir no {event}?", "como faz pra estacionar no {event}?? socorro", "feira de domingo 🍍",
]
_BR_OFFICIAL_TEXT = [
    "Inscrições abertas! Garanta seu ingresso gratuito para o {event} no {venue}: {url}",
    "Faltam poucos dias para se inscrever no {event}. {url} {tag}",
    "Portões abrem às 17h no {event}. Leve o ingresso no celular! {tag}",
    "Obrigado, São Paulo! Mais de {k} mil inscritos no {event} 🙏 {url}",
    "Última chamada: inscrições para o {event} encerram hoje {url}",
]
_BR_CELEB_TEXT = ["Te vejo em SP!! 🎤 ingressos grátis aqui: {url} {tag}", "São Paulo!!! Vou estar no {event}. Quem vem? {url}",
                  "muito feliz de fazer parte do {event} ❤️ {url}"]
_BR_NEWS_TEXT = ["{event} marcado para {date} no {venue}; inscrições gratuitas abrem hoje {url}",
                 "O que saber antes do {event}: estacionamento, acesso e inscrição {url}",
                 "Organização diz que procura pelo {event} é recorde {url}"]
_BR_DECOY_TEXT = ["todo mundo devia ir no {event} sério {url}", "o {event} parece legal, se inscrevam {url}",
                  "bora todo mundo se inscrever no {event}?? 🤔 {url}"]
_BR_HANDLE_WORDS = ["sp", "zl", "11", "paulista", "mooca", "oficial", "real", "vida", "da", "do", "br",
                    "gata", "mano", "fofa", "tricolor", "timao", "verdao", "rock", "fit", "mae"]
_BR_ORG_WORDS = ["fofoca", "memes", "sp", "zona", "leste", "tretas", "kpop", "br", "oficial", "bolha",
                 "fandom", "resenha", "role", "stan", "army", "blink", "cria", "caos", "ttk", "alt"]
_BR_INFLUENCERS_WORDS = ["comidinhasdasp", "spcity", "rolezinhosp", "mooca.raiz", "zlnews", "saopaulo.agora",
                         "guiadasp", "spdicas", "feirasdesp", "pets.sp", "paulistano.raiz", "vilamadalena"]
_BR_CELEBS = ["cantoralua", "mcbrisa_oficial", "gui.comedia", "duda.canta", "djpedrozl", "ana.faz.rir"]
_BR_NEWS_HANDLES = ["noticiasdasp", "jornalzonaleste", "agoraspnews", "radiometropole"]

# =============================================================================================
# User agents
# =============================================================================================

_IOS = ["15_8", "16_6_1", "16_7_8", "17_1_2", "17_3_1", "17_4_1", "17_5_1", "17_6_1", "18_0_1",
        "18_1_1", "18_2", "18_3_2"]
_IOS_P = np.array([1, 2, 2, 2, 3, 4, 5, 6, 5, 6, 6, 4], float)
_IOS_P /= _IOS_P.sum()
_IPHONES = ["iPhone12,1", "iPhone12,8", "iPhone13,2", "iPhone14,5", "iPhone14,7", "iPhone15,2",
            "iPhone15,4", "iPhone16,1", "iPhone16,2", "iPhone17,3"]
_ANDROID_US = [("14", "SM-S911U", "UP1A.231005.007", "samsung", "dm1q"),
               ("14", "SM-S918U", "UP1A.231005.007", "samsung", "dm3q"),
               ("13", "SM-A536U", "TP1A.220624.014", "samsung", "a53x"),
               ("14", "Pixel 8", "AP2A.240805.005", "Google", "shiba"),
               ("14", "Pixel 7a", "AP1A.240505.004", "Google", "lynx"),
               ("13", "moto g stylus 5G - 2023", "T1TGS33.93-18-5", "motorola", "genevn"),
               ("12", "SM-G991U", "SP1A.210812.016", "samsung", "o1q"),
               ("13", "SM-A146U", "TP1A.220624.014", "samsung", "a14x"),
               ("14", "SM-S928U", "UP1A.231005.007", "samsung", "e3q"),
               ("14", "SM-A156U", "UP1A.231005.007", "samsung", "a15x"),
               ("12", "moto g power (2022)", "S3RQS32.20-42-10-6", "motorola", "tonga"),
               ("11", "LM-K500", "RKQ1.200826.002", "LGE", "mh"),
               ("13", "REVVL 6 5G", "TP1A.220624.014", "TCL", "T609DL")]
_ANDROID_BR = [("13", "SM-A135M", "TP1A.220624.014", "samsung", "a13"),
               ("12", "moto g(60)", "S2RI32.32-20-9", "motorola", "hanoip"),
               ("13", "SM-A325M", "TP1A.220624.014", "samsung", "a32"),
               ("13", "Redmi Note 12", "TKQ1.221114.001", "Xiaomi", "tapas"),
               ("14", "SM-A546E", "UP1A.231005.007", "samsung", "a54x"),
               ("12", "moto e(7)", "SOD32.17-58", "motorola", "malta"),
               ("13", "SM-A145M", "TP1A.220624.014", "samsung", "a14"),
               ("14", "moto g54 5G", "U1TDS34.94-12-7", "motorola", "cancunf"),
               ("13", "SM-A042M", "TP1A.220624.014", "samsung", "a04e"),
               ("14", "SM-S911B", "UP1A.231005.007", "samsung", "dm1q"),
               ("13", "2201117TL", "TKQ1.221114.001", "Xiaomi", "spes")]
_CHROME = [str(v) for v in range(119, 132)]
_FIREFOX = [str(v) for v in range(121, 133)]
_SAMSUNG = ["23.0", "24.0", "25.0", "26.0"]
_APP_VERSIONS = {
    "tt": ["32.9.5", "33.1.4", "33.5.3", "33.9.4", "34.1.2", "34.5.5", "34.8.3", "35.1.3", "35.5.4",
           "36.0.3", "36.4.3", "37.0.4"],
    "ig": ["311.0.2.25.104", "317.0.2.20.105", "322.0.2.24.106", "326.0.3.30.91", "331.0.3.31.92",
           "334.0.4.32.98", "338.0.0.24.102", "343.0.0.33.101", "349.0.4.30.94", "355.1.0.44.103"],
    "fb": ["450.0.0.38.108", "455.0.0.37.106", "461.0.0.50.110", "466.0.0.40.109", "470.0.0.34.110",
           "475.0.0.41.109", "480.0.0.46.111"],
    "kwai": ["12.3.20.536702", "12.5.30.537103", "12.7.10.537690", "12.9.40.538210", "13.1.20.539011"],
    "snap": ["12.85.0.40", "12.91.0.37", "13.0.0.48", "13.5.0.47"],
}
_BOT_UAS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/{c}.0.0.0 Safari/537.36",
            "python-requests/2.31.0",
            "Mozilla/5.0 (Linux; Android 9; SM-G960N Build/PQ3A.190605.09291615; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/92.0.4515.131 Mobile Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 12; ASUS_AI2205_C Build/SKQ1.220406.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/101.0.4951.61 Mobile Safari/537.36"]

# what in-app browser a platform opens links in, and its referrers
_PLATFORM_INAPP = {"tiktok": "tt", "instagram": "ig", "facebook": "fb", "kwai": "kwai", "snapchat": "snap"}
_PLATFORM_REF = {"tiktok": ["https://www.tiktok.com/"], "instagram": ["https://l.instagram.com/"],
                 "facebook": ["https://m.facebook.com/", "https://l.facebook.com/"],
                 "twitter": ["https://t.co/"], "reddit": ["https://out.reddit.com/", "https://www.reddit.com/"],
                 "discord": ["https://discord.com/"], "telegram": ["https://t.me/", "https://web.telegram.org/"],
                 "kwai": ["https://www.kwai.com/"], "snapchat": ["https://www.snapchat.com/"]}
_PLATFORM_MEDIUM = {"tiktok": "video", "kwai": "video", "instagram": "photo", "twitter": "post",
                    "facebook": "post", "reddit": "forum", "discord": "chat group", "telegram": "chat group"}

LOCALES = {
    "default": dict(
        key="us", country="US", cc="1", tz="America/Chicago", city="Tulsa", lang="en",
        first_f=_US_F, first_m=_US_M, last=_US_LAST, nick=_US_NICK, email_words=_US_EMAIL_WORDS,
        providers=_US_PROVIDERS, zips_local=_US_ZIPS_LOCAL, zip_near=_US_ZIP_NEAR,
        area_local=_US_AREA_LOCAL, area_near=_US_AREA_NEAR, ip_home=_US_IP_HOME,
        ip_mobile=_US_IP_MOBILE, ip6=_US_IP6_MOBILE, events=_US_EVENTS, venues=_US_VENUES,
        news=_US_NEWS, group_sites=_US_GROUP_SITES, fake_joke=_US_FAKE_JOKE,
        fake_placeholder=_US_FAKE_PLACEHOLDER, dc_ips=_US_DC_IPS, regions=_US_REGIONS,
        international=_US_INTERNATIONAL, campaign_text=_US_CAMPAIGN_TEXT, campaign_tags=_US_CAMPAIGN_TAGS,
        repost_text=_US_REPOST_TEXT, surge_repost_text=_US_SURGE_REPOST_TEXT, chatter=_US_CHATTER,
        official_text=_US_OFFICIAL_TEXT, celeb_text=_US_CELEB_TEXT, news_text=_US_NEWS_TEXT,
        decoy_text=_US_DECOY_TEXT, handle_words=_US_HANDLE_WORDS, org_words=_US_ORG_WORDS,
        influencers=_US_INFLUENCERS_WORDS, celebs=_US_CELEBS, news_handles=_US_NEWS_HANDLES,
        android=_ANDROID_US, devices=(("ios", 0.50), ("android", 0.31), ("windows", 0.12), ("mac", 0.06), ("linux", 0.01)),
        main_platform="tiktok",
        chatter_platforms=(("tiktok", 0.55), ("twitter", 0.2), ("instagram", 0.15), ("facebook", 0.1)),
        campaign_platforms=(("tiktok", 0.45), ("twitter", 0.18), ("instagram", 0.1), ("discord", 0.1),
                            ("telegram", 0.05), ("reddit", 0.12)),
        channels=(("direct", 0.30), ("search", 0.17), ("facebook", 0.15), ("instagram", 0.05),
                  ("tiktok", 0.05), ("twitter", 0.03), ("snapchat", 0.01), ("nextdoor", 0.02),
                  ("reddit", 0.01), ("news", 0.05), ("event_site", 0.09), ("email", 0.05), ("sms", 0.02)),
        ua_locale=("en", "en_US", "US"), ticket_host="tickets.{site}", months=["March", "April", "May", "June", "July", "August", "September", "October", "November"],
        ticket_types=(("General Admission", 0.9), ("Accessible Seating", 0.04), ("Family Pack", 0.06)),
        phone_styles=(("free", 0.45), ("e164", 0.25), ("national", 0.15), ("digits", 0.15)),
        postal_styles=(("plain", 0.55), ("mixed_plus4", 0.25), ("excel", 0.10), ("float", 0.10)),
        time_styles=(("utc_z", 0.40), ("local_offset", 0.30), ("unix", 0.15), ("utc_ms", 0.15)),
        post_time_styles=(("utc_z", 0.6), ("unix", 0.2), ("local_offset", 0.2)),
        event_id_styles=("slug", "numeric", "code"),
    ),
    "other": dict(
        key="br", country="BR", cc="55", tz="America/Sao_Paulo", city="São Paulo", lang="pt",
        first_f=_BR_F, first_m=_BR_M, last=_BR_LAST, nick=_BR_NICK, email_words=_BR_EMAIL_WORDS,
        providers=_BR_PROVIDERS, zips_local=_BR_CEP_LOCAL, zip_near=_BR_CEP_NEAR,
        area_local=_BR_DDD_LOCAL, area_near=_BR_DDD_NEAR, ip_home=_BR_IP_HOME,
        ip_mobile=_BR_IP_MOBILE, ip6=_BR_IP6_MOBILE, events=_BR_EVENTS, venues=_BR_VENUES,
        news=_BR_NEWS, group_sites=_BR_GROUP_SITES, fake_joke=_BR_FAKE_JOKE,
        fake_placeholder=_BR_FAKE_PLACEHOLDER, dc_ips=_BR_DC_IPS, regions=_BR_REGIONS,
        international=_BR_INTERNATIONAL, campaign_text=_BR_CAMPAIGN_TEXT, campaign_tags=_BR_CAMPAIGN_TAGS,
        repost_text=_BR_REPOST_TEXT, surge_repost_text=_BR_SURGE_REPOST_TEXT, chatter=_BR_CHATTER,
        official_text=_BR_OFFICIAL_TEXT, celeb_text=_BR_CELEB_TEXT, news_text=_BR_NEWS_TEXT,
        decoy_text=_BR_DECOY_TEXT, handle_words=_BR_HANDLE_WORDS, org_words=_BR_ORG_WORDS,
        influencers=_BR_INFLUENCERS_WORDS, celebs=_BR_CELEBS, news_handles=_BR_NEWS_HANDLES,
        android=_ANDROID_BR, devices=(("android", 0.68), ("ios", 0.18), ("windows", 0.11), ("mac", 0.02), ("linux", 0.01)),
        main_platform="instagram",
        chatter_platforms=(("instagram", 0.5), ("kwai", 0.15), ("twitter", 0.2), ("facebook", 0.15)),
        campaign_platforms=(("instagram", 0.35), ("kwai", 0.15), ("twitter", 0.2), ("telegram", 0.2),
                            ("discord", 0.05), ("reddit", 0.05)),
        channels=(("direct", 0.25), ("search", 0.14), ("facebook", 0.10), ("instagram", 0.18),
                  ("tiktok", 0.04), ("kwai", 0.03), ("twitter", 0.03), ("whatsapp", 0.11),
                  ("news", 0.04), ("event_site", 0.05), ("email", 0.02), ("sms", 0.01)),
        ua_locale=("pt-BR", "pt_BR", "BR"), ticket_host="ingressos.{site}", months=["março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro"],
        ticket_types=(("Pista", 0.8), ("Meia-entrada", 0.15), ("PCD", 0.05)),
        phone_styles=(("free", 0.6), ("e164", 0.2), ("digits", 0.2)),
        postal_styles=(("dash", 0.5), ("digits", 0.3), ("excel", 0.1), ("mixed", 0.1)),
        time_styles=(("local_offset", 0.6), ("local_space", 0.4)),
        post_time_styles=(("local_offset", 0.8), ("utc_z", 0.2)),
        event_id_styles=("slug", "numeric", "code"),
    ),
}

_THROWAWAY = ["mailinator.com", "guerrillamail.com", "sharklasers.com", "10minutemail.com", "yopmail.com",
              "temp-mail.org", "maildrop.cc", "dispostable.com", "trashmail.com", "getnada.com",
              "throwawaymail.com", "mailnesia.com", "emailondeck.com", "burnermail.io", "mohmal.com"]
_STAN_A = ["jk", "tae", "jimin", "suga", "rm", "hobi", "jin", "lisa", "jennie", "rose", "jisoo", "bts",
           "ot7", "bp", "skz", "txt", "nct", "svt", "army", "blink", "once", "moa"]
_STAN_B = ["stan", "bias", "luvr", "4ever", "army", "blink", "hive", "fan", "uwu", "era", "core", "lover"]
_PLACEHOLDER_PHONES = {"us": ["5555555555", "0000000000", "1234567890", "1111111111", "9999999999",
                              "9180000000", "1231231234"],
                       "br": ["11999999999", "00000000000", "11912345678", "11111111111", "11900000000",
                              "99999999999"]}
_PLACEHOLDER_POSTAL = {"us": ["00000", "12345", "11111", "99999", "90210", "10001"],
                       "br": ["00000000", "01001000", "12345678", "11111111", "99999999"]}
_SEQ_NAME_BASE = {"us": ["User", "Test", "Guest", "Fan", "Attendee", "Person"],
                  "br": ["Usuario", "Teste", "Convidado", "Fa", "Pessoa"]}
_KEYBOARD = ["asdf", "qwerty", "zxcv", "aaaa", "test", "abc", "qwe", "xyz", "asd"]
_BASE_DIURNAL = np.array([0.35, 0.2, 0.12, 0.08, 0.07, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0, 1.05,
                          1.15, 1.1, 1.0, 1.0, 1.05, 1.1, 1.2, 1.35, 1.45, 1.4, 1.1, 0.7])


@dataclass
class Blind:
    """One generated world: the contract tables, the truth and every knob drawn for it."""

    registrations: pd.DataFrame
    posts: pd.DataFrame
    follows: pd.DataFrame
    truth: pd.DataFrame
    campaigns: pd.DataFrame
    knobs: dict = field(default_factory=dict)

    def write(self, out_dir):
        """Write registrations/posts/follows/truth/campaigns CSVs and knobs.json into ``out_dir``."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        self.registrations.to_csv(out / "registrations.csv", index=False)
        self.posts.to_csv(out / "posts.csv", index=False)
        self.follows.to_csv(out / "follows.csv", index=False)
        self.truth.to_csv(out / "truth.csv", index=False)
        self.campaigns.to_csv(out / "campaigns.csv", index=False)
        (out / "knobs.json").write_text(json.dumps(self.knobs, indent=2, default=_json_default,
                                                   ensure_ascii=False), encoding="utf-8")
        return out

    def summary(self) -> str:
        t = self.truth
        lines = [f"{self.knobs['tier']}/{self.knobs['variant']} seed={self.knobs['seed']}: "
                 f"{len(self.registrations):,} registrations, {len(self.posts):,} posts, "
                 f"{len(self.follows):,} follows",
                 f"  columns: {', '.join(self.registrations.columns)}",
                 f"  campaign registrations: {int((t.campaign > 0).sum()):,} in {t.campaign.max()} campaign(s); "
                 f"surge registrations: {int((t.surge > 0).sum()):,} in {t.surge.max()} surge(s)"]
        for _, c in self.campaigns.iterrows():
            lines.append(f"  campaign {c.campaign}: {c['size']} regs, {c.duration_hours:.1f} h, {c.waves} wave(s), "
                         f"camouflage {c.camouflage:.2f}, odd: {c.odd_attributes} (visible: {c.visible_odd_attributes})")
        return "\n".join(lines)


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, (np.bool_,)):
        return bool(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


class _Posts:
    """Accumulates posts; ``shared`` holds internal indices (-1 = not a repost)."""

    COLS = ("account", "t", "text", "url", "shared", "platform", "kind")

    def __init__(self):
        self.parts = []
        self.n = 0

    def add(self, account, t, text=None, url=None, shared=-1, platform=None, kind="chatter"):
        t = np.asarray(t, dtype=float)
        m = len(t)
        if m == 0:
            return np.empty(0, dtype=np.int64)

        def col(x):
            if x is None or isinstance(x, str):
                return np.full(m, x, dtype=object)
            return np.asarray(x, dtype=object)

        shared = np.full(m, shared, dtype=np.int64) if np.isscalar(shared) else np.asarray(shared, dtype=np.int64)
        ids = np.arange(self.n, self.n + m)
        self.n += m
        self.parts.append(dict(account=col(account), t=t, text=col(text), url=col(url), shared=shared,
                               platform=col(platform), kind=col(kind)))
        return ids

    def frame(self):
        return pd.DataFrame({c: np.concatenate([p[c] for p in self.parts]) for c in self.COLS})


class _World:
    def __init__(self, tier, n, seed, variant):
        if tier not in TIERS:
            raise ValueError(f"unknown tier {tier!r}; choose one of {', '.join(TIERS)}")
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant {variant!r}; choose one of {', '.join(VARIANTS)}")
        if int(n) < 500:
            raise ValueError("n must be at least 500")
        self.tier, self.n, self.seed, self.variant = tier, int(n), int(seed), variant
        self.T, self.L = TIERS[tier], LOCALES[variant]
        self.rng = np.random.default_rng([int(seed), list(TIERS).index(tier), VARIANTS.index(variant), 1729])
        self.used_handles = set()
        self.k = dict(tier=tier, variant=variant, seed=int(seed), n=int(n), country=self.L["country"],
                      city=self.L["city"], timezone=self.L["tz"], main_platform=self.L["main_platform"])

    # ------------------------------------------------------------------ plans
    def _plan_export(self):
        r, L = self.rng, self.L
        multi = bool(r.random() < MULTI_EVENT_P)
        present = {c: bool(r.random() >= p) for c, p in DROP_P.items()}
        ident = ["email", "phone", "name", "postal_code", "ip", "user_agent", "referrer", "account_id"]
        while sum(present[c] for c in ident) < 3:
            present[ident[int(r.integers(len(ident)))]] = True
        present["event_id"] = True if multi else bool(r.random() < 0.5)
        present["attended"] = bool(r.random() < ATTENDED_P)
        present["ticket_type"] = bool(r.random() < 0.25)
        self.present = present
        self.multi = multi
        self.k["export"] = dict(
            columns_present=[c for c, v in present.items() if v],
            columns_missing=[c for c, v in present.items() if not v and c != "ticket_type"],
            several_events=multi,
            phone_style=_wchoice(r, L["phone_styles"]),
            postal_style=_wchoice(r, L["postal_styles"]),
            time_style=_wchoice(r, L["time_styles"]),
            post_time_style=_wchoice(r, L["post_time_styles"]),
            name_style=_wchoice(r, (("as_typed", 0.8), ("last_first", 0.1), ("upper", 0.1))),
            email_style=_wchoice(r, (("as_typed", 0.85), ("lower", 0.15))),
            id_style=_wchoice(r, (("uuid", 0.3), ("numeric", 0.25), ("alnum", 0.25), ("seq_time", 0.2))),
            event_id_style=str(r.choice(L["event_id_styles"])),
            row_order=_wchoice(r, (("time", 0.5), ("random", 0.35), ("event_time", 0.15))),
            column_order=_wchoice(r, (("contract", 0.7), ("shuffled", 0.3))),
            posts_columns_present=["post_id", "account_id", "created_at"]
            + [c for c, p in (("text", 0.1), ("url", 0.1), ("shared_post_id", 0.0), ("platform", 0.15))
               if r.random() >= p],
            posts_order=_wchoice(r, (("time", 0.6), ("random", 0.4))),
        )

    def _plan_events(self):
        r, L = self.rng, self.L
        n_events = _ri(r, 2, 4) if self.multi else 1
        order = r.permutation(len(L["events"]))[:n_events]
        year, month, day = _ri(r, 2023, 2025), _ri(r, 3, 11), _ri(r, 1, 28)
        main_date = pd.Timestamp(year, month, day)
        if n_events > 1:
            shares = np.r_[_u(r, 0.55, 0.8), np.zeros(n_events - 1)]
            shares[1:] = r.dirichlet(np.ones(n_events - 1) * 2) * (1 - shares[0])
        else:
            shares = np.ones(1)
        style = self.k["export"]["event_id_style"]
        events, ids = [], set()
        for i, j in enumerate(order):
            kind, name, slug, tag = L["events"][j]
            date = main_date if i == 0 else main_date + pd.Timedelta(days=_ri(r, -12, 12))
            hour = float(r.choice([18.0, 19.0, 19.5, 20.0]))
            start = pd.Timestamp(date.year, date.month, date.day, tz=L["tz"]) + pd.Timedelta(hours=hour)
            days = _ri(r, 7, 21) if i == 0 else _ri(r, 5, 21)
            open_ = (start - pd.Timedelta(days=days)).normalize() + pd.Timedelta(hours=_u(r, 9, 13))
            close = start - pd.Timedelta(hours=_u(r, 0, 3))
            venue, vzip = L["venues"][int(r.integers(len(L["venues"])))]
            site = _fold(venue).replace(".", "") + (".com.br" if L["key"] == "br" else ".com")
            if style == "slug":
                eid = f"{_fold(L['city'])[:3]}-{slug}-{start:%Y%m%d}"
            elif style == "numeric":
                eid = str(_ri(r, 10000, 999999))
            else:
                eid = "EV-" + _fill(r, "LLDDDD", 1)[0]
            while eid in ids:
                eid += "b"
            ids.add(eid)
            url = f"https://{L['ticket_host'].format(site=site)}/e/{slug}"
            events.append(dict(id=eid, name=name, kind=kind, slug=slug, tag=tag, venue=venue, venue_zip=vzip,
                               site=site, url=url, T0=open_.timestamp(), T1=close.timestamp(),
                               start=start.timestamp(), share=float(shares[i]), date=f"{start:%Y-%m-%d}",
                               month=L["months"][min(max(start.month - 3, 0), 8)]))
        self.events = events
        self.k["events"] = [dict(event_id=e["id"], name=e["name"], kind=e["kind"], venue=e["venue"],
                                 registration_opens=_iso(e["T0"]), registration_closes=_iso(e["T1"]),
                                 event_starts=_iso(e["start"]), window_days=round((e["T1"] - e["T0"]) / 86400, 2),
                                 organic_share=round(e["share"], 3), url=e["url"]) for e in events]

    def _grid(self):
        r, L = self.rng, self.L
        G0 = math.floor((min(e["T0"] for e in self.events) - 2 * 86400) / 60) * 60
        G1 = max(e["T1"] for e in self.events) + 12 * 3600
        M = int((G1 - G0) // 60) + 1
        self.G0, self.M = float(G0), M
        idx = pd.date_range(pd.Timestamp(G0, unit="s", tz="UTC"), periods=M, freq="min")
        loc = idx.tz_convert(L["tz"])
        self.loc_hour = (loc.hour + loc.minute / 60.0).to_numpy(dtype=float)
        self.loc_dow = loc.day_of_week.to_numpy()
        naive = loc.tz_localize(None)
        self.loc_day = (naive.as_unit("s").asi8 // 86400).astype(np.int64)
        self.utc_hour = (idx.hour + idx.minute / 60.0).to_numpy(dtype=float)
        self.curve = _BASE_DIURNAL * np.exp(r.normal(0, 0.08, 24))
        self.k["diurnal_curve"] = np.round(self.curve / self.curve.mean(), 3)

    def _diurnal(self, hours):
        c = self.curve
        return np.interp(hours % 24.0, np.arange(25), np.r_[c, c[0]])

    def _plan_organic(self):
        r, L, T = self.rng, self.L, self.T
        ch_names = [c for c, _ in L["channels"]]
        ch_w = r.dirichlet(np.array([w for _, w in L["channels"]]) * 80)
        dev_names = [d for d, _ in L["devices"]]
        dev_w = r.dirichlet(np.array([w for _, w in L["devices"]]) * 100)
        hh = r.dirichlet(np.array([0.58, 0.25, 0.10, 0.05, 0.02]) * 60)
        o = dict(
            p_link=_u(r, 0.2, 0.5), p_home=_u(r, 0.45, 0.65), p_phone_out=_u(r, 0.06, 0.15),
            p_postal_out=_u(r, 0.02, 0.06), p_vpn=_u(r, 0.005, 0.02), p_placeholder_phone=_u(r, 0.002, 0.01),
            p_fake_name=_u(r, 0.001, 0.004), p_throwaway=_u(r, 0.001, 0.004), p_plus=_u(r, 0.004, 0.015),
            p_phone_blank=_u(r, 0.0, 0.12), p_postal_blank=_u(r, 0.0, 0.08), p_name_blank=_u(r, 0.0, 0.01),
            household_sizes_p=np.round(hh, 4), p_duplicate=_u(r, 0.003, 0.015), p_attend=_u(r, 0.55, 0.8),
            ipv6_share=_u(r, 0.0, 0.3) if r.random() < 0.6 else 0.0,
            mobile_pool=int(self.n * _u(r, 0.05, 0.15)) + 200,
            channels=dict(zip(ch_names, np.round(ch_w, 4))), devices=dict(zip(dev_names, np.round(dev_w, 4))),
            ramp_amplitude=_u(r, 1.0, 4.0), ramp_power=_u(r, 1.5, 4.0), last_day_boost=_u(r, 0.3, 1.2),
            weekend_factor=_u(r, 1.0, 1.3), day_noise_sigma=_u(r, 0.08, 0.25),
            surge_share=_u(r, *T["surge_share"]), q_surge_repost=_u(r, 0.05, 0.3),
            f_surge_follow=_u(r, 0.1, 0.4), chatter_rate=_u(r, 0.3, 0.8), bg_accounts=_u(r, 0.4, 0.8),
            follow_mean=_u(r, 5, 10), p_late_household=_u(r, 0.1, 0.3),
            groups=[dict(size=_ri(r, 6, 30), spread_min=_u(r, 20, 120)) for _ in range(_ri(r, 0, 4))],
        )
        self.o = o
        self.ch_names, self.ch_w = ch_names, ch_w
        self.dev_names, self.dev_w = dev_names, dev_w
        self.k["organic"] = o
        # the mobile CGNAT pool: many people share these addresses
        m = o["mobile_pool"]
        self.mobile_pool = self._ipv4(L["ip_mobile"], m)
        # day-level noise for the base rate
        days = np.unique(self.loc_day)
        self.day_noise = dict(zip(days.tolist(), np.exp(r.normal(0, o["day_noise_sigma"], len(days)))))

    def _plan_campaigns(self):
        r, L, T = self.rng, self.L, self.T
        nc = _ri(r, *T["n_campaigns"])
        share = _u(r, *T["campaign_share"]) if nc else 0.0
        total = int(round(share * self.n))
        sizes = []
        if nc:
            w = r.dirichlet(np.ones(nc) * 3)
            sizes = np.maximum(np.round(w * total).astype(int), 30)
        self.k["campaign_share"] = round(float(np.sum(sizes)) / self.n, 4) if nc else 0.0
        camps = []
        regions = L["regions"]
        for i in range(nc):
            ev = 0 if (len(self.events) == 1 or r.random() < 0.8) else _ri(r, 1, len(self.events) - 1)
            E = self.events[ev]
            W = E["T1"] - E["T0"]
            D = min(_loguniform(r, *T["duration_h"]) * 3600, 0.8 * W)
            lo, hi = E["T0"] + 0.05 * W, E["T1"] - D - 1800
            start = _u(r, lo, max(lo + 1, hi))
            waves = _ri(r, *T["waves"])
            rel = np.r_[0.0, np.sort(r.uniform(0.1, 0.75, waves - 1))] * D
            wave_w = r.dirichlet(np.ones(waves) * 1.5)
            shape = _u(r, *T["shape"])
            wave_list = []
            for w_i in range(waves):
                nxt = rel[w_i + 1] if w_i + 1 < waves else D
                tau = max(180.0, (nxt - rel[w_i]) * _u(r, 0.2, 0.45) / shape)
                wave_list.append(dict(start=start + rel[w_i], tau_s=tau, weight=float(wave_w[w_i])))
            src_kind = _wchoice(r, (("metro", 0.55), ("national", 0.30), ("international", 0.15)))
            if src_kind == "metro":
                src = [str(r.choice(list(regions)))]
                tz = regions[src[0]]["tz"]
            elif src_kind == "national":
                src = list(regions)
                tz = None
            else:
                keys = list(L["international"])
                src = [str(x) for x in r.choice(keys, size=_ri(r, 1, 3), replace=False)]
                tz = L["international"][src[0]]["tz"]
            platform = _wchoice(r, L["campaign_platforms"])
            k_odd = min(_ri(r, *T["n_odd"]), len(ODD_COLUMNS))
            pw = np.array([ODD_WEIGHTS[c] for c in ODD_COLUMNS])
            cols = list(r.choice(ODD_COLUMNS, size=k_odd, replace=False, p=pw / pw.sum()))
            vis = [c for c in cols if self._visible(c)]
            if not vis:  # keep at least one difference that the export shows
                cand = [c for c in ODD_COLUMNS if self._visible(c) and c not in cols]
                if cand:
                    cols.append(str(r.choice(cand)))
            odd = {c: _wchoice(r, ODD_MODES[c]) for c in cols}
            if odd.get("user_agent") == "inapp" and platform not in _PLATFORM_INAPP:
                odd["user_agent"] = "uniform"
            rpp = _u(r, 2.0, 6.0) if odd.get("email") == "plus" else (1.0 if r.random() < 0.8 else _u(r, 1.1, 1.5))
            organiser = self._special_handle(L["org_words"], r)
            hubs = [self._special_handle(L["org_words"], r) for _ in range(_ri(r, 0, 3))]
            camps.append(dict(
                id=i + 1, event=ev, size=int(sizes[i]), camouflage=round(_u(r, *T["camouflage"]), 4),
                start=start, duration_s=D, waves=wave_list, shape=shape, diurnal=_u(r, *T["diurnal"]),
                source_kind=src_kind, source=src, source_tz=tz, platform=platform, odd=odd,
                regs_per_person=rpp, gap_s=_u(r, 20, 120), attend=_u(r, 0.02, 0.15),
                organiser=organiser, hubs=hubs, lead_s=_u(r, 120, 2700),
                text=str(r.choice(L["campaign_text"])), tag2=str(r.choice(L["campaign_tags"])),
                p_link_odd=_u(r, 0.85, 1.0), p_follow_odd=_u(r, 0.6, 0.95), p_repost_odd=_u(r, 0.4, 0.85),
                handle_style=str(r.choice(["fresh", "stan"])) if odd.get("social") != "fans" else "stan",
                amplifiers=_u(r, 0.1, 0.5), seq_step=int(r.choice([1, 1, 1, 2, 7, 10])),
                pins=dict(n_versions=_ri(r, 1, 3)), shortener=_fill(r, "DAAAAAA", 2).tolist(),
            ))
        self.camps = camps

    def _visible(self, col):
        if col == "social":
            return self.present["account_id"]
        return self.present[col]

    def _plan_surges(self):
        r, T, o = self.rng, self.T, self.o
        surges = []
        kinds = (("celebrity", 0.35), ("news", 0.2), ("tv", 0.15), ("newsletter", 0.15), ("last_call", 0.15))
        if self.tier == "organic":
            kinds = (("celebrity", 0.4), ("news", 0.2), ("tv", 0.2), ("newsletter", 0.1), ("last_call", 0.1))
        for e, E in enumerate(self.events):
            if e == 0:
                ns = _ri(r, *T["n_surges"])
                total = o["surge_share"]
                ks = ["announcement"] if r.random() < 0.85 else []
                while len(ks) < max(ns, 1):
                    kd = _wchoice(r, kinds)
                    if kd in ("newsletter", "last_call") and kd in ks:
                        continue
                    ks.append(kd)
            else:
                ks = ["announcement"] if r.random() < 0.7 else []
                total = _u(r, 0.05, 0.15)
            if not ks:
                continue
            shares = r.dirichlet(np.ones(len(ks)) * 2) * total
            for kind, sh in zip(ks, shares):
                surges.append(self._surge(kind, e, float(sh)))
        # hard tier: one celebrity share runs through the same platform as a campaign
        if self.tier == "hard" and self.camps and r.random() < 0.7:
            plat = self.camps[0]["platform"]
            if plat in dict(self.L["channels"]):
                s = self._surge("celebrity", self.camps[0]["event"], float(_u(r, 0.02, 0.05)))
                s["channel"] = plat
                s["platform"] = plat
                s["confounder_of_campaign"] = 1
                surges.append(s)
        for i, s in enumerate(surges):
            s["id"] = i + 1
        self.surges = surges
        self.k["surges"] = [{k: (_iso(v) if k == "start" else v) for k, v in s.items() if k not in ("source",)}
                            | {"source_account": s["source"]} for s in surges]

    def _surge(self, kind, e, share):
        r, L = self.rng, self.L
        E = self.events[e]
        T0, T1 = E["T0"], E["T1"]
        main = L["main_platform"]
        if kind == "announcement":
            start, tau, shape, beta = T0 + _u(r, 0, 1200), _u(r, 120, 600), _u(r, 1.0, 1.3), _u(r, 0.5, 1.0)
            channel = _wchoice(r, (("event_site", 0.5), ("facebook", 0.3), ("email", 0.2)))
            source, platform = self._event_handle(e), main
        elif kind == "celebrity":
            start = self._at_local_hour(_u(r, T0 + 86400, T1 - 43200), _u(r, 12, 23.5), T0, T1)
            tau, shape, beta = _u(r, 10, 90), _u(r, 1.0, 1.2), _u(r, 0.2, 0.6)
            channel, platform = main, main
            source = L["celebs"][int(r.integers(len(L["celebs"])))]
        elif kind == "news":
            h = _u(r, 6, 12) if r.random() < 0.6 else _u(r, 17, 19)
            start = self._at_local_hour(_u(r, T0 + 3600, T1 - 7200), h, T0, T1)
            tau, shape, beta = _u(r, 60, 360), _u(r, 1.0, 1.5), _u(r, 0.6, 1.0)
            site = L["news"][int(r.integers(len(L["news"])))]
            channel, platform = "news:" + site, "twitter"
            source = L["news_handles"][int(r.integers(len(L["news_handles"])))]
        elif kind == "tv":
            start = self._at_local_hour(_u(r, T0 + 3600, T1 - 7200), _u(r, 18, 22), T0, T1)
            tau, shape, beta = _u(r, 8, 30), 1.0, _u(r, 0.2, 0.5)
            channel, platform = "direct", "facebook"
            source = L["news_handles"][int(r.integers(len(L["news_handles"])))]
        elif kind == "newsletter":
            start = self._at_local_hour(_u(r, T0 + 86400, T1 - 7200), _u(r, 8, 11), T0, T1)
            tau, shape, beta = _u(r, 30, 180), _u(r, 1.0, 1.3), _u(r, 0.5, 0.9)
            channel, platform = "email", main
            source = self._event_handle(e)
        else:  # last_call
            start = self._at_local_hour(T1 - _u(r, 6, 30) * 3600, _u(r, 9, 18), T0, T1)
            tau, shape, beta = _u(r, 60, 240), _u(r, 1.0, 1.3), _u(r, 0.5, 1.0)
            channel = _wchoice(r, (("facebook", 0.5), (main, 0.5)))
            platform, source = main, self._event_handle(e)
        return dict(kind=kind, event=e, start=float(start), tau_min=round(tau, 2), shape=round(shape, 3),
                    diurnal=round(beta, 3), share=round(share, 4), channel=channel,
                    p_channel=round(_u(r, 0.5, 0.95), 3), platform=platform, source=source)

    def _at_local_hour(self, t, hour, lo, hi):
        ts = pd.Timestamp(t, unit="s", tz="UTC").tz_convert(self.L["tz"])
        v = (ts.normalize() + pd.Timedelta(hours=hour)).timestamp()
        return float(min(max(v, lo + 600), hi - 3600))

    def _event_handle(self, e):
        return _fold(self.events[e]["name"]).replace(":", "")[:24]

    def _special_handle(self, words, r):
        a, b = r.choice(words, size=2, replace=False)
        sep = str(r.choice([".", "_", ""]))
        h = f"{a}{sep}{b}" + (str(_ri(r, 1, 99)) if r.random() < 0.4 else "")
        while h in self.used_handles:
            h += str(_ri(r, 0, 9))
        self.used_handles.add(h)
        return h

    # ------------------------------------------------------------------ time sampling
    def _idx(self, t):
        return int(min(max((t - self.G0) // 60, 0), self.M))

    def _sample(self, w, k, i0):
        if k <= 0:
            return np.empty(0)
        s = w.sum()
        p = w / s if s > 0 else np.full(len(w), 1.0 / len(w))
        idx = self.rng.choice(len(w), size=k, p=p)
        return self.G0 + (i0 + idx) * 60.0 + self.rng.random(k) * 60.0

    def _base_weights(self, e):
        E, o = self.events[e], self.o
        i0, i1 = self._idx(E["T0"]), self._idx(E["T1"])
        t = self.G0 + (np.arange(i0, i1) + 0.5) * 60.0
        x = np.clip((t - E["T0"]) / (E["T1"] - E["T0"]), 0.0, 1.0)
        ramp = 1 + o["ramp_amplitude"] * x ** o["ramp_power"] + o["last_day_boost"] * np.exp(-(E["T1"] - t) / 64800.0)
        wk = np.where(self.loc_dow[i0:i1] >= 5, o["weekend_factor"], 1.0)
        dn = np.array([self.day_noise[d] for d in self.loc_day[i0:i1]])
        return self._diurnal(self.loc_hour[i0:i1]) * wk * ramp * dn, i0

    def _kernel(self, start, tau_s, shape, end, tz_off=None, beta=0.0):
        i0, i1 = self._idx(start), max(self._idx(end), self._idx(start) + 1)
        t = self.G0 + (np.arange(i0, i1) + 0.5) * 60.0
        x = np.maximum((t - start) / tau_s, 1e-3)
        w = x ** (shape - 1.0) * np.exp(-x)
        if beta > 0:
            h = self.loc_hour[i0:i1] if tz_off is None else self.utc_hour[i0:i1] + tz_off
            w = w * self._diurnal(h) ** beta
        return w, i0

    # ------------------------------------------------------------------ attribute generators
    def _ipv4(self, pairs, k):
        r = self.rng
        if isinstance(pairs[0], tuple):
            pre = _wchoice(r, pairs, k)
        else:
            pre = _pick(r, pairs, k)
        a, b = r.integers(0, 256, k), r.integers(1, 255, k)
        return np.array([f"{p}.{x}.{y}" for p, x, y in zip(pre, a, b)], dtype=object)

    def _ipv6(self, k):
        pre = _pick(self.rng, self.L["ip6"], k)
        tail = _fill(self.rng, "HHHH:HHHH:HHHH:HHHH:HHHH:HHHH", k)
        return np.array([p + t for p, t in zip(pre, tail)], dtype=object)

    def _names(self, k, female):
        r, L = self.rng, self.L
        pf, pm = _zipf(len(L["first_f"]), 0.7), _zipf(len(L["first_m"]), 0.7)
        first = np.where(female, _pick(r, L["first_f"], k, pf), _pick(r, L["first_m"], k, pm))
        if L["key"] == "br":
            comp = r.random(k) < 0.18
            first[comp & female] = _pick(r, _BR_COMPOUND_F, int((comp & female).sum()))
            first[comp & ~female] = _pick(r, _BR_COMPOUND_M, int((comp & ~female).sum()))
            pl = _zipf(len(L["last"]), 0.6)
            ns = r.choice([1, 2, 3], size=k, p=[0.25, 0.55, 0.20])
            s1, s2, s3 = (_pick(r, L["last"], k, pl) for _ in range(3))
            use_p = r.random(k) < 0.3
            last = np.empty(k, dtype=object)
            for j in range(k):
                sn = [s1[j], s2[j], s3[j]][:ns[j]]
                i_ = 0 if ns[j] > 1 else -1
                if use_p[j] and sn[i_] in _BR_PARTICLE_OK:
                    sn[i_] = f"{_br_particle(sn[i_])} {sn[i_]}"
                last[j] = " ".join(sn)
            key = np.array([x.split(" ")[-1] for x in last], dtype=object)
        else:
            last = _pick(r, L["last"], k, _zipf(len(L["last"]), 0.8))
            hy = r.random(k) < 0.015
            last[hy] = _cat(last[hy], "-", _pick(r, L["last"], int(hy.sum())))
            key = last.copy()
        return first, last, key

    def _display_names(self, first, last):
        r, L = self.rng, self.L
        k = len(first)
        name = _cat(first, " ", last)
        u = r.random(k)
        if L["key"] == "us":
            mi = u < 0.05
            name[mi] = _cat(first[mi], " ", _fill(r, "L.", int(mi.sum())), " ", last[mi])
        else:
            st = u < 0.15
            name[st] = np.array([_strip_accents(x) for x in name[st]], dtype=object)
        v = r.random(k)
        low, up = v < 0.06, (v >= 0.06) & (v < (0.09 if L["key"] == "us" else 0.16))
        name[low] = np.array([x.lower() for x in name[low]], dtype=object)
        name[up] = np.array([x.upper() for x in name[up]], dtype=object)
        w = r.random(k)
        fo = w < 0.01
        name[fo] = first[fo]
        sp = (w >= 0.01) & (w < 0.02)
        name[sp] = _cat(name[sp], " ")
        dbl = (w >= 0.02) & (w < 0.027)
        name[dbl] = np.array([x.replace(" ", "  ", 1) for x in name[dbl]], dtype=object)
        return name

    def _emails(self, first, key, birth, providers=None):
        r, L = self.rng, self.L
        k = len(first)
        prov = _wchoice(r, providers or L["providers"], k)
        pat = r.choice(12, size=k, p=np.array([18, 14, 4, 10, 10, 6, 7, 10, 3, 5, 5, 8]) / 100)
        words = _pick(r, L["email_words"], k)
        d2, d3 = r.integers(1, 100, k), r.integers(1, 1000, k)
        out = np.empty(k, dtype=object)
        for j in range(k):
            f = _fold(first[j]) if L["key"] == "us" or r.random() < 0.5 else _fold(first[j].split(" ")[0])
            l = _fold(key[j])
            nk = _fold(L["nick"].get(first[j], first[j].split(" ")[0]))
            yy, p = int(birth[j]) % 100, pat[j]
            loc = (f"{f}.{l}", f"{f}{l}", f"{f}_{l}", f"{f[0]}{l}", f"{f}{yy:02d}", f"{f}{l}{birth[j]}",
                   f"{nk}{words[j]}", f"{f}{l}{d2[j]}", f"{l}{f[0]}", f"{words[j]}{nk}{yy:02d}", f"{nk}{l}",
                   f"{f}{l[0]}{d3[j]}")[p]
            out[j] = loc
        cap = r.random(k) < 0.03
        out[cap] = np.array([".".join(x.capitalize() for x in s.split(".")) for s in out[cap]], dtype=object)
        plus = r.random(k) < self.o["p_plus"]
        out[plus] = _cat(out[plus], "+", _pick(r, ["events", "tickets", "promo", "news", "x"], int(plus.sum())))
        thr = r.random(k) < self.o["p_throwaway"]
        prov[thr] = _pick(r, _THROWAWAY, int(thr.sum()))
        return _cat(out, "@", prov)

    def _local_nat(self, k, areas=None):
        r, L = self.rng, self.L
        if L["key"] == "us":
            a = _wchoice(r, L["area_local"], k) if areas is None else areas
            return _cat(a, _fill(r, "NDDDDDD", k))
        a = _wchoice(r, L["area_local"], k) if areas is None else areas
        mob = r.random(k) < 0.9
        rest = np.where(mob, _patterns(r, ["99DDDDDDD", "98DDDDDDD", "97DDDDDDD", "96DDDDDDD"], k),
                        _patterns(r, ["2DDDDDDD", "3DDDDDDD", "4DDDDDDD", "5DDDDDDD"], k))
        return _cat(a, rest)

    def _phones(self, k):
        r, L, o = self.rng, self.L, self.o
        out = r.random(k) < o["p_phone_out"]
        areas = _wchoice(r, L["area_local"], k)
        near = _pick(r, L["area_near"], int(out.sum()), _zipf(len(L["area_near"]), 0.7))
        areas[out] = near
        nat = self._local_nat(k, areas)
        ph = r.random(k) < o["p_placeholder_phone"]
        nat[ph] = _pick(r, _PLACEHOLDER_PHONES[L["key"]], int(ph.sum()))
        cc = np.full(k, L["cc"], dtype=object)
        blank = r.random(k) < o["p_phone_blank"]
        cc[blank], nat[blank] = None, None
        return cc, nat

    def _postals(self, k):
        r, L, o = self.rng, self.L, self.o
        pz = _zipf(len(L["zips_local"]), 0.8)
        z = _pick(r, L["zips_local"], k, pz)
        if L["key"] == "br":
            z = _cat(z, _fill(r, "DDD", k))
        out = r.random(k) < o["p_postal_out"]
        z[out] = _patterns(r, L["zip_near"], int(out.sum()))
        blank = r.random(k) < o["p_postal_blank"]
        z[blank] = None
        return z

    def _people(self, k, hh_primary=None):
        """Ordinary people. ``hh_primary``: for each row the row index of its household's primary
        (itself for primaries); co-members share surname, address, home IP, sometimes phone/e-mail."""
        r, L, o = self.rng, self.L, self.o
        female = r.random(k) < 0.52
        first, last, key = self._names(k, female)
        co = np.zeros(k, bool) if hh_primary is None else hh_primary != np.arange(k)
        if hh_primary is not None:
            share = co & (r.random(k) < 0.8)
            last[share], key[share] = last[hh_primary[share]], key[hh_primary[share]]
        birth = np.clip(r.normal(1987, 14, k), 1940, 2008).astype(int)
        if hh_primary is not None:  # kids in households are younger
            kid = co & (r.random(k) < 0.4)
            birth[kid] = np.clip(birth[hh_primary[kid]] + r.integers(18, 35, int(kid.sum())), 1950, 2009)
        name = self._display_names(first, last)
        fake = r.random(k) < o["p_fake_name"]
        name[fake] = _pick(r, L["fake_joke"] + L["fake_placeholder"], int(fake.sum()))
        email = self._emails(first, key, birth)
        cc, nat = self._phones(k)
        postal = self._postals(k)
        home = self._ipv4(L["ip_home"], k)
        device = _pick(r, self.dev_names, k, self.dev_w)
        if hh_primary is not None:
            sp = co & (r.random(k) < 0.95)
            postal[sp] = postal[hh_primary[sp]]
            home[co] = home[hh_primary[co]]
            sph = co & (r.random(k) < 0.12)
            cc[sph], nat[sph] = cc[hh_primary[sph]], nat[hh_primary[sph]]
            se = co & (r.random(k) < 0.03)
            email[se] = email[hh_primary[se]]
        p_home = np.where(np.isin(device, ["windows", "mac", "linux"]), 0.92, o["p_home"])
        if hh_primary is not None:
            p_home = np.where(co, np.maximum(p_home, 0.7), p_home)
        use_home = r.random(k) < p_home
        mob = _pick(r, self.mobile_pool, k)
        v6 = r.random(k) < o["ipv6_share"]
        mob[v6] = self._ipv6(int(v6.sum()))
        ip = np.where(use_home, home, mob)
        vpn = r.random(k) < o["p_vpn"]
        ip[vpn] = self._ipv4(L["dc_ips"], int(vpn.sum()))
        channel = _pick(r, self.ch_names, k, self.ch_w)
        attended = r.random(k) < o["p_attend"]
        if hh_primary is not None:
            sa = co & (r.random(k) < 0.8)
            attended[sa] = attended[hh_primary[sa]]
        nb = r.random(k) < o["p_name_blank"]
        name[nb] = None
        return dict(first=first, last=last, key=key, birth=birth, name=name, email=email, cc=cc, nat=nat,
                    postal=postal, ip=ip, device=device, channel=channel, link=r.random(k) < o["p_link"],
                    attended=attended)

    def _realise(self, channel, device, event):
        """Referrer and user agent from the channel someone came through."""
        r, L = self.rng, self.L
        k = len(channel)
        ref = np.full(k, None, dtype=object)
        kind = np.full(k, "browser", dtype=object)
        mobile = np.isin(device, ["ios", "android"])
        search = ((("https://www.google.com/", 0.8), ("https://www.bing.com/", 0.08), ("https://duckduckgo.com/", 0.05),
                   ("https://search.yahoo.com/", 0.03), ("android-app://com.google.android.googlequicksearchbox/", 0.04))
                  if L["key"] == "us" else
                  (("https://www.google.com.br/", 0.8), ("https://www.google.com/", 0.1), ("https://www.bing.com/", 0.04),
                   ("android-app://com.google.android.googlequicksearchbox/", 0.06)))
        table = dict(
            search=search,
            facebook=(("https://m.facebook.com/", 0.45), ("https://l.facebook.com/", 0.35),
                      ("https://www.facebook.com/", 0.15), ("https://lm.facebook.com/", 0.05)),
            instagram=(("https://l.instagram.com/", 0.8), ("https://www.instagram.com/", 0.2)),
            tiktok=(("https://www.tiktok.com/", 0.55), (None, 0.45)),
            twitter=(("https://t.co/", 0.9), ("https://x.com/", 0.1)),
            snapchat=((None, 0.7), ("https://www.snapchat.com/", 0.3)),
            kwai=(("https://www.kwai.com/", 0.4), (None, 0.6)),
            whatsapp=((None, 0.7), ("android-app://com.whatsapp/", 0.3)),
            nextdoor=(("https://nextdoor.com/", 1.0),),
            reddit=(("https://www.reddit.com/", 0.5), ("https://out.reddit.com/", 0.5)),
            discord=(("https://discord.com/", 1.0),),
            telegram=((None, 0.6), ("https://t.me/", 0.4)),
            email=((None, 0.4), ("https://mail.google.com/", 0.25), ("android-app://com.google.android.gm/", 0.15),
                   ("https://outlook.live.com/", 0.1), ("utm_source=newsletter", 0.1)),
        )
        p_inapp = dict(tt=0.9, ig=0.85, fb=0.7, snap=0.8, kwai=0.85)
        for ch in np.unique(channel.astype(str)):
            idx = np.flatnonzero(channel == ch)
            m = len(idx)
            base, _, arg = ch.partition(":")
            if base in table:
                ref[idx] = _wchoice(r, table[base], m)
            elif base == "news":
                sites = [arg] if arg else L["news"]
                site = _pick(r, sites, m)
                path = _pick(r, ["", f"news/local/{self.events[0]['slug']}", f"{self.events[0]['slug']}-what-to-know",
                                 "local/"], m)
                ref[idx] = _cat("https://www.", site, "/", path)
            elif base == "event_site":
                sites = np.array([self.events[e]["site"] for e in event[idx]], dtype=object)
                path = _pick(r, ["", "events", "events/" + self.events[0]["slug"], "tickets"], m)
                ref[idx] = _cat("https://www.", sites, "/", path)
            elif base == "group":
                ref[idx] = arg
            inapp = _PLATFORM_INAPP.get(base)
            if inapp:
                sel = idx[mobile[idx] & (r.random(m) < p_inapp[inapp])]
                kind[sel] = inapp
        ua = self._ua(kind, device)
        return ref, ua

    def _ua(self, kind, device, pin=None):
        r, L = self.rng, self.L
        k = len(kind)
        lang, loc_, reg = L["ua_locale"]
        ios = _pick(r, _IOS, k, _IOS_P)
        iph = _pick(r, _IPHONES, k)
        andr = r.choice(len(L["android"]), size=k, p=_zipf(len(L["android"]), 0.6))
        cw = np.arange(1, len(_CHROME) + 1, dtype=float) ** 1.5
        chrome = _pick(r, _CHROME, k, cw / cw.sum())
        patch = r.integers(40, 210, k)
        ff = _pick(r, _FIREFOX, k)
        u1, u2, u3 = r.random(k), r.random(k), r.random(k)
        out = np.empty(k, dtype=object)
        api = {"11": 30, "12": 31, "13": 33, "14": 34}
        for j in range(k):
            kd, dev, c = kind[j], device[j], chrome[j]
            cfull = f"{c}.0.{6045 + (int(c) - 119) * 64}.{patch[j]}"
            if kd in _APP_VERSIONS and dev not in ("ios", "android"):
                kd = "browser"
            if kd == "browser":
                if dev == "ios":
                    iv = ios[j].split("_")
                    if u1[j] < 0.85:
                        out[j] = (f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios[j]} like Mac OS X) AppleWebKit/605.1.15 "
                                  f"(KHTML, like Gecko) Version/{iv[0]}.{iv[1] if len(iv) > 1 else 0} Mobile/15E148 Safari/604.1")
                    else:
                        out[j] = (f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios[j]} like Mac OS X) AppleWebKit/605.1.15 "
                                  f"(KHTML, like Gecko) CriOS/{cfull} Mobile/15E148 Safari/604.1")
                elif dev == "android":
                    av, model, build, maker, code = L["android"][andr[j]]
                    if maker == "samsung" and u1[j] < 0.3:
                        out[j] = (f"Mozilla/5.0 (Linux; Android {av}; {model}) AppleWebKit/537.36 (KHTML, like Gecko) "
                                  f"SamsungBrowser/{_SAMSUNG[int(u2[j] * len(_SAMSUNG))]} Chrome/{c}.0.0.0 Mobile Safari/537.36")
                    else:
                        out[j] = (f"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                                  f"Chrome/{c}.0.0.0 Mobile Safari/537.36")
                elif dev == "windows":
                    if u1[j] < 0.65:
                        out[j] = (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                  f"Chrome/{c}.0.0.0 Safari/537.36")
                    elif u1[j] < 0.9:
                        out[j] = (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                  f"Chrome/{c}.0.0.0 Safari/537.36 Edg/{c}.0.{2100 + (int(c) - 119) * 40}.{patch[j]}")
                    else:
                        out[j] = f"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{ff[j]}.0) Gecko/20100101 Firefox/{ff[j]}.0"
                elif dev == "mac":
                    if u1[j] < 0.55:
                        sv = ["16.6", "17.2.1", "17.4.1", "17.5", "17.6", "18.1", "18.2"][int(u2[j] * 7)]
                        out[j] = (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                                  f"(KHTML, like Gecko) Version/{sv} Safari/605.1.15")
                    else:
                        out[j] = (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
                                  f"(KHTML, like Gecko) Chrome/{c}.0.0.0 Safari/537.36")
                else:
                    out[j] = (f"Mozilla/5.0 (X11; Linux x86_64; rv:{ff[j]}.0) Gecko/20100101 Firefox/{ff[j]}.0"
                              if u1[j] < 0.5 else
                              f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{c}.0.0.0 Safari/537.36")
                continue
            vers = (pin or {}).get(kd) or _APP_VERSIONS[kd]
            appv = vers[min(len(vers) - 1, int(len(vers) * (u2[j] ** 0.5)))]
            net = "WIFI" if u3[j] < 0.6 else ("4G" if u3[j] < 0.85 else "5G")
            if dev == "ios":
                pre = (f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios[j]} like Mac OS X) AppleWebKit/605.1.15 "
                       f"(KHTML, like Gecko) Mobile/15E148")
                if kd == "tt":
                    out[j] = (f"{pre} musical_ly_{appv} JsSdk/2.0 NetType/{net} Channel/App Store ByteLocale/{lang} "
                              f"Region/{reg} ByteFullLocale/{lang} isDarkMode/{int(u1[j] < 0.4)} WKWebView/1 "
                              f"RevealType/Dialog BytedanceWebview/d8a21c6")
                elif kd == "ig":
                    out[j] = (f"{pre} Instagram {appv} ({iph[j]}; iOS {ios[j]}; {loc_}; {lang.split('-')[0]}; "
                              f"scale=3.00; 1170x2532; {500000000 + vers.index(appv) * 1234567})")
                elif kd == "fb":
                    out[j] = (f"{pre} [FBAN/FBIOS;FBAV/{appv};FBBV/{600000000 + vers.index(appv) * 2345678};"
                              f"FBDV/{iph[j]};FBMD/iPhone;FBSN/iOS;FBSV/{ios[j].replace('_', '.')};FBSS/3;FBID/phone;"
                              f"FBLC/{loc_};FBOP/5;FBRV/0]")
                elif kd == "snap":
                    out[j] = f"{pre} Snapchat/{appv} (like Safari/8618.1.15.10.15, panda)"
                else:
                    out[j] = f"{pre} Kwai/{appv} ISLP/0 StatusHT/47 KDT/PHONE"
            else:
                av, model, build, maker, code = L["android"][andr[j]]
                pre = (f"Mozilla/5.0 (Linux; Android {av}; {model} Build/{build}; wv) AppleWebKit/537.36 "
                       f"(KHTML, like Gecko) Version/4.0 Chrome/{cfull} Mobile Safari/537.36")
                if kd == "tt":
                    out[j] = (f"{pre} musical_ly_{appv.replace('.', '')}0 JsSdk/1.0 NetType/{net} Channel/googleplay "
                              f"AppName/musical_ly app_version/{appv} ByteLocale/{lang} ByteFullLocale/{lang} "
                              f"Region/{reg} AppId/1233 Spark/1.5.9.1 AppVersion/{appv} BytedanceWebview/d8a21c6")
                elif kd == "ig":
                    out[j] = (f"{pre} Instagram {appv} Android ({api.get(av, 33)}/{av}; 420dpi; 1080x2340; {maker}; "
                              f"{model}; {code}; qcom; {loc_}; {500000000 + vers.index(appv) * 1234567})")
                elif kd == "fb":
                    out[j] = f"{pre} [FB_IAB/FB4A;FBAV/{appv};]"
                elif kd == "snap":
                    out[j] = f"{pre} Snapchat/{appv}"
                else:
                    out[j] = f"{pre} Kwai/{appv} KWAI_BRAND/{maker}"
        return out

    def _handles(self, first, key, style):
        r, L = self.rng, self.L
        k = len(first)
        words = _pick(r, L["handle_words"], k)
        sa, sb = _pick(r, _STAN_A, k), _pick(r, _STAN_B, k)
        dd, ddd, dig = r.integers(1, 100, k), r.integers(1, 1000, k), _fill(r, "DDDDDDDDDD", k)
        pat = r.choice(11, size=k, p=np.array([12, 12, 6, 14, 10, 8, 6, 10, 6, 3, 13]) / 100)
        out = np.empty(k, dtype=object)
        for j in range(k):
            f, l = _fold(first[j]), _fold(key[j])
            st = style[j]
            if st == "fresh":
                out[j] = f"user{dig[j]}" if L["key"] == "us" else f"{f}{l}{dig[j][:5]}"
            elif st == "stan":
                out[j] = f"{sa[j]}{sb[j]}_{ddd[j]}" if r.random() < 0.7 else f"{sa[j]}.{f}{dd[j]}"
            else:
                p = pat[j]
                if p == 10:
                    out[j] = f"user{dig[j][:9]}" if L["key"] == "us" else f"{f}{l}{dig[j][:4]}"
                else:
                    out[j] = (f"{f}{l}", f"{f}.{l}", f"{f}_{l}", f"{f}{l}{dd[j]}", f"{f}{dd[j]:02d}",
                              f"{f}_{words[j]}", f"{words[j]}{f}", f"{f}{l[:1]}{ddd[j]}", f"{f}.{l}.{dd[j]}",
                              f"_{f}{l}_", "")[p]
        for j in r.permutation(k):  # random order: no group gets the collision suffixes first
            h = out[j]
            while h in self.used_handles:
                h = h + str(int(r.integers(0, 10)))
            self.used_handles.add(h)
            out[j] = h
        return out

    # ------------------------------------------------------------------ organic registrations
    def _organic(self):
        r, o, L = self.rng, self.o, self.L
        n_camp = sum(c["size"] for c in self.camps)
        n_org = self.n - n_camp
        n_dup = int(round(o["p_duplicate"] * n_org))
        N = n_org - n_dup
        hp = np.asarray(o["household_sizes_p"], float)
        sizes = r.choice(np.arange(1, 6), size=N, p=hp / hp.sum())
        cs = np.cumsum(sizes)
        H = int(np.searchsorted(cs, N)) + 1
        sizes = sizes[:H].copy()
        sizes[-1] -= int(cs[H - 1] - N)
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        hh = np.repeat(np.arange(H), sizes)
        pos = np.arange(N) - starts[hh]
        prim = starts[hh]
        shares = np.array([e["share"] for e in self.events])
        ev_h = r.choice(len(self.events), size=H, p=shares / shares.sum())
        comp_h = np.zeros(H, dtype=int)
        tp = np.empty(H)
        for e, E in enumerate(self.events):
            he = np.flatnonzero(ev_h == e)
            ss = [s for s in self.surges if s["event"] == e]
            p = np.array([max(0.0, 1 - sum(s["share"] for s in ss))] + [s["share"] for s in ss])
            c = r.choice(len(p), size=len(he), p=p / p.sum())
            b = he[c == 0]
            w, i0 = self._base_weights(e)
            tp[b] = self._sample(w, len(b), i0)
            for j, s in enumerate(ss, 1):
                hs = he[c == j]
                comp_h[hs] = s["id"]
                w, i0 = self._kernel(s["start"], s["tau_min"] * 60, s["shape"], E["T1"], None, s["diurnal"])
                tp[hs] = np.maximum(self._sample(w, len(hs), i0), s["start"])
        ev = ev_h[hh]
        T0 = np.array([E["T0"] for E in self.events])[ev]
        T1 = np.array([E["T1"] for E in self.events])[ev]
        late = (pos > 0) & (r.random(N) < o["p_late_household"])
        off = np.where(late, r.exponential(36000, N), 20 + r.exponential(180, N)) * (pos > 0)
        t = tp[hh] + off
        over = t > T1 - 1
        t[over] = np.minimum(tp[hh][over] + 20 + r.exponential(120, int(over.sum())), T1[over] - 1)
        t = np.clip(t, T0, T1 - 1)
        surge = np.where(late, 0, comp_h[hh])
        P = self._people(N, hh_primary=prim)
        ch = P["channel"]
        for s in self.surges:
            m = (surge == s["id"]) & (pos == 0) & (r.random(N) < s["p_channel"])
            ch[m] = s["channel"]
        follow = (pos > 0) & (r.random(N) < 0.5)
        ch[follow] = ch[prim[follow]]
        # organic groups: a club or congregation signing up together from one network
        groups = []
        cand = np.flatnonzero((ev == 0) & (surge == 0) & (sizes[hh] == 1))
        for g in o["groups"]:
            if len(cand) < g["size"] * 3:
                break
            pick = r.choice(cand, size=g["size"], replace=False)
            E = self.events[0]
            center = self._at_local_hour(_u(r, E["T0"] + 86400, E["T1"] - 86400), _u(r, 10, 20), E["T0"], E["T1"])
            t[pick] = np.clip(center + np.abs(r.normal(0, g["spread_min"] * 60, len(pick))), E["T0"], E["T1"] - 1)
            gip = self._ipv4(L["ip_home"], 1)[0]
            P["ip"][pick] = np.where(r.random(len(pick)) < 0.8, gip, P["ip"][pick])
            site = str(r.choice(L["group_sites"]))
            via = r.random(len(pick)) < 0.7
            ch[pick[via]] = "group:" + site
            groups.append(dict(size=int(g["size"]), start=_iso(center), ip=gip, referrer=site))
            cand = np.setdiff1d(cand, pick)
        self.k["organic"]["groups"] = groups
        ref, ua = self._realise(ch, P["device"], ev)
        D = pd.DataFrame(dict(event=ev, t=t, **{k_: v for k_, v in P.items()}, referrer=ref, ua=ua,
                              campaign=0, camouflage=0.0, surge=surge, hh=hh, pos=pos, person=np.arange(N),
                              wave=-1, social_odd=False, dup=False))
        if n_dup:
            src = r.choice(N, size=n_dup, replace=False)
            Dd = D.iloc[src].copy()
            quick = r.random(n_dup) < 0.5
            shift = np.where(quick, 5 + r.exponential(300, n_dup), r.exponential(3 * 3600, n_dup))
            T1d = np.array([E["T1"] for E in self.events])[Dd["event"].to_numpy()]
            Dd["t"] = np.minimum(Dd["t"].to_numpy() + shift, T1d - 1)
            up = r.random(n_dup) < 0.2
            em = _obj(Dd["email"])
            em[up] = np.array([x.capitalize() if isinstance(x, str) else x for x in em[up]], dtype=object)
            Dd["email"] = em
            Dd["surge"] = np.where(quick, Dd["surge"].to_numpy(), 0)
            Dd["dup"] = True
            D = pd.concat([D, Dd], ignore_index=True)
        return D

    # ------------------------------------------------------------------ campaigns
    def _region(self, key):
        return self.L["regions"].get(key) or self.L["international"][key]

    def _region_values(self, c, m, what):
        r = self.rng
        keys = _pick(r, c["source"], m)
        cc = np.full(m, None, dtype=object)
        val = np.full(m, None, dtype=object)
        for key in np.unique(keys.astype(str)):
            idx = np.flatnonzero(keys == key)
            R, q = self._region(key), len(idx)
            if what == "phone":
                if "areas" in R:
                    val[idx] = _cat(_pick(r, R["areas"], q, _zipf(len(R["areas"]), 1.0)), _fill(r, "NDDDDDD", q))
                elif "ddd" in R:
                    val[idx] = self._local_nat(q, _pick(r, R["ddd"], q, _zipf(len(R["ddd"]), 1.0)))
                else:
                    val[idx] = _patterns(r, R["nat"], q)
                cc[idx] = R["cc"]
            elif what == "postal":
                val[idx] = _patterns(r, R["zips"], q)
            else:
                val[idx] = self._ipv4(R["ips"], q)
        return (cc, val) if what == "phone" else val

    def _campaign(self, c, person_base):
        r, L = self.rng, self.L
        k, E = c["size"], self.events[c["event"]]
        rpp = c["regs_per_person"]
        if rpp > 1.0:
            counts = 1 + r.poisson(rpp - 1, size=k)
            cs = np.cumsum(counts)
            P_ = int(np.searchsorted(cs, k)) + 1
            counts = counts[:P_].copy()
            counts[-1] -= int(cs[P_ - 1] - k)
        else:
            counts = np.ones(k, dtype=int)
        P_ = len(counts)
        starts = np.r_[0, np.cumsum(counts)[:-1]]
        person = np.repeat(np.arange(P_), counts)
        within = np.arange(k) - starts[person]
        waves = c["waves"]
        wv = r.choice(len(waves), size=P_, p=np.array([w["weight"] for w in waves]))
        end = min(c["start"] + c["duration_s"], E["T1"] - 60)
        tp = np.empty(P_)
        for wi, w in enumerate(waves):
            m = wv == wi
            kern, i0 = self._kernel(w["start"], w["tau_s"], c["shape"], end, c["source_tz"], c["diurnal"])
            tp[m] = np.maximum(self._sample(kern, int(m.sum()), i0), w["start"])
        gaps = r.exponential(c["gap_s"], k) * (within > 0)
        cg = np.cumsum(gaps)
        t = np.minimum(tp[person] + cg - np.repeat(cg[starts], counts), E["T1"] - 1)
        ev = np.full(k, c["event"])
        P = self._people(k)
        ref, ua = self._realise(P["channel"], P["device"], ev)
        P["referrer"], P["ua"] = ref, ua
        rank = np.argsort(np.argsort(t, kind="stable"), kind="stable")
        first = starts[person]
        social_odd = np.zeros(k, bool)
        detail = {}
        for col, mode in c["odd"].items():
            m = r.random(k) >= c["camouflage"]
            if col in ("ip", "user_agent", "social"):
                m = m[first]
            q = int(m.sum())
            if col == "phone":
                if mode == "region":
                    cc, nat = self._region_values(c, q, "phone")
                elif mode == "placeholder":
                    vals = list(r.choice(_PLACEHOLDER_PHONES[L["key"]], size=_ri(r, 1, 3), replace=False))
                    cc, nat = np.full(q, L["cc"], dtype=object), _pick(r, vals, q)
                    detail["phone_values"] = vals
                else:
                    base = self._local_nat(1)[0]
                    b = int(base[:-4] + "0000") + _ri(r, 0, 200)
                    nat = np.array([str(b + int(x) * c["seq_step"]) for x in rank[m]], dtype=object)
                    cc = np.full(q, L["cc"], dtype=object)
                    detail["phone_sequence_start"] = str(b)
                P["cc"][m], P["nat"][m] = cc, nat
            elif col == "postal_code":
                if mode == "region":
                    P["postal"][m] = self._region_values(c, q, "postal")
                elif mode == "placeholder":
                    vals = list(r.choice(_PLACEHOLDER_POSTAL[L["key"]], size=_ri(r, 1, 3), replace=False))
                    P["postal"][m] = _pick(r, vals, q)
                    detail["postal_values"] = vals
                else:
                    P["postal"][m] = E["venue_zip"] + ("000" if L["key"] == "br" else "")
            elif col == "ip":
                if mode == "datacenter":
                    nets = [f"{p}.{_ri(r, 0, 255)}" for p in r.choice(L["dc_ips"], size=_ri(r, 1, 4))]
                    P["ip"][m] = _cat(_pick(r, nets, q), ".", r.integers(2, 255, q).astype(str).astype(object))
                    detail["ip_subnets"] = [n_ + ".0/24" for n_ in nets]
                elif mode == "region":
                    P["ip"][m] = self._region_values(c, q, "ip")
                else:
                    pool = self._ipv4(L["ip_home"] if r.random() < 0.5 else L["dc_ips"], _ri(r, 2, 10))
                    P["ip"][m] = _pick(r, pool, q, _zipf(len(pool), 0.8))
                    detail["ip_pool"] = pool.tolist()
            elif col == "email":
                if mode == "throwaway":
                    doms = list(r.choice(_THROWAWAY, size=_ri(r, 1, 3), replace=False))
                    named = r.random(q) < 0.5
                    loc = _patterns(r, ["lllllllDD", "llllllDDD", "llllllll"], q)
                    nb = _cat(np.array([_fold(f) for f in P["first"][m]], dtype=object),
                              np.array([_fold(x) for x in P["key"][m]], dtype=object),
                              r.integers(1, 100, q).astype(str).astype(object))
                    loc[named] = nb[named]
                    P["email"][m] = _cat(loc, "@", _pick(r, doms, q))
                    detail["email_domains"] = doms
                elif mode == "plus":
                    style = str(r.choice(["num", "word", "dots"]))
                    prov = "gmail.com" if (style == "dots" or r.random() < 0.8) else str(
                        r.choice(["outlook.com", "icloud.com", "yahoo.com"]))
                    bases = np.where(r.random(len(counts)) < 0.5,
                                     _cat(_pick(r, _STAN_A, len(counts)), _pick(r, _STAN_B, len(counts)),
                                          r.integers(1, 1000, len(counts)).astype(str).astype(object)),
                                     _cat(np.array([_fold(x) for x in self._names(len(counts), r.random(len(counts)) < 0.5)[0]], dtype=object),
                                          np.array([_fold(x) for x in self._names(len(counts), r.random(len(counts)) < 0.5)[2]], dtype=object)))
                    b = bases[person][m]
                    wn = within[m]
                    if style == "num":
                        loc = _cat(b, "+", (wn + 1).astype(str).astype(object))
                    elif style == "word":
                        loc = _cat(b, "+", _pick(r, ["rally", "tix", "free", "a", "b", "c", "x", "go", "lol", "1", "2"], q),
                                   (wn + 1).astype(str).astype(object))
                    else:
                        loc = np.empty(q, dtype=object)
                        for j in range(q):
                            s_ = list(b[j])
                            for _ in range(int(wn[j]) + 1):
                                if len(s_) > 2:
                                    s_.insert(_ri(r, 1, len(s_) - 1), ".")
                            loc[j] = "".join(s_).replace("..", ".")
                    P["email"][m] = _cat(loc, "@" + prov)
                    detail["email_plus_style"] = style
                else:
                    style = str(r.choice(["random", "sequential", "keyboard"]))
                    prov = _wchoice(r, (("gmail.com", 0.6), ("outlook.com", 0.2), ("yahoo.com", 0.1), ("hotmail.com", 0.1)))
                    if style == "random":
                        loc = _patterns(r, ["lllllllDDD", "llllllllDD", "BBBBBBBB", "lllllDDDDD"], q)
                        provs = _pick(r, [prov, "gmail.com", "outlook.com"], q, [0.6, 0.3, 0.1])
                    elif style == "sequential":
                        word = str(r.choice(L["org_words"])) + str(r.choice(["fan", "user", "acct", ""]))
                        off0 = _ri(r, 0, 500)
                        loc = np.array([f"{word}{off0 + int(x) * c['seq_step']:04d}" for x in rank[m]], dtype=object)
                        provs = np.full(q, prov, dtype=object)
                        detail["email_sequence_word"] = word
                    else:
                        loc = _cat(_pick(r, _KEYBOARD, q), _fill(r, "DDD", q))
                        provs = np.full(q, prov, dtype=object)
                    P["email"][m] = _cat(loc, "@", provs)
                    detail["email_pattern_style"] = style
            elif col == "name":
                if mode == "joke":
                    P["name"][m] = _pick(r, L["fake_joke"], q)
                elif mode == "placeholder":
                    P["name"][m] = _pick(r, L["fake_placeholder"], q)
                elif mode == "sequential":
                    base = str(r.choice(_SEQ_NAME_BASE[L["key"]]))
                    pad = bool(r.random() < 0.5)
                    P["name"][m] = np.array([f"{base} {x + 1:03d}" if pad else f"{base} {x + 1}" for x in rank[m]],
                                            dtype=object)
                else:
                    size = _ri(r, 5, 25)
                    fem = r.random(size) < 0.5
                    f_, l_, _k = self._names(size, fem)
                    pool = self._display_names(f_, l_)
                    P["name"][m] = _pick(r, pool, q)
                    detail["name_pool_size"] = size
            elif col == "user_agent":
                if mode == "inapp":
                    app = _PLATFORM_INAPP[c["platform"]]
                    vers = _APP_VERSIONS[app]
                    nv = min(c["pins"]["n_versions"], len(vers))
                    s0 = _ri(r, 0, min(3, len(vers) - nv))
                    pinned = vers[len(vers) - nv - s0:len(vers) - s0]
                    dw = dict(zip(self.dev_names, self.dev_w))
                    pi = dw.get("ios", 0.3) / (dw.get("ios", 0.3) + dw.get("android", 0.3))
                    dev = np.where(r.random(q) < pi, "ios", "android").astype(object)
                    P["device"][m] = dev
                    P["ua"][m] = self._ua(np.full(q, app, dtype=object), dev, pin={app: pinned})
                    detail["app_versions"] = pinned
                elif mode == "uniform":
                    u = _ri(r, 1, 3)
                    dev = _pick(r, self.dev_names, u, self.dev_w)
                    pool = self._ua(np.full(u, "browser", dtype=object), dev)
                    P["ua"][m] = _pick(r, pool, q)
                    detail["ua_pool"] = pool.tolist()
                else:
                    pool = [s_.format(c=_CHROME[_ri(r, 0, len(_CHROME) - 1)]) for s_ in
                            r.choice(_BOT_UAS, size=_ri(r, 1, 2), replace=False)]
                    P["ua"][m] = _pick(r, pool, q)
                    detail["ua_pool"] = pool
            elif col == "referrer":
                if mode == "platform":
                    opts = _PLATFORM_REF[c["platform"]]
                    vals = opts[:_ri(r, 1, len(opts))]
                elif mode == "shortener":
                    vals = ["https://bit.ly/" + x for x in c["shortener"][:_ri(r, 1, 2)]]
                elif mode == "linktree":
                    vals = [f"https://linktr.ee/{c['organiser']}"]
                else:
                    vals = [f"utm_source={c['platform']}&utm_medium=social&utm_campaign={_fold(c['tag2']).lstrip('#')}"]
                P["referrer"][m] = _pick(r, vals, q)
                detail["referrer_values"] = vals
            elif col == "social":
                social_odd = m
        # one person registering several times keeps device, network, account and referrer
        for col in ("ip", "ua", "device", "referrer", "link", "attended"):
            P[col] = P[col][first]
        same_phone = (r.random(k) < 0.5)[first]
        P["cc"] = np.where(same_phone, P["cc"][first], P["cc"])
        P["nat"] = np.where(same_phone, P["nat"][first], P["nat"])
        P["link"] = np.where(social_odd, (r.random(k) < c["p_link_odd"])[first], P["link"])
        P["attended"] = (r.random(k) < c["attend"])[first]
        c["persons"] = P_
        c["odd_detail"] = detail
        return pd.DataFrame(dict(event=ev, t=t, **P, campaign=c["id"], camouflage=c["camouflage"], surge=0,
                                 hh=-1, pos=0, person=person_base + person, wave=wv[person],
                                 social_odd=social_odd, dup=False))

    # ------------------------------------------------------------------ social layer
    def _fill_text(self, templates, m, event=0, url=None, extra=None):
        r = self.rng
        E = self.events[event]
        tpl = _pick(r, templates, m)
        out = np.empty(m, dtype=object)
        ctx = dict(event=E["name"], url=url or E["url"], tag=E["tag"], venue=E["venue"], date=E["date"],
                   month=E["month"], k=max(1, int(self.n / 1000)), tag2="")
        ctx.update(extra or {})
        for j in range(m):
            out[j] = None if tpl[j] is None else tpl[j].format(**ctx)
        return out

    def _times_global(self, m):
        w = self._diurnal(self.loc_hour)
        return self._sample(w, m, 0)

    def _social(self, R):
        r, L, o = self.rng, self.L, self.o
        PB = _Posts()
        F_src, F_dst = [], []
        main = L["main_platform"]
        G1 = self.G0 + self.M * 60.0
        chat_plats = [p for p, _ in L["chatter_platforms"]]
        chat_w = np.array([w for _, w in L["chatter_platforms"]])
        # --- special accounts
        ev_acc = [self._event_handle(e) for e in range(len(self.events))]
        celebs, news = list(L["celebs"]), list(L["news_handles"])
        infl = list(L["influencers"][:_ri(r, 8, len(L["influencers"]))])
        for h in ev_acc + celebs + news + infl:
            self.used_handles.add(h)
        # --- registrant accounts: one per person
        person = R["person"].to_numpy()
        upers, first_idx = np.unique(person, return_index=True)
        linked = R["link"].to_numpy()[first_idx]
        fi = first_idx[linked]
        camp_style = {c["id"]: c["handle_style"] for c in self.camps}
        cid = R["campaign"].to_numpy()
        sodd = R["social_odd"].to_numpy()
        style = np.array([camp_style[cid[i]] if sodd[i] else "ord" for i in fi], dtype=object)
        handles = self._handles(_obj(R["first"])[fi], _obj(R["key"])[fi], style)
        acc_of = dict(zip(upers[linked].tolist(), handles.tolist()))
        R["account"] = np.array([acc_of.get(p) for p in person.tolist()], dtype=object)
        camp_plat = {c["id"]: c["platform"] for c in self.camps}
        reg_plat = np.where(r.random(len(fi)) < 0.7, main, _pick(r, chat_plats, len(fi), chat_w / chat_w.sum()))
        reg_plat = np.array([camp_plat[cid[i]] if sodd[i] else p for i, p in zip(fi, reg_plat)], dtype=object)
        fresh = np.array([sodd[i] and camp_style[cid[i]] == "fresh" for i in fi], dtype=bool)
        # --- background accounts (people who never register)
        nb = int(self.n * o["bg_accounts"])
        fem = r.random(nb) < 0.5
        bf, _bl, bk = self._names(nb, fem)
        bg = self._handles(bf, bk, np.full(nb, "ord", dtype=object))
        bg_plat = _pick(r, chat_plats, nb, chat_w / chat_w.sum())
        ordinary = np.concatenate([handles[~fresh], bg])
        ord_plat = np.concatenate([reg_plat[~fresh], bg_plat])
        # --- official, celebrity, news and influencer posts
        ann = {}
        for e, E in enumerate(self.events):
            t_ann = E["T0"] - _u(r, 0, 900)
            ann[e] = PB.add(ev_acc[e], [t_ann], self._fill_text([L["official_text"][0]], 1, e), E["url"],
                            platform=main, kind="official")[0]
            nu = _ri(r, 3, 6)
            PB.add(ev_acc[e], r.uniform(E["T0"] + 3600, E["T1"] - 3600, nu),
                   self._fill_text(L["official_text"][1:4], nu, e), E["url"], platform=main, kind="official")
            PB.add(ev_acc[e], [E["T1"] - _u(r, 2, 8) * 3600], self._fill_text([L["official_text"][4]], 1, e),
                   E["url"], platform=main, kind="official")
        pop_ids, pop_w = [], []
        for group, (lo, hi), w_, plats in ((celebs, (2, 8), 5.0, [main]), (news, (10, 30), 2.0, ["twitter", "facebook"]),
                                           (infl, (5, 20), 1.0, [main] + chat_plats)):
            for i, h in enumerate(group):
                m = _ri(r, lo, hi)
                tpl = L["news_text"] + L["chatter"] if group is news else L["chatter"]
                ids = PB.add(h, self._times_global(m), self._fill_text(tpl, m), None,
                             platform=str(r.choice(plats)), kind="popular")
                pop_ids.append(ids)
                pop_w.append(np.full(m, w_ / (1 + i) ** 0.5))
        pop_ids, pop_w = np.concatenate(pop_ids), np.concatenate(pop_w)
        # --- chatter by ordinary accounts, some of it reposts of popular posts
        cnt = r.poisson(o["chatter_rate"], len(ordinary))
        auth, plat = np.repeat(ordinary, cnt), np.repeat(ord_plat, cnt)
        m = len(auth)
        tt = self._times_global(m)
        rt = r.random(m) < 0.22
        txt = self._fill_text(L["chatter"], m)
        urls = np.where(np.array([self.events[0]["url"] in x for x in txt], dtype=bool), self.events[0]["url"], None)
        other = (urls == None) & (r.random(m) < 0.08)  # noqa: E711
        urls[other] = _cat("https://youtu.be/", _fill(r, "AAAAAAAAAAA", int(other.sum())))
        PB.add(auth[~rt], tt[~rt], txt[~rt], urls[~rt], platform=plat[~rt])
        src = pop_ids[r.choice(len(pop_ids), size=int(rt.sum()), p=pop_w / pop_w.sum())]
        allp = PB.frame()
        st = allp["t"].to_numpy()[src]
        trt = np.minimum(st + 30 + r.exponential(3 * 3600, len(src)), G1)
        PB.add(auth[rt], trt, _pick(r, L["surge_repost_text"], len(src)), None, shared=src,
               platform=allp["platform"].to_numpy()[src], kind="repost")
        # --- organic surges: a source post, reposts by registrants and by others, follows
        acc = _obj(R["account"])
        has_acc = acc != None  # noqa: E711
        treg = R["t"].to_numpy()
        surge = R["surge"].to_numpy()
        first_of_person = np.zeros(len(R), bool)
        first_of_person[first_idx] = True
        for s in self.surges:
            e, E = s["event"], self.events[s["event"]]
            if s["kind"] == "announcement":
                sid, s_t = ann[e], E["T0"]
            else:
                if s["kind"] == "tv":
                    s_t = s["start"] + _u(r, 60, 600)
                else:
                    s_t = s["start"] - _u(r, 60, 900)
                tpl = dict(celebrity=L["celeb_text"], news=L["news_text"], tv=L["news_text"],
                           newsletter=L["official_text"][1:2], last_call=L["official_text"][4:5])[s["kind"]]
                sid = PB.add(s["source"], [s_t], self._fill_text(tpl, 1, e), E["url"], platform=s["platform"],
                             kind="surge_source")[0]
            s["source_post"] = int(sid)
            rows = np.flatnonzero((surge == s["id"]) & first_of_person & has_acc)
            rp = rows[r.random(len(rows)) < o["q_surge_repost"]]
            before = r.random(len(rp)) < 0.7
            tr = np.where(before, treg[rp] - r.exponential(360, len(rp)), treg[rp] + r.exponential(600, len(rp)))
            tr = np.maximum(tr, s_t + 5)
            PB.add(acc[rp], tr, _pick(r, L["surge_repost_text"], len(rp)),
                   np.where(r.random(len(rp)) < 0.4, E["url"], None), shared=sid, platform=s["platform"], kind="repost")
            nbg = int((surge == s["id"]).sum() * _u(r, 0.2, 0.8))
            PB.add(_pick(r, bg, nbg), s_t + 5 + r.exponential(s["tau_min"] * 90, nbg),
                   _pick(r, L["surge_repost_text"], nbg), None, shared=sid, platform=s["platform"], kind="repost")
            fo = rows[r.random(len(rows)) < o["f_surge_follow"]]
            F_src.append(acc[fo])
            F_dst.append(np.full(len(fo), s["source"], dtype=object))
        # --- campaigns: trigger, waves, member reposts, amplifiers, follows
        wave_of = R["wave"].to_numpy()
        for c in self.camps:
            e, E = c["event"], self.events[c["event"]]
            url = E["url"]
            if c["odd"].get("referrer") == "shortener":
                url = "https://bit.ly/" + c["shortener"][0]
            elif c["odd"].get("referrer") == "linktree":
                url = f"https://linktr.ee/{c['organiser']}"
            extra = dict(tag2=c["tag2"])
            t0 = c["start"] - c["lead_s"]
            trig = PB.add(c["organiser"], [t0], self._fill_text([c["text"]], 1, e, url, extra), url,
                          platform=c["platform"], kind="trigger")[0]
            wave_posts, wave_t = [int(trig)], [t0]
            for w in c["waves"][1:]:
                tw = w["start"] - _u(r, 60, 1200)
                if c["hubs"] and r.random() < 0.6:
                    h = str(r.choice(c["hubs"]))
                    wid = PB.add(h, [tw], _pick(r, ["round 2 👀", "again!!", "keep going", "bora", "💯", None], 1),
                                 url, shared=trig, platform=c["platform"], kind="wave")[0]
                else:
                    wid = PB.add(c["organiser"], [tw], self._fill_text(L["campaign_text"], 1, e, url, extra), url,
                                 platform=c["platform"], kind="wave")[0]
                wave_posts.append(int(wid))
                wave_t.append(tw)
            c["trigger_post"], c["wave_posts"] = int(trig), wave_posts
            no = _ri(r, 3, 12)
            PB.add(c["organiser"], self._times_global(no), self._fill_text(L["chatter"], no), None,
                   platform=c["platform"])
            for h in c["hubs"]:
                PB.add(h, [t0 + 60 + r.exponential(1800)], None, url, shared=trig, platform=c["platform"], kind="repost")
                F_src.append(np.array([h], dtype=object))
                F_dst.append(np.array([c["organiser"]], dtype=object))
            rows = np.flatnonzero((cid == c["id"]) & first_of_person & has_acc)
            p_rep = np.where(sodd[rows], c["p_repost_odd"], o["q_surge_repost"])
            rp = rows[r.random(len(rows)) < p_rep]
            wp = np.array(wave_posts)[wave_of[rp]]
            wt = np.array(wave_t)[wave_of[rp]]
            before = r.random(len(rp)) < 0.6
            tr = np.where(before, treg[rp] - r.exponential(240, len(rp)), treg[rp] + r.exponential(480, len(rp)))
            tr = np.maximum(tr, wt + 5)
            PB.add(acc[rp], tr, _pick(r, L["repost_text"], len(rp)), np.where(r.random(len(rp)) < 0.5, url, None),
                   shared=wp, platform=c["platform"], kind="repost")
            na = int(c["size"] * c["amplifiers"])
            wi = r.integers(0, len(wave_posts), na)
            taus = np.array([w["tau_s"] for w in c["waves"]])[wi]
            PB.add(_pick(r, bg, na), np.array(wave_t)[wi] + 5 + r.exponential(taus), _pick(r, L["repost_text"], na),
                   None, shared=np.array(wave_posts)[wi], platform=c["platform"], kind="repost")
            p_f = np.where(sodd[rows], c["p_follow_odd"], o["f_surge_follow"])
            fo = rows[r.random(len(rows)) < p_f]
            F_src.append(acc[fo])
            F_dst.append(np.full(len(fo), c["organiser"], dtype=object))
            odd_rows = rows[sodd[rows]]
            if len(odd_rows) > 1:
                for h in c["hubs"]:
                    fh = odd_rows[r.random(len(odd_rows)) < 0.4]
                    F_src.append(acc[fh])
                    F_dst.append(np.full(len(fh), h, dtype=object))
                deg = r.poisson(1.5, len(odd_rows))
                F_src.append(np.repeat(acc[odd_rows], deg))
                F_dst.append(acc[odd_rows][r.integers(0, len(odd_rows), int(deg.sum()))])
            base_f = ordinary[r.random(len(ordinary)) < _u(r, 0.003, 0.015)]
            F_src.append(base_f)
            F_dst.append(np.full(len(base_f), c["organiser"], dtype=object))
        # --- decoys: calls to sign up that nobody followed
        decoys = []
        for _ in range(_ri(r, *self.T["decoys"])):
            h = self._special_handle(L["org_words"], r)
            E = self.events[0]
            td = _u(r, E["T0"] + 3600, E["T1"] - 7200)
            did = PB.add(h, [td], self._fill_text(L["decoy_text"], 1, 0), E["url"], platform=main, kind="decoy")[0]
            nd = _ri(r, 5, 60)
            PB.add(_pick(r, bg, nd), td + 30 + r.exponential(3600, nd), None, None, shared=did, platform=main,
                   kind="repost")
            fd = ordinary[r.random(len(ordinary)) < 0.003]
            F_src.append(fd)
            F_dst.append(np.full(len(fd), h, dtype=object))
            decoys.append(dict(account=h, time=_iso(td), reposts=nd))
        self.k["decoy_posts"] = decoys
        # --- ordinary follow graph
        famous = np.array(ev_acc + celebs + news + infl + [c["organiser"] for c in self.camps], dtype=object)
        fw = np.array([3.0] * len(ev_acc) + [5.0] * len(celebs) + [3.0] * len(news)
                      + list(2.0 / np.arange(1, len(infl) + 1) ** 0.5) + [0.3] * len(self.camps))
        mean = o["follow_mean"]
        deg = r.negative_binomial(2, 2 / (2 + mean), len(ordinary))
        srcs = np.repeat(ordinary, deg)
        E_ = len(srcs)
        popw = r.pareto(1.2, len(ordinary)) + 1
        is_f = r.random(E_) < 0.25
        dst = np.empty(E_, dtype=object)
        dst[is_f] = _pick(r, famous, int(is_f.sum()), fw / fw.sum())
        dst[~is_f] = ordinary[r.choice(len(ordinary), size=int((~is_f).sum()), p=popw / popw.sum())]
        F_src.append(srcs)
        F_dst.append(dst)
        fresh_acc = handles[fresh]
        if len(fresh_acc):
            d2 = r.poisson(2, len(fresh_acc))
            F_src.append(np.repeat(fresh_acc, d2))
            F_dst.append(_pick(r, famous, int(d2.sum()), fw / fw.sum()))
        # households follow each other
        hhv, posv = R["hh"].to_numpy(), R["pos"].to_numpy()
        hrow = np.flatnonzero((hhv >= 0) & has_acc & ~R["dup"].to_numpy(dtype=bool))
        prim_acc = {}
        for i in hrow[posv[hrow] == 0]:
            prim_acc[hhv[i]] = acc[i]
        pairs = [(acc[i], prim_acc[hhv[i]]) for i in hrow[posv[hrow] > 0] if hhv[i] in prim_acc]
        if pairs:
            a = np.array(pairs, dtype=object)
            keep = r.random(len(a)) < 0.7
            F_src += [a[keep, 0], a[keep, 1]]
            F_dst += [a[keep, 1], a[keep, 0]]
        follows = pd.DataFrame(dict(follower_id=np.concatenate(F_src), followee_id=np.concatenate(F_dst)))
        follows = follows[follows.follower_id != follows.followee_id].drop_duplicates()
        follows = follows.iloc[r.permutation(len(follows))].reset_index(drop=True)
        posts = PB.frame()
        posts["t"] = np.minimum(posts["t"].to_numpy(), G1)
        self.k["accounts"] = dict(registrant_accounts=int(len(handles)), background_accounts=int(nb),
                                  influencers=infl, celebrities=celebs, news=news, event_accounts=ev_acc)
        return posts, follows

    # ------------------------------------------------------------------ export formats
    def _fmt_times(self, t, style):
        t = np.asarray(t, dtype=float)
        ti = np.floor(t).astype(np.int64)
        if style == "unix":
            return ti.astype(str).astype(object)
        if style in ("utc_z", "utc_ms"):
            s = np.datetime_as_string(ti.astype("datetime64[s]"))
            if style == "utc_z":
                return np.array([x + "Z" for x in s], dtype=object)
            ms = np.minimum(((t - ti) * 1000).astype(int), 999)
            return np.array([f"{x}.{y:03d}Z" for x, y in zip(s, ms)], dtype=object)
        idx = pd.to_datetime(ti, unit="s", utc=True).tz_convert(self.L["tz"])
        off = idx.tz_localize(None).as_unit("s").asi8 - ti
        s = np.datetime_as_string((ti + off).astype("datetime64[s]"))
        sep = " " if style == "local_space" else "T"
        offs = {}
        for v in np.unique(off):
            sign = "+" if v >= 0 else "-"
            a = abs(int(v)) // 60
            offs[v] = f"{sign}{a // 60:02d}:{a % 60:02d}"
        return np.array([x.replace("T", sep) + offs[v] for x, v in zip(s, off)], dtype=object)

    def _fmt_phones(self, cc, nat, style):
        r, L = self.rng, self.L
        k = len(nat)
        out = np.full(k, None, dtype=object)
        us = L["key"] == "us"
        if us:
            user = (("({a}) {b}-{c}", 0.30), ("{a}-{b}-{c}", 0.30), ("{a}{b}{c}", 0.20), ("{a}.{b}.{c}", 0.05),
                    ("+1 {a} {b} {c}", 0.04), ("1{a}{b}{c}", 0.03), ("+1{a}{b}{c}", 0.04), ("{a} {b} {c}", 0.04))
        else:
            user = (("({a}) {b}-{c}", 0.35), ("{a} {b}-{c}", 0.15), ("{a}{b}{c}", 0.20), ("({a}){b}-{c}", 0.08),
                    ("+55 {a} {b}-{c}", 0.07), ("+55 ({a}) {b}-{c}", 0.04), ("0{a} {b}{c}", 0.03), ("{b}-{c}", 0.05),
                    ("+55{a}{b}{c}", 0.03))
        foreign_user = (("+{cc} {n}", 0.45), ("+{cc}{n}", 0.3), ("00{cc} {n}", 0.1), ("{t}{n}", 0.15))
        f_user = _wchoice(r, user, k)
        f_for = _wchoice(r, foreign_user, k)
        national = user[0][0]
        for j in range(k):
            n_, c_ = nat[j], cc[j]
            if n_ is None:
                continue
            if c_ == L["cc"] and len(n_) >= 10:
                a, b, cpart = (n_[:3], n_[3:6], n_[6:]) if us else (n_[:2], n_[2:-4], n_[-4:])
                if style == "e164":
                    out[j] = f"+{c_}{n_}"
                elif style == "digits":
                    out[j] = n_
                elif style == "national":
                    out[j] = national.format(a=a, b=b, c=cpart)
                else:
                    out[j] = f_user[j].format(a=a, b=b, c=cpart)
            else:
                if style == "e164":
                    out[j] = f"+{c_}{n_}"
                elif style == "digits":
                    out[j] = f"{c_}{n_}"
                elif style == "national":
                    out[j] = f"+{c_} {n_}"
                else:
                    out[j] = f_for[j].format(cc=c_, n=n_, t="" if c_ == "1" else "0")
        return out

    def _fmt_postal(self, z, style):
        r, L = self.rng, self.L
        k = len(z)
        out = np.array(z, dtype=object).copy()
        u = r.random(k)
        for j in range(k):
            v = out[j]
            if v is None:
                continue
            numeric = v.isdigit()
            if L["key"] == "us":
                if style == "mixed_plus4" and numeric and len(v) == 5 and u[j] < 0.3:
                    out[j] = f"{v}-{int(u[j] * 1e6) % 10000:04d}"
                elif style == "excel" and numeric:
                    out[j] = v.lstrip("0") or "0"
                elif style == "float" and numeric:
                    out[j] = (v.lstrip("0") or "0") + ".0"
            else:
                if not (numeric and len(v) == 8):
                    continue
                if style == "dash" or (style == "mixed" and u[j] < 0.5):
                    out[j] = f"{v[:5]}-{v[5:]}"
                elif style == "mixed" and u[j] > 0.85:
                    out[j] = f"{v[:2]}.{v[2:5]}-{v[5:]}"
                elif style == "excel":
                    out[j] = v.lstrip("0") or "0"
        return out

    def _reg_ids(self, t):
        r = self.rng
        k = len(t)
        style = self.k["export"]["id_style"]
        if style == "uuid":
            ids = _fill(r, "HHHHHHHH-HHHH-4HHH-HHHH-HHHHHHHHHHHH", k)
        elif style == "numeric":
            ids = (r.choice(9 * 10**8, size=k, replace=False) + 10**8).astype(str).astype(object)
        elif style == "alnum":
            ids = _cat("R", _fill(r, "BBBBBBBBBB", k))
        else:
            order = np.argsort(t, kind="stable")
            vals = np.empty(k, dtype=np.int64)
            vals[order] = _ri(r, 100000, 900000) + np.cumsum(r.integers(1, 4, k))
            ids = vals.astype(str).astype(object)
        while len(set(ids.tolist())) < k:
            dup = pd.Series(ids).duplicated().to_numpy()
            ids[dup] = _cat(ids[dup], _fill(r, "D", int(dup.sum())))
        return ids

    def _post_ids(self, platform):
        r = self.rng
        k = len(platform)
        ids = np.empty(k, dtype=object)
        styles = {"tiktok": "7DDDDDDDDDDDDDDDDDD", "twitter": "1DDDDDDDDDDDDDDDDDD", "kwai": "5DDDDDDDDDDDDDDDD",
                  "instagram": "CAAAAAAAAAA", "reddit": "t3_BBBBBBB", "discord": "1DDDDDDDDDDDDDDDDD",
                  "telegram": "DDDDDDD", "facebook": "DDDDDDDDDDDDDDD_DDDDDDDDDDDDDDDD", "snapchat": "HHHHHHHHHHHHHHHH"}
        for p in np.unique(platform.astype(str)):
            idx = np.flatnonzero(platform == p)
            ids[idx] = _fill(r, styles.get(p, "DDDDDDDDDDDD"), len(idx))
        while len(set(ids.tolist())) < k:
            dup = pd.Series(ids).duplicated().to_numpy()
            ids[dup] = _cat(ids[dup], _fill(r, "D", int(dup.sum())))
        return ids

    # ------------------------------------------------------------------ assemble
    def build(self) -> Blind:
        r = self.rng
        self._plan_export()
        self._plan_events()
        self._grid()
        self._plan_organic()
        self._plan_campaigns()
        self._plan_surges()
        parts = [self._organic()]
        base = int(parts[0]["person"].max()) + 1
        for c in self.camps:
            parts.append(self._campaign(c, base))
            base += c["persons"]
        R = pd.concat(parts, ignore_index=True)
        posts, follows = self._social(R)
        X, present = self.k["export"], self.present
        # registrations
        order = X["row_order"]
        if order == "time":
            perm = np.argsort(R["t"].to_numpy(), kind="stable")
        elif order == "event_time":
            perm = np.lexsort((R["t"].to_numpy(), R["event"].to_numpy()))
        else:
            perm = r.permutation(len(R))
        R = R.iloc[perm].reset_index(drop=True)
        ids = self._reg_ids(R["t"].to_numpy())
        cols = {"registration_id": ids, "created_at": self._fmt_times(R["t"], X["time_style"])}
        if present["event_id"]:
            cols["event_id"] = np.array([self.events[e]["id"] for e in R["event"]], dtype=object)
        if present["account_id"]:
            cols["account_id"] = _obj(R["account"])
        if present["email"]:
            em = _obj(R["email"])
            cols["email"] = np.array([x.lower() if x else x for x in em], dtype=object) if X["email_style"] == "lower" else em
        if present["phone"]:
            cols["phone"] = self._fmt_phones(_obj(R["cc"]), _obj(R["nat"]), X["phone_style"])
        if present["name"]:
            nm = _obj(R["name"])
            if X["name_style"] == "upper":
                nm = np.array([x.upper() if isinstance(x, str) else x for x in nm], dtype=object)
            elif X["name_style"] == "last_first":
                nm = np.array([(", ".join(reversed(x.strip().rsplit(" ", 1))) if isinstance(x, str) and " " in x.strip()
                                else x) for x in nm], dtype=object)
            cols["name"] = nm
        if present["postal_code"]:
            cols["postal_code"] = self._fmt_postal(_obj(R["postal"]), X["postal_style"])
        if present["ip"]:
            cols["ip"] = _obj(R["ip"])
        if present["user_agent"]:
            cols["user_agent"] = _obj(R["ua"])
        if present["referrer"]:
            cols["referrer"] = _obj(R["referrer"])
        if present["attended"]:
            cols["attended"] = np.where(R["attended"].to_numpy(dtype=bool), "true", "false").astype(object)
        if present["ticket_type"]:
            cols["ticket_type"] = _wchoice(r, self.L["ticket_types"], len(R))
        regs = pd.DataFrame(cols)
        if X["column_order"] == "shuffled":
            rest = list(regs.columns[1:])
            r.shuffle(rest)
            regs = regs[["registration_id"] + rest]
        truth = pd.DataFrame(dict(registration_id=ids, campaign=R["campaign"].to_numpy(dtype=int),
                                  camouflage=np.round(R["camouflage"].to_numpy(dtype=float), 4),
                                  surge=R["surge"].to_numpy(dtype=int)))
        # posts
        pid = self._post_ids(posts["platform"].to_numpy())
        sh = posts["shared"].to_numpy()
        shared = np.where(sh >= 0, pid[np.maximum(sh, 0)], None)
        P = pd.DataFrame(dict(post_id=pid, account_id=posts["account"].to_numpy(),
                              created_at=self._fmt_times(posts["t"], X["post_time_style"]),
                              text=posts["text"].to_numpy(), url=posts["url"].to_numpy(), shared_post_id=shared,
                              platform=posts["platform"].to_numpy()))
        porder = np.argsort(posts["t"].to_numpy(), kind="stable") if X["posts_order"] == "time" else r.permutation(len(P))
        P = P.iloc[porder][X["posts_columns_present"]].reset_index(drop=True)
        # campaigns table
        ctime = R["t"].to_numpy()
        crow = []
        for c in self.camps:
            m = R["campaign"].to_numpy() == c["id"]
            crow.append(dict(
                campaign=c["id"], event_id=self.events[c["event"]]["id"], size=int(m.sum()), persons=c["persons"],
                regs_per_person=round(c["regs_per_person"], 3), platform=c["platform"],
                medium=_PLATFORM_MEDIUM.get(c["platform"], "post"), organiser_account=c["organiser"],
                hub_accounts=";".join(c["hubs"]), trigger_post_id=pid[c["trigger_post"]],
                wave_post_ids=";".join(pid[w] for w in c["wave_posts"]), start=_iso(c["start"]),
                end_planned=_iso(c["start"] + c["duration_s"]), duration_hours=round(c["duration_s"] / 3600, 3),
                first_seen=_iso(ctime[m].min()), last_seen=_iso(ctime[m].max()), waves=len(c["waves"]),
                wave_starts=";".join(_iso(w["start"]) for w in c["waves"]),
                wave_tau_minutes=";".join(f"{w['tau_s'] / 60:.1f}" for w in c["waves"]),
                wave_shape=round(c["shape"], 3), diurnal_strength=round(c["diurnal"], 3),
                camouflage=c["camouflage"], odd_attributes=";".join(f"{k_}:{v}" for k_, v in c["odd"].items()),
                visible_odd_attributes=";".join(k_ for k_ in c["odd"] if self._visible(k_)),
                source_kind=c["source_kind"], source_regions=";".join(c["source"]),
                attendance_rate=round(c["attend"], 3), trigger_text=self._fill_text([c["text"]], 1, c["event"],
                                                                                   None, dict(tag2=c["tag2"]))[0],
                odd_detail=json.dumps(c["odd_detail"], default=_json_default, ensure_ascii=False),
                social_handle_style=c["handle_style"], p_link_odd=round(c["p_link_odd"], 3),
                p_follow_odd=round(c["p_follow_odd"], 3), p_repost_odd=round(c["p_repost_odd"], 3),
                amplifier_ratio=round(c["amplifiers"], 3), trigger_lead_minutes=round(c["lead_s"] / 60, 1),
                gap_seconds_within_person=round(c["gap_s"], 1), sequence_step=c["seq_step"],
            ))
        camp_cols = ["campaign", "event_id", "size", "persons", "regs_per_person", "platform", "medium",
                     "organiser_account", "hub_accounts", "trigger_post_id", "wave_post_ids", "start", "end_planned",
                     "duration_hours", "first_seen", "last_seen", "waves", "wave_starts", "wave_tau_minutes",
                     "wave_shape", "diurnal_strength", "camouflage", "odd_attributes", "visible_odd_attributes",
                     "source_kind", "source_regions", "attendance_rate", "trigger_text", "odd_detail",
                     "social_handle_style", "p_link_odd", "p_follow_odd", "p_repost_odd", "amplifier_ratio",
                     "trigger_lead_minutes", "gap_seconds_within_person", "sequence_step"]
        campaigns = pd.DataFrame(crow, columns=camp_cols)
        for s in self.k["surges"]:
            s_ = next(x for x in self.surges if x["id"] == s["id"])
            s["source_post_id"] = pid[s_["source_post"]]
            s["registrations"] = int((truth.surge == s["id"]).sum())
            s["event_id"] = self.events[s["event"]]["id"]
        self.k["campaigns"] = crow
        self.k["counts"] = dict(registrations=len(regs), campaign_registrations=int((truth.campaign > 0).sum()),
                                surge_registrations=int((truth.surge > 0).sum()), posts=len(P), follows=len(follows))
        return Blind(registrations=regs, posts=P, follows=follows, truth=truth, campaigns=campaigns,
                     knobs=json.loads(json.dumps(self.k, default=_json_default, ensure_ascii=False)))


def generate(tier: str, n: int = 50_000, seed: int = 0, variant: str = "default") -> Blind:
    """Generate one blind world.

    Parameters
    ----------
    tier : {"easy", "medium", "hard", "organic"}
    n : int
        Number of registrations (all events, campaigns included).
    seed : int
        Seeds every random draw; within a tier the seed varies the knobs inside the tier's ranges.
    variant : {"default", "other"}
        ``default``: a Tulsa-like US city, TikTok-like main platform. ``other``: a São Paulo-like
        Brazilian city, Instagram-like main platform, local times with offset.
    """
    return _World(tier, n, seed, variant).build()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tier", required=True, choices=list(TIERS))
    ap.add_argument("--n", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--variant", default="default", choices=list(VARIANTS))
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    world = generate(a.tier, n=a.n, seed=a.seed, variant=a.variant)
    world.write(a.out)
    print(world.summary())
    print(f"written to {a.out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Who signs up: names, email addresses, phone numbers and postal codes (internal).

Each ``draw_*`` function fills every row, drawing ordinary values where ``odd`` is
False and values from the campaign oddity vocabulary where it is True.
"""
from __future__ import annotations

import numpy as np

from . import _draw as d

__all__ = ["draw_emails", "draw_names", "draw_phones", "draw_postal", "email_variants"]

_MASH = ("asdf", "jkl", "qwer", "ty", "uiop", "zxcv", "bnm", "hjkl", "fdsa", "gh", "wasd", "sdfg")


def draw_names(rng, V, odd, share_last, lead):
    """Display names plus folded first/last tokens (for emails).

    ``share_last`` rows take the family name of row ``lead`` (households).
    """
    n = len(odd)
    ns = V.names
    first_pool = np.array(ns.first, dtype=object)
    last_pool = np.array(ns.last, dtype=object)
    fi = rng.choice(len(first_pool), n, p=d.zipf_weights(len(first_pool), 8))
    li = rng.choice(len(last_pool), n, p=d.zipf_weights(len(last_pool), 6))
    li[share_last] = li[lead[share_last]]
    first, last = first_pool[fi], last_pool[li]
    H = V.habits
    plain = d.codes(rng, H.name_plain, n) == 1        # typed without accents
    if any(d.strip_accents(x) != x for x in ns.first + ns.last):
        fo = np.array([d.strip_accents(x) for x in first_pool], dtype=object)[fi]
        lo = np.array([d.strip_accents(x) for x in last_pool], dtype=object)[li]
        first, last = np.where(plain, fo, first), np.where(plain, lo, last)
    style = d.codes(rng, H.name_styles, n)
    initial = d.pick(rng, list("ABCDEFGHJKLMNPRSTW"), n)
    name = np.array([
        f"{f} {l}" if s == 0 else f"{f} {i}. {l}" if s == 1 else f"{f} {l}".lower() if s == 2
        else f"{f} {l}".upper() if s == 3 else f"{l}, {f}" if s == 4 else f"{l} {f}"
        for f, l, i, s in zip(first, last, initial, style)], dtype=object)
    first_tok = np.array([d.fold(x) for x in first_pool], dtype=object)[fi]
    last_tok = np.array([d.fold(x) for x in last_pool], dtype=object)[li]

    k = int(odd.sum())
    if k:
        O = V.odd
        kind = d.codes(rng, H.odd_names, k)   # fan, joke, mash, handle
        fan, joke = d.pick(rng, O.fan_names, k), d.pick(rng, O.joke_names, k)
        mash = d.join(d.pick(rng, _MASH, k), d.pick(rng, _MASH, k), " ", d.pick(rng, _MASH, k))
        mash = np.array([m.title() if c else m for m, c in zip(mash, rng.random(k) < 0.5)], dtype=object)
        handle = d.join(d.pick(rng, O.handles, k), d.numbers(rng, k, 0, 100))
        odd_name = np.select([kind == 0, kind == 1, kind == 2], [fan, joke, mash], handle)
        name[odd] = odd_name
        first_tok[odd] = d.apply_unique(lambda x: d.fold(x.split()[0]) if x.split() else "x", odd_name)
        last_tok[odd] = d.apply_unique(lambda x: d.fold(x.split()[-1]) if len(x.split()) > 1 else "", odd_name)
    return name, first_tok, last_tok


def _organic_local(rng, style, first, last):
    n = len(first)
    code = d.codes(rng, style.patterns, n)
    nn, year = d.numbers(rng, n, 0, 100, 2), d.numbers(rng, n, 1950, 2006)
    word = d.pick(rng, style.handle_words, n)
    first = np.where(first == "", "user", first)
    fl = d.apply_unique(lambda x: x[:1], first)
    parts = {"first.last": (first, ".", last), "firstlast": (first, last), "firstlastNN": (first, last, nn),
             "flast": (fl, last), "firstNNNN": (first, year), "first_last": (first, "_", last),
             "lastfirst": (last, first), "f.last": (fl, ".", last), "lastfirstNN": (last, first, nn),
             "firstNN": (first, nn), "flastNN": (fl, last, nn), "handle": (first, word, nn)}
    out = np.empty(n, dtype=object)
    for j, p in enumerate(style.patterns):
        rows = code == j
        if rows.any():
            out[rows] = d.join(*[x if isinstance(x, str) else x[rows] for x in parts[p]])
    bare = last == ""     # single-word names: the word and a number
    out[bare] = d.join(first[bare], nn[bare])
    return out


def draw_emails(rng, V, odd, first, last):
    """Email addresses: ordinary ones from the name, odd ones throwaway or disposable."""
    n = len(odd)
    st = V.email
    local = _organic_local(rng, st, first, last)
    dom = d.pick(rng, list(st.domains), n, list(st.domains.values()))
    use_local = rng.random(n) < st.local_domain_share
    dom[use_local] = d.pick(rng, V.region.local_email_domains, int(use_local.sum()))
    k = int(odd.sum())
    if k:
        O = V.odd
        kind = d.codes(rng, V.habits.odd_emails, k)  # random, throwaway, handle, from the odd name
        rand = d.random_strings(rng, k, 6, 12)
        sep = d.pick(rng, ["", "", "_", "."], k)
        throw = d.join(d.pick(rng, O.throwaway, k), sep, d.numbers(rng, k, 0, 1000))
        handle = d.join(d.pick(rng, O.handles, k), sep, d.pick(rng, O.handles, k), d.numbers(rng, k, 0, 100))
        named = d.join(first[odd], sep, last[odd], d.numbers(rng, k, 0, 100))
        local[odd] = np.select([kind == 0, kind == 1, kind == 2], [rand, throw, handle], named)
        dom[odd] = np.where(rng.random(k) < V.habits.disposable, d.pick(rng, O.disposable_domains, k),
                            d.pick(rng, list(st.domains), k, list(st.domains.values())))
    email = d.join(local, "@", dom)
    # distinct people do not share an address: number the repeats. Which of the people with one
    # address keeps it bare is drawn at random, not by time: had the first sign-ups kept the bare
    # addresses, the e-mail shapes would drift over the window as names get used up. The order
    # comes from a child stream, so the draws that follow stay as they were.
    order = rng.spawn(1)[0].permutation(n)
    for _ in range(3):
        dup = np.empty(n, dtype=bool)
        dup[order] = d.duplicated(email[order])
        if not dup.any():
            break
        email[dup] = d.join(local[dup], d.numbers(rng, int(dup.sum()), 1, 1000), "@", dom[dup])
    return email


def email_variants(rng, base: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Repeat sign-ups of one person: name+1@, name2@, n.ame@ or a fresh throwaway."""
    k = len(base)
    kind = d.codes(rng, [0.4, 0.3, 0.1, 0.2], k)
    fresh = d.join(d.random_strings(rng, k, 6, 10), "@")
    out = []
    for b, p, c, f in zip(base, pos, kind, fresh):
        loc, _, dom = b.partition("@")
        out.append(f"{loc}+{p}@{dom}" if c == 0 else f"{loc}{p}@{dom}" if c == 1
                   else f"{loc[:1]}.{loc[1:]}@{dom}" if c == 2 else f"{f}{dom}")
    return np.array(out, dtype=object)


_PHONE_FORMATS = ("({a}) {e}-{l}", "{a}-{e}-{l}", "{a}{e}{l}", "{a}.{e}.{l}", "+1{a}{e}{l}", "+1 {a}-{e}-{l}", "")


def _format_phones(rng, area, weights):
    n = len(area)
    ex = rng.integers(200, 1000, n)
    ex = np.where((ex == 555) | (ex % 100 == 11), ex + 1, ex)
    e = d.number_table(0, 1001)[ex]
    ln = d.numbers(rng, n, 0, 10000, 4)
    code = d.codes(rng, weights, n)
    out = np.empty(n, dtype=object)
    for j, f in enumerate(_PHONE_FORMATS):
        rows = code == j
        if rows.any():
            pieces = [area[rows] if x == "a" else e[rows] if x == "e" else ln[rows] if x == "l" else x
                      for x in _split_format(f)]
            out[rows] = d.join(*pieces) if any(not isinstance(x, str) for x in pieces) else f
    return out


def _split_format(f: str) -> list[str]:
    """'({a}) {e}-{l}' -> ['(', 'a', ') ', 'e', '-', 'l']"""
    out = []
    for chunk in f.split("{"):
        if "}" in chunk:
            key, rest = chunk.split("}", 1)
            out += [key] + ([rest] if rest else [])
        elif chunk:
            out.append(chunk)
    return out


def draw_phones(rng, V, odd, travel):
    """Phone numbers in varied formats; odd ones are placeholders, far away or foreign."""
    if V.phone is not None:
        return _plan_phones(rng, V, odd, travel)
    n = len(odd)
    R = V.region
    area = d.pick(rng, list(R.area_codes), n, list(R.area_codes.values()))
    area[travel] = d.pick(rng, R.travel_area_codes, int(travel.sum()))
    k = int(odd.sum())
    if k:
        kind = d.codes(rng, V.habits.odd_phones, k)   # placeholder, far away, foreign
        area[odd] = np.where(kind == 1, d.pick(rng, V.national_area_codes, k), area[odd])
    phone = _format_phones(rng, area, V.habits.phone_formats)
    if k:
        O = V.odd
        tmpl = np.where(kind == 0, d.pick(rng, O.placeholder_phones, k), d.pick(rng, O.foreign_phones, k))
        filled = d.fill_hash(rng, np.array([t.replace("_", " ") for t in tmpl], dtype=object))
        phone[odd] = np.where(kind == 1, phone[odd], filled)
    return phone


def draw_postal(rng, V, odd, travel):
    """Postal codes of the region (travellers from nearby); odd ones placeholder, far or foreign."""
    n = len(odd)
    R = V.region
    H = V.habits
    pc = d.pick(rng, R.postal_codes, n, d.zipf_weights(len(R.postal_codes), H.postal_skew))
    pc[travel] = d.pick(rng, R.travel_postal_codes, int(travel.sum()))
    plus4 = rng.random(n) < H.postal_suffix
    pc[plus4] = d.join(pc[plus4], "-", d.numbers(rng, int(plus4.sum()), 1000, 10000))
    k = int(odd.sum())
    if k:
        O = V.odd
        kind = d.codes(rng, H.odd_postal, k)   # placeholder, far away, foreign, empty
        foreign = np.array([x.replace("_", " ") for x in d.pick(rng, O.foreign_postal, k)], dtype=object)
        pc[odd] = np.select([kind == 0, kind == 1, kind == 2],
                            [d.pick(rng, O.placeholder_postal, k), d.pick(rng, V.national_postal, k), foreign], "")
    return pc


# +CC AREA SUB, +CCAREASUB, 00CC AREA SUB, 0AREA SUB, (0AREA) SUB, 0AREA-SUB, AREASUB, SUB, empty
_PLAN_FORMATS = ("+{c} {a} {s}", "+{c}{a}{s}", "00{c} {a} {s}", "{t}{a} {s}", "({t}{a}) {s}", "{t}{a}-{s}",
                 "{t}{a}{s}", "{s}", "")


def _split_sub(sub: np.ndarray, rng) -> np.ndarray:
    """Subscriber numbers in groups (123 4567, 12 345 678), for half of the people."""
    def groups(x):
        k = len(x)
        return x if k <= 4 else f"{x[:k - 4]} {x[k - 4:]}" if k <= 8 else f"{x[:k - 6]} {x[k - 6:k - 3]} {x[k - 3:]}"
    grouped = rng.random(len(sub)) < 0.5
    out = sub.copy()
    if grouped.any():
        out[grouped] = [groups(x) for x in sub[grouped]]
    return out


def _plan_phones(rng, V, odd, travel):
    """Phone numbers of a :class:`~detector.simulation.vocab.PhonePlan`, with or without the country
    and area codes; odd ones are placeholders, from far away in the country, or foreign."""
    P, n = V.phone, len(odd)
    has_area = bool(P.area_codes)
    area = (d.pick(rng, P.area_codes, n, d.zipf_weights(len(P.area_codes), 2.0)) if has_area
            else np.full(n, "", dtype=object))
    if has_area and travel.any():
        area[travel] = d.pick(rng, P.travel_area_codes, int(travel.sum()))
    sub_len = P.sub_len
    sub = d.random_strings(rng, n, sub_len, sub_len, d.DIGITS)
    sub = np.array([("2" if x[0] in "01" else x[0]) + x[1:] for x in sub], dtype=object)
    k = int(odd.sum())
    kind = d.codes(rng, V.habits.odd_phones, k) if k else np.zeros(0, dtype=np.int64)
    if k and has_area:
        area[odd] = np.where(kind == 1, d.pick(rng, P.national_area_codes, k), area[odd])
    fmt = np.array(_PLAN_FORMATS, dtype=object)[d.codes(rng, P.formats, n)]
    if not has_area:   # no area codes: the national forms are the bare number with the trunk prefix
        fmt = np.array([f.replace("{a} ", "").replace("({t}{a}) ", "{t}").replace("{a}-", "").replace("{a}", "")
                        for f in fmt], dtype=object)
    spaced = _split_sub(sub, rng)
    phone = np.array([f.format(c=P.country, a=a, s=g if " " in f else s, t=P.trunk) if f else ""
                      for f, a, s, g in zip(fmt, area, sub, spaced)], dtype=object)
    if k:
        O = V.odd
        foreign = d.join("+", d.pick(rng, P.foreign_countries, k), " ",
                         d.random_strings(rng, k, 8, 10, d.DIGITS))
        holder = d.fill_hash(rng, np.array([t.replace("_", " ") for t in d.pick(rng, O.placeholder_phones, k)],
                                           dtype=object))
        phone[odd] = np.select([kind == 0, kind == 2], [holder, foreign], phone[odd])
    return phone

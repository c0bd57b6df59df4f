"""Registration attributes with camouflage (internal).

For each campaign member and each of :data:`ATTRIBUTES`, a coin with probability
``camouflage`` decides whether the value is drawn from the organic distribution
(camouflaged) or from the odd one; a campaign may differ in some attributes only, or by
degrees (``CampaignSpec.odd``): then the odd value's chance is ``odd[a] * (1 - camouflage)``.
Organic registrants draw odd values only rarely (``organic_oddity``), so odd values are odd
by frequency, not by existence. Repeat sign-ups of one member reuse or vary that member's
values; households share a family name, an address, often a phone and a network.
"""
from __future__ import annotations

import numpy as np

from . import _draw as d
from .devices import draw_ips, draw_referrers, draw_user_agents
from .people import draw_emails, draw_names, draw_phones, draw_postal, email_variants
from .scenarios import ATTRIBUTES

__all__ = ["ATTRIBUTES", "draw_attributes"]


def _copy(rng, values, rows, lead, p):
    """Rows (a mask) take their group leader's value with probability ``p``."""
    take = rows & (rng.random(len(values)) < p)
    values[take] = values[lead[take]]
    return values


def draw_attributes(tl, sc, V, rng, camouflage, handles) -> dict:
    """Draw every registration attribute.

    Parameters
    ----------
    tl : Timeline
    sc : Scenario
    V : Vocabulary
    rng : numpy.random.Generator
    camouflage : ndarray
        Chance that a member's attribute is drawn ordinary, per campaign (rows, index 0
        organic, unused) and attribute (columns, as :data:`ATTRIBUTES`).
    handles : ndarray of str
        The organiser's handle per campaign, index 0 unused.

    Returns
    -------
    dict of ndarray
        Attribute columns, plus ``odd`` (n x len(ATTRIBUTES) bool), ``person``, ``linked``,
        ``attended``, ``travel``.
    """
    n = len(tl.t)
    idx = np.arange(n)
    first = np.r_[True, tl.group[1:] != tl.group[:-1]]
    lead = np.maximum.accumulate(np.where(first, idx, 0))
    member = tl.campaign > 0
    follower = tl.pos > 0
    same = member & follower          # the same member signing up again
    house = ~member & follower         # another member of a household
    person = np.cumsum(~same) - 1

    u = rng.random((n, len(ATTRIBUTES)))
    odd = np.where(member[:, None], u >= camouflage[tl.campaign], u < sc.organic_oddity)
    odd[same] = odd[lead[same]]
    travel = ~member & (rng.random(n) < sc.travel_share)
    travel[house] = travel[lead[house]]
    col = {a: odd[:, i] for i, a in enumerate(ATTRIBUTES)}

    name, ftok, ltok = draw_names(rng, V, col["name"], house & (rng.random(n) < 0.85), lead)
    keep = same & (rng.random(n) < 0.75)
    for arr in (name, ftok, ltok):
        arr[keep] = arr[lead[keep]]
    email = draw_emails(rng, V, col["email"], ftok, ltok)
    var = same & col["email"]
    email[var] = email_variants(rng, email[lead[var]], tl.pos[var])
    out = dict(name=name, email=email)
    out["phone"] = _copy(rng, draw_phones(rng, V, col["phone"], travel), house, lead, 0.4)
    out["phone"] = _copy(rng, out["phone"], same, lead, 0.8)
    out["postal_code"] = _copy(rng, draw_postal(rng, V, col["postal_code"], travel), follower, lead, 0.92)
    out["ip"] = _copy(rng, draw_ips(rng, V, col["ip"], travel), follower, lead, 0.85)

    shift_to = np.array([""] + [g.platform for g in sc.surges], dtype=object)[tl.surge]
    shift_p = np.array([0.0] + [g.shift for g in sc.surges])[tl.surge]
    shift = rng.random(n) < shift_p
    ua = draw_user_agents(rng, V, col["user_agent"], shift_to, shift)
    ua = _copy(rng, ua, house, lead, 0.3)
    out["user_agent"] = _copy(rng, ua, same, lead, 0.9)
    row_handles = np.where(member, handles[tl.campaign], d.join(ftok, d.numbers(rng, n, 0, 100)))
    ref = draw_referrers(rng, V, col["referrer"], shift_to, shift, row_handles)
    out["referrer"] = _copy(rng, ref, same, lead, 0.8)

    link_p = np.where(member & col["account"], sc.member_link_rate, sc.organic_link_rate)
    out["linked"] = rng.random(n) < link_p
    attended = rng.random(n) < np.where(member, sc.attend_campaign, sc.attend_organic)
    out["attended"] = _copy(rng, attended, house, lead, 0.8)
    out.update(odd=odd, person=person, travel=travel, lead=lead)
    return out

"""Plain-words reasons for a cluster's score, with the numbers behind them."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .facets import FACET

__all__ = ["describe_token", "cluster_reasons", "top_tokens"]


def describe_token(name: str) -> str:
    """``ua=musical_ly`` -> ``user agent containing 'musical_ly'``."""
    facet, _, value = name.partition("=")
    if value == "(rare)":
        return f"a {FACET[facet].rare if facet in FACET else facet} rare among registrants"
    return (FACET[facet].words if facet in FACET else facet + " {v}").format(v=value)


def _duration(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 90:
        return f"{max(minutes, 1):.0f} minutes"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} hours"
    return f"{minutes / 1440:.1f} days"


def top_tokens(members: np.ndarray, tm, shift, *, k: int = 3, pairs: np.ndarray | None = None,
               overlap: float = 0.8, totals: np.ndarray | None = None) -> list[tuple[str, float, float]]:
    """The ``k`` surging tokens most characteristic of a cluster: (name, share of members, baseline share).

    One token per facet. Facets are ranked by their most informative token (share of members
    times log lift). Tokens of that facet carried by nearly the same members (``overlap`` of the
    smaller set: the words of one user agent, say) are one signal; the token named for it is
    the one with the highest lift times coverage, so the platform's own word is named rather
    than a generic word that many user agents share.
    ``pairs``, when the caller has them, are the positions in ``shift``'s pair arrays of
    the members' pairs (ascending); otherwise they are looked up. ``totals``, each token's
    count over all of ``tm``'s rows, likewise (a caller naming many clusters computes it once).
    """
    in_c = np.flatnonzero(np.isin(shift.pair_row, members)) if pairs is None else pairs
    if len(in_c) == 0:
        return []
    counts = pd.Series(shift.pair_token[in_c]).value_counts()
    token = counts.index.to_numpy()
    share = counts.to_numpy() / len(members)
    p0 = shift.p0[token]
    lift = share / p0
    info = share * np.log(np.maximum(lift, 1.0))
    facets = tm.facets[token]
    ok = share >= 0.05
    anchors = []
    for facet in pd.unique(facets[ok]):
        mine = np.flatnonzero(ok & (facets == facet))
        anchors.append((float(info[mine].max()), facet, mine, mine[np.argmax(info[mine])]))
    anchors.sort(key=lambda a: -a[0])
    anchors = anchors[:k]
    if not anchors:
        return []
    wanted = np.concatenate([mine for _, _, mine, _ in anchors])
    sub = tm.X[members][:, token[wanted]].tocsc()          # the members' carriers of those tokens, once
    column = {t: j for j, t in enumerate(wanted)}
    if totals is None:
        totals = np.asarray(tm.X.sum(axis=0)).ravel()
    out = []
    for _, facet, mine, anchor in anchors:
        carriers = sub[:, [column[t] for t in mine]]
        both = np.asarray(carriers.multiply(carriers[:, np.flatnonzero(mine == anchor)[0]]).sum(axis=0)).ravel()
        own = np.asarray(carriers.sum(axis=0)).ravel()
        same = both >= overlap * np.minimum(own, own[mine == anchor][0])
        cand = mine[same]
        overall = totals[token[cand]]                                    # ties: the more specific token
        pick = cand[np.lexsort((tm.names[token[cand]].astype(str), overall, -(lift * share)[cand]))[0]]
        out.append((str(tm.names[token[pick]]), float(share[pick]), float(p0[pick])))
    return out


_FAMILY_WORDS = {"email": "e-mail addresses", "phone": "phone numbers", "postal": "postal codes", "ip": "IP addresses",
                 "name": "names", "attended": "attendance"}


def _unlike_in(what: str) -> str:
    """What the members are unlike the organic registrants in: all identity attributes, or one family."""
    what = "who they are (e-mail, phone, place, name: " if what == "identity" \
        else f"their {_FAMILY_WORDS.get(what, what)} ("
    return f"{what}values rare among quiet-time sign-ups)"


def cluster_reasons(row: dict, tokens: list[tuple[str, float, float]]) -> str:
    """One sentence list: the burst, the characteristic tokens, the places, attendance."""
    span = float(row["last"] - row["first"])
    ratio = row["size"] / max(row["expected"], 1e-9)
    parts = [f"{row['size']:,} sign-ups in {_duration(span)}, {ratio:.1f}x the organic baseline "
             f"({row['expected']:,.0f} expected)"]
    burst = row.get("burst_size", np.nan)
    if burst is not None and np.isfinite(burst):
        what = str(row.get("unlike_in", "identity"))
        picked = f"picked as the least ordinary of a burst of {int(burst):,} sign-ups that no other cluster holds"
        if "=" in what:
            parts.append(f"{picked}, at least {row['unlike_share']:.0%} of which came with {describe_token(what)} "
                         f"beyond what the organic registrants bring")
        else:
            parts.append(f"{picked}, at least {row['unlike_share']:.0%} of which are unlike the organic registrants "
                         f"in {_unlike_in(what)}")
    elif row.get("unlike_share", 0) > 0:
        parts.append(f"at least {row['unlike_share']:.0%} of them unlike the organic registrants in "
                     f"{_unlike_in(str(row.get('unlike_in', 'identity')))}")
    for name, share, p0 in tokens:
        parts.append(f"{share:.0%} with {describe_token(name)} vs {p0:.1%} at baseline")
    if row.get("location_share", 0) - row.get("location_baseline", 0) >= 0.1:
        parts.append(f"{row['location_share']:.0%} located where registrants rarely are "
                     f"vs {row['location_baseline']:.0%} at baseline")
    if np.isfinite(row.get("attended_share", np.nan)):
        parts.append(f"{row['attended_share']:.0%} attended")
    return "; ".join(parts)

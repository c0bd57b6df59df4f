"""Plain-words reasons for a cluster's score, with the numbers behind them."""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["describe_token", "cluster_reasons", "top_tokens"]

_FACET_WORDS = {
    "email_domain": "e-mail domain {v}", "email_style": "e-mail names shaped '{v}'",
    "email_tag": "e-mail '+tag' variants", "phone_area": "phone area code {v}", "phone": "phone number {v}",
    "postal_region": "postal region {v}", "postal_code": "postal code {v}", "ip16": "IP prefix {v}.x.x",
    "ip24": "IP prefix {v}.x", "ua": "user agent containing '{v}'", "referrer_host": "referrer {v}",
    "referrer_path": "referrer path '{v}'", "name_style": "names shaped {v}", "name": "the name '{v}'",
    "account": "a linked social account", "reposted": "an account that reposted post {v}",
    "follows": "an account that follows {v}",
}


_RARE_WORDS = {"email_domain": "e-mail domain", "email_style": "e-mail name shape", "phone_area": "phone area code",
               "postal_region": "postal region", "ip16": "network (IP /16)", "referrer_host": "referrer",
               "name_style": "name shape"}


def describe_token(name: str) -> str:
    """``ua=musical_ly`` -> ``user agent containing 'musical_ly'``."""
    facet, _, value = name.partition("=")
    if value == "(rare)":
        return f"a {_RARE_WORDS.get(facet, facet)} rare among registrants"
    return _FACET_WORDS.get(facet, facet + " {v}").format(v=value)


def _duration(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 90:
        return f"{max(minutes, 1):.0f} minutes"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} hours"
    return f"{minutes / 1440:.1f} days"


def top_tokens(members: np.ndarray, tm, shift, *, k: int = 3, pairs: np.ndarray | None = None
               ) -> list[tuple[str, float, float]]:
    """The ``k`` surging tokens most characteristic of a cluster: (name, share of members, baseline share).

    Ranked by share of members times log lift against the baseline, one token per facet.
    ``pairs``, when the caller has them, are the positions in ``shift``'s pair arrays of
    the members' pairs (ascending); otherwise they are looked up.
    """
    in_c = np.flatnonzero(np.isin(shift.pair_row, members)) if pairs is None else pairs
    if len(in_c) == 0:
        return []
    counts = pd.Series(shift.pair_token[in_c]).value_counts()
    share = counts.to_numpy() / len(members)
    p0 = shift.p0[counts.index.to_numpy()]
    rank = share * np.log(np.maximum(share / p0, 1.0))
    out, seen = [], set()
    for i in np.argsort(-rank, kind="stable"):
        token = int(counts.index[i])
        facet = tm.facets[token]
        if facet in seen or share[i] < 0.05:
            continue
        seen.add(facet)
        out.append((str(tm.names[token]), float(share[i]), float(p0[i])))
        if len(out) == k:
            break
    return out


def cluster_reasons(row: dict, tokens: list[tuple[str, float, float]]) -> str:
    """One sentence list: the burst, the characteristic tokens, the places, attendance."""
    span = float(row["last"] - row["first"])
    ratio = row["size"] / max(row["expected"], 1e-9)
    parts = [f"{row['size']:,} sign-ups in {_duration(span)}, {ratio:.1f}x the organic baseline "
             f"({row['expected']:,.0f} expected)"]
    for name, share, p0 in tokens:
        parts.append(f"{share:.0%} with {describe_token(name)} vs {p0:.1%} at baseline")
    if row.get("location_share", 0) - row.get("location_baseline", 0) >= 0.1:
        parts.append(f"{row['location_share']:.0%} located where registrants rarely are "
                     f"vs {row['location_baseline']:.0%} at baseline")
    if np.isfinite(row.get("attended_share", np.nan)):
        parts.append(f"{row['attended_share']:.0%} attended")
    return "; ".join(parts)

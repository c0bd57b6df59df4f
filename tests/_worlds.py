"""Small simulated worlds and the input transformations of the metamorphic tests.

Every transformation takes a registrations table (the contract's columns, as
``detector.simulate`` returns them) and returns a new table; the input is never modified.
The ground truth stays keyed by ``registration_id``, which no transformation renames.
"""
from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd

import detector

#: Registrations per small world: big enough for campaigns to stand out, small enough to be fast.
N = 4000

#: The contract's optional registration columns (CONTRACT.md).
OPTIONAL_COLUMNS = ("event_id", "account_id", "email", "phone", "name", "postal_code", "ip", "user_agent",
                    "referrer", "attended")


def simulate(scenario: str, seed: int, n: int = N):
    return detector.simulate(scenario, n=n, seed=seed)


def inputs(sim) -> pd.DataFrame:
    """The registrations a detection sees: the contract's columns without ``attended``."""
    return sim.registrations.drop(columns=["attended"])


def run(regs: pd.DataFrame):
    return detector.detect(regs, progress=False, seed=0)


def flags(result) -> pd.Series:
    """``flagged`` as booleans, indexed by registration_id and sorted by it."""
    r = result.registrations
    return pd.Series(r["flagged"].astype(bool).to_numpy(), index=r["registration_id"].astype(str).to_numpy(),
                     name="flagged").sort_index()


def flagged_share(result, ids) -> float:
    """Share of the registrations ``ids`` that the result flags."""
    f = flags(result)
    ids = pd.Index(np.asarray(ids, dtype=object).astype(str))
    assert ids.isin(f.index).all(), "the result lost registrations"
    return float(f.loc[ids].mean()) if len(ids) else float("nan")


def campaign_ids(sim, campaign: int) -> np.ndarray:
    t = sim.truth
    return t.loc[t["campaign"] == campaign, "registration_id"].to_numpy()


def organic_ids(sim) -> np.ndarray:
    t = sim.truth
    return t.loc[t["campaign"] == 0, "registration_id"].to_numpy()


def changed_rows(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Rows (by position) where two tables with the same columns differ; missing equals missing."""
    def text(df):
        return df.astype(object).where(df.notna(), "<missing>").astype(str)
    return (text(a).reset_index(drop=True) != text(b).reset_index(drop=True)).any(axis=1)


def flag_differences(a, b) -> str:
    """A short description of how two results' flags differ (for assertion messages)."""
    fa, fb = flags(a), flags(b)
    if not fa.index.equals(fb.index):
        return f"different registration ids: {len(fa.index.symmetric_difference(fb.index))} not in both"
    diff = fa != fb
    return (f"{int(diff.sum())} of {len(fa)} registrations flagged differently "
            f"({int((fa & ~fb).sum())} flagged only in the first, {int((~fa & fb).sum())} only in the second; "
            f"{int(fa.sum())} vs {int(fb.sum())} flagged); e.g. {list(fa.index[diff][:5])}")


# --------------------------------------------------------------------------- timing


def _ns(times: pd.Series) -> np.ndarray:
    return pd.to_datetime(times, utc=True).dt.as_unit("ns").array.asi8.copy()


def _from_ns(ns: np.ndarray, like: pd.Series) -> pd.Series:
    out = pd.Series(pd.to_datetime(ns, unit="ns", utc=True), index=like.index)
    return out.dt.tz_convert(like.dt.tz).dt.as_unit(like.dt.unit)


def compress_campaign(regs: pd.DataFrame, ids, factor: float) -> pd.DataFrame:
    """Move the sign-up time of each registration in ``ids`` towards their median time:
    ``median + factor * (t - median)`` (a sharper burst for ``factor < 1``)."""
    out = regs.copy()
    rows = out["registration_id"].isin(set(ids)).to_numpy()
    ns = _ns(out["created_at"])
    med = np.median(ns[rows])
    secs = np.round((med + factor * (ns[rows] - med)) / 1e9)   # whole seconds, like the input
    ns[rows] = secs.astype(np.int64) * 1_000_000_000
    out["created_at"] = _from_ns(ns, out["created_at"])
    return out


def shift_times(regs: pd.DataFrame, offset: pd.Timedelta) -> pd.DataFrame:
    out = regs.copy()
    out["created_at"] = out["created_at"] + offset
    return out


def in_time_zone(regs: pd.DataFrame, tz: str) -> pd.DataFrame:
    """The same instants, expressed in another time zone."""
    out = regs.copy()
    out["created_at"] = out["created_at"].dt.tz_convert(tz)
    return out


def shuffle_rows(regs: pd.DataFrame, seed: int) -> pd.DataFrame:
    return regs.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def postal_codes_in_another_format(regs: pd.DataFrame) -> pd.DataFrame:
    """Every US code written as another country would (``74103`` and ``74103-1234`` -> ``741 03``,
    as Sweden writes ``113 51``): the same codes and the same regions, in a format the US rules
    miss; the foreign codes among them stay as they are."""
    out = regs.copy()
    out["postal_code"] = out["postal_code"].astype("string").str.replace(r"^(\d{3})(\d{2})(?:-\d{4})?$", r"\1 \2",
                                                                       regex=True)
    return out


# --------------------------------------------------------------------------- odd attributes


def _value_shares(values: pd.Series) -> pd.Series:
    return values.astype("string").value_counts(normalize=True, dropna=True)


def add_odd_attribute(regs: pd.DataFrame, ids, organic, kind: str) -> pd.DataFrame:
    """Give the members ``ids`` one more attribute that no organic registrant has.

    ``kind``:

    - ``"user_agent"``: the word ``Zqvoxapp/3.2`` is appended to every member's user agent (a
      member without one gets just that); the words they had are kept;
    - ``"referrer"``: members whose referrer is missing or ordinary (held by >= 1% of the organic
      registrants) get the referrer ``https://zqvox-links.test/go``; odd referrers are kept;
    - ``"email_domain"``: members whose e-mail domain is ordinary (held by >= 1% of the organic
      registrants) get the domain ``zqvox-mail.test``, with their local part kept; odd domains
      are kept.

    So every member keeps every odd value it had, and many gain one.
    """
    out = regs.copy()
    rows = out["registration_id"].isin(set(ids)).to_numpy()
    is_organic = out["registration_id"].isin(set(organic)).to_numpy()
    if kind == "user_agent":
        ua = out["user_agent"].astype("object")
        assert not ua[is_organic].astype(str).str.contains("zqvox", case=False).any()
        ua[rows] = [f"{u} Zqvoxapp/3.2" if isinstance(u, str) and u else "Zqvoxapp/3.2" for u in ua[rows]]
        out["user_agent"] = ua.astype("category")
    elif kind == "referrer":
        ref = out["referrer"].astype("object")
        new = "https://zqvox-links.test/go"
        assert not (ref[is_organic] == new).any()
        shares = _value_shares(ref[is_organic])
        ordinary = set(shares.index[shares >= 0.01])
        change = rows & (ref.isna() | ref.isin(ordinary)).to_numpy()
        assert change.sum() >= 0.2 * rows.sum(), "too few members would gain the odd referrer"
        ref[change] = new
        out["referrer"] = ref.astype("category")
    elif kind == "email_domain":
        email = out["email"].astype("object")
        domain = email.str.extract(r"@(.+)$", expand=False).str.lower()
        new = "zqvox-mail.test"
        assert not (domain[is_organic] == new).any()
        shares = _value_shares(domain[is_organic])
        ordinary = set(shares.index[shares >= 0.01])
        change = rows & domain.isin(ordinary).to_numpy()
        assert change.sum() >= 0.2 * rows.sum(), "too few members would gain the odd e-mail domain"
        email[change] = email[change].str.replace(r"@.+$", "@" + new, regex=True)
        out["email"] = email.astype(regs["email"].dtype)
    else:
        raise ValueError(kind)
    return out


# --------------------------------------------------------------------------- background


def double_background(sim, other) -> tuple[pd.DataFrame, np.ndarray]:
    """``sim``'s registrations plus the organic, non-surge registrants of ``other`` (an independent
    simulation of the same scenario: same events, same window, different people), with new ids.

    Returns the table (sorted by time) and the new ids."""
    regs = inputs(sim)
    t = other.truth
    keep = ((t["campaign"] == 0) & (t["surge"] == 0)).to_numpy()
    extra = inputs(other)[keep].copy()
    extra["registration_id"] = "B" + extra["registration_id"].astype(str)
    assert not extra["registration_id"].isin(set(regs["registration_id"])).any()
    assert set(extra["event_id"].astype(str)) <= set(regs["event_id"].astype(str))
    both = pd.concat([regs.astype({"event_id": "object", "user_agent": "object", "referrer": "object"}),
                      extra.astype({"event_id": "object", "user_agent": "object", "referrer": "object"})],
                     ignore_index=True)
    for c in ("event_id", "user_agent", "referrer"):
        both[c] = both[c].astype("category")
    both = both.sort_values("created_at", kind="stable").reset_index(drop=True)
    return both, extra["registration_id"].to_numpy()


# --------------------------------------------------------------------------- renaming


_VOWELS = "aeiou"
_CONSONANTS = "bcdfghjklmnpqrstvwxz"   # 'y' is in neither class and stays 'y'


class Renamer:
    """Random bijections that rename values but keep their shape.

    A letter cipher maps vowels to vowels and consonants to consonants (upper and lower case
    alike), a digit permutation keeps ``1`` in place (so ``+1`` / a leading ``1`` keep meaning
    "North America"), and IPv4 octets are permuted per position. Renamed values have the same
    shape (letters, digits, case, punctuation, length) as the originals, and two values are equal
    after renaming exactly when they were equal before.
    """

    def __init__(self, seed: int):
        rng = np.random.default_rng(seed)
        self.rng = rng

    def letters(self) -> dict:
        v = map(str, self.rng.permutation(list(_VOWELS)))
        c = map(str, self.rng.permutation(list(_CONSONANTS)))
        m = dict(zip(_VOWELS, v)) | dict(zip(_CONSONANTS, c))
        m |= {k.upper(): val.upper() for k, val in m.items()}
        return m

    def digits(self) -> dict:
        rest = [d for d in string.digits if d != "1"]
        return dict(zip(rest, map(str, self.rng.permutation(rest)))) | {"1": "1"}

    def hexdigits(self) -> dict:
        """Hex digits: 0-9 among themselves, a-f among themselves (A-F alike), so case is kept."""
        dig = dict(zip(string.digits, map(str, self.rng.permutation(list(string.digits)))))
        low = dict(zip("abcdef", map(str, self.rng.permutation(list("abcdef")))))
        return dig | low | {k.upper(): v.upper() for k, v in low.items()}

    def cipher(self, letters=True, digits=True):
        table = {}
        if letters:
            table |= self.letters()
        if digits:
            table |= self.digits()
        return str.maketrans(table)

    def octets(self) -> list[dict]:
        return [dict(zip(map(str, range(256)), map(str, self.rng.permutation(256)))) for _ in range(4)]


def _map_values(col: pd.Series, fn) -> pd.Series:
    """Apply ``fn`` to each distinct non-missing value; keep the column's dtype."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = col.cat.categories
        new = [fn(str(c)) for c in cats]
        assert len(set(new)) == len(new), "renaming is not a bijection"
        return col.cat.rename_categories(new)
    values = col.dropna().astype(str).unique()
    table = {v: fn(v) for v in values}
    assert len(set(table.values())) == len(table), "renaming is not a bijection"
    return col.map(table).astype(col.dtype) if col.dtype != object else col.map(table)


_URL = re.compile(r"^((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)?((?:www\.)?)(.*)$", re.S)


def rename_attributes(regs: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Rename every attribute value by a bijection per column (see :class:`Renamer`):

    - e-mail: local part letter- and digit-mapped, domain letter-mapped (another cipher);
    - phone: digits permuted (1 kept); postal code: digits and letters mapped;
    - name, user agent: letters mapped (so the user agent's words are renamed one to one);
    - referrer: the host and path letter-mapped, the scheme and a ``www.`` prefix kept;
    - IP: IPv4 octets permuted per position, IPv6 hex digits permuted;
    - account and event ids: renamed to opaque ids (event ids in reverse sort order).
    """
    r = Renamer(seed)
    out = regs.copy()
    local_c, domain_c = r.cipher(), r.cipher()

    def email(v):
        local, at, domain = v.rpartition("@")
        if not at:
            return v.translate(local_c)
        return local.translate(local_c) + "@" + domain.translate(domain_c)

    out["email"] = _map_values(out["email"], email)
    phone_c = r.cipher(letters=False)
    out["phone"] = _map_values(out["phone"], lambda v: v.translate(phone_c))
    postal_c = r.cipher()
    out["postal_code"] = _map_values(out["postal_code"], lambda v: v.translate(postal_c))
    name_c = r.cipher()
    out["name"] = _map_values(out["name"], lambda v: v.translate(name_c))
    ua_c = r.cipher(digits=False)
    out["user_agent"] = _map_values(out["user_agent"], lambda v: v.translate(ua_c))
    ref_c = r.cipher()

    def referrer(v):
        scheme, www, rest = _URL.match(v).groups()
        return (scheme or "") + www + rest.translate(ref_c)

    out["referrer"] = _map_values(out["referrer"], referrer)
    octets = r.octets()
    hex_c = str.maketrans(r.hexdigits())

    def ip(v):
        parts = v.split(".")
        if len(parts) == 4 and all(p.isdigit() for p in parts):
            return ".".join(octets[i][p] for i, p in enumerate(parts))
        return v.translate(hex_c)

    out["ip"] = _map_values(out["ip"], ip)
    accounts = out["account_id"].dropna().astype(str).unique()
    acc = dict(zip(accounts, [f"acct-{i:06d}" for i in r.rng.permutation(len(accounts))]))
    out["account_id"] = out["account_id"].map(acc).astype(regs["account_id"].dtype)
    events = sorted(out["event_id"].astype(str).unique())
    ev = {e: f"ev-{len(events) - i:02d}" for i, e in enumerate(events)}
    out["event_id"] = _map_values(out["event_id"], lambda v: ev[v])
    return out

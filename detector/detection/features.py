"""Registrations as tokens: the attribute values a campaign can share.

Every registration is turned into a set of tokens ``facet=value``, derived from
its attributes by generic parsing only (no list of any platform's strings):

========================  ===================================================
facet                     value (``(rare)`` too, for the facets of
                          :data:`RARE_FACETS`: any value held by < 0.3%)
========================  ===================================================
``email_domain``          the domain of the e-mail address
``email_style``           the shape of the local part (``a.a``, ``a9``, ``a9a9``),
                          marked ``~`` when it holds an unpronounceable run
``email_tag``             ``+`` when the local part carries a ``+tag``
``phone_area``            the area code (NANP) or the country code (``+82``)
``phone``                 the normalised number (placeholders repeat)
``postal_region``         the first three characters of a 5-digit code, or the
                          code's shape (``A9A 9A9``) when it is not one
``postal_code``           the normalised code (placeholders repeat)
``ip16``, ``ip24``        the address's /16 and /24 prefixes
``ua``                    each word of the user agent (several per row)
``referrer_host``         the referrer's host without ``www.``
``referrer_path``         the first segment of the referrer's path
``name_style``            the shape of the name (words, case, digits)
``name``                  the lower-cased name (odd names repeat)
``account``               ``linked`` when an account id is given
``reposted``              (with posts) each post the linked account reposted
``follows``               (with follows) each account the linked account follows
========================  ===================================================

What is *unusual* is not decided here: the shift module compares each token's
frequency inside a time window with its frequency in the organic baseline.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .facets import RARE_FACETS, facet as _declared

__all__ = ["TokenMatrix", "token_matrix", "FACET_PARSERS", "RARE_SHARE"]

#: Values held by fewer than this share of the registrations also give a token ``facet=(rare)``
#: (for the facets declared with ``rare`` in :mod:`.facets`): a campaign brings many different
#: out-of-region codes, each rare, and together they surge.
RARE_SHARE = 0.003


@dataclass
class TokenMatrix:
    """A binary registrations x tokens matrix.

    Attributes
    ----------
    X : scipy.sparse.csr_matrix
        ``X[i, t] = 1`` when registration ``i`` carries token ``t``.
    names : numpy.ndarray of str
        ``facet=value`` for each token.
    facets : numpy.ndarray of str
        The facet of each token.
    """

    X: sparse.csr_matrix
    names: np.ndarray
    facets: np.ndarray

    @property
    def n_tokens(self) -> int:
        return len(self.names)

    @property
    def is_rare(self) -> np.ndarray:
        """Per token: is it a facet's ``(rare)`` bucket (values held by few registrations)?"""
        return np.fromiter((str(n).endswith("=(rare)") for n in self.names), dtype=bool, count=len(self.names))


def _text(regs: pd.DataFrame, column: str) -> pd.Series | None:
    if column not in regs:
        return None
    s = regs[column].astype("string").str.strip()
    return s.mask(s == "")


def _one_hot(values: pd.Series, facet: str, rare_share: float | None = None):
    """One column per distinct value; with ``rare_share``, one more: ``facet=(rare)`` for values
    held by fewer than that share of the registrations."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keep = codes >= 0
    rows = np.flatnonzero(keep)
    cols = codes[keep]
    names = [f"{facet}={u}" for u in uniques]
    if rare_share is not None:
        counts = np.bincount(cols, minlength=len(uniques))
        rare = (counts < rare_share * len(values))[cols]
        rows = np.concatenate([rows, rows[rare]])
        cols = np.concatenate([cols, np.full(int(rare.sum()), len(uniques))])
        names.append(f"{facet}=(rare)")
    mat = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(values), len(names)))
    return mat, names, [facet] * len(names)


def _multi_hot(values: pd.Series, facet: str, splitter):
    """Tokens of a column with few distinct values (user agents): split the distinct values once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    vocab: dict[str, int] = {}
    u_rows, u_cols = [], []
    for u, value in enumerate(uniques):
        for word in splitter(str(value)):
            u_rows.append(u)
            u_cols.append(vocab.setdefault(word, len(vocab)))
    per_unique = sparse.csr_matrix((np.ones(len(u_rows), dtype=np.float32), (u_rows, u_cols)),
                                   shape=(max(len(uniques), 1), len(vocab)))
    keep = codes >= 0
    pick = sparse.csr_matrix((np.ones(keep.sum(), dtype=np.float32), (np.flatnonzero(keep), codes[keep])),
                             shape=(len(values), max(len(uniques), 1)))
    mat = (pick @ per_unique).tocsr()
    mat.data[:] = 1.0
    return mat, [f"{facet}={w}" for w in vocab], [facet] * len(vocab)


_UA_WORD = __import__("re").compile(r"[A-Za-z][A-Za-z_]{2,}")


def _ua_words(ua: str) -> list[str]:
    """The words of a user agent, in the order they appear (not sorted: renaming words must not
    reorder tokens)."""
    return list(dict.fromkeys(w.lower() for w in _UA_WORD.findall(ua)))


def _shape(s: pd.Series) -> pd.Series:
    """Letters -> a, digits -> 9, runs collapsed: ``jane.doe94`` -> ``a.a9``."""
    return (s.str.replace(r"[^\W\d_]+", "a", regex=True)
             .str.replace(r"\d+", "9", regex=True))


def _email_facets(email: pd.Series) -> list[tuple[str, pd.Series]]:
    e = email.str.lower()
    local = e.str.extract(r"^([^@]*)@", expand=False)
    domain = e.str.extract(r"@(.+)$", expand=False)
    base = local.str.replace(r"\+.*$", "", regex=True)
    style = _shape(base)
    hard = base.str.contains(r"[bcdfghjklmnpqrstvwxz]{5,}|^[^aeiouy]*$", regex=True, na=False) & base.notna()
    style = style.where(~hard, style + "~")
    tag = local.str.contains("+", regex=False, na=False).map({True: "+", False: None})
    return [("email_domain", domain), ("email_style", style), ("email_tag", tag)]


def _phone_facets(phone: pd.Series) -> list[tuple[str, pd.Series]]:
    digits = phone.str.replace(r"\D", "", regex=True)
    international = phone.str.startswith("+") & ~phone.str.startswith("+1")
    nanp = digits.str.replace(r"^1(?=\d{10}$)", "", regex=True)
    area = nanp.str.slice(0, 3).where(nanp.str.len() == 10)
    area = area.where(~international, "+" + digits.str.slice(0, 2))
    area = area.fillna(phone.notna().map({True: "other", False: None}))
    return [("phone_area", area), ("phone", nanp.where(~international, "+" + digits))]


def _postal_facets(postal: pd.Series) -> list[tuple[str, pd.Series]]:
    p = postal.str.upper()
    five = p.str.extract(r"^(\d{5})(?:-\d{4})?$", expand=False)
    region = five.str.slice(0, 3).fillna(_shape(p.str.replace(r"[A-Z]", "A", regex=True)
                                                 .str.replace(r"\d", "9", regex=True)))
    return [("postal_region", region), ("postal_code", five.fillna(p))]


def _ip_facets(ip: pd.Series) -> list[tuple[str, pd.Series]]:
    v4 = ip.str.extract(r"^(\d+\.\d+)\.(\d+)\.\d+$")
    v6 = ip.str.extract(r"^([0-9a-fA-F]*:[0-9a-fA-F]*):([0-9a-fA-F]*)", expand=True)
    p16 = v4[0].fillna(v6[0])
    p24 = (v4[0] + "." + v4[1]).fillna(v6[0] + ":" + v6[1])
    return [("ip16", p16), ("ip24", p24)]


def _referrer_facets(ref: pd.Series) -> list[tuple[str, pd.Series]]:
    parts = ref.str.lower().str.extract(r"^(?:[a-z]+://)?(?:www\.)?([^/?#]+)/?([^/?#]*)")
    path = parts[1].mask(parts[1] == "")
    host = parts[0].fillna(ref.str.lower())
    return [("referrer_host", host), ("referrer_path", path)]


def _name_facets(name: pd.Series) -> list[tuple[str, pd.Series]]:
    words = name.str.count(r"\S+").astype("Int64").astype("string")
    case = np.select([name.str.isupper().fillna(False).to_numpy(bool),
                      name.str.islower().fillna(False).to_numpy(bool)], ["upper", "lower"], "mixed")
    style = words + ":" + pd.Series(case, index=name.index) + \
        name.str.contains(r"\d", regex=True, na=False).map({True: ":9", False: ""})
    return [("name_style", style.where(name.notna())), ("name", name.str.lower())]


#: The registry of token signals: contract column -> parser returning ``[(facet, values), ...]``.
#: A new signal is one parser function and one line here.
FACET_PARSERS = {"email": _email_facets, "phone": _phone_facets, "postal_code": _postal_facets,
                 "ip": _ip_facets, "referrer": _referrer_facets, "name": _name_facets}


def _social_block(account: pd.Series, links: pd.DataFrame, facet: str):
    """Tokens from a table of (account, target) links: one token per target of the registrant's account."""
    links = links.dropna().drop_duplicates()
    reg = pd.DataFrame({"account": account.to_numpy(dtype=object, na_value=None),
                        "row": np.arange(len(account))}).dropna()
    joined = reg.merge(links, on="account", how="inner", sort=False)
    # first seen, rows in time order and a row's targets sorted: not in the order of the posts or
    # follows table, whose rows may come in any order
    joined = joined.sort_values(["row", "target"], kind="stable")
    codes, uniques = pd.factorize(joined["target"])
    mat = sparse.csr_matrix((np.ones(len(joined), dtype=np.float32), (joined["row"].to_numpy(), codes)),
                            shape=(len(account), len(uniques)))
    mat.data[:] = 1.0
    return mat, [f"{facet}={u}" for u in uniques], [facet] * len(uniques)


def token_matrix(regs: pd.DataFrame, posts: pd.DataFrame | None = None,
                 follows: pd.DataFrame | None = None) -> TokenMatrix:
    """Build the token matrix of a registrations table.

    Parameters
    ----------
    regs : pandas.DataFrame
        Registrations with any of the contract's optional columns; absent ones
        contribute no token.
    posts, follows : pandas.DataFrame, optional
        When given (and registrations carry ``account_id``), the posts each
        registrant's account reposted and the accounts it follows become tokens.

    Returns
    -------
    TokenMatrix

    Examples
    --------
    >>> regs = pd.DataFrame({"email": ["jane.doe@mail.com", "xkcdqwrt7@tmp.io"],
    ...                      "postal_code": ["74103", "00000"]})
    >>> tm = token_matrix(regs)
    >>> sorted(tm.names[tm.X[1].indices])
    ['email_domain=tmp.io', 'email_style=a9~', 'postal_code=00000', 'postal_region=000']
    """
    blocks = []
    for column, parse in FACET_PARSERS.items():
        values = _text(regs, column)
        if values is None:
            continue
        # parse each distinct value once (postal codes, referrers and names repeat a lot)
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        for facet, parsed in parse(pd.Series(uniques, dtype="string")):
            _declared(facet)
            per_row = pd.Series(np.append(parsed.to_numpy(dtype=object, na_value=None), None)[codes])
            blocks.append(_one_hot(per_row, facet, RARE_SHARE if facet in RARE_FACETS else None))
    ua = _text(regs, "user_agent")
    if ua is not None:
        blocks.append(_multi_hot(ua, "ua", _ua_words))
    account = _text(regs, "account_id")
    if account is not None:
        blocks.append(_one_hot(account.notna().map({True: "linked", False: None}), "account"))
        if posts is not None and "shared_post_id" in posts:
            reposts = posts[["account_id", "shared_post_id"]].astype("string")
            blocks.append(_social_block(account, reposts.set_axis(["account", "target"], axis=1), "reposted"))
        if follows is not None:
            links = follows[["follower_id", "followee_id"]].astype("string")
            blocks.append(_social_block(account, links.set_axis(["account", "target"], axis=1), "follows"))
    if not blocks:
        return TokenMatrix(sparse.csr_matrix((len(regs), 0), dtype=np.float32), np.array([], dtype=str),
                           np.array([], dtype=str))
    X = sparse.hstack([b[0] for b in blocks], format="csr", dtype=np.float32)
    names = np.array([n for b in blocks for n in b[1]], dtype=object)
    facets = np.array([f for b in blocks for f in b[2]], dtype=object)
    return TokenMatrix(X=X, names=names, facets=facets)

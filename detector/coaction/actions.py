"""Posts as actions on shared objects: the input of every co-action network.

An *action* is one post acting on one object: sharing a URL, reposting a post, publishing a
text, using a hashtag. Two accounts co-act when they act on the same object within the time
window. Each kind of object is one function in :data:`KINDS`; adding a kind is one function and
one registry line.

With ``compat="cnt"`` the objects are extracted exactly as coordination-network-toolkit 1.5.2
does, quirks included (see :func:`actions`).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Actions", "KINDS", "actions", "normalise_text"]

# CNT strips mentions with the third-party `regex` module, whose \s excludes U+001C-U+001F
# (Python's `re` includes them): the class below is `regex`'s \s written for `re`.
_MENTION = re.compile(r"@.*?(?=(?:[^\S\x1c-\x1f]|$))")
_HASHTAG = re.compile(r"#\w+")
COMPAT_MODES = (None, "cnt")


@dataclass
class Actions:
    """Actions of one kind, one row per (post, object).

    Attributes
    ----------
    post : ndarray of int64
        Row of the post in the posts table.
    account : ndarray of int64
        Code of the post's author in ``accounts``.
    time : ndarray of int64
        Post time, nanoseconds since the epoch.
    obj : ndarray of int64
        Code of the object in ``objects``.
    accounts, objects : ndarray of object
        Labels of the codes; account codes follow the ids' sort order.
    post_ids : Series
        ``post_id`` of every row of the posts table (not copied).
    """

    post: np.ndarray
    account: np.ndarray
    time: np.ndarray
    obj: np.ndarray
    accounts: np.ndarray
    objects: np.ndarray
    post_ids: pd.Series

    def __len__(self) -> int:
        return len(self.post)

    @functools.cached_property
    def account_index(self) -> pd.Index:
        """``accounts`` as an index, to look codes up by id."""
        return pd.Index(self.accounts)


def normalise_text(text: pd.Series) -> pd.Series:
    """Lower case, @mentions removed, runs of whitespace collapsed (CNT's preprocessing).

    Examples
    --------
    >>> import pandas as pd
    >>> normalise_text(pd.Series(["@ann  Sign UP now ", "sign up now", None])).tolist()
    ['sign up now', 'sign up now', '']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    strings = _strings(text)
    try:
        arr = pa.array(strings.array)          # arrow-backed strings: no copy
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        arr = pa.array(strings.to_numpy(dtype=object), type=pa.large_string())
    # printable ASCII words with single spaces and no "@": lower-casing is all there is to do
    plain = pc.and_(pc.match_substring_regex(arr, _PLAIN), pc.invert(pc.match_substring(arr, "@")))
    out = pc.ascii_lower(arr).to_numpy(zero_copy_only=False).astype(object)
    rest = np.flatnonzero(~plain.to_numpy(zero_copy_only=False))
    out[rest] = [" ".join(_MENTION.sub("", x.lower()).split()) for x in arr.take(pa.array(rest)).to_pylist()]
    return pd.Series(out, index=text.index, dtype=object)


_PLAIN = r"^[!-~]+( [!-~]+)*$|^$"


def _originals(posts: pd.DataFrame) -> np.ndarray:
    """Rows that are not reposts: their own text and links count."""
    return np.flatnonzero(posts["shared_post_id"].isna().to_numpy()) if "shared_post_id" in posts \
        else np.arange(len(posts))


def _explode(rows: np.ndarray, values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(row, item) for every item of list-valued ``values`` (aligned with ``rows``)."""
    lens = values.str.len().fillna(0).to_numpy(dtype=np.int64)
    flat = values.explode()
    keep = lens > 0
    return np.repeat(rows, lens), flat[np.repeat(keep, np.maximum(lens, 1))].reset_index(drop=True)


def _link(posts: pd.DataFrame, compat) -> tuple[np.ndarray, pd.Series]:
    """URLs of original posts (a repost's links belong to the reposted post)."""
    rows = _originals(posts)
    if "url" not in posts:
        return rows[:0], pd.Series([], dtype=object)
    url = _strings(posts["url"].iloc[rows])
    if compat == "cnt":   # CNT reads its CSV with universal newlines: \r\n and \r become \n
        url = url.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    # cnt: the cell split on single spaces, so "" (no link) and "a  b" give "" items
    several = url.str.contains(" " if compat == "cnt" else r"\s", regex=compat != "cnt").to_numpy(dtype=bool)
    one = ~several if compat == "cnt" else ~several & (url != "").to_numpy(dtype=bool)
    split = url[several].str.split(" ") if compat == "cnt" else url[several].str.split()
    many_rows, many = _explode(rows[several], split)
    r = np.concatenate([rows[one], many_rows])
    items = pd.concat([url[one].reset_index(drop=True), many.astype(url.dtype)], ignore_index=True)
    return r, items


def _strings(s: pd.Series) -> pd.Series:
    """Text values with missing ones as ""."""
    return s.astype(object).where(s.notna(), "").astype(str).reset_index(drop=True)


def _share(posts: pd.DataFrame, compat) -> tuple[np.ndarray, pd.Series]:
    """The post that each repost shares."""
    if "shared_post_id" not in posts:
        return np.zeros(0, dtype=np.int64), pd.Series([], dtype=object)
    rows = np.flatnonzero(posts["shared_post_id"].notna().to_numpy())
    return rows, posts["shared_post_id"].iloc[rows].astype(str).reset_index(drop=True)


def _text(posts: pd.DataFrame, compat) -> tuple[np.ndarray, pd.Series]:
    """Normalised text of original posts; empty texts only in CNT mode (they all match)."""
    rows = _originals(posts)
    if "text" not in posts:
        return (rows, pd.Series([""] * len(rows), dtype=object)) if compat == "cnt" else \
            (rows[:0], pd.Series([], dtype=object))
    text = normalise_text(posts["text"].iloc[rows]).reset_index(drop=True)
    if compat == "cnt":
        return rows, text
    keep = (text != "").to_numpy()
    return rows[keep], text[keep].reset_index(drop=True)


def _hashtag(posts: pd.DataFrame, compat) -> tuple[np.ndarray, pd.Series]:
    """Hashtags (lower case) of every post with text, reposts' comments included."""
    if "text" not in posts:
        return np.zeros(0, dtype=np.int64), pd.Series([], dtype=object)
    tags = posts["text"].fillna("").astype(str).str.lower().str.findall(_HASHTAG)
    return _explode(np.arange(len(posts)), tags)


def _similar_text(posts: pd.DataFrame, compat) -> tuple[np.ndarray, pd.Series]:
    """Original posts whose texts are near-duplicates share one object (see :mod:`.neardup`),
    labelled "~" and the group's first text."""
    from .neardup import near_duplicate_groups

    rows, text = _text(posts, None)
    group = near_duplicate_groups(text)
    first = pd.Series(text.to_numpy(dtype=object)).groupby(group, sort=True).first()
    return rows, pd.Series("~" + first.reindex(group).to_numpy(dtype=object), dtype=object)


#: kind -> function(posts, compat) returning (rows, object labels)
KINDS = {"link": _link, "share": _share, "text": _text, "hashtag": _hashtag, "similar_text": _similar_text}


def actions(posts: pd.DataFrame, kind: str, *, compat=None, time_column: str = "created_at") -> Actions:
    """Extract the actions of one kind from a posts table.

    Parameters
    ----------
    posts : DataFrame
        Posts with the contract's columns (``post_id, account_id, created_at`` and any of
        ``text, url, shared_post_id``); ``created_at`` as datetime64 (UTC).
    kind : {"link", "share", "text", "hashtag", "similar_text"}
        Same URL; reposts of the same post; identical text after :func:`normalise_text`;
        same hashtag; near-duplicate text.
    compat : {None, "cnt"}
        ``"cnt"`` reproduces coordination-network-toolkit 1.5.2: an empty URL cell is the URL
        ``""`` that every link-less post shares, and empty texts all match each other.
        By default posts without a link or text have no such action.

    Returns
    -------
    Actions
        One row per distinct (post, object).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown co-action kind {kind!r}; expected one of {', '.join(KINDS)}")
    if compat not in COMPAT_MODES:
        raise ValueError(f"unknown compat mode {compat!r}; expected None or 'cnt'")
    rows, labels = KINDS[kind](posts, compat)
    rows = np.asarray(rows, dtype=np.int64)
    obj, objects = pd.factorize(pd.Series(labels.to_numpy(dtype=object), dtype=object))
    if len(rows):   # one action per (post, object): a link listed twice counts once
        key = rows * (len(objects) + 1) + obj
        _, first = np.unique(key, return_index=True)
        first.sort()
        rows, obj = rows[first], obj[first]
    acc, accounts = pd.factorize(posts["account_id"].astype(str), sort=True)   # codes in id order
    t = posts[time_column].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    return Actions(post=rows, account=acc[rows].astype(np.int64), time=t[rows], obj=obj.astype(np.int64),
                   accounts=np.asarray(accounts, dtype=object), objects=np.asarray(objects, dtype=object),
                   post_ids=posts["post_id"])

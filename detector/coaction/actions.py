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

__all__ = ["Actions", "KINDS", "COLUMN_KINDS", "SPLITS", "actions", "parse_kind", "kind_slug", "split_cells", "post_rows", "encode_accounts", "normalise_text", "arrow_strings"]

# CNT strips mentions with the third-party `regex` module, whose \s excludes U+001C-U+001F
# (Python's `re` includes them): the class below is `regex`'s \s written for `re`.
_MENTION = re.compile(r"@.*?(?=(?:[^\S\x1c-\x1f]|$))")
_HASHTAG = re.compile(r"#\w+")
COMPAT_MODES = (None, "cnt")   # CooRTweet's edges come from detector.coaction.compat.coortweet_network


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
        Labels of the codes, sorted: codes do not depend on the order of the posts.
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
    return pd.Series(_normalised(arrow_strings(text)).to_numpy(zero_copy_only=False).astype(object),
                     index=text.index, dtype=object)


def _normalised(arr):
    """:func:`normalise_text` on a pyarrow string array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # printable ASCII words with single spaces and no "@": lower-casing is all there is to do
    plain = pc.and_(pc.match_substring_regex(arr, _PLAIN), pc.invert(pc.match_substring(arr, "@")))
    out = pc.ascii_lower(arr).to_numpy(zero_copy_only=False).astype(object)
    rest = np.flatnonzero(~plain.to_numpy(zero_copy_only=False))
    out[rest] = [" ".join(_MENTION.sub("", x.lower()).split()) for x in arr.take(pa.array(rest)).to_pylist()]
    return pa.array(out, type=pa.large_string())


_PLAIN = r"^[!-~]+( [!-~]+)*$|^$"


def arrow_strings(s: pd.Series):
    """A column as a pyarrow string array, missing values as "" (no copy for arrow-backed text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(s.array)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
            raise TypeError(arr.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        values = s.astype(object).where(s.notna(), None).to_numpy(dtype=object)
        arr = pa.array([None if v is None else str(v) for v in values], type=pa.large_string())
    return pc.fill_null(arr, "")


def _originals(posts: pd.DataFrame) -> np.ndarray:
    """Rows that are not reposts: their own text and links count."""
    return np.flatnonzero(posts["shared_post_id"].isna().to_numpy()) if "shared_post_id" in posts \
        else np.arange(len(posts))


def _flatten(rows: np.ndarray, lists, *, drop_empty: bool):
    """(row, item) for every item of a pyarrow list array aligned with ``rows``."""
    import pyarrow.compute as pc

    parent = pc.list_parent_indices(lists).to_numpy()
    items = pc.list_flatten(lists)
    if drop_empty:
        keep = pc.not_equal(items, "")
        parent, items = parent[keep.to_numpy(zero_copy_only=False)], items.filter(keep)
    return rows[parent], items


def _empty():
    import pyarrow as pa
    return np.zeros(0, dtype=np.int64), pa.array([], type=pa.large_string())


def _link(posts: pd.DataFrame, compat):
    """URLs of original posts (a repost's links belong to the reposted post)."""
    import pyarrow.compute as pc

    if "url" not in posts:
        return _empty()
    rows = _originals(posts)
    url = arrow_strings(posts["url"].iloc[rows])
    if compat == "cnt":
        # CNT reads its CSV with universal newlines (\r\n and \r become \n) and splits the cell on
        # single spaces, so "" (no link) and "a  b" give "" items
        url = pc.replace_substring(pc.replace_substring(url, "\r\n", "\n"), "\r", "\n")
        return _flatten(rows, pc.split_pattern(url, " "), drop_empty=False)
    return _flatten(rows, pc.utf8_split_whitespace(url), drop_empty=True)


def _share(posts: pd.DataFrame, compat):
    """The post that each repost shares."""
    if "shared_post_id" not in posts:
        return _empty()
    rows = np.flatnonzero(posts["shared_post_id"].notna().to_numpy())
    return rows, arrow_strings(posts["shared_post_id"].iloc[rows])


def _text(posts: pd.DataFrame, compat):
    """Normalised text of original posts; empty texts only in CNT mode (they all match)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = _originals(posts)
    if "text" not in posts:
        return (rows, pa.array([""] * len(rows), type=pa.large_string())) if compat == "cnt" else _empty()
    text = _normalised(arrow_strings(posts["text"].iloc[rows]))
    if compat == "cnt":
        return rows, text
    keep = pc.not_equal(text, "")
    return rows[keep.to_numpy(zero_copy_only=False)], text.filter(keep)


def _hashtag(posts: pd.DataFrame, compat):
    """Hashtags (lower case) of every post with text, reposts' comments included."""
    import pyarrow.compute as pc

    if "text" not in posts:
        return _empty()
    text = pc.utf8_lower(arrow_strings(posts["text"]))
    return _flatten(np.arange(len(posts)), _findall(text), drop_empty=True)


def _findall(text):
    """Hashtags of every text, as a pyarrow list array."""
    import pyarrow as pa

    import pyarrow.compute as pc

    has = np.flatnonzero(pc.match_substring(text, "#").to_numpy(zero_copy_only=False))
    lists = [[] for _ in range(len(text))]
    for k, t in zip(has.tolist(), text.take(pa.array(has)).to_pylist()):
        lists[k] = _HASHTAG.findall(t)
    return pa.array(lists, type=pa.list_(pa.large_string()))


def _similar_text(posts: pd.DataFrame, compat):
    """Original posts whose texts are near-duplicates share one object (see :mod:`.neardup`),
    labelled "~" and the group's most posted text (the first in sort order on a tie: not the
    first in the table, whose rows may come in any order)."""
    import pyarrow as pa

    from .neardup import near_duplicate_groups

    rows, text = _text(posts, None)
    text = pd.Series(text.to_numpy(zero_copy_only=False), dtype=object)
    group = near_duplicate_groups(text)
    n = pd.DataFrame({"group": group, "text": text}).value_counts(sort=False).rename("n").reset_index()
    n = n.sort_values(["group", "n", "text"], ascending=[True, False, True], kind="stable")
    label = n.drop_duplicates("group").set_index("group")["text"]
    return rows, pa.array("~" + label.reindex(group).to_numpy(dtype=object), type=pa.large_string())


#: kind -> function(posts, compat) returning (rows, object labels as a pyarrow string array)
KINDS = {"link": _link, "share": _share, "text": _text, "hashtag": _hashtag, "similar_text": _similar_text}

#: Kinds read from a column the user names: ``"column:NAME"`` (the cell's value, or values, are
#: the shared objects: an image hash, a domain, a video or audio id) and ``"hashtag:NAME"``
#: (hashtags kept in a column of their own rather than in the text).
COLUMN_KINDS = ("column", "hashtag")

#: How a cell holding several objects is split: ``"none"`` (the whole cell is one object),
#: ``"space"`` (runs of whitespace), ``"comma"``, ``"json"`` (a JSON list such as ``["a", "b"]``),
#: or ``"auto"``: a JSON list when the cell is one, else commas and whitespace.
SPLITS = ("none", "space", "comma", "json", "auto")


def parse_kind(kind: str) -> tuple[str, str | None]:
    """``(base, column)`` of a kind: ``("link", None)``, ``("column", "phash")``, ``("hashtag", "tags")``.

    Examples
    --------
    >>> parse_kind("column:phash"), parse_kind("hashtag"), parse_kind("hashtag:tags")
    (('column', 'phash'), ('hashtag', None), ('hashtag', 'tags'))
    """
    if not isinstance(kind, str):
        raise ValueError(f"a co-action kind is a string, not {type(kind).__name__}")
    base, sep, column = kind.partition(":")
    if sep and base in COLUMN_KINDS and column:
        return base, column
    if not sep and base in KINDS:
        return base, None
    raise ValueError(f"unknown co-action kind {kind!r}; expected one of {', '.join(KINDS)}, "
                     "'column:NAME' (any column of the posts as the shared object) or 'hashtag:NAME' "
                     "(hashtags from a column)")


def kind_slug(kind: str) -> str:
    """A kind as a file-name part: ``"column:phash"`` -> ``"column-phash"``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", kind.replace(":", "-")).strip("-") or "kind"


def split_cells(values, how: str):
    """The objects of every cell of a pyarrow string array, as a pyarrow list array (empty
    items, as an empty cell gives, are for the caller to drop).

    Examples
    --------
    >>> import pyarrow as pa
    >>> split_cells(pa.array(['["a", "b c"]', "d, e f"]), "auto").to_pylist()
    [['a', 'b c'], ['d', 'e', 'f']]
    >>> split_cells(pa.array([" x1 ", "y,z"]), "none").to_pylist()
    [['x1'], ['y,z']]
    """
    import json

    import pyarrow as pa
    import pyarrow.compute as pc

    if how not in SPLITS:
        raise ValueError(f"unknown split {how!r}; expected one of {', '.join(SPLITS)}")
    values = pc.utf8_trim_whitespace(values)
    if how == "none":
        return _singletons(values)
    if how == "space":
        return pc.utf8_split_whitespace(values)
    if how == "comma":
        return pc.split_pattern(values, ",")
    loose = pc.utf8_split_whitespace(pc.replace_substring(values, ",", " "))   # commas and whitespace
    bracketed = pc.and_(pc.starts_with(values, "["), pc.ends_with(values, "]")).to_numpy(zero_copy_only=False)
    parse = np.arange(len(values)) if how == "json" else np.flatnonzero(bracketed)
    if how == "auto" and len(parse) == 0:
        return loose
    lists = [[] for _ in range(len(values))] if how == "json" else loose.to_pylist()
    for k, text in zip(parse.tolist(), values.take(pa.array(parse, type=pa.int64())).to_pylist()):
        try:
            lists[k] = _json_list(text, json)
        except ValueError as exc:
            raise CellError(k, str(exc)) from None
    return pa.array(lists, type=pa.list_(pa.large_string()))


class CellError(ValueError):
    """A cell that cannot be split as asked; ``index`` is its position in the array."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


def _singletons(values):
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = pa.array(np.arange(len(values) + 1, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, pc.cast(values, pa.string()))


def _json_list(text, json) -> list:
    """The items of a JSON list cell (a Python list's repr with single quotes too), as text."""
    if not text:
        return []
    for candidate in (text, text.replace("'", '"')):
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, list):
            return [str(v) for v in value if v is not None]
    raise ValueError(f"cannot read {text[:80]!r} as a JSON list")


def _column(posts: pd.DataFrame, column: str, how: str, *, hashtags: bool):
    """Objects of a named column, every row (reposts included: the column is the user's choice)."""
    import pyarrow.compute as pc

    values = arrow_strings(posts[column])
    if hashtags:
        values = pc.utf8_lower(values)
    try:
        items_of = split_cells(values, how)
    except CellError as exc:
        from ..errors import InputError
        raise InputError(posts.attrs.get("source", "posts"), f"{exc}; split {how!r} expects a JSON list such as "
                         '["a", "b"] (--split comma or space for plain lists)', row=exc.index + 1,
                         column=column) from None
    rows, items = _flatten(np.arange(len(posts)), items_of, drop_empty=False)
    items = pc.utf8_trim_whitespace(items)
    if hashtags:
        items = pc.utf8_ltrim(items, "#")
    keep = pc.not_equal(items, "")
    return rows[keep.to_numpy(zero_copy_only=False)], items.filter(keep)


def encode_accounts(posts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Account code of every post and the account id of every code (codes in id order)."""
    return _sorted_codes(arrow_strings(posts["account_id"]))


def _sorted_codes(labels) -> tuple[np.ndarray, np.ndarray]:
    """Code of every label (a pyarrow string array) and the label of every code, codes numbered
    in the sort order of the labels: the same codes whatever the order of the rows (the null
    models draw per code and ties in time are broken by code)."""
    from ..codes import ranked_codes

    codes, uniques = ranked_codes(labels)
    return codes, uniques.to_numpy(zero_copy_only=False).astype(object)


def post_rows(posts: pd.DataFrame) -> np.ndarray:
    """Row of every row's post: itself, or the first row of its ``post_id`` in a long-format
    table (one row per shared object), so that a post is one post however many rows it takes."""
    ids = posts["post_id"]
    if ids.is_unique:
        return np.arange(len(posts), dtype=np.int64)
    codes = pd.factorize(ids)[0]
    first = np.full(codes.max() + 1, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    return first[codes]


def actions(posts: pd.DataFrame, kind: str, *, compat=None, split: str | None = None,
            time_column: str = "created_at", accounts: tuple | None = None) -> Actions:
    """Extract the actions of one kind from a posts table.

    Parameters
    ----------
    posts : DataFrame
        Posts with the contract's columns (``post_id, account_id, created_at`` and any of
        ``text, url, shared_post_id``); ``created_at`` as datetime64 (UTC).
    kind : {"link", "share", "text", "hashtag", "similar_text"} or "column:NAME" or "hashtag:NAME"
        Same URL; reposts of the same post; identical text after :func:`normalise_text`;
        same hashtag; near-duplicate text; the same value of column ``NAME`` (an image hash,
        a domain, a video id: every row with a value, reposts included); the same hashtag
        in column ``NAME`` (lower case, ``#`` optional).
    split : {"none", "space", "comma", "json", "auto"}, optional
        How a cell of a named column holds several objects (see :data:`SPLITS`); default
        ``"none"`` for ``column:`` kinds and ``"auto"`` for ``hashtag:`` kinds. A long-format
        table (one row per post and object) needs no split.
    compat : {None, "cnt"}
        ``"cnt"`` reproduces coordination-network-toolkit 1.5.2: an empty URL cell is the URL
        ``""`` that every link-less post shares, and empty texts all match each other.
        By default posts without a link or text have no such action.
    accounts : tuple, optional
        :func:`encode_accounts` of ``posts``, to share between kinds.

    Returns
    -------
    Actions
        One row per distinct (post, object).
    """
    base, column = parse_kind(kind)
    if compat not in COMPAT_MODES:
        hint = "; CooRTweet's edges come from detector.coaction.compat.coortweet_network" if compat == "coortweet" else ""
        raise ValueError(f"unknown compat mode {compat!r}; expected None or 'cnt'{hint}")
    if column is None:
        rows, labels = KINDS[base](posts, compat)
    else:
        if column not in posts.columns:
            from ..errors import InputError
            raise InputError(posts.attrs.get("source", "posts"), f"has no column {column!r} for the co-action kind "
                             f"{kind!r}; columns: {', '.join(map(repr, map(str, posts.columns)))}")
        how = split or ("auto" if base == "hashtag" else "none")
        rows, labels = _column(posts, column, how, hashtags=base == "hashtag")
    rows = post_rows(posts)[np.asarray(rows, dtype=np.int64)]
    obj, objects = _sorted_codes(labels)
    if len(rows):   # one action per (post, object): a link listed twice, or in two rows of a post, counts once
        key = rows * (len(objects) + 1) + obj
        dup = np.zeros(len(key), dtype=bool)
        o = np.argsort(key, kind="stable")
        dup[o[1:]] = key[o][1:] == key[o][:-1]
        rows, obj = rows[~dup], obj[~dup]
    acc, names = accounts if accounts is not None else encode_accounts(posts)
    t = posts[time_column].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    return Actions(post=rows, account=acc[rows], time=t[rows], obj=obj,
                   accounts=names, objects=np.asarray(objects, dtype=object),
                   post_ids=posts["post_id"])

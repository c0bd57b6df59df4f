"""Column specifications of the input tables (see ``CONTRACT.md``).

Each table is described by a :class:`TableSpec`: which contract columns it has, which of them
are required, and what *kind* of values each holds. The kind decides how
:mod:`detector.loading` converts a column:

============ ==============================================================
kind         result
============ ==============================================================
``id``       strings, kept verbatim (``007`` stays ``007``); a required id
             column may not have empty values
``time``     ``datetime64[ns, UTC]``, parsed by :mod:`detector.timestamps`
``bool``     pandas nullable ``boolean`` (true/false/1/0/yes/no or empty)
``category`` ``category`` of strings: low-cardinality text such as event ids,
             user agents, referrers, postal codes, platforms
``string``   pandas strings
============ ==============================================================

:func:`split_mapping` and :func:`rename_columns` apply the user's column mapping;
:func:`coerce` converts a table's columns to their kinds in place and checks required values
and unique keys. The loader (:mod:`detector.loading`) reads files and calls these.

Examples
--------
>>> REGISTRATIONS.required
('registration_id', 'created_at')
>>> REGISTRATIONS.kind("user_agent")
'category'
>>> "post_id" in POSTS.columns
True
"""
from __future__ import annotations

from dataclasses import dataclass, field

import difflib
from collections.abc import Mapping

import numpy as np
import pandas as pd

from detector.errors import InputError
from detector.timestamps import parse_timestamps

__all__ = ["TableSpec", "REGISTRATIONS", "POSTS", "FOLLOWS", "TABLES", "KINDS", "DEFAULT_EVENT_ID",
           "split_mapping", "rename_columns", "coerce"]

KINDS = ("id", "time", "bool", "category", "string")

#: The value given to ``event_id`` when the registrations have no such column (one event).
DEFAULT_EVENT_ID = "event"

_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


@dataclass(frozen=True)
class TableSpec:
    """The contract columns of one input table.

    Parameters
    ----------
    name : str
        Table name, as used in mappings and messages (``"registrations"``).
    kinds : dict of str to str
        Contract column -> kind (one of :data:`KINDS`), in contract order.
    required : tuple of str
        Columns the file must have.
    unique : tuple of str
        Columns whose values must be unique (the table's key).
    agree : dict of str to tuple of str
        Key column -> columns that rows sharing a key must agree on. A key may repeat (a post
        that shares several objects, one row per object: the long format of CooRTweet and many
        research exports) as long as its rows agree on these columns.
    """

    name: str
    kinds: dict
    required: tuple = ()
    unique: tuple = ()
    agree: dict = field(default_factory=dict)

    @property
    def columns(self) -> tuple:
        """All contract columns of the table, required first, in contract order."""
        return tuple(self.kinds)

    @property
    def optional(self) -> tuple:
        """Contract columns the file may leave out."""
        return tuple(c for c in self.kinds if c not in self.required)

    def kind(self, column: str) -> str | None:
        """The kind of a contract column, or ``None`` for a pass-through column."""
        return self.kinds.get(column)


REGISTRATIONS = TableSpec(
    name="registrations",
    kinds={
        "registration_id": "id",
        "created_at": "time",
        "event_id": "category",
        "account_id": "id",
        "email": "string",
        "phone": "string",
        "name": "string",
        "postal_code": "category",
        "ip": "string",
        "user_agent": "category",
        "referrer": "category",
        "attended": "bool",
    },
    required=("registration_id", "created_at"),
    unique=("registration_id",),
)

POSTS = TableSpec(
    name="posts",
    kinds={
        "post_id": "id",
        "account_id": "id",
        "created_at": "time",
        "text": "string",
        "url": "string",
        "shared_post_id": "id",
        "platform": "category",
    },
    required=("post_id", "account_id", "created_at"),
    agree={"post_id": ("account_id", "created_at")},   # long format: one row per (post, object)
)

FOLLOWS = TableSpec(
    name="follows",
    kinds={"follower_id": "id", "followee_id": "id"},
    required=("follower_id", "followee_id"),
)

#: Table name -> spec, in the order tables are loaded.
TABLES = {spec.name: spec for spec in (REGISTRATIONS, POSTS, FOLLOWS)}


def split_mapping(mapping) -> dict:
    """Split a user's column mapping by table.

    ``{"created_at": "t"}`` is for the registrations; another table's columns are given as
    ``{"posts.created_at": "t"}`` or ``{"posts": {"created_at": "t"}}``.

    Examples
    --------
    >>> split_mapping({"created_at": "signup_time", "posts.post_id": "id"})
    {'registrations': {'created_at': 'signup_time'}, 'posts': {'post_id': 'id'}}
    """
    tables = {}
    for key, value in (mapping or {}).items():
        if isinstance(value, Mapping):
            table, pairs = str(key), dict(value)
        else:
            table, _, column = str(key).rpartition(".")
            table, pairs = table or "registrations", {column: value}
        if table not in TABLES:
            raise InputError("mapping", f"{table!r} is not a table; the tables are {', '.join(TABLES)}")
        tables.setdefault(table, {}).update(pairs)
    return tables


def rename_columns(df: pd.DataFrame, spec: TableSpec, mapping: dict, source: str):
    """Rename the columns of ``df`` to contract names and check the required ones are there.

    Returns
    -------
    df : pandas.DataFrame
        Renamed. A column already under a contract name that ``mapping`` gives to another
        column is kept as ``<name>_original`` (with a note).
    file_columns : dict
        New name -> name in the file, so errors can name the column the user knows.
    notes : list of str
    """
    notes = []
    found = list(df.columns)
    mapping = {key: str(column) for key, column in mapping.items()}
    for key, column in mapping.items():
        if key not in spec.columns:
            raise InputError("mapping", f"{key!r} is not a {spec.name} column; {spec.name} columns are "
                             f"{', '.join(spec.columns)}")
        if column not in found:
            raise InputError(source, f"has no column {column!r} to use as {key!r}; columns found: {_listing(found)}",
                             column=str(column))
    targets = pd.Series(list(mapping.values()), dtype=object)
    if targets.duplicated().any():
        raise InputError("mapping", f"maps two columns to {targets[targets.duplicated()].iloc[0]!r}")
    renames = {column: key for key, column in mapping.items() if column != key}
    for key in list(renames.values()):
        if key in found and key not in renames:  # a column with the contract name is displaced
            kept = key + "_original"
            while kept in found:
                kept += "_"
            renames[key] = kept
            notes.append(f"{source}: column {key!r} is kept as {kept!r} because {mapping[key]!r} is used as {key!r}")
    df = df.rename(columns=renames)
    for key in spec.required:
        if key not in df.columns:
            raise InputError(source, _missing_message(key, found, spec))
    return df, {renames.get(c, c): c for c in found}, notes


#: Names other tools and exports give a contract column, for the hint of a missing column
#: (CooRTweet, coordination-network-toolkit, Twitter/X, CrowdTangle, ticketing exports).
ALIASES = {
    "post_id": ("content_id", "message_id", "tweet_id", "status_id", "postid", "id"),
    "account_id": ("user_id", "author_id", "account", "user", "username", "screen_name"),
    "created_at": ("timestamp_share", "timestamp", "created", "date", "datetime", "time", "signup_time"),
    "shared_post_id": ("repost_id", "retweet_id", "retweeted_status_id", "shared_id"),
    "text": ("message", "content", "body", "full_text"),
    "url": ("urls", "link", "links", "expanded_url"),
    "registration_id": ("id", "ticket_id", "order_id", "rsvp_id"),
}


def _missing_message(key: str, found: list, spec: TableSpec) -> str:
    message = f"has no {key!r} column, which {spec.name} need; columns found: {_listing(found)}. "
    if spec.name == "posts":
        from .presets import PRESETS, detect_preset

        preset = detect_preset(found)
        if preset:
            return message + f"These are {PRESETS[preset].tool}'s columns: read them as they are with --preset {preset}"
    lower = {str(c).lower(): c for c in found}
    guess = next((lower[a] for a in ALIASES.get(key, ()) if a in lower), None)
    if guess is None:
        close = difflib.get_close_matches(key.lower(), list(lower), n=1, cutoff=0.6)
        guess = lower[close[0]] if close else None
    prefix = "" if spec is REGISTRATIONS else f"{spec.name}."
    return message + f"Name the column that holds it with --map {prefix}{key}={guess or 'YOUR_COLUMN'}"


def _listing(columns: list, limit: int = 20) -> str:
    shown = ", ".join(repr(str(c)) for c in columns[:limit])
    return shown + (f" and {len(columns) - limit} more" if len(columns) > limit else "") if columns else "(none)"


def coerce(df: pd.DataFrame, spec: TableSpec, source: str, *, timezone: str = "UTC",
           file_columns: dict | None = None) -> list:
    """Convert the contract columns of ``df`` to their kinds, in place, and check them.

    Parameters
    ----------
    df : pandas.DataFrame
        The table, columns already under their contract names, with a ``RangeIndex``.
    spec : TableSpec
        Which columns to convert and how.
    source : str
        File name for errors and notes.
    timezone : str, default "UTC"
        IANA zone for timestamps without an offset.
    file_columns : dict, optional
        Contract name -> name in the file, so errors name the column the user knows.

    Returns
    -------
    list of str
        Notes for the user.

    Examples
    --------
    >>> df = pd.DataFrame({"follower_id": ["007", "8"], "followee_id": ["9", "010"]})
    >>> coerce(df, FOLLOWS, "follows.csv")
    []
    >>> df["followee_id"].tolist()
    ['9', '010']
    """
    notes = []
    file_columns = file_columns or {}
    if spec is REGISTRATIONS and "event_id" not in df.columns:
        df["event_id"] = pd.Categorical.from_codes(np.zeros(len(df), dtype=np.int8), [DEFAULT_EVENT_ID])
    for column in [c for c in spec.columns if c in df.columns]:
        kind, in_file = spec.kind(column), file_columns.get(column, column)
        values = df[column]
        if kind == "time":
            df[column], more = parse_timestamps(values, source=source, column=in_file, timezone=timezone)
            notes += more
        elif kind == "bool":
            df[column] = _to_bool(values, source, in_file)
        elif kind == "id":
            df[column] = _to_text(values)
            if column in spec.required:
                _require_values(df[column], source, in_file)
            if column in spec.unique:
                _require_unique(df[column], source, in_file)
        else:
            text = _to_text(values)
            if column == "event_id" and text.isna().any():
                notes.append(f"{source}: {int(text.isna().sum()):,} rows had no event_id; "
                             f"counted them as event {DEFAULT_EVENT_ID!r}")
                text = text.fillna(DEFAULT_EVENT_ID)
            df[column] = _to_category(text) if kind == "category" else text
    for key, columns in spec.agree.items():
        if key in df.columns:
            _require_agreement(df, key, [c for c in columns if c in df.columns], source, file_columns)
    return notes


def _to_text(values: pd.Series) -> pd.Series:
    """Strings, missing values as NaN; whole floats (ids that went through NaN) lose their ``.0``."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    if pd.api.types.is_float_dtype(values.dtype) and values.dropna().mod(1).eq(0).all():
        values = values.astype("Int64")
    if pd.api.types.is_string_dtype(values.dtype) and not pd.api.types.is_object_dtype(values.dtype):
        return values
    return values.astype("str")


def _to_category(text: pd.Series) -> pd.Series:
    if getattr(text.dtype, "storage", None) == "pyarrow":  # arrow's dictionary encoding is faster
        import pyarrow as pa

        encoded = pa.array(text).dictionary_encode().to_pandas()
        return pd.Series(encoded.array if hasattr(encoded, "array") else encoded, index=text.index)
    return text.astype("category")


def _require_values(values: pd.Series, source: str, column: str) -> None:
    empty = (values.isna() | (values.str.strip() == "")).to_numpy(dtype=bool)
    if empty.any():
        raise InputError(source, "is empty; every row needs a value here", row=int(np.argmax(empty)) + 1,
                         column=column)


def _require_unique(values: pd.Series, source: str, column: str) -> None:
    if values.is_unique:
        return
    second = int(np.argmax(values.duplicated().to_numpy()))
    value = values.iloc[second]
    first = int(np.argmax((values == value).to_numpy()))
    raise InputError(source, f"{column} {value!r} appears twice, in rows {first + 1} and {second + 1}; "
                     "ids must be unique", row=second + 1, column=column)


def _require_agreement(df: pd.DataFrame, key: str, columns: list, source: str, file_columns: dict) -> None:
    """Rows that repeat a ``key`` must hold the same ``columns``: otherwise an error naming both rows."""
    keys = df[key]
    repeated = keys.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return
    rows = np.flatnonzero(repeated)
    sub = df.iloc[rows]
    codes = pd.factorize(sub[key])[0]
    lead = np.full(codes.max() + 1, -1, dtype=np.int64)
    lead[codes[::-1]] = np.arange(len(codes))[::-1]     # first row of each key
    for column in columns:
        values = sub[column].reset_index(drop=True)
        ref = values.iloc[lead[codes]].reset_index(drop=True)
        differ = ~((values == ref).fillna(False) | (values.isna() & ref.isna())).to_numpy(dtype=bool)
        if differ.any():
            k = int(np.argmax(differ))
            row, other = int(rows[k]), int(rows[lead[codes[k]]])
            shown = file_columns.get(column, column)
            raise InputError(source, f"{file_columns.get(key, key)} {keys.iloc[row]!r} appears in rows {other + 1} and "
                             f"{row + 1} with different {shown} ({_show(ref.iloc[k])} and "
                             f"{_show(values.iloc[k])}); rows of one post (one per shared object) must agree on "
                             f"{' and '.join(file_columns.get(c, c) for c in columns)}", row=row + 1, column=shown)


def _show(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%dT%H:%M:%S%z") if value.nanosecond == 0 and value.microsecond == 0 \
            else value.isoformat()
    return repr(str(value))


def _to_bool(values: pd.Series, source: str, column: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean")
    text = _to_text(values).str.strip().str.lower()
    is_true, is_false = text.isin(_TRUE).to_numpy(), text.isin(_FALSE).to_numpy()
    empty = (text.isna() | (text == "")).to_numpy(dtype=bool)
    bad = ~(is_true | is_false | empty)
    if bad.any():
        row = int(np.argmax(bad))
        raise InputError(source, f"cannot read {str(values.iloc[row])!r} as true/false; expected true, false, "
                         "1, 0, yes, no or empty", row=row + 1, column=column)
    result = pd.array(is_true, dtype="boolean")
    result[empty] = pd.NA
    return pd.Series(result, index=values.index)

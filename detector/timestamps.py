"""Parse a timestamp column into ``datetime64[ns, UTC]``, fast and with clear errors.

Accepted (see ``CONTRACT.md``):

* ISO 8601 with an offset: ``2020-06-20T19:00:00-05:00``, ``...Z``, ``...+0530``, ``...+05``,
  a space instead of ``T``, fractions of a second; offsets may differ from row to row;
* ISO 8601 without an offset (``2020-06-20 19:00:00``, or a bare date): read in ``timezone``.
  Naive and offset-bearing rows may be mixed. Local times that a daylight-saving change makes
  ambiguous are read as daylight time (the first of the two), and times it skips are shifted
  forward; a note says how many;
* Unix seconds, when the *whole* column is numbers (integers, or decimals for fractions);
* from Parquet or a DataFrame: a real datetime column (tz-aware as is, naive read in
  ``timezone``) or a numeric column of Unix seconds.

An empty value, a value in none of these forms, or a column mixing Unix seconds with ISO text
is an :class:`~detector.errors.InputError` naming the 1-based data row, the column and the value.
The work is vectorised (regular expressions and Arrow's cast, with pandas for the forms Arrow
does not read): a million rows take a few tenths of a second.

Examples
--------
>>> import pandas as pd
>>> s = pd.Series(["2020-06-20T19:00:00-05:00", "2020-06-21T00:30:00Z"])
>>> parsed, notes = parse_timestamps(s, source="regs.csv", column="created_at")
>>> [str(t) for t in parsed]
['2020-06-21 00:00:00+00:00', '2020-06-21 00:30:00+00:00']
>>> parsed.dtype
datetime64[ns, UTC]
"""
from __future__ import annotations

import re

import zoneinfo

import numpy as np
import pandas as pd

from detector.errors import InputError

__all__ = ["parse_timestamps", "check_timezone", "EXPECTED"]

#: What an acceptable timestamp looks like, said in every timestamp error.
EXPECTED = "expected ISO 8601 with an offset, e.g. 2020-06-20T19:00:00-05:00, or Unix seconds"

_DATE = r"\d{4}-\d{2}-\d{2}"
_TIME = r"[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
_WITH_OFFSET = _DATE + _TIME + r" ?(?:Z|[+-]\d{2}(?::?\d{2})?)"
_NAIVE = _DATE + r"(?:" + _TIME + r")?"
_NUMBER = r"[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?"   # 1623881005, 1623881005.25, 1.623881005e+09 (R, spreadsheets)

# Unix seconds that datetime64[ns] can hold (years 1678-2261).
_MAX_SECONDS = 9_200_000_000


def check_timezone(name: str) -> str:
    """Return ``name`` if it is a known IANA time zone, else raise :class:`InputError`.

    Examples
    --------
    >>> check_timezone("America/Chicago")
    'America/Chicago'
    """
    try:
        zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise InputError(
            "timezone",
            f"unknown time zone {str(name)!r}; use an IANA name such as 'UTC', 'Europe/Paris' "
            "or 'America/Chicago'",
        ) from None
    return str(name)


def parse_timestamps(
    values: pd.Series, *, source: str, column: str, timezone: str = "UTC"
) -> tuple[pd.Series, list[str]]:
    """Parse one timestamp column.

    Parameters
    ----------
    values : pandas.Series
        Strings (as read from CSV), datetimes, or numbers (Unix seconds). Positions, not index
        labels, give the row numbers in errors.
    source : str
        File name used in errors and notes.
    column : str
        Column name as it is in the file, used in errors.
    timezone : str, default "UTC"
        IANA zone for timestamps without an offset.

    Returns
    -------
    parsed : pandas.Series
        ``datetime64[ns, UTC]``, same index as ``values``.
    notes : list of str
        Things the user should know (naive timestamps read in ``timezone``), each once.
    """
    timezone = check_timezone(timezone)
    _check_range_before(values, source, column)
    try:
        parsed, notes = _parse(values, source, column, timezone)
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        raise InputError(source, f"holds dates outside the years supported ({_FIRST.year}-{_LAST.year})",
                         column=column) from None
    outside = ((parsed < _FIRST) | (parsed > _LAST)).to_numpy(dtype=bool)
    if outside.any():
        row = int(np.argmax(outside))
        raise InputError(source, f"{_show(values.iloc[row])} is outside the dates supported "
                         f"({_FIRST:%Y-%m-%d} to {_LAST:%Y-%m-%d})", row=row + 1, column=column)
    return parsed, notes


#: The dates detection can work with: pandas' nanosecond range, less a day at each end (a time
#: zone, a bin or the report's axis must not step out of it).
_FIRST = pd.Timestamp("1678-01-01", tz="UTC")
_LAST = pd.Timestamp("2261-12-31", tz="UTC")


def _check_range_before(values: pd.Series, source: str, column: str) -> None:
    """Name the first naive or datetime value too close to the end of the range to be converted."""
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(values.dtype):
        naive = values.dt.tz_localize(None) if isinstance(values.dtype, pd.DatetimeTZDtype) else values
        outside = ((naive < _FIRST.tz_localize(None)) | (naive > _LAST.tz_localize(None))).to_numpy(dtype=bool)
        if outside.any():
            row = int(np.argmax(outside))
            raise InputError(source, f"{_show(values.iloc[row])} is outside the dates supported "
                             f"({_FIRST:%Y-%m-%d} to {_LAST:%Y-%m-%d})", row=row + 1, column=column)


def _parse(values: pd.Series, source: str, column: str, timezone: str) -> tuple[pd.Series, list[str]]:
    index = values.index
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        _require_values(values.isna().to_numpy(), values, source, column)
        return _from_datetimes(values, source, timezone)
    if pd.api.types.is_bool_dtype(dtype):
        raise InputError(source, f"holds true/false values, not timestamps; {EXPECTED}", column=column)
    if pd.api.types.is_numeric_dtype(dtype):
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        _require_values(np.isnan(numbers), values, source, column)
        if pd.api.types.is_integer_dtype(dtype):
            numbers = values.to_numpy(dtype="int64")
        return pd.Series(_from_seconds(numbers, values, source, column), index=index), []

    text = _as_text(values).str.strip()
    _require_values((text.isna() | (text == "")).to_numpy(), values, source, column)
    if re.fullmatch(_NUMBER, str(text.iloc[0])) and text.str.fullmatch(_NUMBER).all():   # Unix seconds
        return pd.Series(_from_seconds(_numbers(text), values, source, column), index=index), []
    has_offset = text.str.fullmatch(_WITH_OFFSET).to_numpy(dtype=bool)
    if has_offset.all():  # the usual case
        parsed = _parse_iso(text, utc=True)
        _check_parsed(parsed, values, source, column)
        return parsed, []
    is_naive = text.str.fullmatch(_NAIVE).to_numpy(dtype=bool)
    is_iso = has_offset | is_naive
    if not is_iso.all():
        is_number = text.str.fullmatch(_NUMBER).to_numpy(dtype=bool)
        if is_number.all():
            numbers = _numbers(text)
            return pd.Series(_from_seconds(numbers, values, source, column), index=index), []
        if is_number.sum() > len(text) / 2:  # mostly Unix seconds: the first other row is wrong
            row = int(np.argmax(~is_number))
            what = "is ISO 8601 text, but most rows of the column are Unix seconds"
            unreadable = not is_iso[row]
        else:  # mostly ISO 8601: the first other row is wrong
            row = int(np.argmax(~is_iso))
            what = "looks like Unix seconds, but most rows of the column are ISO 8601 text"
            unreadable = not is_number[row]
        if unreadable:  # neither form
            _fail(source, column, np.arange(len(text)) == row, values)
        raise InputError(source, f"{_show(values.iloc[row])} {what}; use one format for the whole column",
                         row=row + 1, column=column)
    out = np.empty(len(text), dtype="datetime64[ns]")
    if has_offset.any():
        aware = _parse_iso(text[has_offset], utc=True)
        _check_parsed(aware, values, source, column, positions=np.flatnonzero(has_offset))
        out[has_offset] = aware.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    naive = _parse_iso(text[is_naive], utc=False)
    _check_parsed(naive, values, source, column, positions=np.flatnonzero(is_naive))
    outside = ((naive < _FIRST.tz_localize(None)) | (naive > _LAST.tz_localize(None))).to_numpy(dtype=bool)
    if outside.any():
        row = int(np.flatnonzero(is_naive)[np.argmax(outside)])
        raise InputError(source, f"{_show(values.iloc[row])} is outside the dates supported "
                         f"({_FIRST:%Y-%m-%d} to {_LAST:%Y-%m-%d})", row=row + 1, column=column)
    local, notes = _localize(naive, source, timezone)
    out[is_naive] = local.to_numpy(dtype="datetime64[ns]")
    return pd.Series(out, index=index).dt.tz_localize("UTC"), notes


def _parse_iso(text: pd.Series, *, utc: bool) -> pd.Series:
    """ISO 8601 text -> ``datetime64[ns]`` (UTC if ``utc``), NaT where unreadable or out of range."""
    if utc:  # Arrow's cast is fast and lean, and agrees with pandas wherever it succeeds
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            cast = pc.cast(pa.array(text), pa.timestamp("ns", "UTC"))
            return pd.Series(cast.to_pandas().array, index=text.index).astype("datetime64[ns, UTC]")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            pass  # an odd row: pandas finds it, and reads forms Arrow does not
    parsed = pd.to_datetime(text, format="ISO8601", utc=utc, errors="coerce")
    lo, hi = pd.Timestamp.min.ceil("s"), pd.Timestamp.max.floor("s")
    if utc:
        lo, hi = lo.tz_localize("UTC"), hi.tz_localize("UTC")
    parsed = parsed.where((parsed >= lo) & (parsed <= hi))
    return parsed.astype("datetime64[ns, UTC]" if utc else "datetime64[ns]")


def _as_text(values: pd.Series) -> pd.Series:
    """Strings of ``values`` (objects such as ``datetime`` become their ``str``)."""
    if pd.api.types.is_string_dtype(values.dtype) and not pd.api.types.is_object_dtype(values.dtype):
        return values
    return values.map(lambda v: v if isinstance(v, str) or v is None or v is pd.NA
                      or (isinstance(v, float) and np.isnan(v)) else str(v)).astype("str")


def _from_datetimes(values: pd.Series, source: str, timezone: str) -> tuple[pd.Series, list[str]]:
    try:
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            return values.dt.tz_convert("UTC").astype("datetime64[ns, UTC]"), []
        local, notes = _localize(values, source, timezone)
        return local.astype("datetime64[ns, UTC]"), notes
    except pd.errors.OutOfBoundsDatetime:
        raise InputError(source, "holds dates outside the years 1678-2261") from None


def _localize(naive: pd.Series, source: str, timezone: str) -> tuple[pd.Series, list[str]]:
    """Read naive datetimes in ``timezone``; return them in UTC and the notes to show."""
    n = len(naive)
    if n == 0:
        return naive.dt.tz_localize("UTC"), []
    notes = [f"{source}: {n:,} timestamp{'s' if n != 1 else ''} had no offset; "
             f"read {'them' if n != 1 else 'it'} in {timezone}"]
    if timezone == "UTC":
        return naive.dt.tz_localize("UTC"), notes
    strict = naive.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    n_shifted = int(strict.isna().sum() - naive.isna().sum())
    if not n_shifted:
        return strict.dt.tz_convert("UTC"), notes
    local = naive.dt.tz_localize(timezone, ambiguous=np.ones(n, dtype=bool), nonexistent="shift_forward")
    notes.append(
        f"{source}: {n_shifted:,} timestamp(s) fell in a daylight-saving change in {timezone}; read "
        "repeated times as daylight time and moved skipped times forward to the first valid time"
    )
    return local.dt.tz_convert("UTC"), notes


def _numbers(text: pd.Series) -> np.ndarray:
    """Numeric text as numbers: pyarrow's cast (about 50x faster than ``pd.to_numeric`` on a
    million Unix seconds), or pandas when pyarrow does not take the form."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(text.array)
        has_dot = pc.any(pc.match_substring_regex(arr, "[.eE]")).as_py()
        return pc.cast(arr, pa.float64() if has_dot else pa.int64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, TypeError, ValueError):
        return pd.to_numeric(text).to_numpy()


def _from_seconds(numbers: np.ndarray, values: pd.Series, source: str, column: str) -> np.ndarray:
    """Unix seconds (int or float array) -> ``datetime64[ns, UTC]`` values."""
    out_of_range = np.abs(numbers) > _MAX_SECONDS
    if out_of_range.any():
        row = int(np.argmax(out_of_range))
        hint = " (milliseconds? Unix seconds are expected)" if abs(numbers[row]) < _MAX_SECONDS * 1000 else ""
        raise InputError(
            source, f"{_show(values.iloc[row])} is out of range as Unix seconds{hint}", row=row + 1, column=column
        )
    if numbers.dtype.kind in "iu":
        nanos = numbers.astype("int64") * 1_000_000_000
    else:  # whole seconds and fraction apart, so float64 keeps sub-microsecond precision
        whole = np.floor(numbers)
        nanos = whole.astype("int64") * 1_000_000_000 + np.round((numbers - whole) * 1e9).astype("int64")
    return pd.DatetimeIndex(nanos.view("datetime64[ns]")).tz_localize("UTC")


def _require_values(missing: np.ndarray, values: pd.Series, source: str, column: str) -> None:
    if missing.any():
        row = int(np.argmax(missing))
        raise InputError(source, f"is empty; every row needs a timestamp, {EXPECTED}", row=row + 1, column=column)


def _check_parsed(parsed: pd.Series, values: pd.Series, source: str, column: str, positions=None) -> None:
    """Raise for the first value the regex let through but the parser could not read."""
    bad = parsed.isna().to_numpy()
    if bad.any():
        if positions is not None:
            mask = np.zeros(len(values), dtype=bool)
            mask[positions[bad]] = True
            bad = mask
        _fail(source, column, bad, values)


def _fail(source: str, column: str, bad: np.ndarray, values: pd.Series):
    row = int(np.argmax(bad))
    raise InputError(
        source, f"cannot read {_show(values.iloc[row])} as a timestamp; {EXPECTED}", row=row + 1, column=column
    )


def _show(value, limit: int = 60) -> str:
    text = repr(str(value))
    return text if len(text) <= limit else text[: limit - 4] + "...'"

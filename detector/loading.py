"""Load the input tables of ``CONTRACT.md`` into checked, typed DataFrames.

Files are CSV (``.csv``, ``.csv.gz``; UTF-8, one header row) or Parquet (``.parquet``, ``.pq``);
a DataFrame can be passed instead of a path. CSV is read with every column as text, so ids
such as ``007`` keep their zeros, and then converted column by column (see
:mod:`detector.schema` for the kinds and :mod:`detector.timestamps` for timestamps).

Decisions a caller should know:

* **Optional contract columns that are absent are not created**: check with
  ``"email" in data.registrations.columns``. The one exception is ``event_id``: absent, it is
  created with the single value ``"event"``; empty cells in it get ``"event"`` too, with a note.
* Columns outside the contract are kept unchanged (text, when read from CSV).
* The result has a fresh ``RangeIndex``: row ``i`` is data row ``i + 1`` of the file (header
  not counted; blank lines skipped), the numbering errors use.
* ``created_at`` is ``datetime64[ns, UTC]``; ``attended`` is nullable ``boolean``; ``event_id``,
  ``postal_code``, ``user_agent``, ``referrer`` and ``platform`` are ``category``; other contract
  columns are strings. Ids are kept verbatim (not stripped), so outputs match the input.
* ``mapping`` renames columns: ``{"created_at": "signup_time"}`` for the registrations,
  ``{"posts.created_at": "time"}`` for another table, or per table
  ``{"registrations": {...}, "posts": {...}, "follows": {...}}``. If the file also has a column
  under the contract name, that column is kept as ``<name>_original`` and a note says so.

Every mistake in the input raises one :class:`~detector.errors.InputError` naming the file,
and the row and column where there is one.
"""
from __future__ import annotations

import csv
import gzip
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from detector import schema
from detector.errors import InputError
from detector.timestamps import check_timezone

__all__ = ["load", "read_registrations", "read_posts", "read_follows", "Dataset"]

_CSV_SUFFIXES = (".csv", ".csv.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(repr=False)
class Dataset:
    """The loaded input tables.

    Attributes
    ----------
    registrations : pandas.DataFrame
        One row per registration (always present).
    posts, follows : pandas.DataFrame or None
        The optional tables, ``None`` when not given.
    notes : list of str
        Things the user should be told once, e.g. that naive timestamps were read in UTC.
    sources : dict of str to str
        Table name -> the file it came from (or ``"<registrations DataFrame>"``).
    """

    registrations: pd.DataFrame
    posts: pd.DataFrame | None = None
    follows: pd.DataFrame | None = None
    notes: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)

    def _tables(self):
        return [(n, getattr(self, n)) for n in schema.TABLES if getattr(self, n) is not None]

    def __repr__(self) -> str:
        parts = [f"{n}={len(df):,} rows from {self.sources.get(n)!r}" for n, df in self._tables()]
        return f"Dataset({', '.join(parts)}, notes={len(self.notes)})"

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(
            f"<tr><td>{n}</td><td>{len(df):,}</td><td>{escape(str(self.sources.get(n)))}</td></tr>"
            for n, df in self._tables()
        )
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes)
        return (f"<table><tr><th>table</th><th>rows</th><th>source</th></tr>{rows}</table>"
                + (f"<ul>{notes}</ul>" if notes else ""))


def load(registrations, posts=None, follows=None, *, mapping=None, timezone="UTC", preset: str | None = None) -> Dataset:
    """Read and check the input tables.

    Parameters
    ----------
    registrations : str, path or pandas.DataFrame
        The registrations table (required).
    posts, follows : str, path or pandas.DataFrame, optional
        The optional posts and follows tables.
    mapping : dict, optional
        Contract column -> column name in the file: ``{"created_at": "signup_time"}`` for the
        registrations, ``{"posts.created_at": "time"}`` for another table, or per table
        ``{"registrations": {...}, "posts": {...}}``.
    timezone : str, default "UTC"
        IANA zone in which timestamps without an offset are read.
    preset : {"coortweet", "cnt"}, optional
        Read the posts in another tool's column layout as they are (:mod:`detector.presets`);
        ``mapping``'s posts pairs override it.

    Returns
    -------
    Dataset

    Raises
    ------
    InputError
        For any problem with the input, naming the file, row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> regs = pd.DataFrame({"registration_id": ["007", "008"],
    ...                      "created_at": ["2020-06-20T19:00:00-05:00", "2020-06-20 19:05:00"]})
    >>> data = load(regs, timezone="America/Chicago")
    >>> data.registrations["created_at"].tolist()
    [Timestamp('2020-06-21 00:00:00+0000', tz='UTC'), Timestamp('2020-06-21 00:05:00+0000', tz='UTC')]
    >>> data.notes
    ['<registrations DataFrame>: 1 timestamp had no offset; read it in America/Chicago']
    >>> data.registrations["event_id"].tolist()
    ['event', 'event']
    """
    timezone = check_timezone(timezone)
    mappings = schema.split_mapping(mapping)
    data = Dataset(registrations=None)
    for name, source in (("registrations", registrations), ("posts", posts), ("follows", follows)):
        if source is None and name != "registrations":
            continue
        df = _read_table(schema.TABLES[name], source, mappings.get(name), timezone,
                         preset=preset if name == "posts" else None)
        data.sources[name] = df.attrs["source"]
        data.notes.extend(df.attrs["notes"])
        df.attrs = {}
        setattr(data, name, df)
    return data


def read_registrations(source, *, mapping=None, timezone="UTC") -> pd.DataFrame:
    """Read the registrations table; see :func:`load`. Notes are in ``df.attrs["notes"]``."""
    return _read_table(schema.REGISTRATIONS, source, mapping, check_timezone(timezone))


def read_posts(source, *, mapping=None, timezone="UTC", preset: str | None = None) -> pd.DataFrame:
    """Read the posts table; see :func:`load`. Notes are in ``df.attrs["notes"]``.

    ``preset`` reads another tool's layout as it is (``"coortweet"``, ``"cnt"``: see
    :mod:`detector.presets`); ``mapping`` pairs override the preset's.
    """
    return _read_table(schema.POSTS, source, mapping, check_timezone(timezone), preset=preset)


def one_row_per_post(posts: pd.DataFrame | None) -> pd.DataFrame | None:
    """The posts table with one row per ``post_id``: the first row of a post given in long format
    (one row per shared object; see :data:`detector.schema.POSTS`), the table itself otherwise.

    Examples
    --------
    >>> posts = pd.DataFrame({"post_id": ["1", "1", "2"], "account_id": ["a", "a", "b"], "url": ["x", "y", "x"]})
    >>> one_row_per_post(posts)["post_id"].tolist()
    ['1', '2']
    """
    if posts is None or posts["post_id"].is_unique:
        return posts
    return posts[~posts["post_id"].duplicated().to_numpy()].reset_index(drop=True)


def read_follows(source, *, mapping=None) -> pd.DataFrame:
    """Read the follows table; see :func:`load`."""
    return _read_table(schema.FOLLOWS, source, mapping, "UTC")


# --- reading ---------------------------------------------------------------------------------

def _read_table(spec: schema.TableSpec, source, mapping, timezone: str, preset: str | None = None) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        name = f"<{spec.name} DataFrame>"
        df = _fresh_index(source)  # copy-on-write: the caller's frame is not changed
    elif isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        df = _read_file(Path(source), name)
    else:
        raise TypeError(f"{spec.name} must be a path or a DataFrame, not {type(source).__name__}")
    if df.columns.duplicated().any():
        dup = df.columns[df.columns.duplicated()][0]
        raise InputError(name, f"has two columns named {dup!r}; column names must be unique", column=dup)
    if len(df) == 0:
        raise InputError(name, "has a header but no rows")
    if preset is not None:
        from .presets import preset_mapping
        mapping = {**preset_mapping(preset, df.columns, name), **(mapping or {})}
    df, file_columns, notes = schema.rename_columns(df, spec, mapping or {}, name)
    notes += schema.coerce(df, spec, name, timezone=timezone, file_columns=file_columns)
    df.attrs = {"source": name, "notes": notes}
    return df


def _read_file(path: Path, name: str) -> pd.DataFrame:
    if not path.exists():
        raise InputError(name, "file not found")
    if path.is_dir():
        raise InputError(name, "is a folder, not a file")
    suffix = "".join(path.suffixes[-2:]).lower() if path.name.lower().endswith(".gz") else path.suffix.lower()
    if suffix not in _CSV_SUFFIXES + _PARQUET_SUFFIXES:
        raise InputError(name, f"unknown file type {suffix or '(none)'!r}; expected .csv, .csv.gz, .parquet or .pq")
    if path.stat().st_size == 0:
        raise InputError(name, "is empty (0 bytes); expected a header row and data rows")
    try:
        if suffix in _PARQUET_SUFFIXES:
            return _read_parquet(path, name)
        return _read_csv(path, name)
    except PermissionError:
        raise InputError(name, "cannot be opened: permission denied") from None


def _read_parquet(path: Path, name: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        df = pq.read_table(path).to_pandas()
    except (pa.ArrowException, OSError) as e:
        raise InputError(name, f"cannot be read as Parquet: {e}") from None
    return _fresh_index(df)


def _fresh_index(df: pd.DataFrame) -> pd.DataFrame:
    """A ``RangeIndex`` (positions are row numbers); a named index, such as ids, becomes a column."""
    named = any(n is not None for n in df.index.names)
    df = df.reset_index(drop=not named)
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _read_csv(path: Path, name: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    header = _read_header(path, name)
    invalid = []

    def on_invalid(row):
        invalid.append(row)
        return "error"

    block_size = 1 << 24     # 16 MB: a cell larger than a block cannot be read; grown below when one is

    def read(use_threads: bool):
        return pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(use_threads=use_threads, block_size=block_size),
            parse_options=pcsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pcsv.ConvertOptions(
                column_types={c: pa.large_string() for c in header}, strings_can_be_null=True, null_values=[""]
            ),
        )

    while True:
        try:
            table = read(True)
            break
        except pa.ArrowInvalid as e:
            if "straddling" in str(e) and block_size < (1 << 31) and not invalid:
                block_size *= 8      # a cell larger than a block: read again in larger blocks
                continue
            _raise_csv_error(e, path, name, header, invalid, read)
        except (OSError, EOFError) as e:   # a damaged or truncated compressed file
            raise InputError(name, f"cannot be read: {e}; is the file complete?") from None
    if not _one_line_per_row(path, table.num_rows):
        _check_quotes(table, name, header)
    df = table.to_pandas()
    df.columns = [c.strip() for c in df.columns]
    return df


def _one_line_per_row(path: Path, n_rows: int) -> bool:
    """Whether an uncompressed file holds exactly one line per row and the header, so that no
    cell holds a line break (counting line breaks is much faster than searching every cell)."""
    if path.name.lower().endswith(".gz"):
        return False
    breaks, last = 0, b""
    with open(path, "rb") as raw:
        while block := raw.read(1 << 24):
            breaks += block.count(b"\n")
            last = block[-1:]
    return breaks == n_rows + (1 if last == b"\n" else 0)


def _check_quotes(table, name: str, header: list) -> None:
    """Raise when a quote opened in a cell is never closed, so that the cell swallowed the rows
    after it (a cell running over lines that hold a whole row's worth of commas)."""
    import pyarrow.compute as pc

    for column, values in zip(table.column_names, table.columns):
        if not pc.any(pc.match_substring(values, "\n")).as_py():
            continue
        for row, text in enumerate(values.to_pylist()):
            if text and "\n" in text and any(line.count(",") >= len(header) - 1 for line in text.split("\n")[1:]):
                raise InputError(name, "a quote opened in this cell is never closed, so the cell swallows the "
                                 "rows after it; close the quote (or double it, \"\", inside a quoted value)",
                                 row=row + 1, column=column.strip())


def _raise_csv_error(e, path: Path, name: str, header: list, invalid: list, read) -> None:
    """Raise the InputError that says what is wrong with a CSV file pyarrow could not read."""
    import pyarrow as pa

    if invalid:
        if invalid[0].number is None:  # only a single-threaded read knows the row number
            invalid.clear()
            try:
                read(False)
            except pa.ArrowInvalid:
                pass
        row = invalid[0]
        data_row = row.number - 1 if row.number is not None else None
        hint = "; quote values that contain commas" if row.actual_columns > row.expected_columns else ""
        raise InputError(name, f"has {row.actual_columns} fields, but the header has "
                         f"{row.expected_columns}{hint}", row=data_row) from None
    if "utf8" in str(e).lower().replace("-", ""):
        _raise_not_utf8(path, name, header)
    raise InputError(name, f"cannot be read as CSV: {e}") from None


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _read_header(path: Path, name: str) -> list:
    def lines(raw):  # decode line by line, so that a bad byte further down is not blamed on the header
        for number, line in enumerate(raw):
            yield (line[3:] if number == 0 and line.startswith(b"\xef\xbb\xbf") else line).decode("utf-8")

    try:
        with _open_binary(path) as raw:
            header = next(csv.reader(lines(raw)), None)
    except csv.Error as e:      # e.g. a header cell over the csv module's field limit (128 KB)
        raise InputError(name, f"the header row cannot be read: {e}; expected short column names") from None
    except UnicodeDecodeError:
        raise InputError(name, "the header row is not UTF-8; the file must be saved as UTF-8") from None
    except (OSError, EOFError) as e:
        raise InputError(name, f"cannot be read: {e}") from None
    if not header or all(not c.strip() for c in header):
        raise InputError(name, "is empty; expected a header row and data rows")
    if len(header) == 1:
        for sep, what in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
            if header[0].count(sep) >= 1:
                raise InputError(name, f"looks {what}-separated (its header is one column holding {what}s); "
                                 "the files must be comma-separated CSV: save or export it as CSV with commas")
    return header


def _raise_not_utf8(path: Path, name: str, header: list):
    """Find the first line with a byte that is not UTF-8 and raise an error naming it."""
    with _open_binary(path) as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as e:
                bad = line[e.start:e.start + 1].hex().upper()
                fields = next(csv.reader([line.decode("utf-8", errors="replace")]), [])
                at = next((i for i, v in enumerate(fields) if "\ufffd" in v), None)
                column = header[at].strip() if at is not None and at < len(header) else None
                raise InputError(
                    name, f"byte 0x{bad} on line {number} is not UTF-8; the file must be saved as UTF-8 "
                    "(e.g. 'CSV UTF-8' in Excel)", row=number - 1, column=column) from None
    raise InputError(name, "is not valid UTF-8; the file must be saved as UTF-8")

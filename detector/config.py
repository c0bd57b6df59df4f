"""Read the TOML configuration file of ``detector detect --config FILE.toml``.

A batch job's paths, column mapping, time zone and detection options in one file, checked
strictly: every mistake (an unknown table or key, a value of the wrong type or out of range)
is one :class:`~detector.errors.InputError` naming the file and the key. The ``[detect]`` keys,
their defaults and ranges are those of :func:`detector.detect`, declared once in
:mod:`detector.options`. The format, with every key explained, is in
``fixtures/config/detect.toml``; options given on the command line override the file (see
:mod:`detector.cli`).
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib

from .errors import InputError
from .options import NETWORK_OPTIONS, OPTIONS, check_option, show_value
from .schema import TABLES
from .timestamps import check_timezone

__all__ = ["read_config"]

#: Table -> its keys (the keys of [mapping] are the input tables).
_SECTIONS = {
    "inputs": ("registrations", "posts", "follows", "timezone", "pseudonymize"),
    "mapping": tuple(TABLES),
    "detect": tuple(sorted(OPTIONS)),  # the options of detector.detect(), declared in detector.options
    "output": ("out", "graph", "excel_safe"),
    "compute": ("engine", "scheduler"),   # where detection runs (detector.engines): never changes results
}

#: The sections of ``detector network --config``: the posts, their mapping, the output and the
#: researchers' knobs (the options of detector.coaction.account_clusters, in detector.options).
_NETWORK_SECTIONS = {
    "inputs": ("posts", "timezone", "preset"),
    "mapping": ("posts",),
    "network": tuple(sorted(NETWORK_OPTIONS)),
    "output": ("out", "excel_safe", "formats", "evidence"),
}


def read_config(path, *, command: str = "detect") -> dict:
    """Read and check a ``detector detect`` configuration file.

    Parameters
    ----------
    path : str or path
        The TOML file. Relative paths in it are taken from the file's folder.
    command : {"detect", "network"}, default "detect"
        Whose file: ``detect`` takes ``[inputs] [mapping] [detect] [output] [compute]``;
        ``network`` takes ``[inputs]`` (posts, timezone, preset), ``[mapping.posts]``,
        ``[network]`` (the knobs of :class:`detector.options.NetworkOptions`) and ``[output]``
        (out, excel_safe, formats, evidence).

    Returns
    -------
    dict
        Only what the file sets, under the names ``detector detect`` uses: ``registrations``,
        ``posts``, ``follows`` and ``out`` (absolute paths, as text), ``timezone``, ``mapping``
        (table -> {contract column: column in the file}), ``graph_format``, any of
        :data:`detector.options.OPTIONS`, checked by :func:`detector.options.check_option` (numbers of
        a ``float`` option as ``float``), and ``engine`` and ``scheduler`` (``[compute]``, checked
        by :func:`detector.engines.check_engine`).

    Raises
    ------
    InputError
        For a missing or unreadable file, invalid TOML (with its line and column), an unknown
        table or key (with the closest known one), or a value of the wrong type or range.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     job = Path(tmp) / "job.toml"
    ...     _ = job.write_text('[inputs]\\nregistrations = "regs.csv"\\n[detect]\\nflag_threshold = 1\\n')
    ...     config = read_config(job)
    ...     config["registrations"] == str(Path(tmp, "regs.csv").resolve()), config["flag_threshold"]
    (True, 1.0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = Path(tmp, "job.toml").write_text('[detect]\\nflag_treshold = 0.4\\n')
    ...     read_config(Path(tmp, "job.toml"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    detector.errors.InputError: .../job.toml: [detect] flag_treshold: unknown key; did you mean 'flag_threshold'? ...
    """
    source = os.fspath(path)
    try:
        with open(source, "rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(source, "no such configuration file") from None
    except OSError as exc:
        raise InputError(source, f"cannot read the configuration file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(source, "is not UTF-8 text; save the configuration file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, f"is not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(source, "nests tables or arrays too deeply to be a configuration file") from None
    sections = _SECTIONS if command == "detect" else _NETWORK_SECTIONS
    _check_keys(source, None, doc, sections)
    folder, config = Path(source).resolve().parent, {}
    for section in ("inputs", "output"):
        for key, value in _table(source, doc, section, sections=sections).items():
            where = f"[{section}] {key}"
            if key in ("excel_safe", "pseudonymize", "evidence"):
                if not isinstance(value, bool):
                    _wrong(source, where, value, "true or false")
                config[key] = value
                continue
            if key == "formats":
                if not isinstance(value, list) or any(v not in ("gexf", "graphml") for v in value):
                    _wrong(source, where, value, 'a list of "gexf" and "graphml"')
                config[key] = tuple(value)
                continue
            if key == "preset":
                from .presets import PRESETS
                if value not in PRESETS:
                    _wrong(source, where, value, " or ".join(f'"{p}"' for p in PRESETS))
                config[key] = value
                continue
            if not isinstance(value, str) or not value.strip():
                _wrong(source, where, value, "a non-empty string")
            if key == "timezone":
                try:
                    config[key] = check_timezone(value)
                except InputError as exc:
                    raise InputError(source, f"{where}: {exc.message}") from None
            elif key == "graph":
                if value not in ("gexf", "graphml"):
                    _wrong(source, where, value, '"gexf" or "graphml"')
                config["graph_format"] = value
            else:
                config[key] = str((folder / Path(value).expanduser()).resolve())
    if command == "network":
        for table in _table(source, doc, "mapping", sections=sections):
            for column, yours in _table(source, doc["mapping"], table, "mapping").items():
                if not isinstance(yours, str) or not yours:
                    _wrong(source, f"[mapping.{table}] {column}", yours, "the column's name in your file, as a string")
                config.setdefault("mapping", {}).setdefault(table, {})[column] = yours
        for key, value in _table(source, doc, "network", sections=sections).items():
            if key in ("kinds", "platforms") and isinstance(value, list):
                value = tuple(value)
            config[key] = check_option(key, value, source=source, style="toml", table="network")
        return config
    mapping = _table(source, doc, "mapping")
    for table in mapping:
        for column, yours in _table(source, mapping, table, "mapping").items():
            if not isinstance(yours, str) or not yours:
                _wrong(source, f"[mapping.{table}] {column}", yours, "the column's name in your file, as a string")
            config.setdefault("mapping", {}).setdefault(table, {})[column] = yours
    for key, value in _table(source, doc, "detect").items():
        config[key] = check_option(key, value, source=source, style="toml")
    compute = _table(source, doc, "compute")
    if compute:
        from .engines import check_engine

        for key, value in compute.items():
            check_engine(value if key == "engine" else "dask", value if key == "scheduler" else None,
                         source=source, style="toml")
            config[key] = value.strip()
        if "engine" in compute:   # a scheduler with engine = "local" is a mistake in the file itself
            check_engine(compute["engine"], compute.get("scheduler"), source=source, style="toml")
    return config


def _table(source: str, parent: dict, name: str, within: str | None = None, *, sections: dict = _SECTIONS) -> dict:
    """``parent[name]`` (empty when absent), checked to be a table of known keys."""
    label = f"{within}.{name}" if within else name
    value = parent.get(name, {})
    if not isinstance(value, dict):
        _wrong(source, f"[{within}] {name}" if within else name, value, f"a table ([{label}] and keys under it)")
    _check_keys(source, label, value, TABLES[name].columns if within else sections[name])
    return value


def _check_keys(source: str, section: str | None, table: dict, known):
    """Raise for the first key of ``table`` (the table ``[section]``, or the top) not in ``known``."""
    for key in table:
        if key in known:
            continue
        is_table = isinstance(table[key], dict)
        if section is None:
            what = f"[{key}]: unknown table" if is_table else f"{key}: unknown top-level key"
        else:
            what = f"[{section}] {key}: unknown key"
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        home = next((s for s in ("inputs", "detect", "output", "compute") if key in _SECTIONS[s]), None)
        if close:
            hint = f"did you mean [{close[0]}]? " if section is None else f"did you mean {close[0]!r}? "
        elif section == "mapping" and not is_table:
            hint = "column names go under [mapping.TABLE]; "
        elif home and home != section:
            hint = f"it belongs under [{home}]; "
        else:
            hint = ""
        raise InputError(source, f"{what}; {hint}known: {', '.join(known)}")


def _wrong(source: str, where: str, value, expected: str):
    """Raise for a value of the wrong type or range, shown as it is written in TOML."""
    raise InputError(source, f"{where} = {show_value(value, 'toml')}: expected {expected}")

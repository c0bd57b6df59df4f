"""The options of :func:`detector.detect`: declared once, checked the same way everywhere.

Every option has one declaration, a field of :class:`DetectOptions`: its default, what it
accepts and a one-line help. The three ways to give options take everything from there:

- the API, ``detector.detect(data, **options)``, checks them with :func:`check_options`;
- the ``[detect]`` table of a configuration file (:mod:`detector.config`) checks each key with
  :func:`check_option`;
- the options of ``detector detect`` (:mod:`detector.cli`) take their spelling, help, default and
  range from :data:`OPTIONS` and read what was typed with :func:`parse_option`.

A mistake (an unknown name, a value of the wrong type, out of range, not finite, a bool where a
number is expected) is one :class:`~detector.errors.InputError`, raised before any work starts,
that names where the value came from and says, on one line, what was expected. Upper bounds keep
a typo from turning into a hang or an overflow (a bin of 0 seconds, a billion expansion rounds).

The checks follow scikit-learn's ``_parameter_constraints`` and ``check_scalar``: an option
accepts a value when any of its constraints does. This module imports nothing heavy, so that
``detector --help`` stays fast.

Examples
--------
>>> DEFAULTS["flag_threshold"], DEFAULTS["coaction_window"]
(0.5, 60)
>>> check_options({"flag_threshold": 1, "coaction_window": "auto"}).flag_threshold
1.0
>>> check_options({"expand_rounds": -2})
Traceback (most recent call last):
detector.errors.InputError: detect(): expand_rounds=-2: expected an integer from 0 to 100
"""
from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
import types

from .errors import InputError

__all__ = ["DetectOptions", "NetworkOptions", "Option", "OPTIONS", "DEFAULTS", "NETWORK_OPTIONS", "NETWORK_DEFAULTS", "UnknownOptionError", "check_options",
           "check_option", "parse_option", "expected"]

_DAY = 86_400
_WEEK = 7 * _DAY
_NO = object()  # a constraint's answer for a value it does not accept

#: How a message spells values: as Python code, as TOML, or as typed on the command line.
STYLES = ("python", "toml", "cli")


def _number(n) -> str:
    """``n`` as written in Python and TOML, with ``_`` between thousands when it is long."""
    return f"{n:_}" if isinstance(n, int) and abs(n) >= 10_000 else f"{n:g}" if isinstance(n, float) else str(n)


def show_value(value, style: str = "python") -> str:
    """``value`` as a user would have written it, for a message.

    Examples
    --------
    >>> show_value(True, "toml"), show_value("auto", "toml"), show_value("auto"), show_value(["a", 1], "toml")
    ('true', '"auto"', "'auto'", '["a", 1]')
    """
    if style == "python":
        return repr(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"' if style == "toml" else value
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)) and len(value) <= 10 and all(isinstance(v, (str, int, float)) for v in value):
        shown = [show_value(v, style) for v in value]
        return f"[{', '.join(shown)}]" if style == "toml" else ("(" if isinstance(value, tuple) else "[") + \
            ", ".join(shown) + (",)" if isinstance(value, tuple) and len(value) == 1 else
                                (")" if isinstance(value, tuple) else "]"))
    return {dict: "a table", list: "an array"}.get(type(value), f"a {type(value).__name__}")


def _or(parts) -> str:
    parts = list(parts)
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} or {parts[-1]}"


def _is_bool(value) -> bool:
    """True for Python's and numpy's bools (numpy's bool is no ``numbers.Integral``)."""
    return isinstance(value, bool) or type(value).__name__ in ("bool_", "bool") and hasattr(value, "dtype")


class Integers:
    """Integers from ``low`` to ``high`` (both included; ``high=None``: no upper bound).

    Python and numpy integers are accepted, bools and floats (even ``10.0``) are not.

    Examples
    --------
    >>> Integers(1, _WEEK, note="7 days").describe()
    'an integer from 1 to 604_800 (7 days)'
    >>> Integers(0, 100).convert(3), Integers(0, 100).convert(True) is _NO, Integers(0, 100).convert(3.0) is _NO
    (3, True, True)
    """

    def __init__(self, low: int, high: int | None = None, *, note: str = "", metavar: str = "INTEGER"):
        self.low, self.high, self.note, self.metavar = low, high, note, metavar

    def convert(self, value):
        if not isinstance(value, numbers.Integral) or _is_bool(value):
            return _NO
        value = int(value)
        if value < self.low or (self.high is not None and value > self.high):
            return _NO
        return value

    def describe(self, style: str = "python") -> str:
        if self.high is None:
            text = f"an integer >= {_number(self.low)}"
        else:
            text = f"an integer from {_number(self.low)} to {_number(self.high)}"
        return f"{text} ({self.note})" if self.note else text


class Numbers:
    """Finite real numbers between ``low`` and ``high``; ``closed`` says which ends are included.

    Integers are accepted (and returned as ``float``); bools, NaN and infinities are not.

    Examples
    --------
    >>> Numbers(0, 1, closed="right").describe(), Numbers(0, None).describe()
    ('a number > 0 and <= 1', 'a finite number >= 0')
    >>> Numbers(0, 1).convert(1), Numbers(0, 1).convert(float("nan")) is _NO
    (1.0, True)
    """

    def __init__(self, low: float, high: float | None = None, *, closed: str = "both", note: str = "",
                 what: str = "a number", metavar: str = "NUMBER"):
        if closed not in ("both", "left", "right", "neither"):
            raise ValueError(f"closed must be 'both', 'left', 'right' or 'neither', not {closed!r}")
        self.low, self.high, self.closed, self.note, self.what, self.metavar = low, high, closed, note, what, metavar

    def convert(self, value):
        if not isinstance(value, numbers.Real) or _is_bool(value):
            return _NO
        value = float(value)
        if not math.isfinite(value):
            return _NO
        low_ok = value >= self.low if self.closed in ("both", "left") else value > self.low
        high_ok = self.high is None or (value <= self.high if self.closed in ("both", "right") else value < self.high)
        return value if low_ok and high_ok else _NO

    def describe(self, style: str = "python") -> str:
        low, high = _number(self.low), None if self.high is None else _number(self.high)
        left = ">=" if self.closed in ("both", "left") else ">"
        right = "<=" if self.closed in ("both", "right") else "<"
        if high is None:
            text = f"{self.what.replace('a ', 'a finite ', 1)} {left} {low}"
        elif left == ">=" and right == "<=":
            text = f"{self.what} from {low} to {high}"
        else:
            text = f"{self.what} {left} {low} and {right} {high}"
        return f"{text} ({self.note})" if self.note else text


class Literals:
    """Exactly these values: ``True``/``False`` (Python's or numpy's), strings, or numbers.

    A number matches a numeric literal when it is within a relative 1e-6 of it (so that a
    ``numpy.float32(0.9)`` is 0.9), and is returned as the literal itself.

    Examples
    --------
    >>> Literals(True, False, "auto").describe("toml"), Literals(0.8, 0.9).describe()
    ('true, false or "auto"', 'one of 0.8 or 0.9')
    >>> Literals(True, False, "auto").convert(1) is _NO, Literals(0.8, 0.9).convert(0.9000000001)
    (True, 0.9)
    """

    def __init__(self, *values):
        self.values = values
        self.metavar = "|".join(v for v in values if isinstance(v, str))

    def convert(self, value):
        for literal in self.values:
            if isinstance(literal, bool):
                if _is_bool(value) and bool(value) is literal:
                    return literal
            elif isinstance(literal, str):
                if isinstance(value, str) and value == literal:
                    return literal
            elif (isinstance(value, numbers.Real) and not _is_bool(value) and math.isfinite(value)
                  and math.isclose(value, literal, rel_tol=1e-6)):
                return literal
        return _NO

    def describe(self, style: str = "python") -> str:
        shown = [show_value(v, style) if not isinstance(v, (int, float)) or isinstance(v, bool) else _number(v)
                 for v in self.values]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in self.values):
            return f"one of {_or(shown)}" if len(shown) > 1 else shown[0]
        return _or(shown)


class Strings:
    """A list of strings (a tuple is returned), each checked by ``valid`` (which returns an error
    text, or None when the string is fine); ``empty`` says whether no string at all is accepted.

    Examples
    --------
    >>> Strings(what="platform names").convert(["tiktok", "x"]), Strings(what="platform names").describe()
    (('tiktok', 'x'), 'a list of platform names')
    >>> Strings(empty=False).convert([]) is _NO, Strings().convert("tiktok") is _NO
    (True, True)
    """

    metavar = ""

    def __init__(self, *, what: str = "strings", valid=None, empty: bool = True):
        self.what, self.valid, self.empty = what, valid, empty

    def convert(self, value):
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            return _NO
        if not value and not self.empty:
            return _NO
        if not all(isinstance(v, str) and v.strip() for v in value):
            return _NO
        if self.valid is not None and any(self.valid(v) for v in value):
            return _NO
        return tuple(dict.fromkeys(v.strip() for v in value))   # in order, each once

    def describe(self, style: str = "python") -> str:
        return f"a {'non-empty ' if not self.empty else ''}list of {self.what}"

    def problem(self, value) -> str | None:
        """What is wrong with the first bad string of a list, for the message."""
        if isinstance(value, (list, tuple)) and self.valid is not None:
            for v in value:
                if isinstance(v, str) and v.strip() and self.valid(v):
                    return self.valid(v)
        return None


def _option(default, *accepts, help: str, cli: str | None = None):
    """One option's declaration: a :class:`DetectOptions` field.

    ``accepts`` are the constraints (any of them may accept a value), ``help`` a sentence for
    the docs, the configuration file and ``--help``, and ``cli`` the spelling of its option on
    the command line (``"--a/--b"`` for an on/off switch), or None when only the API and the
    configuration file take it.
    """
    return dataclasses.field(default=default, metadata={"accepts": accepts, "help": help, "cli": cli})


@dataclasses.dataclass(frozen=True)
class DetectOptions:
    """The options of :func:`detector.detect`, checked; one field per option.

    Building one checks every field (source ``"DetectOptions()"``); :func:`check_options`
    builds one from a mapping, naming the mapping's source in its errors. Frozen: use
    :func:`dataclasses.replace` for a changed copy, :meth:`as_dict` for the plain dict the
    pipeline reads.

    Examples
    --------
    >>> DetectOptions(seed=3).seed, DetectOptions().as_dict()["interval"]
    (3, 0.9)
    >>> DetectOptions(bin_seconds=0)
    Traceback (most recent call last):
    detector.errors.InputError: DetectOptions(): bin_seconds=0: expected an integer from 1 to 604_800 (7 days)
    """

    flag_threshold: float = _option(
        0.5, Numbers(0, 1, closed="right"), cli="--flag-threshold",
        help="Clusters scoring at least this are flagged.")
    min_cluster_size: int = _option(
        10, Integers(2, 1_000_000_000), cli="--min-cluster-size",
        help="Smaller graph communities are not scored.")
    min_evidence: float = _option(
        1.0, Numbers(0, None),
        help="Summed log lifts a registration needs to enter the graph.")
    min_unlike_share: float = _option(
        0.15, Numbers(0, 1, closed="left"), cli="--min-unlike-share",
        help="A cluster is flagged only when we are confident that more than this share of its members "
             "are unlike the organic registrants.")
    expand_rounds: int = _option(
        5, Integers(0, 100),
        help="Rounds that grow flagged clusters with registrants like their members.")
    interval: float = _option(
        0.9, Literals(0.8, 0.9, 0.95, 0.99),
        help="Coverage of the interval around the estimated number of coordinated registrations.")
    use_attended: bool | str = _option(
        "auto", Literals(True, False, "auto"), cli="--use-attended/--ignore-attended",
        help='Use the attended column as evidence ("auto": when the column holds values).')
    bin_seconds: int = _option(
        60, Integers(1, _WEEK, note="7 days", metavar="SECONDS"),
        help="Bin of the sign-up rate, in seconds, for the baseline and the bursts.")
    shift_bin_seconds: int = _option(
        600, Integers(1, _WEEK, note="7 days", metavar="SECONDS"),
        help="Bin, in seconds, in which attribute values are compared with the organic composition.")
    timeline_seconds: int = _option(
        600, Integers(1, _WEEK, note="7 days", metavar="SECONDS"),
        help="Bin of timeline.csv and of the report's timeline, in seconds.")
    coaction_window: float | str = _option(
        60, Numbers(0, 30 * _DAY, note="30 days", what="a number of seconds", metavar="SECONDS"),
        Literals("auto"), cli="--coaction-window",
        help='Window of the posts\' co-action networks, in seconds ("auto": estimated per kind from the data).')
    coaction_min_weight: int = _option(
        2, Integers(1, 1_000_000),
        help="Co-actions two accounts need to be linked in the posts' co-action networks.")
    progress: bool | str = _option(
        "auto", Literals(True, False, "auto"), cli="--progress/--no-progress",
        help='Progress bar on standard error ("auto": only in a terminal or a notebook).')
    seed: int = _option(
        0, Integers(0, 2**32 - 1), cli="--seed",
        help="Seed of the community detection.")

    def __post_init__(self):
        for name in OPTIONS:
            object.__setattr__(self, name, check_option(name, getattr(self, name), source="DetectOptions()"))

    def as_dict(self) -> dict:
        """The options as a plain ``{name: value}`` dict, in their declared order."""
        return {name: getattr(self, name) for name in OPTIONS}


def _valid_kind(kind: str):
    from .coaction.actions import parse_kind   # imports pandas: only when a kind is checked

    try:
        parse_kind(kind)
    except ValueError:
        return f"{kind!r} is not one of them"
    return None


@dataclasses.dataclass(frozen=True)
class NetworkOptions:
    """The options of the posts side, :func:`detector.coaction.account_clusters` and
    ``detector network``: the knobs coordination researchers use, one field per option.

    The same names are the API's keyword arguments, the keys of a configuration file's
    ``[network]`` table and, with dashes, the options of ``detector network``.

    Examples
    --------
    >>> NetworkOptions(min_cluster_size=2, weight_quantile=0.5).weight_quantile
    0.5
    >>> NetworkOptions(stack="sideways")
    Traceback (most recent call last):
    detector.errors.InputError: NetworkOptions(): stack='sideways': expected 'after' or 'before'
    """

    kinds: tuple = _option(
        ("link", "share", "text", "similar_text", "hashtag"),
        Strings(what="co-action kinds (link, share, text, similar_text, hashtag, column:NAME, hashtag:NAME)",
                valid=_valid_kind, empty=False),
        help="Co-action kinds: what counts as the same object.")
    split: str = _option(
        "auto", Literals("auto", "none", "space", "comma", "json"), cli="--split",
        help="How a cell of a column:NAME or hashtag:NAME kind holds several objects (auto: a JSON list "
             "when the cell is one, else commas and whitespace).")
    window: float | str = _option(
        60, Numbers(0, 30 * _DAY, note="30 days", what="a number of seconds", metavar="SECONDS"),
        Literals("auto"), cli="--window",
        help="Two actions co-act when |t1 - t2| <= window seconds (auto: estimated per kind).")
    min_weight: int = _option(
        2, Integers(1, 1_000_000), cli="--min-weight",
        help="Co-actions an edge needs (undirected: the smaller of both directions).")
    weight_quantile: float | str = _option(
        "none", Literals("none"), Numbers(0, 1, closed="left"), cli="--weight-quantile",
        help="Also keep only edges heavier than this quantile of the edge weights (CooRTweet's edge_weight; "
             "none: no quantile cut-off).")
    min_participation: int = _option(
        1, Integers(1, 1_000_000), cli="--min-participation",
        help="An account must co-act on at least this many distinct objects to have edges.")
    stack: str = _option(
        "after", Literals("after", "before"), cli="--stack",
        help="Sum the kinds' co-actions per account pair after each kind is thresholded, or before "
             "thresholding the sum (as CooRTweet does).")
    null_draws: int = _option(
        10, Integers(0, 1000), cli="--null",
        help="Null-model draws per kind for the edges' p-values (0: no null model, no significance filter).")
    null: str = _option(
        "shift", Literals("shift", "jitter", "shuffle"), cli="--null-model",
        help="The null model: shift each account's timeline by a random offset over the whole span, jitter each "
             "post by up to 30 windows (keeps each object's burst), or shuffle an account's times among its posts.")
    alpha: float = _option(
        0.05, Numbers(0, 1, closed="right"), cli="--alpha",
        help="Edges need a Benjamini-Hochberg q-value at most this (with the null model).")
    resolution: float = _option(
        0.3, Numbers(0, 100, closed="right"), cli="--resolution",
        help="Louvain resolution of the account clusters (below 1: larger clusters).")
    min_cluster_size: int = _option(
        3, Integers(2, 1_000_000_000), cli="--min-cluster-size",
        help="Smallest account cluster reported.")
    flag_threshold: float = _option(
        0.5, Numbers(0, 1, closed="right"), cli="--flag-threshold",
        help="Account clusters scoring at least this are flagged.")
    platforms: tuple = _option(
        (), Strings(what="platform names"),
        help="Only posts of these platforms (the platform column); empty: all.")
    compat: str = _option(
        "none", Literals("none", "cnt", "coortweet"), cli="--compat",
        help="Reproduce another tool's edges exactly: coordination-network-toolkit 1.5.2 (cnt) or CooRTweet "
             "2.1.3's detect_groups + generate_coordinated_network (coortweet).")
    seed: int = _option(
        0, Integers(0, 2**32 - 1), cli="--seed",
        help="Seed of the null model and of Louvain.")

    def __post_init__(self):
        for name in NETWORK_OPTIONS:
            object.__setattr__(self, name, check_option(name, getattr(self, name), source="NetworkOptions()",
                                                        table="network"))

    def as_dict(self) -> dict:
        """The options as a plain ``{name: value}`` dict, in their declared order."""
        return {name: getattr(self, name) for name in NETWORK_OPTIONS}


@dataclasses.dataclass(frozen=True)
class Option:
    """A read-only view of one option's declaration (a field of :class:`DetectOptions`)."""

    name: str
    default: object
    accepts: tuple
    help: str
    cli: str | None

    def expected(self, style: str = "python") -> str:
        """What the option accepts, in words (``style`` spells literals as Python, TOML or typed)."""
        return _or(c.describe(style) for c in self.accepts)

    @property
    def metavar(self) -> str:
        """The value's placeholder in ``--help``, e.g. ``SECONDS|auto``."""
        return "|".join(c.metavar for c in self.accepts if c.metavar)


#: name -> :class:`Option`, in declared order.
OPTIONS = types.MappingProxyType({
    f.name: Option(f.name, f.default, f.metadata["accepts"], f.metadata["help"], f.metadata["cli"])
    for f in dataclasses.fields(DetectOptions)})

#: Default options of :func:`detector.detect` (read-only): ``{name: default}``.
DEFAULTS = types.MappingProxyType({name: option.default for name, option in OPTIONS.items()})


def _declared(cls) -> types.MappingProxyType:
    return types.MappingProxyType({
        f.name: Option(f.name, f.default, f.metadata["accepts"], f.metadata["help"], f.metadata["cli"])
        for f in dataclasses.fields(cls)})


#: name -> :class:`Option` of the posts side (:class:`NetworkOptions`), in declared order.
NETWORK_OPTIONS = _declared(NetworkOptions)
NETWORK_DEFAULTS = types.MappingProxyType({name: option.default for name, option in NETWORK_OPTIONS.items()})

#: The tables of options: ``detect`` (:func:`detector.detect`, ``[detect]``) and ``network``
#: (:func:`detector.coaction.account_clusters`, ``detector network``, ``[network]``).
_TABLES = {"detect": (OPTIONS, DetectOptions, "detect()"), "network": (NETWORK_OPTIONS, NetworkOptions, "account_clusters()")}


class UnknownOptionError(InputError, TypeError):
    """An option name that :func:`detector.detect` does not know.

    Also a :class:`TypeError`, what Python raises for an unexpected keyword argument.
    """


def expected(name: str, style: str = "python") -> str:
    """What option ``name`` accepts, in words.

    Examples
    --------
    >>> expected("coaction_window", "toml")
    'a number of seconds from 0 to 2_592_000 (30 days) or "auto"'
    """
    return OPTIONS[name].expected(style)


def check_option(name: str, value, *, source: str = "detect()", style: str = "python", shown: str | None = None,
                 table: str = "detect"):
    """Check one option's value and return it normalised.

    Parameters
    ----------
    name : str
        A known option (see :data:`OPTIONS`).
    value : object
        The value given.
    source : str, default "detect()"
        Where the value came from, the start of the error message: ``"detect()"`` for the API,
        the configuration file's path, or the command-line option (``"--flag-threshold"``).
    style : {"python", "toml", "cli"}, default "python"
        How the message shows the value and spells what is expected: ``name=value`` as in a
        Python call, ``[detect] name = value`` as in the TOML file, or the text as typed.
    shown : str, optional
        The value as the user wrote it (the command line's text), when not ``value``.
    table : {"detect", "network"}, default "detect"
        Whose option: :class:`DetectOptions` or :class:`NetworkOptions`.

    Returns
    -------
    object
        The value as the pipeline reads it: a plain ``int``; a ``float`` for a number option
        (``1`` -> ``1.0``); ``True``, ``False`` or a string for the others.

    Raises
    ------
    InputError
        One line saying what was expected, when no constraint of the option accepts ``value``.

    Examples
    --------
    >>> check_option("seed", 7), check_option("interval", 0.95), check_option("use_attended", False)
    (7, 0.95, False)
    >>> check_option("min_cluster_size", True)
    Traceback (most recent call last):
    detector.errors.InputError: detect(): min_cluster_size=True: expected an integer from 2 to 1_000_000_000, not a bool
    >>> check_option("flag_threshold", 2, source="job.toml", style="toml")
    Traceback (most recent call last):
    detector.errors.InputError: job.toml: [detect] flag_threshold = 2: expected a number > 0 and <= 1
    """
    option = _TABLES[table][0][name]
    for constraint in option.accepts:
        out = constraint.convert(value)
        if out is not _NO:
            return out
    what = option.expected(style)
    if _is_bool(value) and not any(isinstance(c, Literals) and True in c.values for c in option.accepts):
        what += ", not a bool"
    problems = [c.problem(value) for c in option.accepts if hasattr(c, "problem")]
    what += "".join(f"; {p}" for p in problems if p)
    if style == "toml":
        raise InputError(source, f"[{table}] {name} = {show_value(value, 'toml')}: expected {what}")
    if style == "cli":
        text = shown if shown is not None else show_value(value, "cli")
        raise InputError(source, f"expected {what}, got {text!r}")
    raise InputError(source, f"{name}={shown if shown is not None else show_value(value)}: expected {what}")


def check_options(options=None, *, source: str | None = None, style: str = "python", table: str = "detect"):
    """Check options given by name and return them, with the defaults of the others.

    Parameters
    ----------
    options : mapping, optional
        ``{name: value}`` for any of :data:`OPTIONS`; None or empty: all defaults.
    source, style : str
        Where the options came from and how to show them in a message (see :func:`check_option`).
    table : {"detect", "network"}, default "detect"
        Options of :func:`detector.detect` or of the posts side.

    Returns
    -------
    DetectOptions or NetworkOptions
        Every option, checked and normalised; ``.as_dict()`` gives the plain dict.

    Raises
    ------
    UnknownOptionError
        For a name that is not an option (with the closest known one); an :class:`InputError`
        and a :class:`TypeError`.
    InputError
        For a value of the wrong type or out of range (see :func:`check_option`).

    Examples
    --------
    >>> check_options({"flag_treshold": 0.4})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    detector.options.UnknownOptionError: detect(): unknown option 'flag_treshold'; did you mean 'flag_threshold'? known: ...
    >>> check_options({"seed": 2**32})
    Traceback (most recent call last):
    detector.errors.InputError: detect(): seed=4294967296: expected an integer from 0 to 4_294_967_295
    """
    known, cls, caller = _TABLES[table]
    source = source or caller
    options = dict(options or {})
    for name in options:
        if name not in known:
            close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise UnknownOptionError(source, f"unknown option {name!r}; {hint}known: {', '.join(sorted(known))}")
    checked = {name: check_option(name, value, source=source, style=style, table=table)
               for name, value in options.items()}
    return cls(**{**{n: o.default for n, o in known.items()}, **checked})


def parse_option(name: str, text: str, *, source: str | None = None, table: str = "detect"):
    """Read an option's value as typed on the command line, and check it.

    ``"auto"`` (where accepted), ``true``/``false`` (where accepted), integers and numbers are
    read as such; anything else is kept as text, which no number option accepts.

    Parameters
    ----------
    name : str
        A known option.
    text : str
        What was typed.
    source : str, optional
        The option as the user typed it; default ``--name-with-dashes``.

    Examples
    --------
    >>> parse_option("coaction_window", "auto"), parse_option("coaction_window", "90"), parse_option("seed", "4")
    ('auto', 90.0, 4)
    >>> parse_option("flag_threshold", "high")
    Traceback (most recent call last):
    detector.errors.InputError: --flag-threshold: expected a number > 0 and <= 1, got 'high'
    """
    option = _TABLES[table][0][name]
    source = source or "--" + name.replace("_", "-")
    word = str(text).strip()
    literals = [v for c in option.accepts if isinstance(c, Literals) for v in c.values]
    value = _NO
    for literal in literals:
        if isinstance(literal, str) and word == literal:
            value = literal
        elif isinstance(literal, bool) and word.lower() == str(literal).lower():
            value = literal
    if value is _NO:
        for cast in (int, float):
            try:
                value = cast(word)
                break
            except ValueError:
                continue
        else:
            value = text
    return check_option(name, value, source=source, style="cli", shown=str(text), table=table)

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
``phone_area``            the area code (NANP), the country code (``+82``), or the
                          first two digits of a national number of another plan
                          after a trunk ``0``, with its length (``24 (9 digits)``)
``phone``                 the normalised number (placeholders repeat)
``postal_region``         the first two digits of a 5-digit code (``74``); of any
                          other code its first two letters or digits (one of a
                          shorter one) with its shape: ``60 (9-9)``, ``K1 (a9a 9a9)``
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

How it is computed (1,000,000 registrations with posts and follows: ~3 s, was ~14 s): each
column's distinct values are parsed once and their tokens mapped back to the rows; plain values
(ASCII on one line, nearly all of them) go through arrow and byte-level kernels that give exactly
what the pandas parsers (kept, and used for the other values) give; the blocks of tokens are
written straight into one csr matrix, a slice of rows at a time. The output is the same, array for
array, as the slower implementation it replaced (tests/test_features_speed.py keeps it).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse

from ..codes import text_array
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

    @cached_property
    def is_rare(self) -> np.ndarray:
        """Per token: is it a facet's ``(rare)`` bucket (values held by few registrations)?
        Computed once per matrix; :meth:`rows` hands it on to the matrices of its rows."""
        import pyarrow as pa
        import pyarrow.compute as pc

        names = pa.array(np.asarray(self.names, dtype=object), type=pa.large_string())
        return pc.ends_with(names, "=(rare)").to_numpy(zero_copy_only=False).astype(bool)

    @cached_property
    def facet_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """``(facet names, code of each token's facet)``: the facets sorted, and for each token
        the position of its facet among them. Computed once per matrix, handed on by :meth:`rows`."""
        # hashed, then only the few distinct facet names sorted (np.unique would sort every token's)
        codes, uniques = pd.factorize(np.asarray(self.facets, dtype=object))
        uniques = np.asarray(uniques, dtype=object)
        order = np.argsort(uniques, kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return uniques[order], rank[codes]

    @cached_property
    def identity_codes(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per identity facet with tokens (its ``(rare)`` bucket left out): ``(columns, code)``,
        the facet's token columns and, per row, the position among them of the one token the row
        carries (``len(columns)`` when none). Computed once per matrix: the identity surprisal
        and the crowds' value tests (:mod:`.composition`) both read it."""
        from .facets import IDENTITY_FACETS

        X = self.X.tocsr()
        # one compiled pass over the stored entries: each token's identity facet (-1 for none) and
        # its position among the facet's columns; per row and facet, the first entry counts
        facet_of = np.full(X.shape[1], -1, dtype=np.int8)
        position = np.zeros(X.shape[1], dtype=np.int64)
        found = []
        names, facet_code = self.facet_codes
        for k, name in enumerate(IDENTITY_FACETS):
            at = np.flatnonzero(names == name)
            columns = np.flatnonzero((facet_code == at[0]) & ~self.is_rare) if len(at) else at
            if len(columns):
                facet_of[columns] = k
                position[columns] = np.arange(len(columns))
                found.append((k, name, columns))
        if not found:
            return {}
        from ._token_kernels import first_of_facet

        first = first_of_facet(X.indptr, X.indices, facet_of, position, len(IDENTITY_FACETS))
        out = {}
        for k, name, columns in found:
            code = first[k].copy()         # its own array: the facets' table is freed
            code[code < 0] = len(columns)
            out[name] = (columns, code)
        return out

    @property
    def is_identity(self) -> np.ndarray:
        """Per token: is its facet an identity facet (:data:`.facets.IDENTITY_FACETS`), not a
        channel? Looked up once per facet (:attr:`facet_codes`), not once per token."""
        from .facets import IDENTITY_FACETS

        names, codes = self.facet_codes
        return np.isin(names, IDENTITY_FACETS)[codes]

    def rows(self, idx: np.ndarray) -> "TokenMatrix":
        """The matrix of rows ``idx`` (an event's registrations), with the same tokens; the same
        matrix, not a copy, when ``idx`` is every row in order (one event: no second copy)."""
        idx = np.asarray(idx)
        whole = len(idx) == self.X.shape[0] and np.array_equal(idx, np.arange(len(idx)))
        out = TokenMatrix(self.X if whole else self.X[idx], self.names, self.facets)
        out.__dict__["is_rare"] = self.is_rare
        out.__dict__["facet_codes"] = self.facet_codes
        return out


def _text(regs: pd.DataFrame, column: str) -> pd.Series | None:
    if column not in regs:
        return None
    s = regs[column].astype("string").str.strip()
    return s.mask(s == "")


def _distinct_first(values: pd.Series) -> bool:
    """Can the text of ``values`` be made from their distinct values? (distinct values have distinct
    texts: strings, categories, integers, booleans; not floats, whose 0.0 and -0.0 are one value)"""
    dtype = values.dtype
    if isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype)):
        return True
    if pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return True
    return dtype == object and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")


def _distinct(regs: pd.DataFrame, column: str) -> tuple[np.ndarray, pd.Series] | None:
    """A column's text (:func:`_text`: stripped, empty as missing) as ``(codes, uniques)``: its distinct
    values (a ``string`` Series, in order of first appearance) and each row's code into them
    (int32, -1 when missing). The text of each distinct raw value is made once."""
    if column not in regs:
        return None
    raw = regs[column]
    if _distinct_first(raw):
        raw_codes, raw_uniques = pd.factorize(raw, use_na_sentinel=True)
        before = pd.Series(raw_uniques).astype("string")
        text = before.str.strip()
        if isinstance(raw.dtype, pd.StringDtype) or raw.dtype == object:    # str values: distinct texts
            lengths = pc.binary_length(text_array(text))
            if pc.all(pc.and_(pc.equal(lengths, pc.binary_length(text_array(before))), pc.greater(lengths, 0))).as_py() \
                    is not False:
                return raw_codes.astype(np.int32), text     # the usual case: nothing stripped, none empty
        codes, uniques = pd.factorize(text.mask(text == ""), use_na_sentinel=True)
        codes = np.append(codes, -1).astype(np.int32)[raw_codes]      # raw missing (-1) stays missing
    else:
        codes, uniques = pd.factorize(_text(regs, column), use_na_sentinel=True)
        codes = codes.astype(np.int32)
    return codes, pd.Series(uniques, dtype="string")


# ---- arrow and byte-level helpers --------------------------------------------------------------

_STR = pa.large_string()


def _series(arr: pa.Array, index) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=index, copy=False)


def _buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """``(offsets, bytes)`` of a ``large_string`` array without nulls, offsets from 0."""
    _, offsets, data = arr.buffers()
    off = np.frombuffer(offsets, dtype=np.int64, count=len(arr) + 1, offset=arr.offset * 8)
    data = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else np.zeros(0, np.uint8)
    return off - off[0], data[off[0]:off[-1]]


def _strings(off: np.ndarray, data: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A ``large_string`` array from offsets and UTF-8 bytes (``valid``: False for null)."""
    bitmap = None if valid is None or valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.LargeStringArray.from_buffers(len(off) - 1, pa.py_buffer(np.ascontiguousarray(off, np.int64)),
                                            pa.py_buffer(np.ascontiguousarray(data)), bitmap)


def _per_string(flags: np.ndarray, off: np.ndarray, ufunc=np.add, dtype=np.int32) -> np.ndarray:
    """``ufunc`` (add: how many, logical_or: any) of per-byte ``flags`` over each string's bytes."""
    starts = off[:-1]
    some = off[1:] > starts
    out = np.zeros(len(starts), dtype=dtype)
    if some.any():     # reduceat over the starts of the non-empty strings: segments are exactly the strings
        out[some] = ufunc.reduceat(flags, starts[some], dtype=dtype)
    return out


def _letters(data: np.ndarray) -> np.ndarray:
    return (data | 32) - ord("a") < 26          # uint8 arithmetic wraps: only A-Z, a-z land below 26


def _digits(data: np.ndarray) -> np.ndarray:
    return data - ord("0") < 10


_SHAPE = np.arange(256, dtype=np.uint8)          # letters -> a, digits -> 9
_SHAPE[65:91] = _SHAPE[97:123] = ord("a")
_SHAPE[48:58] = ord("9")


def _ascii_shape(off: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_shape` of ASCII strings: letters -> ``a``, digits -> ``9``, runs collapsed."""
    letter, digit = _letters(data), _digits(data)
    keep = np.ones(len(data), dtype=bool)       # not the second letter (digit) of a run
    np.logical_and(letter[1:], letter[:-1], out=keep[1:])
    keep[1:] |= digit[1:] & digit[:-1]
    np.logical_not(keep, out=keep)
    keep[off[:-1][off[:-1] < off[1:]]] = True      # a string's first byte starts a run
    kept = np.flatnonzero(keep)
    return np.searchsorted(kept, off), _SHAPE[data[kept]]


def _ascii_hard(off: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Per lower-case ASCII string: five consonants in a row, or no vowel
    (``[bcdfghjklmnpqrstvwxz]{5,}|^[^aeiouy]*$``)?"""
    vowel = data == ord("a")
    for v in b"eiouy":
        vowel |= data == v
    hard = ~_per_string(vowel, off, np.logical_or, bool)
    if len(data) >= 5:
        c = (data - ord("a") < 26) & ~vowel              # consonants: the other lower-case letters
        five = np.zeros(len(data), dtype=bool)           # five consonants from here ...
        np.logical_and(c[:-4], c[1:-3], out=five[:-4])
        five[:-4] &= c[2:-2]
        five[:-4] &= c[3:-1]
        five[:-4] &= c[4:]
        for k in range(1, 5):                            # ... in the same string
            at = off[1:] - k
            five[at[at >= off[:-1]]] = False
        hard |= _per_string(five, off, np.logical_or, bool)
    return hard


_NULL = pa.scalar(None, _STR)


def _s(text: str) -> pa.Scalar:
    return pa.scalar(text, _STR)


def _plus(arr: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise(_s("+"), arr, _s(""))


def _plain_first(values: pd.Series, fast, general) -> list[tuple[str, pd.Series]]:
    """Parse plain values (ASCII on one line) with ``fast`` (arrow in, arrow out) and the others with
    ``general`` (pandas): on plain text the two agree, character for character (``\\d``, ``\\w``
    and ``$`` only differ on other text), so every value gets what ``general`` would give it."""
    if not isinstance(values.dtype, pd.StringDtype) or len(values) == 0:
        return general(values)
    arr = text_array(values)
    plain = pc.and_kleene(pc.string_is_ascii(arr), pc.invert(pc.match_substring(arr, "\n")))
    plain = plain.fill_null(False).to_numpy(zero_copy_only=False)
    if plain.all():
        return [(facet, _series(parsed, values.index)) for facet, parsed in fast(arr)]
    fast_rows, general_rows = np.flatnonzero(plain), np.flatnonzero(~plain)
    place = np.empty(len(values), dtype=np.int64)
    place[fast_rows] = np.arange(len(fast_rows))
    place[general_rows] = len(fast_rows) + np.arange(len(general_rows))
    place = pa.array(place)
    out = []
    for (facet, a), (again, b) in zip(fast(arr.filter(pa.array(plain))), general(values.iloc[general_rows])):
        assert facet == again
        out.append((facet, _series(pa.concat_arrays([a, text_array(b)]).take(place), values.index)))
    return out


# ---- parsers: a text column -> facets ----------------------------------------------------------

_UA_WORD = __import__("re").compile(r"[A-Za-z][A-Za-z_]{2,}")


def _ua_words(ua: str) -> list[str]:
    """The words of a user agent, in the order they appear (not sorted: renaming words must not
    reorder tokens)."""
    return list(dict.fromkeys(w.lower() for w in _UA_WORD.findall(ua)))


def _shape(s: pd.Series) -> pd.Series:
    """Letters -> a, digits -> 9, runs collapsed: ``jane.doe94`` -> ``a.a9``."""
    return (s.str.replace(r"[^\W\d_]+", "a", regex=True)
             .str.replace(r"\d+", "9", regex=True))


def _email_general(email: pd.Series) -> list[tuple[str, pd.Series]]:
    e = email.str.lower()
    local = e.str.extract(r"^([^@]*)@", expand=False)
    domain = e.str.extract(r"@(.+)$", expand=False)
    base = local.str.replace(r"\+.*$", "", regex=True)
    style = _shape(base)
    hard = base.str.contains(r"[bcdfghjklmnpqrstvwxz]{5,}|^[^aeiouy]*$", regex=True, na=False) & base.notna()
    style = style.where(~hard, style + "~")
    tag = local.str.contains("+", regex=False, na=False).map({True: "+", False: None})
    return [("email_domain", domain), ("email_style", style), ("email_tag", tag)]


def _email_plain(arr: pa.Array) -> list[tuple[str, pa.Array]]:
    e = pc.ascii_lower(arr)
    parts = pc.split_pattern(e, "@", max_splits=1)     # [local, domain] after the first @
    first = parts.offsets.to_numpy()
    has_at = np.diff(first) == 2
    first = first[:-1]
    local = parts.values.take(pa.array(np.where(has_at, first, 0), mask=~has_at))
    domain = parts.values.take(pa.array(np.where(has_at, first + 1, 0), mask=~has_at))
    domain = pc.if_else(pc.greater(pc.binary_length(domain), 0), domain, _NULL)
    parts = pc.split_pattern(local, "+", max_splits=1)  # [base, tag] at the first +
    off, data = _buffers(pc.list_element(parts, 0).fill_null(""))
    style = _strings(*_ascii_shape(off, data), valid=has_at)
    hard = pa.array(_ascii_hard(off, data) & has_at)
    style = pc.if_else(hard, pc.binary_join_element_wise(style, _s("~"), _s("")), style)
    tag = pc.if_else(pc.equal(pc.list_value_length(parts), 2), _s("+"), _NULL)
    return [("email_domain", domain), ("email_style", style), ("email_tag", tag)]


def _email_facets(email: pd.Series) -> list[tuple[str, pd.Series]]:
    return _plain_first(email, _email_plain, _email_general)


def _phone_general(phone: pd.Series) -> list[tuple[str, pd.Series]]:
    digits = phone.str.replace(r"\D", "", regex=True)
    international = phone.str.startswith("+") & ~phone.str.startswith("+1")
    nanp = digits.str.replace(r"^1(?=\d{10}$)", "", regex=True)
    n = digits.str.len()
    lead = digits.str.replace(r"^0", "", regex=True).str.slice(0, 2)
    national = (lead + " (" + n.astype("string") + " digits)").where(n > 0)
    area = nanp.str.slice(0, 3).where(nanp.str.len() == 10)
    area = area.where(~international, "+" + digits.str.slice(0, 2))
    area = area.fillna(national).fillna(phone.notna().map({True: "other", False: None}))
    return [("phone_area", area), ("phone", nanp.where(~international, "+" + digits))]


def _phone_plain(arr: pa.Array) -> list[tuple[str, pa.Array]]:
    off, data = _buffers(arr)
    keep = _digits(data)
    d_off = np.zeros(len(off), dtype=np.int64)
    np.cumsum(_per_string(keep, off), out=d_off[1:])
    d_data = data[keep]
    digits = _strings(d_off, d_data)
    d_len = np.diff(d_off)
    lead = np.zeros(len(d_len), dtype=np.uint8)
    lead[d_len > 0] = d_data[d_off[:-1][d_len > 0]]
    one = (d_len == 11) & (lead == ord("1"))                      # NANP: a leading 1 before ten digits
    nanp = pc.if_else(pa.array(one), pc.utf8_slice_codeunits(digits, 1), digits)
    # a national number of another plan: its first two digits after a trunk 0 (the start of
    # its area code) and its length (a number of another length comes from elsewhere)
    length = pa.array([f" ({k} digits)" for k in range(int(d_len.max(initial=0)) + 1)], _STR).take(pa.array(d_len))
    area_start = pc.if_else(pa.array(lead == ord("0")), pc.utf8_slice_codeunits(digits, 1, 3),
                            pc.utf8_slice_codeunits(digits, 0, 2))
    national = pc.binary_join_element_wise(area_start, length, _s(""))
    national = pc.if_else(pa.array(d_len > 0), national, _s("other"))
    area = pc.if_else(pa.array(d_len - one == 10), pc.utf8_slice_codeunits(nanp, 0, 3), national)
    international = pc.and_(pc.starts_with(arr, "+"), pc.invert(pc.starts_with(arr, "+1")))
    area = pc.if_else(international, _plus(pc.utf8_slice_codeunits(digits, 0, 2)), area)
    return [("phone_area", area), ("phone", pc.if_else(international, _plus(digits), nanp))]


def _phone_facets(phone: pd.Series) -> list[tuple[str, pd.Series]]:
    return _plain_first(phone, _phone_plain, _phone_general)


#: a postal region is a code's first ``REGION_CHARS`` letters or digits, its first one when the code
#: holds fewer than ``REGION_MIN_CHARS`` (``privacy.pseudonymize`` keeps exactly these)
REGION_CHARS, REGION_MIN_CHARS = 2, 4


def _postal_facets(postal: pd.Series) -> list[tuple[str, pd.Series]]:
    p = postal.str.upper()
    five = p.str.extract(r"^(\d{5})(?:-\d{4})?$", expand=False)
    # the first two characters, in any format (postal codes narrow down from left to right: a US
    # 74xxx, a Japanese 60x-xxxx, a Canadian K1x, a British SWxx), with the shape of a code not
    # of five digits, so that a code of another country's format is a region of its own
    chars = p.str.replace(r"[\W_]+", "", regex=True)
    n = chars.str.len()
    lead = chars.str.slice(0, REGION_CHARS).where(n >= REGION_MIN_CHARS, chars.str.slice(0, 1))
    shape = _shape(p.str.replace(r"[A-Z]", "A", regex=True).str.replace(r"\d", "9", regex=True))
    region = five.str.slice(0, 2).fillna(lead + " (" + shape + ")")
    return [("postal_region", region), ("postal_code", five.fillna(p))]


def _ip_general(ip: pd.Series) -> list[tuple[str, pd.Series]]:
    v4 = ip.str.extract(r"^(\d+\.\d+)\.(\d+)\.\d+$")
    v6 = ip.str.extract(r"^([0-9a-fA-F]*:[0-9a-fA-F]*):([0-9a-fA-F]*)", expand=True)
    p16 = v4[0].fillna(v6[0])
    p24 = (v4[0] + "." + v4[1]).fillna(v6[0] + ":" + v6[1])
    return [("ip16", p16), ("ip24", p24)]


def _ip_plain(arr: pa.Array) -> list[tuple[str, pa.Array]]:
    v4a, v4b = pc.extract_regex(arr, r"^(?P<a>\d+\.\d+)\.(?P<b>\d+)\.\d+$").flatten()
    v6a, v6b = pc.extract_regex(arr, r"^(?P<a>[0-9a-fA-F]*:[0-9a-fA-F]*):(?P<b>[0-9a-fA-F]*)").flatten()
    p24 = pc.coalesce(pc.binary_join_element_wise(v4a, v4b, _s(".")), pc.binary_join_element_wise(v6a, v6b, _s(":")))
    return [("ip16", pc.coalesce(v4a, v6a)), ("ip24", p24)]


def _ip_facets(ip: pd.Series) -> list[tuple[str, pd.Series]]:
    return _plain_first(ip, _ip_plain, _ip_general)


def _referrer_general(ref: pd.Series) -> list[tuple[str, pd.Series]]:
    parts = ref.str.lower().str.extract(r"^(?:[a-z]+://)?(?:www\.)?([^/?#]+)/?([^/?#]*)")
    path = parts[1].mask(parts[1] == "")
    host = parts[0].fillna(ref.str.lower())
    return [("referrer_host", host), ("referrer_path", path)]


def _referrer_plain(arr: pa.Array) -> list[tuple[str, pa.Array]]:
    low = pc.ascii_lower(arr)
    host, path = pc.extract_regex(low, r"^(?:[a-z]+://)?(?:www\.)?(?P<h>[^/?#]+)/?(?P<p>[^/?#]*)").flatten()
    return [("referrer_host", pc.coalesce(host, low)), ("referrer_path", pc.if_else(pc.equal(path, ""), _NULL, path))]


def _referrer_facets(ref: pd.Series) -> list[tuple[str, pd.Series]]:
    return _plain_first(ref, _referrer_plain, _referrer_general)


def _name_general(name: pd.Series) -> list[tuple[str, pd.Series]]:
    words = name.str.count(r"\S+").astype("Int64").astype("string")
    case = np.select([name.str.isupper().fillna(False).to_numpy(bool),
                      name.str.islower().fillna(False).to_numpy(bool)], ["upper", "lower"], "mixed")
    style = words + ":" + pd.Series(case, index=name.index) + \
        name.str.contains(r"\d", regex=True, na=False).map({True: ":9", False: ""})
    return [("name_style", style.where(name.notna())), ("name", name.str.lower())]


_SPACE = np.zeros(256, dtype=bool)                 # what \s matches in ASCII (str.isspace)
_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


def _name_plain(arr: pa.Array) -> list[tuple[str, pa.Array]]:
    off, data = _buffers(arr)
    word = ~_SPACE[data]
    starts = word.copy()                           # the first byte of each word (\S+)
    starts[1:] &= ~word[:-1]
    starts[off[:-1][off[:-1] < off[1:]]] = word[off[:-1][off[:-1] < off[1:]]]
    words = pa.array(_per_string(starts, off)).cast(_STR)
    case = pc.if_else(pc.utf8_is_upper(arr), _s("upper"), pc.if_else(pc.utf8_is_lower(arr), _s("lower"), _s("mixed")))
    digit = pc.if_else(pa.array(_per_string(_digits(data), off, np.logical_or, bool)), _s(":9"), _s(""))
    style = pc.binary_join_element_wise(words, _s(":"), case, digit, _s(""))
    return [("name_style", style), ("name", pc.ascii_lower(arr))]


def _name_facets(name: pd.Series) -> list[tuple[str, pd.Series]]:
    return _plain_first(name, _name_plain, _name_general)


#: The registry of token signals: contract column -> parser returning ``[(facet, values), ...]``.
#: A new signal is one parser function and one line here. A parser is given the column's distinct
#: values (a ``string`` Series, stripped, none missing or empty) and returns one value per facet
#: for each (missing: no token).
FACET_PARSERS = {"email": _email_facets, "phone": _phone_facets, "postal_code": _postal_facets,
                 "ip": _ip_facets, "referrer": _referrer_facets, "name": _name_facets}


# ---- blocks of columns, written straight into one csr matrix ----------------------------------

def _names(facet: str, values) -> np.ndarray:
    """``facet=value`` for each value (an arrow array or a list), as an object array of str."""
    if isinstance(values, pa.Array):
        return pc.binary_join_element_wise(_s(f"{facet}="), values.cast(_STR), _s("")).to_numpy(zero_copy_only=False)
    return np.array([f"{facet}={v}" for v in values], dtype=object).reshape(-1)


class _OneHot:
    """At most one token per row (row -> distinct value (``codes``) -> ``token``), and with ``rare``
    (per token) the facet's ``(rare)`` token after it, for rows whose token is rare."""

    def __init__(self, facet: str, codes: np.ndarray, token: np.ndarray, names: np.ndarray, rare=None):
        self.facet, self.codes = facet, codes
        self.token = np.append(token, -1).astype(np.int32)             # code -1 (missing) -> no token
        self.rare = None if rare is None else np.append(rare, False)    # token -1 -> not rare
        self.n_values = len(names)
        self.names = names if rare is None else np.append(names, np.array([f"{facet}=(rare)"], dtype=object))
        self.ncols = len(self.names)

    def count(self, per_row: np.ndarray) -> None:
        t = self.token[self.codes]
        per_row += t >= 0
        if self.rare is not None:
            per_row += self.rare[t]

    def fill(self, indices: np.ndarray, pos: np.ndarray, first: int, rows: slice) -> None:
        """Write the tokens of a slice of rows, its first one at ``first``, where ``pos`` (those
        rows' next free places in ``indices``) says, and move ``pos`` past them."""
        t = self.token[self.codes[rows]]
        has = t >= 0
        if has.all():
            indices[pos] = t + first
            pos += 1
        else:
            some = np.flatnonzero(has)
            at = pos[some]
            indices[at] = t[some] + first
            pos[some] = at + 1
        if self.rare is not None:
            some = np.flatnonzero(self.rare[t])
            indices[pos[some]] = first + self.n_values
            pos[some] += 1


class _Grouped:
    """Several tokens per row: row -> group (``codes``) -> the group's tokens, in the order they are
    written in the row (``tokens[ptr[g]:ptr[g + 1]]``)."""

    def __init__(self, facet: str, codes: np.ndarray, ptr, tokens, names: np.ndarray):
        self.facet, self.codes, self.names, self.ncols = facet, codes, names, len(names)
        self.ptr = np.asarray(ptr, dtype=np.int64)
        self.tokens = np.asarray(tokens, dtype=np.int32)
        self.length = np.append(np.diff(self.ptr), 0)                   # code -1 -> no token

    def count(self, per_row: np.ndarray) -> None:
        per_row += self.length[self.codes]

    def fill(self, indices: np.ndarray, pos: np.ndarray, first: int, rows: slice) -> None:
        """As :meth:`_OneHot.fill`."""
        codes = self.codes[rows]
        some = np.flatnonzero(self.length[codes] > 0)
        groups = codes[some]
        n, src, dst = self.length[groups], self.ptr[groups], pos[some].astype(np.int64)
        pos[some] += n.astype(pos.dtype)
        for j in range(32):          # the j-th token of every row that has one; rows drop out as they end
            if not len(n):
                return
            indices[dst + j] = self.tokens[src + j] + first
            more = n > j + 1
            if not more.all():
                n, src, dst = n[more], src[more], dst[more]
        # the tokens of long rows past the 32nd, all at once
        n, src, dst = n - 32, src + 32, dst + 32
        k = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)       # position within the row
        indices[np.repeat(dst, n) + k] = self.tokens[np.repeat(src, n) + k] + first


def _parsed_block(facet: str, codes: np.ndarray, per_value: np.ndarray, parsed: pd.Series, n: int) -> _OneHot:
    """The tokens of one facet: ``parsed`` gives each distinct column value its facet value; tokens
    are numbered in order of first appearance (distinct values are in the order of their first row)."""
    if isinstance(parsed.dtype, pd.StringDtype):
        encoded = pc.dictionary_encode(text_array(parsed))
        token = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        names = _names(facet, encoded.dictionary)
    else:
        token, values = pd.factorize(pd.Series(parsed.to_numpy(dtype=object, na_value=None)), use_na_sentinel=True)
        names = _names(facet, list(values))
    rare = None
    if facet in RARE_FACETS:
        seen = token >= 0
        rows = np.bincount(token[seen], weights=per_value[seen], minlength=len(names))
        rare = rows < RARE_SHARE * n
    return _OneHot(facet, codes, token, names, rare)


def _ua_block(codes: np.ndarray, uniques: pd.Series) -> _Grouped:
    vocab: dict[str, int] = {}
    ptr, tokens = [0], []
    for value in uniques.tolist():
        words = [vocab.setdefault(w, len(vocab)) for w in _ua_words(str(value))]
        # a row's tokens in descending order, as the sparse product of the reference implementation
        # wrote them (tests/test_features_speed.py): the same X, array for array
        tokens.extend(sorted(words, reverse=True))
        ptr.append(len(tokens))
    return _Grouped("ua", codes, ptr, tokens, _names("ua", list(vocab)))


def _social_block(codes: np.ndarray, accounts: pd.Series, links: pd.DataFrame, facet: str) -> _Grouped:
    """Tokens from a table of (account, target) links: one token per target of the registrant's account.

    Tokens are numbered in order of first appearance with rows in order and a row's targets sorted
    (not in the order of the posts or follows table, whose rows may come in any order); since the
    accounts are numbered in order of their first row, that is the order of the distinct links
    sorted by account, then target. Within a row the tokens ascend."""
    source, target = text_array(links.iloc[:, 0]), text_array(links.iloc[:, 1])
    both = pc.and_(source.is_valid(), target.is_valid())
    owner = pc.index_in(source.filter(both), value_set=text_array(accounts))
    known = owner.is_valid()
    owner = owner.filter(known).to_numpy(zero_copy_only=False).astype(np.int64)
    target = pc.dictionary_encode(target.filter(both).filter(known))
    targets, n_targets = target.dictionary, len(target.dictionary)
    if n_targets == 0:
        return _Grouped(facet, codes, np.zeros(len(accounts) + 1, np.int64), [], np.array([], dtype=object))
    by_text = pc.array_sort_indices(targets).to_numpy()
    rank = np.empty(n_targets, np.int64)
    rank[by_text] = np.arange(n_targets)
    pairs = owner * n_targets + rank[target.indices.to_numpy(zero_copy_only=False)]
    pairs.sort()
    pairs = pairs[np.append(True, pairs[1:] != pairs[:-1])]        # distinct (account, target) links
    owner, pairs = np.divmod(pairs, n_targets)
    token, first_ranks = pd.factorize(pairs)
    names = _names(facet, targets.take(pa.array(by_text[first_ranks])))
    within = np.argsort(owner * len(first_ranks) + token)
    ptr = np.zeros(len(accounts) + 1, np.int64)
    np.cumsum(np.bincount(owner, minlength=len(accounts)), out=ptr[1:])
    return _Grouped(facet, codes, ptr, token[within], names)


_ROWS_AT_ONCE = 1 << 14


def _assemble(n: int, blocks: list) -> TokenMatrix:
    """Write the blocks side by side into one csr matrix, row by row (no intermediate matrices)."""
    per_row = np.zeros(n, dtype=np.int64)
    for b in blocks:
        b.count(per_row)
    nnz = int(per_row.sum())
    n_cols = sum(b.ncols for b in blocks)
    index = np.int32 if max(nnz, n_cols, n) <= np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(n + 1, dtype=index)
    np.cumsum(per_row, out=indptr[1:])
    del per_row
    indices = np.empty(nnz, dtype=index)
    pos = indptr[:-1].copy()
    firsts = np.cumsum([0] + [b.ncols for b in blocks[:-1]])
    for lo in range(0, n, _ROWS_AT_ONCE):      # all blocks over a slice of rows: its indices stay in cache
        rows = slice(lo, min(lo + _ROWS_AT_ONCE, n))
        for b, first in zip(blocks, firsts):
            b.fill(indices, pos[rows], int(first), rows)
    X = sparse.csr_matrix((np.ones(nnz, dtype=np.float32), indices, indptr), shape=(n, n_cols))
    names = np.concatenate([b.names for b in blocks])
    facets = np.repeat(np.array([b.facet for b in blocks], dtype=object), [b.ncols for b in blocks])
    return TokenMatrix(X=X, names=names, facets=facets)


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
    ['email_domain=tmp.io', 'email_style=a9~', 'postal_code=00000', 'postal_region=00']
    """
    n = len(regs)
    blocks = []
    for column, parse in FACET_PARSERS.items():
        distinct = _distinct(regs, column)
        if distinct is None:
            continue
        # parse each distinct value once (most columns repeat a lot), then count rows per value
        codes, uniques = distinct
        per_value = np.bincount(codes[codes >= 0], minlength=len(uniques))
        for facet, parsed in parse(uniques):
            _declared(facet)
            blocks.append(_parsed_block(facet, codes, per_value, parsed, n))
    distinct = _distinct(regs, "user_agent")
    if distinct is not None:
        blocks.append(_ua_block(*distinct))
    distinct = _distinct(regs, "account_id")
    if distinct is not None:
        codes, accounts = distinct
        linked = np.array(["account=linked"] if len(accounts) else [], dtype=object)
        blocks.append(_OneHot("account", codes, np.zeros(len(accounts), np.int32), linked))
        if posts is not None and "shared_post_id" in posts:
            reposts = posts[["account_id", "shared_post_id"]].astype("string")
            blocks.append(_social_block(codes, accounts, reposts, "reposted"))
        if follows is not None:
            links = follows[["follower_id", "followee_id"]].astype("string")
            blocks.append(_social_block(codes, accounts, links, "follows"))
    if not blocks:
        return TokenMatrix(sparse.csr_matrix((n, 0), dtype=np.float32), np.array([], dtype=str),
                           np.array([], dtype=str))
    pa.default_memory_pool().release_unused()   # arrow's cached pages from parsing, before X is written
    return _assemble(n, blocks)

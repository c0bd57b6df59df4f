"""Personal data replaced by keyed pseudonyms that keep what the detector reads.

:func:`pseudonymize` replaces e-mails, phones, names, IP addresses, postal codes and referrer
tails by keyed pseudonyms of the same shape, so that :func:`detector.detect` finds the same
clusters in the pseudonymized table (the detector's tokens, :mod:`.detection.features`, and
households, :func:`.detection.composition.household_units`, come out the same, up to the
renaming of the three tokens that are a value: ``phone``, ``postal_code`` and ``name``).
:func:`key_from` makes the key. What each column becomes, and why, is in the notes of
:func:`pseudonymize`.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import unicodedata

import numpy as np
import pandas as pd

from ._privacy_kernels import (_KEPT, _LOWER, _TITLE, _UNCASED, _UNSEEN, _UPPER, _apply, _classify_codes,
                               _ip_windows, _plan, _render)
from .detection.features import REGION_CHARS, REGION_MIN_CHARS

__all__ = ["pseudonymize", "key_from"]

_LABEL = b"detector.privacy.v1|"
_HEX_KEY = re.compile(r"(?:[0-9a-fA-F]{2}){16,}")
_PBKDF2_ROUNDS = 200_000


def key_from(text: str | None = None) -> bytes:
    """A key for :func:`pseudonymize`.

    Parameters
    ----------
    text : str or None
        At least 32 hexadecimal digits (an even number): those bytes. Any other text: a
        passphrase, stretched with PBKDF2-HMAC-SHA256 (200,000 rounds, fixed salt) into 32
        bytes, so the same passphrase gives the same key on every machine. ``None``: 32 fresh
        random bytes; pseudonyms made with a random key cannot be linked to those of another
        run (nor re-created), which is what to use when nothing needs joining later.

    Returns
    -------
    bytes

    Examples
    --------
    >>> key_from("00" * 32) == bytes(32)
    True
    >>> key_from("correct horse battery staple") == key_from("correct horse battery staple")
    True
    >>> key_from() != key_from()
    True
    """
    if text is None:
        return secrets.token_bytes(32)
    text = str(text)
    if not text.strip():
        raise ValueError("an empty passphrase is no key")
    if _HEX_KEY.fullmatch(text.strip()):
        return bytes.fromhex(text.strip())
    return hashlib.pbkdf2_hmac("sha256", text.encode("utf-8"), _LABEL + b"passphrase", _PBKDF2_ROUNDS)


def pseudonymize(registrations: pd.DataFrame, key: bytes | str) -> pd.DataFrame:
    """A copy of ``registrations`` with personal values replaced by keyed pseudonyms.

    Parameters
    ----------
    registrations : pandas.DataFrame
        Columns as in the data contract; any may be absent.
    key : bytes or str
        The secret (see :func:`key_from`; a ``str`` is passed through it). Keep it apart
        from the output: whoever holds it can test guesses of the original values.

    Returns
    -------
    pandas.DataFrame
        Same index, columns and dtypes (a categorical column gets the pseudonyms as categories).

    Notes
    -----
    Each value is read as the detector reads it (stripped). Per column:

    ============  ========================================  ======================================
    column        kept verbatim (what the detector reads)   keyed, same character classes
    ============  ========================================  ======================================
    email         the domain; the name's punctuation        the name's letters and digits; its
                  (``.``, ``_``, ``+`` ...)                 shape ``a.a9``, a ``+tag`` and its
                                                            ``~`` (unpronounceable) flag stay
    phone         the format; the area code (10 digits,     the other digits; the keyed digits
                  or 11 with a leading 1), the first two    depend on the number the detector
                  digits after ``+`` (not ``+1``), else     compares, not on how it is written
                  the first two after a trunk ``0``
    name          spaces, punctuation, each letter's case   letters (within their script) and
                                                            digits: words, case, digits stay
    ip            IPv4 ``a.b.c.``; IPv6 up to its third     the last IPv4 number (a byte of the
                  group (the /16 and /24 tokens)            same length); IPv6's other hex digits
    postal_code   a 5-digit code's first three digits       its last two (a ZIP+4 suffix is
                  (the region token reads two); another     dropped); another code's other
                  code's shape and region (its first two    characters
                  letters or digits, one of a shorter code)
    referrer      scheme, host, first path segment          the rest (deeper path, query string,
                  (the referrer tokens)                     fragment), as one keyed token
    ============  ========================================  ======================================

    ``user_agent``, ``account_id``, ``registration_id``, ``created_at``, ``event_id``,
    ``attended`` and other columns are copied unchanged: a user agent names a browser and a
    device shared by many (its words are the ``ua`` tokens the reasons quote); ``account_id``
    joins posts and follows (to drop it, pseudonymize it alike in all three tables); the
    others are not the registrant's personal data. Missing values, and empty strings (missing
    to the detector), stay.

    The key is the salt: a pseudonym depends on the key, the column and the value only, so
    the same value gets the same pseudonym in every table pseudonymized with the same key, and
    values equal but for letter case (as the detector compares them) get pseudonyms equal but
    for the same case. Where the keyed characters of a value can take fewer than 2**62 forms
    (a phone's 7 subscriber digits, an IPv4 byte, an e-mail name of up to 13 letters) they are
    *permuted*: an 8-round Feistel network over their mixed-radix number, with a SipHash-2-4
    round function under a key derived with HMAC-SHA256 from the key, the column and the
    value's format, cycle-walking back into the forms and onto those with the same flags the
    detector reads (an e-mail name's ``~``, a canonical IPv4 byte). So two different values
    never get the same pseudonym. Longer values, and values with letters of scripts not listed
    in ``_CASED_SCRIPTS`` / ``_UNCASED_SCRIPTS`` (replaced by letters of other blocks), get
    characters drawn from HMAC-SHA256(key, column, value), expanded with SipHash-2-4: two
    different values of one format collide with probability one over its number of forms,
    below 2**-56 for the long ones.

    Not preserved: a value's length, the case of each letter and the script show through
    (the shape the detector reads is made of them); an IPv6 interface part is lower-cased
    (``::ABCD`` and ``::abcd`` become one); Unicode case oddities the detector folds otherwise
    than character by character (``İ``, a final ``ς``) may split or merge a name's token.
    Pseudonyms are not anonymous: with the key, anyone can check a guessed value.

    Examples
    --------
    >>> regs = pd.DataFrame({"email": ["Jane.Doe94@gmail.com", None],
    ...                      "phone": ["(918) 555-0142", "+44 20 7946 0958"],
    ...                      "name": ["Jane Doe", "JANE DOE"],
    ...                      "ip": ["98.184.37.1", "2600:387:e9c6:9128::1"]})
    >>> out = pseudonymize(regs, key_from("00" * 32))
    >>> out["email"].tolist(), out["phone"].tolist()
    (['Gezo.Kyf68@gmail.com', nan], ['(918) 298-4979', '+44 68 6009 0345'])
    >>> out["name"].tolist(), out["ip"].tolist()
    (['Tloe Trn', 'TLOE TRN'], ['98.184.37.3', '2600:387:e9c6:4dab::b'])
    """
    if not isinstance(key, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"key must be bytes or str, not {type(key).__name__}")
    keys = _Keys(key_from(key) if isinstance(key, str) else bytes(key))
    if not keys.key:
        raise ValueError("an empty key is no key")
    out = registrations.copy()
    for column, rule in _RULES.items():
        if column in out.columns:
            out[column] = _column(out[column], rule, keys)
    return out


def _column(values: pd.Series, rule, keys: "_Keys") -> pd.Series:
    """Pseudonymize each distinct stripped value once; missing and empty values stay."""
    if isinstance(values.dtype, pd.CategoricalDtype):      # the categories are the distinct values
        codes, uniques = pd.factorize(_column(pd.Series(values.cat.categories), rule, keys))
        old = values.cat.codes.to_numpy()
        return pd.Series(pd.Categorical.from_codes(np.where(old >= 0, codes[old], -1), categories=uniques),
                         index=values.index, name=values.name)
    codes, uniques = pd.factorize(values.astype("string").str.strip())
    uniques = np.asarray(uniques, dtype=object)
    real = uniques != ""
    table = np.full(len(uniques) + 1, None, dtype=object)   # code -1 (missing) -> None
    table[np.flatnonzero(real)] = rule(uniques[real].tolist(), keys)
    result = table[codes]
    kept = ~np.append(real, False)[codes]
    if kept.any():
        result[kept] = values[kept].astype(object).to_numpy()
    result = pd.Series(result, index=values.index, name=values.name)
    return result.astype(values.dtype) if pd.api.types.is_string_dtype(values.dtype) else result


# ---- the columns: each rule takes distinct stripped values, returns their pseudonyms ----------

def _email(values: list, keys) -> list:
    return _replace(values, "email", keys, stop="@", rule=1)


def _name(values: list, keys) -> list:
    return _replace(values, "name", keys)


def _phone(values: list, keys) -> list:
    """Key the number the detector compares (``+`` and all digits abroad, else the 10-digit
    number, else all digits), then write its digits back into each value's own format."""
    t = _Text(values)
    digit = t.digit
    count = t.per_value(digit)
    at = np.flatnonzero(digit)
    first_at = at[np.minimum(np.cumsum(count) - count, max(len(at) - 1, 0))] if len(at) else t.starts
    first = np.where(count > 0, t.cp[first_at], 0)
    second = t.cp[np.minimum(t.starts + 1, len(t.cp) - 1)]
    intl = (t.cp[t.starts] == ord("+")) & ~((t.ends - t.starts > 1) & (second == ord("1")))
    nanp11 = (count == 11) & (first == ord("1")) & ~intl
    chosen = digit.copy()                   # the number: '+' and digits abroad, no leading 1 at home
    chosen[t.starts[intl]] = True
    chosen[first_at[nanp11]] = False
    size = count + intl - nanp11
    number = _Text.of(t.cp[chosen], size)
    keep = np.select([intl, (count == 10) | nanp11], [2, 3], np.minimum(count, np.where(first == ord("0"), 3, 2)))
    number.cp = _key(number, "phone", keys, keep=keep)
    t.cp = _render(t.cp, digit, t.starts, t.ends, number.cp, digit[chosen], number.starts, number.ends)
    lettered = t.per_value((t.cls != _KEPT) & ~digit) > 0
    out = t.strings()
    if lettered.any():          # letters too (``ext``, vanity numbers): keyed, digits kept
        out = np.asarray(out, dtype=object)
        out[lettered] = _replace(list(out[lettered]), "phone letters", keys, keep=count[lettered])
    return list(out)


def _region_end(value) -> int:
    """Where another format's region ends (features._postal_facets): after its second letter or
    digit, its first in a code of fewer than four."""
    at = [i for i, c in enumerate(value) if c.isalnum()] if isinstance(value, str) else []
    if not at:
        return 0
    return at[(REGION_CHARS if len(at) >= REGION_MIN_CHARS else 1) - 1] + 1


def _postal(values: list, keys) -> list:
    u = pd.Series(values, dtype=object)
    zip5 = u.str.upper().str.match(r"^\d{5}(?:-\d{4})?$").to_numpy(bool)
    ends = {v: _region_end(v) for v in set(u[~zip5].dropna())}          # once per distinct code
    region = np.array([0 if z else ends.get(v, 0) for v, z in zip(values, zip5)], dtype=np.int64)
    return _replace(list(u.where(~zip5, u.str.slice(0, 5))), "postal_code", keys, keep=np.where(zip5, 3, 0),
                    lo=region)


def _ip(values: list, keys) -> list:
    t = _Text(values)
    kind, lo = _ip_windows(t.cp, t.digit, t.starts, t.ends)
    none = t.ends - t.starts                # an empty window: nothing keyed
    t.cp = _key(t, "ip4", keys, lo=np.where(kind == 1, lo, none), rule=np.where(kind == 1, 2, 0))
    t.cp = _key(t, "ip", keys, lo=np.where(kind == 0, 0, np.where(kind == 3, lo, none)))
    t.cp = _key(_Text.of(t.cp, none, hexa=True), "ip6", keys, lo=np.where(kind == 2, lo, none))
    return t.strings()


_REFERRER = r"(?is)^((?:[a-z]+://)?(?:www\.)?[^/?#]+/?[^/?#]*)(.*)$"


def _referrer(values: list, keys) -> list:
    parts = pd.Series(values, dtype=object).str.extract(_REFERRER)
    head, tail = parts[0].fillna("").tolist(), parts[1].fillna("").tolist()
    tokens = iter(keys.hmac("referrer", [t.encode("utf-8", "surrogatepass") for t in tail if t]))
    return [h + t[0] + "~" + next(tokens).hex()[:20] if t else v for v, h, t in zip(values, head, tail)]


#: column -> rule (a new personal column is one function and one line here)
_RULES = {"email": _email, "phone": _phone, "name": _name, "postal_code": _postal, "ip": _ip,
          "referrer": _referrer}


class _Keys:
    """Keys derived from the user's key with HMAC-SHA256, one per purpose and column."""

    def __init__(self, key: bytes):
        self.key = key
        self._derived = {}

    def derive(self, label: str) -> bytes:
        if label not in self._derived:
            self._derived[label] = hmac.digest(self.key, _LABEL + label.encode(), "sha256")
        return self._derived[label]

    def words(self, label: str) -> tuple:
        k = np.frombuffer(self.derive("fpe|" + label)[:16], dtype="<u8")
        return np.uint64(k[0]), np.uint64(k[1])

    def hmac(self, label: str, messages) -> list:
        """HMAC-SHA256 under the column's key, the pads hashed once (2x faster than hmac.digest)."""
        block = self.derive("prf|" + label).ljust(64, b"\0")
        inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
        out = []
        for m in messages:
            i, o = inner.copy(), outer.copy()
            i.update(m)
            o.update(i.digest())
            out.append(o.digest())
        return out


# ---- characters: classes of letters and digits that are replaced within themselves ----------

_LETTER = re.compile(r"[^\W\d_]")     # what features._shape calls a letter
#: scripts whose letters are keyed within the script (others: drawn from _REPLACE_*)
_CASED_SCRIPTS = [(0xC0, 0x250), (0x370, 0x400), (0x400, 0x530)]     # Latin-1 + Extended-A/B, Greek, Cyrillic
_UNCASED_SCRIPTS = [(0x5D0, 0x5EB), (0x620, 0x64B), (0x904, 0x93A), (0xE01, 0xE31), (0x3041, 0x3097),
                    (0x30A1, 0x30FB), (0x4E00, 0xA000), (0xAC00, 0xD7A4)]   # Hebrew ... CJK, Hangul
#: replacement letters: Latin Extended Additional, Yi syllables, titlecase digraphs and Greek
_REPLACE_CASED, _REPLACE_UNCASED, _REPLACE_TITLE = (0x1E00, 0x1F00), (0xA000, 0xA48D), (0x1C5, 0x1FFD)


def _cased(c: str) -> bool:
    u = c.upper()
    return c.islower() and len(u) == 1 and u != c and u.lower() == c and u.isupper()


def _uncased(c: str) -> bool:
    return not c.islower() and not c.isupper() and c.upper() == c == c.lower()


def _letters(lo: int, hi: int, test) -> str:
    return "".join(c for c in map(chr, range(lo, hi)) if _LETTER.match(c) and test(c))


def _codes(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).copy()


@functools.lru_cache(maxsize=None)
def _alphabets():
    """The static classes ``(lower, upper)``: 0 ASCII letters, 1 ASCII digits, 2 hex digits, then
    the scripts; per ASCII code (text and hex) and per non-ASCII member (sorted): class, rank,
    upper, folded code; and the replacement letters (lower, upper, uncased, titlecase)."""
    classes = [("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), ("0123456789",) * 2,
               ("0123456789abcdef",) * 2]
    classes += [(s, s.upper()) for s in (_letters(a, b, _cased) for a, b in _CASED_SCRIPTS)]
    classes += [(s, s) for s in (_letters(a, b, _uncased) for a, b in _UNCASED_SCRIPTS)]
    members = sorted((ord(ch), c, r, ch != lower[r], ord(lower[r])) for c, (lower, upper) in enumerate(classes)
                     if c >= 3 for r in range(len(lower)) for ch in {lower[r], upper[r]})
    ascii_text, ascii_hex = np.zeros((128, 4), np.int64), np.zeros((128, 4), np.int64)
    for i, c in enumerate(map(chr, range(128))):
        low = c.lower()
        ascii_text[i] = ((0, ord(low) - 97, c.isupper(), ord(low)) if c.isalpha() else
                         (1, int(c), 0, i) if c.isdigit() else (_KEPT, 0, 0, i))
        ascii_hex[i] = (2, int(c, 16), 0, ord(low)) if low in "0123456789abcdef" else (_KEPT, 0, 0, i)
    rlow = _letters(*_REPLACE_CASED, _cased)
    title = _letters(*_REPLACE_TITLE, lambda c: unicodedata.category(c) == "Lt")
    return (classes, {False: ascii_text, True: ascii_hex}, np.array(members, dtype=np.int64),
            (_codes(rlow), _codes(rlow.upper()), _codes(_letters(*_REPLACE_UNCASED, _uncased)), _codes(title)))


class _Text:
    """Strings as one array of code points (``cp``), each from ``starts[i]`` to ``ends[i]``, with
    each character's class (``cls``: a class of :func:`_alphabets` or an extra digit block,
    ``_KEPT``, or an unlisted letter), rank in its class, case and folded code."""

    def __init__(self, values: list, hexa: bool = False):
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        self.ends = np.cumsum(lengths)
        self.starts = self.ends - lengths
        self.cp = np.frombuffer("".join(values).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        self.hexa = hexa
        self.classify()

    @classmethod
    def of(cls, cp: np.ndarray, lengths: np.ndarray, hexa: bool = False) -> "_Text":
        t = cls.__new__(cls)
        t.cp, t.ends, t.hexa = cp, np.cumsum(lengths), hexa
        t.starts = t.ends - lengths
        t.classify()
        return t

    def classify(self):
        classes, ascii_, members, _ = _alphabets()
        self.cls, self.rank, self.up, self.fold = _classify_codes(self.cp, ascii_[self.hexa], members)
        self.classes = list(classes)
        unseen = np.flatnonzero(self.cls == _UNSEEN)
        if len(unseen):
            odd, back = np.unique(self.cp[unseen], return_inverse=True)
            extra = np.array([_unlisted(int(u), self.classes, self.hexa) for u in odd], dtype=np.int64)[back.ravel()]
            self.cls[unseen], self.rank[unseen], self.up[unseen], self.fold[unseen] = extra.T
        lower = [low for low, _ in self.classes]
        self.lower = np.concatenate([_codes(low) for low in lower])
        self.upper = np.concatenate([_codes(up) for _, up in self.classes])
        self.radix = np.array([len(low) for low in lower], dtype=np.int64)
        self.offset = np.concatenate([[0], np.cumsum(self.radix)[:-1]])
        self.digit_class = np.array([c == 1 or (c >= 3 and low.isdecimal()) for c, low in enumerate(lower)])

    @property
    def digit(self) -> np.ndarray:
        """Per character: a decimal digit (``\\d``)?"""
        return (self.cls >= 0) & self.digit_class[np.maximum(self.cls, 0)]

    def per_value(self, flags: np.ndarray) -> np.ndarray:
        """How many characters of each value are flagged."""
        total = np.concatenate([[0], np.cumsum(flags, dtype=np.int64)])
        return total[self.ends] - total[self.starts]

    def strings(self) -> list:
        text = self.cp.tobytes().decode("utf-32-le", "surrogatepass")
        return [text[a:b] for a, b in zip(self.starts.tolist(), self.ends.tolist())]


def _unlisted(u: int, classes: list, hexa: bool) -> tuple:
    """A non-ASCII character outside the listed scripts: a digit of its own block (a class added
    to ``classes``), a letter (drawn from the replacement letters), or kept."""
    c = chr(u)
    if hexa:
        return (_KEPT, 0, 0, u)
    if re.match(r"\d", c):
        zero = u - unicodedata.decimal(c)
        block = "".join(map(chr, range(zero, zero + 10)))
        if block not in [low for low, _ in classes]:
            classes.append((block, block))
        return ([low for low, _ in classes].index(block), u - zero, 0, u)
    if _LETTER.match(c):
        kind = (_LOWER if c.islower() else _UPPER if c.isupper() else
                _TITLE if unicodedata.category(c) == "Lt" else _UNCASED)
        return (kind, 0, 0, ord(c.lower()) if len(c.lower()) == 1 else u)
    return (_KEPT, 0, 0, u)


def _replace(values: list, field: str, keys: _Keys, **how) -> list:
    if not values:
        return []
    t = _Text(values)
    t.cp = _key(t, field, keys, **how)
    return t.strings()


def _key(t: _Text, field: str, keys: _Keys, *, lo=0, keep=0, rule=0, stop: str | None = None) -> np.ndarray:
    """``t``'s code points with the letters and digits of each window keyed, every other character
    kept. A window runs from ``lo[i]`` (relative) to the first ``stop`` character or the end;
    its first ``keep[i]`` digits are kept. ``rule`` 1 (where ``stop`` was found): an e-mail
    name keeps its ``~`` flag; 2: an IPv4 byte stays canonical, or not."""
    n = len(t.starts)
    if n == 0:
        return t.cp
    lo = t.starts + np.asarray(lo, dtype=np.int64)
    keep, rule = (np.full(n, a, np.int64) if np.ndim(a) == 0 else np.asarray(a, np.int64) for a in (keep, rule))
    hi = t.ends
    if stop is not None:
        at = np.flatnonzero(t.cp == ord(stop))
        nxt = at[np.minimum(np.searchsorted(at, lo), len(at) - 1)] if len(at) else t.ends
        found = (nxt >= lo) & (nxt < t.ends)
        hi, rule = np.where(found, nxt, t.ends), np.where(found, rule, 0)
    width = int((t.ends - t.starts).max())
    drawn = _plan(lo, hi, keep, t.cls, t.digit_class, t.radix, width)
    seeds = np.zeros((n, 2), dtype=np.uint64)
    which = np.flatnonzero(drawn)
    if len(which):              # the folded value (UTF-32) is the message
        digests = keys.hmac(field, [t.fold[a:b].tobytes() for a, b in zip(t.starts[which], t.ends[which])])
        seeds[which] = np.frombuffer(b"".join(d[:16] for d in digests), dtype="<u8").reshape(-1, 2)
    k0, k1 = keys.words(field)
    return _apply(t.cp, t.cls, t.rank, t.up, t.fold, t.starts, t.ends, lo, hi, keep, rule, drawn, seeds,
                  k0, k1, t.radix, t.offset, t.lower, t.upper, t.digit_class, *_alphabets()[3], width)

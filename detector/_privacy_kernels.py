"""Compiled kernels of :mod:`detector.privacy` (numba, compiled on first use and cached on disk):
SipHash-2-4, a keyed Feistel permutation of small domains, and the per-character passes that
replace letters and digits within their class."""
from __future__ import annotations

import numpy as np
from numba import njit


#: character classes (negative: not a replaced letter or digit class)
_KEPT, _LOWER, _UPPER, _UNCASED, _TITLE, _UNSEEN = -1, -2, -3, -4, -5, -9
_U = np.uint64
_LIMIT = 1 << 62
_ROUNDS = 8
_VOWELS = np.array([0, 4, 8, 14, 20, 24], dtype=np.int64)              # a e i o u y
_CONSONANTS = np.array([r for r in range(26) if r not in _VOWELS], dtype=np.int64)


@njit(cache=True, inline="always")
def _is_vowel(r):  # pragma: no cover (compiled)
    """Is letter rank ``r`` (a = 0) one of a e i o u y (:data:`_VOWELS`)?"""
    return r == 0 or r == 4 or r == 8 or r == 14 or r == 20 or r == 24


@njit(cache=True, inline="always")
def _rounds(v0, v1, v2, v3, n):  # pragma: no cover (compiled)
    for _ in range(n):
        v0 += v1
        v1 = (v1 << _U(13)) | (v1 >> _U(51))
        v1 ^= v0
        v0 = (v0 << _U(32)) | (v0 >> _U(32))
        v2 += v3
        v3 = (v3 << _U(16)) | (v3 >> _U(48))
        v3 ^= v2
        v0 += v3
        v3 = (v3 << _U(21)) | (v3 >> _U(43))
        v3 ^= v0
        v2 += v1
        v1 = (v1 << _U(17)) | (v1 >> _U(47))
        v1 ^= v2
        v2 = (v2 << _U(32)) | (v2 >> _U(32))
    return v0, v1, v2, v3


@njit(cache=True)
def _sip(k0, k1, m):  # pragma: no cover (compiled)
    """SipHash-2-4 of one 8-byte little-endian word ``m`` under the key ``(k0, k1)``."""
    v0, v1 = k0 ^ _U(0x736F6D6570736575), k1 ^ _U(0x646F72616E646F6D)
    v2, v3 = k0 ^ _U(0x6C7967656E657261), k1 ^ _U(0x7465646279746573)
    last = _U(8) << _U(56)
    v0, v1, v2, v3 = _rounds(v0, v1, v2, v3 ^ m, 2)
    v0, v1, v2, v3 = _rounds(v0 ^ m, v1, v2, v3 ^ last, 2)
    v0, v1, v2, v3 = _rounds(v0 ^ last, v1, v2 ^ _U(0xFF), v3, 4)
    return v0 ^ v1 ^ v2 ^ v3


@njit(cache=True)
def _permute(x, nb, k0, k1):  # pragma: no cover (compiled)
    """A keyed permutation of [0, 2**nb): 8 Feistel rounds on halves of nb//2 and nb - nb//2 bits."""
    b = nb - nb // 2
    mask_l = (_U(1) << _U(nb // 2)) - _U(1)
    mask_r = (_U(1) << _U(b)) - _U(1)
    left, right = _U(x) >> _U(b), _U(x) & mask_r
    for r in range(_ROUNDS):
        tweak = (_U(r) << _U(56)) | (_U(nb) << _U(48))
        if r % 2 == 0:
            left ^= _sip(k0, k1, tweak | right) & mask_l
        else:
            right ^= _sip(k0, k1, tweak | left) & mask_r
    return np.int64((left << _U(b)) | right)


@njit(cache=True)
def _walk(x, size, k0, k1):  # pragma: no cover (compiled)
    """A keyed permutation of [0, size): :func:`_permute` on enough bits, cycle-walked back."""
    nb = 2
    while (1 << nb) < size:
        nb += 1
    y = _permute(x, nb, k0, k1)
    while y >= size:
        y = _permute(y, nb, k0, k1)
    return y


@njit(cache=True)
def _decode(y, pos, k, cls, radix, rk):  # pragma: no cover (compiled)
    """The digits ``rk`` of the mixed-radix number ``y`` (first position least significant)."""
    for t in range(k):
        r = radix[cls[pos[t]]]
        q = y // r
        rk[t] = y - q * r
        y = q


@njit(cache=True)
def _positions(lo, hi, keep, cls, digit, pos):  # pragma: no cover (compiled)
    """The keyed characters of a window: letters and digits but the first ``keep`` digits."""
    k = 0
    for j in range(lo, hi):
        c = cls[j]
        if c == _KEPT:
            continue
        if keep > 0 and c >= 0 and digit[c]:
            keep -= 1
            continue
        pos[k] = j
        k += 1
    return k


@njit(cache=True)
def _plan(lo, hi, keep, cls, digit, radix, width):  # pragma: no cover (compiled)
    """Per value: drawn from its HMAC (True) or permuted (False, < 2**62 forms, listed scripts)."""
    drawn = np.zeros(len(lo), dtype=np.bool_)
    pos = np.empty(width, dtype=np.int64)
    for i in range(len(lo)):
        size = 1
        for t in range(_positions(lo[i], hi[i], keep[i], cls, digit, pos)):
            c = cls[pos[t]]
            if c < 0 or size > _LIMIT // radix[c]:
                drawn[i] = True
                break
            size *= radix[c]
    return drawn


@njit(cache=True)
def _flag(rule, rk, pos, k, cls, lo, plus):  # pragma: no cover (compiled)
    """Rule 1: the e-mail name before ``+`` is 'hard' (five consonants in a row, or no vowel),
    as features._email_facets reads it. Rule 2: the digits are a canonical byte (0-255)."""
    if rule == 1:
        run, vowel, t = 0, False, 0
        for j in range(lo, plus):
            while t < k and pos[t] < j:
                t += 1
            if t < k and pos[t] == j and cls[j] == 0:
                r = rk[t]
                if _is_vowel(r):
                    vowel, run = True, 0
                else:
                    run += 1
                    if run >= 5:
                        return True
            else:
                run = 0
        return not vowel
    if rule == 2:
        if k == 0 or k > 3:
            return False
        value = 0
        for t in range(k):
            if cls[pos[t]] != 1:
                return False
            value = value * 10 + rk[t]
        return (k == 1 or rk[0] != 0) and value <= 255
    return False


@njit(cache=True)
def _apply(cp, cls, rank, up, fold, starts, ends, lo, hi, keep, rule, drawn, seeds, k0, k1,
           radix, offset, lower, upper, digit, rlow, rup, runc, rtitle, width):  # pragma: no cover (compiled)
    out = cp.copy()
    pos = np.empty(width, dtype=np.int64)
    rk = np.empty(width, dtype=np.int64)
    for i in range(len(starts)):
        k = _positions(lo[i], hi[i], keep[i], cls, digit, pos)
        if k == 0:
            continue
        plus = hi[i]                                            # an e-mail name ends at '+'
        for j in range(lo[i], hi[i] if rule[i] == 1 else lo[i]):
            if cp[j] == 43:
                plus = j
                break
        for t in range(k):
            rk[t] = rank[pos[t]]
        target = _flag(rule[i], rk, pos, k, cls, lo[i], plus)
        if drawn[i]:
            s0, s1 = seeds[i, 0], seeds[i, 1]
            for t in range(k):
                r = np.int64(_sip(s0, s1, _U(t)) >> _U(2))
                c = cls[pos[t]]
                if c == 0 and rule[i] == 1 and target and pos[t] < plus:
                    rk[t] = _CONSONANTS[r % 20]
                else:
                    rk[t] = r % radix[c] if c >= 0 else r
            if rule[i] == 1 and not target:
                _soften(rk, pos, k, cls, lo[i], plus, s0, s1)
        else:
            h, t = _U(0xCBF29CE484222325), 0
            for j in range(starts[i], ends[i]):                 # the format, kept characters folded
                word = _U(fold[j])
                if t < k and pos[t] == j:
                    word = _U(lower[offset[cls[j]]]) | (_U(1) << _U(40))   # the class, by its first letter
                    t += 1
                h = (h ^ word) * _U(0x100000001B3)
            t0, t1 = _sip(k0, k1, h), _sip(k1, k0, h)
            if rule[i] == 2 and target:                         # a canonical byte: within its own length
                base = 0 if k == 1 else 10 ** (k - 1)
                value = 0
                for t in range(k):
                    value = value * 10 + rk[t]
                value = base + _walk(value - base, (10 if k == 1 else min(10 ** k, 256)) - base, t0, t1)
                for t in range(k - 1, -1, -1):
                    rk[t], value = value % 10, value // 10
            else:
                size, x = 1, 0
                for t in range(k - 1, -1, -1):
                    size *= radix[cls[pos[t]]]
                    x = x * radix[cls[pos[t]]] + rk[t]
                y = x
                while True:                                     # cycle-walk: a bijection of the kept forms
                    y = _walk(y, size, t0, t1)
                    _decode(y, pos, k, cls, radix, rk)
                    if rule[i] == 0 or _flag(rule[i], rk, pos, k, cls, lo[i], plus) == target:
                        break
        for t in range(k):
            j, c = pos[t], cls[pos[t]]
            if c >= 0:
                out[j] = upper[offset[c] + rk[t]] if up[j] else lower[offset[c] + rk[t]]
            elif c == _LOWER:
                out[j] = rlow[rk[t] % len(rlow)]
            elif c == _UPPER:
                out[j] = rup[rk[t] % len(rup)]
            elif c == _TITLE:
                out[j] = rtitle[rk[t] % len(rtitle)]
            else:
                out[j] = runc[rk[t] % len(runc)]
    return out


@njit(cache=True)
def _soften(rk, pos, k, cls, lo, plus, s0, s1):  # pragma: no cover (compiled)
    """Drawn e-mail names that were not 'hard' must not become so: a vowel breaks every fifth
    consonant in a row, and the first letter becomes one if none was drawn."""
    run, vowel, first, t = 0, False, -1, 0
    for j in range(lo, plus):
        while t < k and pos[t] < j:
            t += 1
        if t < k and pos[t] == j and cls[j] == 0:
            first = t if first < 0 else first
            r = rk[t]
            if _is_vowel(r):
                vowel, run = True, 0
            else:
                run += 1
                if run >= 5:
                    rk[t] = _VOWELS[np.int64(_sip(s0, s1, _U(t) | (_U(1) << _U(40))) >> _U(2)) % 6]
                    vowel, run = True, 0
        else:
            run = 0
    if not vowel and first >= 0:
        rk[first] = _VOWELS[np.int64(_sip(s0, s1, _U(1) << _U(41)) >> _U(2)) % 6]


@njit(cache=True)
def _render(cp, is_digit, starts, ends, ncp, n_digit, nstarts, nends):  # pragma: no cover (compiled)
    """Each value's digits, from the last, replaced by those of its keyed number."""
    out = cp.copy()
    for i in range(len(starts)):
        p = nends[i] - 1
        for j in range(ends[i] - 1, starts[i] - 1, -1):
            while p >= nstarts[i] and not n_digit[p]:
                p -= 1
            if p < nstarts[i]:
                break
            if is_digit[j]:
                out[j] = ncp[p]
                p -= 1
    return out


@njit(cache=True)
def _classify_codes(cp, ascii_, members):  # pragma: no cover (compiled)
    """Per code point: class, rank, upper, folded code (``_UNSEEN``: to be looked at in Python)."""
    n = len(cp)
    cls, rank = np.empty(n, np.int32), np.zeros(n, np.int32)
    up, fold = np.zeros(n, np.bool_), cp.copy()
    keys = members[:, 0]
    for j in range(n):
        c = cp[j]
        if c < 128:
            cls[j], rank[j], up[j], fold[j] = ascii_[c, 0], ascii_[c, 1], ascii_[c, 2] != 0, ascii_[c, 3]
            continue
        p = np.searchsorted(keys, np.int64(c))
        if p < len(keys) and keys[p] == c:
            cls[j], rank[j], up[j], fold[j] = members[p, 1], members[p, 2], members[p, 3] != 0, members[p, 4]
        else:
            cls[j] = _UNSEEN
    return cls, rank, up, fold


@njit(cache=True)
def _ip_windows(cp, digit, starts, ends):  # pragma: no cover (compiled)
    """Per value: 1 IPv4 (``\\d+.\\d+.\\d+.\\d+``), 2 IPv6 (hex, ``:``, hex, ``:``, hex ...), 3 IPv6 with
    a dotted IPv4 part, 0 neither; and where the part after the detector's prefix starts."""
    kind, lo = np.zeros(len(starts), np.int64), np.zeros(len(starts), np.int64)
    for i in range(len(starts)):
        groups, run, last, ok = 0, 0, starts[i], True
        for j in range(starts[i], ends[i]):
            if digit[j]:
                run += 1
            elif cp[j] == 46 and run > 0 and groups < 3:
                groups, run, last = groups + 1, 0, j + 1
            else:
                ok = False
                break
        if ok and groups == 3 and run > 0:
            kind[i], lo[i] = 1, last - starts[i]
            continue
        colons, j = 0, starts[i]
        while j < ends[i]:
            c = cp[j]
            if (48 <= c <= 57) or (97 <= c <= 102) or (65 <= c <= 70) or (c == 58 and colons < 2):
                colons += c == 58
                j += 1
            else:
                break
        if colons == 2:
            kind[i], lo[i] = 2, j - starts[i]
            for q in range(j, ends[i]):
                if cp[q] == 46:
                    kind[i] = 3
    return kind, lo

"""Pseudonymization (detector/privacy.py): nothing personal survives, the detector reads the same.

The worlds are a Tulsa-like one and two domain-randomised ones (international phones, Korean
names, German postal codes, IPv6); each is pseudonymized once with a fixed key and checked
value by value, token by token, and by detecting it.
"""
import hmac
import re

import numpy as np
import pandas as pd
from pathlib import Path
import pytest

import detector
from detector.detection.composition import household_units
from detector.detection.facets import CHANNEL_FACETS, IDENTITY_FACETS
from detector.detection.features import token_matrix
from detector._privacy_kernels import _sip
from detector.privacy import _Keys, key_from, pseudonymize

KEY = key_from("5e" * 32)
WORLDS = [("tulsa", 5000, 3), ("random", 20_000, 1), ("random", 20_000, 2)]
#: the facets whose token is the value itself: renamed one-to-one, never kept
VALUE_FACETS = {"phone", "postal_code", "name"}
PERSONAL = ["email", "phone", "name", "ip", "postal_code", "referrer"]


@pytest.fixture(scope="module", params=WORLDS, ids=lambda w: f"{w[0]}-{w[2]}")
def world(request):
    name, n, seed = request.param
    sim = detector.simulate(name, n=n, seed=seed)
    raw = sim.registrations.drop(columns=["attended"])
    return sim, raw, pseudonymize(raw, KEY)


def _pairs(raw, pseudo, column):
    """Rows where the column holds a value: (raw, pseudonym), as the detector reads them (stripped)."""
    has = raw[column].notna()
    return list(zip(raw.loc[has, column].astype(str).str.strip(), pseudo.loc[has, column].astype(str).str.strip()))


def _agreement(a: str, b: str) -> float:
    return sum(x == y for x, y in zip(a, b)) / max(len(a), 1)


# ---- nothing of a raw value survives ------------------------------------------------------

def test_email_local_parts_do_not_survive(world):
    _, raw, pseudo = world
    pairs = [(r.lower().split("@", 1), p.lower().split("@", 1)) for r, p in _pairs(raw, pseudo, "email")]
    assert all(r[1:] == p[1:] for r, p in pairs)                    # the domain stays
    assert all(r[0] != p[0] for r, p in pairs if len(re.sub(r"\W", "", r[0])) >= 4)
    everything = "\n".join(p[0] for _, p in pairs)
    assert not [r[0] for r, _ in pairs if len(r[0]) >= 8 and r[0] in everything]
    assert np.mean([_agreement(r[0], p[0]) for r, p in pairs]) < 0.2


def _number(phone: str) -> str:
    """The detector's phone token (features._phone_facets)."""
    digits = re.sub(r"\D", "", phone)
    if phone.startswith("+") and not phone.startswith("+1"):
        return "+" + digits
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def test_subscriber_numbers_do_not_survive(world):
    _, raw, pseudo = world
    pairs = [(_number(r), _number(p)) for r, p in _pairs(raw, pseudo, "phone")]
    checked = []
    for r, p in pairs:
        head = 3 if r.startswith("+") or len(r) == 10 else min(len(r), 3 if r.startswith("0") else 2)
        assert r[:head] == p[:head] and len(r) == len(p)          # country / area code and length stay
        if len(r) - head >= 6:
            checked.append((r[head:], p[head:]))
    assert len(checked) > 0.5 * len(pairs)
    assert all(r != p for r, p in checked)
    assert np.mean([_agreement(r, p) for r, p in checked]) < 0.2   # ~0.1 for keyed digits


def test_names_do_not_survive(world):
    _, raw, pseudo = world
    pairs = [(r.lower(), p.lower()) for r, p in _pairs(raw, pseudo, "name")]
    assert all(r != p for r, p in pairs if sum(c.isalnum() for c in r) >= 4)
    out_words = {w for _, p in pairs for w in p.split()}
    assert not {w for r, _ in pairs for w in r.split() if len(w) >= 6} & out_words
    assert not {r for r, _ in pairs} & {p for _, p in pairs if len(p) >= 6}


def test_ip_hosts_do_not_survive(world):
    _, raw, pseudo = world
    pairs = _pairs(raw, pseudo, "ip")
    v4 = [(r.rsplit(".", 1), p.rsplit(".", 1)) for r, p in pairs if "." in r and ":" not in r]
    assert all(r[0] == p[0] for r, p in v4)                          # a.b.c stays
    assert all(0 <= int(p[1]) <= 255 and str(int(p[1])) == p[1] for _, p in v4)
    assert np.mean([r[1] == p[1] for r, p in v4]) < 0.05            # a keyed byte: ~1/150
    v6 = [(r.split(":", 3), p.split(":", 3)) for r, p in pairs if ":" in r]
    assert all(r[:3] == p[:3] for r, p in v6)                        # the first three groups stay
    everything = "\n".join(p[3] for _, p in v6 if len(p) > 3)
    assert not [r[3] for r, _ in v6 if len(r) > 3 and len(r[3]) >= 8 and r[3] in everything]


def test_postal_codes_and_referrer_tails(world):
    _, raw, pseudo = world
    zips = [(r, p) for r, p in _pairs(raw, pseudo, "postal_code") if re.fullmatch(r"\d{5}(-\d{4})?", r)]
    assert all(p == r[:3] + p[3:] and len(p) == 5 for r, p in zips)   # region kept, ZIP+4 suffix gone
    assert np.mean([r[3:5] == p[3:] for r, p in zips]) < 0.1
    if "referrer" in raw:
        tails = [(r, p) for r, p in _pairs(raw, pseudo, "referrer") if "?" in r]
        assert all(r.split("?")[1] not in p and "~" in p for r, p in tails)


# ---- keyed, deterministic, distinct, missing stays missing ---------------------------------

def test_same_key_same_pseudonyms_other_key_others(world):
    _, raw, pseudo = world
    pd.testing.assert_frame_equal(pseudonymize(raw, KEY), pseudo)
    other = pseudonymize(raw, key_from("another passphrase"))
    for column in ("email", "phone", "name"):
        assert (other[column] != pseudo[column])[raw[column].notna()].mean() > 0.95
    pd.testing.assert_frame_equal(pseudonymize(raw.head(50), "another passphrase"), other.head(50))


def test_a_pseudonym_depends_on_its_value_alone():
    """Not on the other values of the table (scripts, digit blocks, long values seen first)."""
    values = ["०१२३ ४५", "٠١٢٣٤٥٦٧٨٩", "+82 10 1234 5678", "Łódź Ḁnh", "ǅemal 7", "박지민",
              "x" * 30 + "@a.io", "Ivan Петров", "2600:387:e9c6:9128::1", "98.184.37.001", "SW1A 1AA",
              "74105-9543"]
    table = pd.DataFrame({c: values for c in PERSONAL})
    whole = pseudonymize(table, KEY)
    pd.testing.assert_frame_equal(pseudonymize(table.iloc[::-1], KEY), whole.iloc[::-1])
    for i in range(len(values)):
        pd.testing.assert_frame_equal(pseudonymize(table.iloc[[i]], KEY), whole.iloc[[i]])


def test_key_from():
    assert key_from("00" * 32) == bytes(32) and key_from("AbCd" * 8) == bytes.fromhex("abcd" * 8)
    assert key_from("a passphrase") == key_from("a passphrase") != key_from("a passphrasf")
    assert len(key_from("a passphrase")) == len(key_from()) == 32 and key_from() != key_from()
    with pytest.raises(ValueError):
        key_from("  ")
    with pytest.raises(ValueError):
        pseudonymize(pd.DataFrame({"email": ["a@b.c"]}), b"")


def test_different_values_get_different_pseudonyms(world):
    _, raw, pseudo = world
    for column in PERSONAL:
        if column not in raw:
            continue
        pairs = set(_pairs(raw, pseudo, column))
        raws, pseudos = {r for r, _ in pairs}, {p for _, p in pairs}
        if column == "postal_code":             # ZIP+4 suffixes are dropped on purpose
            raws = {r[:5] if re.fullmatch(r"\d{5}-\d{4}", r) else r for r in raws}
        assert len(pseudos) == len(raws), column


def test_small_domains_are_permuted_not_hashed():
    """A hash of 7 digits would collide (birthday bound): the keyed permutation cannot."""
    phones = [f"(918) 555-{i:04d}" for i in range(10_000)]
    ips = [f"10.1.2.{i}" for i in range(256)]
    emails = [f"{a}{b}@mail.com" for a in "abcdefghijklmnopqrstuvwxyz" for b in "abcdefghijklmnopqrstuvwxyz"]
    out = pseudonymize(pd.DataFrame({"phone": phones, "ip": ips * 39 + ips[:16], "email": emails * 14 + emails[:536]}),
                       KEY)
    assert out["phone"].nunique() == 10_000 and out["phone"].str.startswith("(918) 555-").mean() < 0.01
    assert sorted(out["ip"].unique(), key=lambda a: int(a.rsplit(".")[-1])) == ips
    assert out["email"].nunique() == 676 and out["email"].str.endswith("@mail.com").all()


def test_case_and_format_variants_stay_linked():
    regs = pd.DataFrame({"email": ["John.Smith@x.org", "john.smith@x.org"],
                         "name": ["JOHN SMITH", "John Smith"],
                         "phone": ["(918) 555-0142", "+1 918.555.0142"]})
    out = pseudonymize(regs, KEY)
    for column in regs:
        assert out[column][0] != out[column][1]                      # different inputs
    assert out["email"][0].lower() == out["email"][1].lower()       # ... one person to the detector
    assert out["name"][0].lower() == out["name"][1].lower() and out["name"][0].isupper()
    assert _number(out["phone"][0]) == _number(out["phone"][1])
    assert out["phone"][1].startswith("+1 918.") and out["phone"][0].startswith("(918) ")


def test_missing_values_stay_missing_and_other_columns_unchanged():
    regs = pd.DataFrame({"registration_id": ["a", "b", "c", "d"],
                         "created_at": pd.to_datetime(["2020-06-20T19:00:00Z"] * 4),
                         "email": ["x@y.z", None, "", "  "],
                         "phone": pd.array([pd.NA, "918-555-0142", "918-555-0142", None], dtype="string"),
                         "postal_code": pd.Categorical(["74105", None, "74105", "74106"]),
                         "user_agent": ["Mozilla/5.0 (iPhone) FBAN/FBIOS"] * 4,
                         "account_id": ["u1", None, "u3", "u4"]},
                        index=[10, 20, 30, 40])
    before = regs.copy()
    out = pseudonymize(regs, KEY)
    pd.testing.assert_frame_equal(regs, before)                      # the input is not modified
    assert list(out.columns) == list(regs.columns) and (out.index == regs.index).all()
    assert [str(d) for d in out.dtypes] == [str(d) for d in regs.dtypes]
    for column in ("email", "phone", "postal_code"):
        assert (out[column].isna() == regs[column].isna()).all()
    assert out["email"][30] == "" and out["email"][40] == "  " and out["email"][10] != "x@y.z"
    assert out["phone"][20] == out["phone"][30] != "918-555-0142"
    for column in ("registration_id", "created_at", "user_agent", "account_id"):
        pd.testing.assert_series_equal(out[column], regs[column])
    assert pseudonymize(regs[["registration_id"]], KEY).equals(regs[["registration_id"]])


# ---- the detector reads the same ---------------------------------------------------------

def _tokens_by_facet(tm) -> list:
    X = tm.X.tocsr()
    rows = []
    for i in range(X.shape[0]):
        by = {}
        for name in tm.names[X.indices[X.indptr[i]:X.indptr[i + 1]]]:
            by.setdefault(name.split("=", 1)[0], set()).add(name)
        rows.append({f: frozenset(v) for f, v in by.items()})
    return rows


def test_detector_tokens_and_households_are_the_same(world):
    _, raw, pseudo = world
    before, after = _tokens_by_facet(token_matrix(raw)), _tokens_by_facet(token_matrix(pseudo))
    renamed = {}
    for b, a in zip(before, after):
        assert b.keys() == a.keys()
        for facet in b:
            if b[facet] != a[facet]:
                renamed.setdefault(facet, set()).add((b[facet], a[facet]))
    assert set(renamed) == VALUE_FACETS & set(raw.columns)           # the tokens that are values
    for facet, pairs in renamed.items():
        assert len({b for b, _ in pairs}) == len(pairs) == len({a for _, a in pairs}), facet   # one to one
        assert all(not (b & a) for b, a in pairs)                   # no raw value left as a token
    present = {f for row in before for f in row}
    assert {"email_domain", "email_style", "phone_area", "ip16", "ip24", "name_style"} <= present
    assert present <= set(IDENTITY_FACETS) | set(CHANNEL_FACETS)
    columns = [c for c in ("phone", "ip") if c in raw]
    assert (household_units([raw[c] for c in columns]) == household_units([pseudo[c] for c in columns])).all()


def _f1(sim, regs) -> float:
    flagged = detector.detect(regs, progress=False).registrations.set_index("registration_id")["flagged"]
    truth = sim.truth.set_index("registration_id")["campaign"] != 0
    flagged = flagged.reindex(truth.index).to_numpy(bool)
    return 2 * (flagged & truth.to_numpy()).sum() / max(flagged.sum() + truth.sum(), 1)


def test_detection_quality_is_kept(world):
    sim, raw, pseudo = world
    assert abs(_f1(sim, pseudo) - _f1(sim, raw)) <= 0.01


# ---- the primitives ----------------------------------------------------------------------

def test_siphash_matches_the_reference_vector():
    key = bytes(range(16))
    k0, k1 = (np.uint64(int.from_bytes(key[i:i + 8], "little")) for i in (0, 8))
    m = np.uint64(int.from_bytes(bytes(range(8)), "little"))
    assert int(_sip(k0, k1, m)) == 0x93F5F5799A932462               # SipHash-2-4 paper, 8-byte message


def test_hmac_is_hmac_sha256():
    keys = _Keys(KEY)
    messages = [b"", b"jane.doe94", "박지민".encode()]
    expected = [hmac.digest(keys.derive("prf|name"), m, "sha256") for m in messages]
    assert keys.hmac("name", messages) == expected


def test_shapes_of_long_and_foreign_values_are_kept():
    """Values too long for the permutation, or in scripts outside the listed ones, are drawn
    from their HMAC: the detector's shapes must hold there too."""
    rng = np.random.default_rng(7)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    locals_ = ["".join(rng.choice(letters, rng.integers(1, 40))) + rng.choice(["", "7", "1990", ".x", "_9a"])
               for _ in range(3000)]
    regs = pd.DataFrame({"email": [f"{lp}@mail.com" for lp in locals_] + ["Ḁbc@x.io", "+tag@x.io", "@x.io"],
                         "name": [" ".join(lp.split(".")).title() for lp in locals_]
                         + ["Łódź Ḁnh", "ǅemal", "mañana"]})
    out = pseudonymize(regs, KEY)
    before, after = _tokens_by_facet(token_matrix(regs)), _tokens_by_facet(token_matrix(out))
    for b, a in zip(before, after):
        assert {f: v for f, v in b.items() if f != "name"} == {f: v for f, v in a.items() if f != "name"}
    assert (out["name"].str.lower() != regs["name"].str.lower()).mean() > 0.99
    assert out["email"].nunique() == regs["email"].nunique()


def test_regions_and_areas_of_other_countries_formats_survive():
    """The region of a postal code in any format and the area of a national phone number of any
    plan are what the detector reads of them: pseudonyms keep those tokens, and key the rest."""
    regs = pd.DataFrame({
        "postal_code": ["SW1A 1AA", "K1A 0B1", "604-7326", "A-1234", "75", "74103", "113 51", "00-950"],
        "phone": ["024685573", "23022610", "090 1234 5678", "+44 20 7946 0000", "(918) 555-0142", "12",
                  "38-2351269", "0048 66 998 2739"]})
    out = pseudonymize(regs, KEY)
    before, after = _tokens_by_facet(token_matrix(regs)), _tokens_by_facet(token_matrix(out))
    for b, a in zip(before, after):
        assert b["postal_region"] == a["postal_region"] and b["phone_area"] == a["phone_area"]
    areas = {next(iter(b["phone_area"])) for b in before}
    assert {"phone_area=24 (9 digits)", "phone_area=23 (8 digits)", "phone_area=38 (9 digits)"} <= areas
    regions = {next(iter(b["postal_region"])) for b in before}
    assert {"postal_region=60 (9-9)", "postal_region=SW (a9a 9a)", "postal_region=74"} <= regions
    assert (out["phone"] != regs["phone"]).mean() > 0.8 and (out["postal_code"] != regs["postal_code"]).mean() > 0.8


def test_cli_pseudonymize_leaves_no_raw_personal_value_in_any_output(tmp_path, monkeypatch):
    """``detector detect --pseudonymize``: no e-mail, phone, name or IP of the input appears in
    any output file (report included), and the flags are those of the raw run."""
    from click.testing import CliRunner

    from detector.cli import cli

    regs = Path(__file__).resolve().parents[1] / "fixtures" / "scenario" / "registrations.csv"
    monkeypatch.setenv("DETECTOR_PSEUDONYM_KEY", "test-key")
    runner = CliRunner()
    raw = runner.invoke(cli, ["detect", "-r", str(regs), "--out", str(tmp_path / "raw"), "-q"])
    done = runner.invoke(cli, ["detect", "-r", str(regs), "--out", str(tmp_path / "ps"), "-q", "--pseudonymize"])
    assert raw.exit_code == 0 and done.exit_code == 0, done.output
    text = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "ps").iterdir())
    table = pd.read_csv(regs, dtype=str)
    personal = set()
    for column in ("email", "phone", "name", "ip"):
        personal |= {v for v in table[column].dropna() if len(v) >= 6}
    personal |= {v.split("@")[0] for v in table["email"].dropna() if len(v.split("@")[0]) >= 6}
    # a value counts as leaked when it appears whole (a handle in a post's URL, kept as a referrer
    # path, may happen to start like somebody's e-mail name)
    leaked = [v for v in personal if re.search(rf"(?<![A-Za-z0-9]){re.escape(v)}(?![A-Za-z0-9])", text)]
    assert not leaked, leaked[:5]
    flags = [pd.read_csv(tmp_path / d / "registration_scores.csv")["flagged"] for d in ("raw", "ps")]
    assert flags[0].equals(flags[1])

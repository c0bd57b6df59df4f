"""Property tests: whatever registrations table comes in, ``detector.load`` and ``detector.detect``
either work, with every registration exactly once in the result, or raise one InputError.

Tables are generated with random ids (unicode, formula-like, whitespace, empty, repeated), random
timestamps (ISO 8601 with offsets, ``Z``, naive, dates, Unix seconds as integers and decimals,
datetime objects, values outside pandas' range, garbage), random optional columns with random
content, and 0 to 200 rows; they are given as a DataFrame, as a CSV file, or straight to detect().
"""
import datetime as dt
import os
import tempfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

import detector
from detector.errors import InputError

SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


# Keep Hypothesis's files out of the work tree: the example database is off, but it still caches
# constants and unicode tables under its home folder (by default ./.hypothesis).
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "detector-tests-hypothesis"))


UTC = dt.timezone.utc
#: ids a careless export or a hostile user could produce
ODD_IDS = ["", " ", "\t", "a ", " a", "=1+1", '=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0",
           "-2+3", "@SUM(A1)", "NA", "N/A", "null", "nan", "None", "NaT", "true", "007", "1e3", "0x1F", "🙂",
           "\u200b", "עברית", "x,y", 'q"uote', "line\nbreak", "cr\rid", "é", "ß", "#", "'quoted'"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)

ID = st.one_of(TEXT, st.sampled_from(ODD_IDS), st.integers(-10**9, 10**12).map(str),
               st.from_regex(r"R[0-9]{7}", fullmatch=True))

#: where the sign-ups fall: mostly one busy month, sometimes anywhere datetime can go
NEAR = st.datetimes(min_value=dt.datetime(2020, 6, 1), max_value=dt.datetime(2020, 6, 30))
WIDE = st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31))
EDGES = st.sampled_from([dt.datetime(1970, 1, 1), dt.datetime(1677, 9, 21, 0, 12, 44), dt.datetime(1677, 9, 22),
                         dt.datetime(2262, 4, 11, 20), dt.datetime(2262, 4, 11, 23, 47, 16), dt.datetime(1900, 1, 1),
                         dt.datetime(2038, 1, 19, 3, 14, 8)])
MOMENT = st.one_of(NEAR, NEAR, NEAR, WIDE, EDGES)
OFFSET = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
GARBAGE = st.one_of(st.just(None), st.just(""), st.just(" "), TEXT, st.sampled_from(
    ["soon", "2020-13-01T00:00:00Z", "2020-06-31", "20/06/2020 19:00", "1592697600000", "1e99", "inf", "-1",
     "2020-06-20T25:00:00Z", "T", "2020-06-20T19:00:00+99:00"]))

FORMATS = ["iso_offset", "iso_z", "naive", "date", "unix_int", "unix_float", "unix_text", "aware_objects",
           "naive_objects", "mixed"]


def _stamp(moment: dt.datetime, fmt: str, offset: dt.timezone, rng):
    """``moment`` (naive, meant as UTC) written in ``fmt``."""
    aware = moment.replace(tzinfo=UTC)
    if fmt == "mixed":
        fmt = rng.choice(FORMATS[:-1])
    if fmt == "iso_offset":
        return aware.astimezone(offset).isoformat() if 1 < moment.year < 9999 else aware.isoformat()
    if fmt == "iso_z":
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + "Z" if moment.year >= 1000 else moment.isoformat() + "Z"
    if fmt == "naive":
        return moment.isoformat(sep=" ")
    if fmt == "date":
        return moment.date().isoformat()
    seconds = (aware - dt.datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
    if fmt == "unix_int":
        return int(seconds)
    if fmt == "unix_float":
        return float(seconds)
    if fmt == "unix_text":
        return str(int(seconds))
    if fmt == "aware_objects":
        return pd.Timestamp(aware) if 1677 < moment.year < 2262 else aware
    return moment  # naive_objects


OPTIONAL = {
    "event_id": st.one_of(st.sampled_from(["rally", "gala", "-event", "=x", "", None]), TEXT),
    "account_id": st.one_of(st.sampled_from(["acct_1", "acct_2", "@acct", "", None]), TEXT),
    "email": st.one_of(st.sampled_from(["a@example.com", "b@mail.ru", "x@gmail.com", "", None, "not an email"]), TEXT),
    "phone": st.one_of(st.sampled_from(["9185162421", "+1 (918) 516-2421", "", None, "=1+2"]), TEXT),
    "name": st.one_of(st.sampled_from(["James Carter", "linda carter", "李雷", "", None]), TEXT),
    "postal_code": st.one_of(st.sampled_from(["74129", "02139", "SW1A 1AA", "", None]), TEXT),
    "ip": st.one_of(st.sampled_from(["104.14.198.221", "10.0.0.1", "2001:db8::1", "999.1.1.1", "", None]), TEXT),
    "user_agent": st.one_of(st.sampled_from(["Mozilla/5.0 (iPhone) Instagram", "curl/7.64", "", None]), TEXT),
    "referrer": st.one_of(st.sampled_from(["https://t.co/x", "https://www.facebook.com/", "newsletter", "", None]),
                          TEXT),
    "attended": st.sampled_from(["true", "false", "True", "FALSE", "yes", "no", "1", "0", "", None, "maybe", True,
                                 False]),
    "campaign_note": st.one_of(TEXT, st.none()),
    "registration_id_2": ID,
}


@st.composite
def registrations_tables(draw):
    """A registrations DataFrame as an export might hold it (object columns, any content)."""
    n = draw(st.integers(0, 200))
    unique = draw(st.booleans())
    ids = draw(st.lists(ID, min_size=n, max_size=n, unique=unique))
    rng = draw(st.randoms(use_true_random=False))
    fmt = draw(st.sampled_from(FORMATS))
    offset = draw(OFFSET)
    moments = draw(st.lists(MOMENT, min_size=n, max_size=n))
    stamps = [_stamp(m, fmt, offset, rng) for m in moments]
    if n and draw(st.booleans()):  # a few unreadable cells
        for _ in range(draw(st.integers(1, 3))):
            stamps[draw(st.integers(0, n - 1))] = draw(GARBAGE)
    table = {"registration_id": ids, "created_at": stamps}
    for column in draw(st.lists(st.sampled_from(sorted(OPTIONAL)), unique=True, max_size=len(OPTIONAL))):
        fill = draw(st.sampled_from(["random", "random", "one_value", "all_empty"]))
        if fill == "random":
            table[column] = draw(st.lists(OPTIONAL[column], min_size=n, max_size=n))
        else:
            table[column] = [draw(OPTIONAL[column]) if fill == "one_value" else draw(st.sampled_from(["", None]))] * n
    frame = pd.DataFrame(table, dtype=object) if n else pd.DataFrame({c: pd.Series([], dtype=object) for c in table})
    return frame


def _expected_ids(frame: pd.DataFrame) -> list:
    return [str(i) for i in frame["registration_id"]]


def _to_csv(frame: pd.DataFrame, folder: str) -> str:
    path = os.path.join(folder, "registrations.csv")
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


@SETTINGS
@given(frame=registrations_tables(), how=st.sampled_from(["frame", "csv"]))
def test_load_gives_every_row_typed_or_one_input_error(frame, how):
    before = frame.copy()
    with tempfile.TemporaryDirectory() as folder:
        source = _to_csv(frame, folder) if how == "csv" else frame
        try:
            data = detector.load(registrations=source)
        except InputError:
            return
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is not modified
    regs = data.registrations
    assert regs["registration_id"].tolist() == _expected_ids(frame)
    assert regs["registration_id"].is_unique
    assert str(regs["created_at"].dtype) == "datetime64[ns, UTC]"
    assert regs["created_at"].notna().all()


#: shapes found by this test before (kept as explicit examples, run every time)
ONE_ROW_EMPTY_IP = pd.DataFrame({"registration_id": ["0"], "created_at": ["1970-01-01T00:00:00+00:00"],
                                 "email": ["a@example.com"], "ip": [""]}, dtype=object)


@SETTINGS
@example(frame=ONE_ROW_EMPTY_IP, how="csv")
@example(frame=ONE_ROW_EMPTY_IP, how="frame")
@given(frame=registrations_tables(), how=st.sampled_from(["frame", "csv", "detect_only"]))
def test_detect_scores_every_registration_once_or_raises_one_input_error(frame, how):
    with tempfile.TemporaryDirectory() as folder:
        try:
            if how == "detect_only":
                result = detector.detect(frame, progress=False)
            else:
                source = _to_csv(frame, folder) if how == "csv" else frame
                result = detector.detect(detector.load(registrations=source), progress=False)
        except InputError:
            return
    ids = result.registrations["registration_id"].tolist()
    assert ids == _expected_ids(frame)
    assert len(set(ids)) == len(ids)
    scores = result.registrations["score"]
    assert scores.notna().all() and ((scores >= 0) & (scores <= 1)).all()
    flagged = set(result.registrations.loc[result.registrations["flagged"].astype(bool), "cluster_id"])
    assert flagged <= set(result.clusters["cluster_id"])
    assert result.summary["counts"]["registrations"] == len(frame)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_tables(n):
    """The smallest tables: none, one or two rows, each either scored or one InputError."""
    frame = pd.DataFrame({"registration_id": [f"r{i}" for i in range(n)],
                          "created_at": ["2020-06-20T19:00:00Z"] * n}, dtype=object)
    try:
        result = detector.detect(detector.load(registrations=frame), progress=False)
    except InputError:
        assert n == 0
        return
    assert result.registrations["registration_id"].tolist() == [f"r{i}" for i in range(n)]

"""Loading the input tables: good files load with the right types and UTC times; every kind
of bad input raises one InputError that names the file, the row and the column."""
import gzip
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from detector.errors import InputError
from detector.loading import Dataset, load, read_follows, read_posts, read_registrations
from detector.timestamps import parse_timestamps

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TINY = FIXTURES / "tiny"
BAD = FIXTURES / "bad"


def ts(text):
    return pd.Timestamp(text).tz_convert("UTC")


# --- good input ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny():
    return load(TINY / "registrations.csv", TINY / "posts.csv", TINY / "follows.csv")


def test_tiny_registrations_types(tiny):
    regs = tiny.registrations
    assert isinstance(tiny, Dataset)
    assert str(regs["created_at"].dtype) == "datetime64[ns, UTC]"
    assert str(regs["attended"].dtype) == "boolean"
    for column in ("event_id", "postal_code", "user_agent", "referrer"):
        assert isinstance(regs[column].dtype, pd.CategoricalDtype), column
    for column in ("registration_id", "account_id", "email", "campaign_note"):
        assert pd.api.types.is_string_dtype(regs[column].dtype), column
    assert isinstance(regs.index, pd.RangeIndex)


def test_tiny_timestamps_are_utc_with_mixed_offsets(tiny):
    assert tiny.registrations["created_at"].tolist() == [
        ts("2020-06-21T00:00:00Z"),  # 19:00 at -05:00
        ts("2020-06-21T00:01:00Z"),  # Z
        ts("2020-06-21T00:02:00Z"),  # 02:02 at +02:00
        ts("2020-06-21T00:03:00.5Z"),  # space separator, fraction, -05:00
        ts("2020-06-21T00:04:00Z"),  # +0000
    ]
    assert tiny.notes == []  # every timestamp had an offset


def test_ids_keep_leading_zeros_and_extra_columns_pass_through(tiny):
    regs = tiny.registrations
    assert regs["registration_id"].tolist() == ["007", "008", "009", "010", "0011"]
    assert regs["postal_code"].astype(str).tolist()[:3] == ["02139", "02139", "10001"]
    assert regs["campaign_note"].iloc[2] == "quoted, with comma"
    assert regs["campaign_note"].isna().tolist() == [False, True, False, True, False]
    assert pd.isna(regs["account_id"].iloc[2])


def test_attended_is_nullable_boolean(tiny):
    assert tiny.registrations["attended"].tolist() == [True, False, True, False, pd.NA]


def test_absent_optional_columns_are_not_created_but_event_id_is(tiny):
    regs = tiny.registrations
    for column in ("phone", "name", "ip"):
        assert column not in regs.columns
    naive = load(TINY / "registrations_naive.csv").registrations
    assert naive["event_id"].tolist() == ["event"] * 4
    assert isinstance(naive["event_id"].dtype, pd.CategoricalDtype)


def test_posts_and_follows(tiny):
    posts, follows = tiny.posts, tiny.follows
    assert posts["post_id"].tolist() == ["p01", "p02", "p03"]
    assert posts["text"].iloc[0] == "Sign up for the rally!\nLink below"  # newline inside quotes
    assert posts["shared_post_id"].isna().tolist() == [True, False, False]
    assert posts["created_at"].iloc[2] == ts("2020-06-19T16:06:00Z")
    assert isinstance(posts["platform"].dtype, pd.CategoricalDtype)
    assert follows.to_dict("list") == {"follower_id": ["acct_2", "acct_3"], "followee_id": ["acct_1", "acct_1"]}
    assert tiny.sources == {name: str(TINY / f"{name}.csv") for name in ("registrations", "posts", "follows")}
    assert "registrations=5 rows" in repr(tiny) and "<table>" in tiny._repr_html_()


def test_naive_timestamps_read_in_timezone_with_one_note():
    data = load(TINY / "registrations_naive.csv", timezone="America/Chicago")
    assert data.registrations["created_at"].tolist() == [
        ts("2020-06-21T00:00:00Z"),  # 19:00 CDT
        ts("2020-06-21T00:30:00Z"),
        ts("2020-06-21T00:00:00Z"),  # had Z: not moved
        ts("2020-06-20T05:00:00Z"),  # a bare date is midnight local
    ]
    assert data.notes == [f"{TINY / 'registrations_naive.csv'}: 3 timestamps had no offset; read them in America/Chicago"]
    assert load(TINY / "registrations_naive.csv").registrations["created_at"].iloc[0] == ts("2020-06-20T19:00:00Z")


def test_daylight_saving_gaps_and_repeats_are_resolved_with_a_note():
    regs = pd.DataFrame({"registration_id": ["a", "b"], "created_at": ["2020-11-01 01:30", "2020-03-08 02:30"]})
    data = load(regs, timezone="America/Chicago")
    assert data.registrations["created_at"].tolist() == [ts("2020-11-01T06:30Z"), ts("2020-03-08T08:00Z")]
    assert len(data.notes) == 2 and "daylight-saving" in data.notes[1]


def test_unix_seconds():
    data = load(TINY / "registrations_unix.csv")
    assert data.registrations["created_at"].tolist() == [
        ts("2020-06-21T00:00:00Z"), ts("2020-06-21T00:01:00Z"), ts("2020-06-21T00:00:00.25Z")]
    assert data.notes == []


def test_mapping_flat_renames_and_keeps_the_displaced_column():
    data = load(TINY / "registrations_mapped.csv",
                mapping={"registration_id": "Ticket ID", "created_at": "signup_time", "event_id": "Event"})
    regs = data.registrations
    assert regs["registration_id"].tolist() == ["T-001", "T-002"]
    assert regs["created_at"].iloc[0] == ts("2020-06-21T00:00:00Z")
    assert regs["event_id"].tolist() == ["gala", "gala"]
    assert regs["created_at_original"].tolist() == ["2019-01-01", "2019-01-02"]
    assert "kept as 'created_at_original'" in data.notes[0]


@pytest.mark.parametrize("mapping", [
    {"posts.created_at": "time", "posts.post_id": "id"},
    {"posts": {"created_at": "time", "post_id": "id"}},
])
def test_mapping_for_another_table(tmp_path, mapping):
    path = tmp_path / "posts.csv"
    path.write_text("id,account_id,time\np1,a,2020-06-20T19:00:00Z\n", encoding="utf-8")
    data = load(TINY / "registrations.csv", posts=path, mapping=mapping)
    assert data.posts["post_id"].tolist() == ["p1"]
    assert data.posts["created_at"].iloc[0] == ts("2020-06-20T19:00:00Z")


def test_dataframe_input_is_not_modified_and_named():
    regs = pd.DataFrame({"registration_id": [7, 8], "created_at": ["2020-06-20T19:00:00Z", "2020-06-20T19:01:00Z"],
                         "attended": [True, False]}, index=[10, 11])
    before = regs.copy()
    data = load(regs)
    pd.testing.assert_frame_equal(regs, before)
    assert data.sources == {"registrations": "<registrations DataFrame>"}
    assert data.registrations["registration_id"].tolist() == ["7", "8"]
    assert data.registrations["attended"].tolist() == [True, False]


def test_parquet_round_trip(tmp_path):
    regs = pd.DataFrame({
        "registration_id": ["007", "008"],
        "created_at": pd.to_datetime(["2020-06-20T19:00:00-05:00", "2020-06-21T00:01:00Z"], utc=True),
        "postal_code": ["02139", None],
        "attended": pd.array([True, None], dtype="boolean"),
        "extra": [1.5, 2.5],
    })
    for suffix in (".parquet", ".pq"):
        path = tmp_path / f"regs{suffix}"
        regs.to_parquet(path)
        back = load(path).registrations
        assert back["registration_id"].tolist() == ["007", "008"]
        assert back["created_at"].tolist() == [ts("2020-06-21T00:00:00Z"), ts("2020-06-21T00:01:00Z")]
        assert str(back["created_at"].dtype) == "datetime64[ns, UTC]"
        assert back["attended"].tolist() == [True, pd.NA]
        assert back["extra"].tolist() == [1.5, 2.5]


def test_named_index_becomes_a_column(tmp_path):
    regs = pd.DataFrame({"registration_id": ["007"], "created_at": ["2020-06-20T19:00:00Z"]})
    regs = regs.set_index("registration_id")
    assert load(regs).registrations["registration_id"].tolist() == ["007"]
    regs.to_parquet(tmp_path / "regs.parquet")
    assert load(tmp_path / "regs.parquet").registrations["registration_id"].tolist() == ["007"]


def test_parquet_naive_datetimes_and_unix_integers(tmp_path):
    path = tmp_path / "regs.parquet"
    pd.DataFrame({"registration_id": [1, 2],
                  "created_at": pd.to_datetime(["2020-06-20 19:00", "2020-06-20 19:01"])}).to_parquet(path)
    data = load(path, timezone="America/Chicago")
    assert data.registrations["created_at"].iloc[0] == ts("2020-06-21T00:00:00Z")
    assert data.registrations["registration_id"].tolist() == ["1", "2"]
    assert "2 timestamps had no offset" in data.notes[0]
    pd.DataFrame({"registration_id": ["a"], "created_at": [1592697600]}).to_parquet(path)
    assert load(path).registrations["created_at"].iloc[0] == ts("2020-06-21T00:00:00Z")


def test_gzip_and_byte_order_mark(tmp_path):
    gz = tmp_path / "regs.csv.gz"
    with open(TINY / "registrations.csv", "rb") as f, gzip.open(gz, "wb") as out:
        shutil.copyfileobj(f, out)
    assert load(gz).registrations["registration_id"].iloc[0] == "007"
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + (TINY / "registrations_unix.csv").read_bytes())
    assert load(bom).registrations["registration_id"].tolist() == ["u1", "u2", "u3"]


def test_read_functions_return_frames_with_notes():
    regs = read_registrations(TINY / "registrations_naive.csv")
    assert regs.attrs["notes"] and regs.attrs["source"].endswith("registrations_naive.csv")
    assert len(read_posts(TINY / "posts.csv")) == 3
    assert len(read_follows(TINY / "follows.csv")) == 2


@pytest.mark.parametrize("text, expected", [
    ("2020-06-20T19:00:00 +00:00", "2020-06-20T19:00:00Z"),  # a form only pandas reads
    ("2020-06-20T19:00:00.123456789+05", "2020-06-20T14:00:00.123456789Z"),
    ("2020-06-20T19:00-05:00", "2020-06-21T00:00:00Z"),
])
def test_iso_forms(text, expected):
    parsed, _ = parse_timestamps(pd.Series([text, "2020-06-20T19:00:00Z"]), source="x.csv", column="t")
    assert parsed.iloc[0] == ts(expected)


def test_out_of_range_years_are_errors():
    with pytest.raises(InputError, match="row 2, column 't': cannot read '3000-01-01T00:00:00Z'"):
        parse_timestamps(pd.Series(["2020-06-20T19:00:00Z", "3000-01-01T00:00:00Z"]), source="x.csv", column="t")


def test_windows_line_endings(tmp_path):
    path = tmp_path / "regs.csv"
    path.write_bytes(b"registration_id,created_at\r\n007,2020-06-20T19:00:00Z\r\n")
    assert load(path).registrations["registration_id"].tolist() == ["007"]


def test_registrations_are_required():
    with pytest.raises(TypeError):
        load(None)


def test_parse_timestamps_is_vectorised_enough():
    values = pd.Series(["2020-06-20T19:00:00-05:00", "2020-06-21T00:00:00Z"] * 100_000, dtype="str")
    parsed, notes = parse_timestamps(values, source="x.csv", column="created_at")
    assert parsed.iloc[0] == parsed.iloc[1] == ts("2020-06-21T00:00:00Z") and notes == []


# --- bad input -------------------------------------------------------------------------------

BAD_CASES = [
    # file, reader, row, column, words the message must contain
    ("empty.csv", load, None, None, ["is empty"]),
    ("header_only.csv", load, None, None, ["has a header but no rows"]),
    ("missing_created_at.csv", load, None, None,
     ["'created_at'", "'registration_id', 'signup_time', 'email'", "--map created_at=signup_time"]),
    ("posts_no_post_id.csv", read_posts, None, None, ["'post_id'", "--map posts.post_id=id"]),
    ("bad_timestamp.csv", load, 3, "created_at", ["'20/06/2020 19:02'", "ISO 8601 with an offset", "Unix seconds"]),
    ("bad_month.csv", load, 2, "created_at", ["'2020-13-20T19:01:00Z'", "ISO 8601"]),
    ("empty_timestamp.csv", load, 2, "created_at", ["is empty"]),
    ("mixed_formats.csv", load, 3, "created_at", ["'1592697600'", "one format"]),
    ("millis.csv", load, 1, "created_at", ["out of range", "milliseconds"]),
    ("duplicate_id.csv", load, 4, "registration_id", ["'a2'", "rows 2 and 4"]),
    ("empty_id.csv", load, 2, "registration_id", ["is empty"]),
    ("bad_attended.csv", load, 2, "attended", ["'maybe'", "true, false"]),
    ("ragged_row.csv", load, 2, None, ["4 fields", "header has 3"]),
    ("latin1.csv", load, 2, "name", ["0xE9", "line 3", "UTF-8"]),
    ("unknown_extension.txt", load, None, None, ["unknown file type '.txt'", ".parquet"]),
]


@pytest.mark.parametrize("file, reader, row, column, words", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_input_names_file_row_and_column(file, reader, row, column, words):
    with pytest.raises(InputError) as caught:
        reader(BAD / file)
    error = caught.value
    assert error.source == str(BAD / file)
    assert (error.row, error.column) == (row, column)
    message = str(error)
    assert message.startswith(str(BAD / file))
    for word in words:
        assert word in message


def test_file_not_found_and_folder(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="folder"):
        load(tmp_path)


def test_bad_timezone():
    with pytest.raises(InputError, match="unknown time zone 'Mars/Olympus'") as caught:
        load(TINY / "registrations.csv", timezone="Mars/Olympus")
    assert caught.value.source == "timezone"


def test_mapping_errors():
    with pytest.raises(InputError, match="'signup' is not a registrations column") as caught:
        load(TINY / "registrations_mapped.csv", mapping={"signup": "signup_time"})
    assert caught.value.source == "mapping"
    with pytest.raises(InputError, match="has no column 'when' to use as 'created_at'") as caught:
        load(TINY / "registrations_mapped.csv", mapping={"created_at": "when"})
    assert caught.value.column == "when" and "'signup_time'" in str(caught.value)
    with pytest.raises(InputError, match="'tweets' is not a table"):
        load(TINY / "registrations.csv", mapping={"tweets.created_at": "t"})


def test_missing_column_suggests_a_close_name(tmp_path):
    path = tmp_path / "regs.csv"
    path.write_text("Registration_ID,Created_At\n1,2020-06-20T19:00:00Z\n", encoding="utf-8")
    with pytest.raises(InputError, match="--map registration_id=Registration_ID"):
        load(path)


def test_dataframe_errors_use_positions():
    regs = pd.DataFrame({"registration_id": ["a", "b", "c"],
                         "created_at": ["2020-06-20T19:00:00Z", "2020-06-20T19:00:00Z", "soon"]}, index=[5, 6, 7])
    with pytest.raises(InputError) as caught:
        load(regs)
    assert str(caught.value).startswith("<registrations DataFrame>: row 3, column 'created_at': cannot read 'soon'")


def test_errors_name_the_column_as_it_is_in_the_file(tmp_path):
    path = tmp_path / "regs.csv"
    path.write_text("id,when\n1,2020-06-20T19:00:00Z\n1,2020-06-20T19:01:00Z\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(path, mapping={"registration_id": "id", "created_at": "when"})
    assert (caught.value.row, caught.value.column) == (2, "id")


def test_other_bad_tables(tmp_path):
    posts = tmp_path / "posts.csv"
    posts.write_text("post_id,account_id,created_at\np1,a,2020-06-20T19:00:00Z\np1,b,2020-06-20T19:00:00Z\n")
    with pytest.raises(InputError, match=r"post_id 'p1' appears in rows 1 and 2 with different account_id \('a' and 'b'\)"):
        read_posts(posts)
    follows = tmp_path / "follows.csv"
    follows.write_text("follower_id,followee_id\na,b\nc,\n")
    with pytest.raises(InputError) as caught:
        read_follows(follows)
    assert (caught.value.row, caught.value.column) == (2, "followee_id")
    twice = tmp_path / "twice.csv"
    twice.write_text("registration_id,created_at,x,x\n1,2020-06-20T19:00:00Z,a,b\n")
    with pytest.raises(InputError, match="two columns named 'x'"):
        load(twice)
    short = tmp_path / "short.csv"
    short.write_text("registration_id,created_at,name\n1,2020-06-20T19:00:00Z\n")
    with pytest.raises(InputError, match="has 2 fields, but the header has 3") as caught:
        load(short)
    assert caught.value.row == 1


def test_empty_event_ids_are_one_event_with_a_note():
    regs = pd.DataFrame({"registration_id": ["a", "b"], "created_at": ["2020-06-20T19:00:00Z"] * 2,
                         "event_id": ["gala", None]})
    data = load(regs)
    assert data.registrations["event_id"].tolist() == ["gala", "event"]
    assert "1 rows had no event_id" in data.notes[0]


def test_big_file_keeps_ids_as_text(tmp_path):
    """A column of numbers-with-leading-zeros beyond pyarrow's first block stays text."""
    n = 200_000
    path = tmp_path / "regs.csv"
    ids = np.char.zfill(np.arange(n).astype(str), 8)
    pd.DataFrame({"registration_id": ids, "created_at": np.arange(n) + 1_592_697_600}).to_csv(path, index=False)
    regs = load(path).registrations
    assert regs["registration_id"].iloc[-1] == f"{n - 1:08d}"
    assert regs["created_at"].iloc[-1] == ts("2020-06-21T00:00:00Z") + pd.Timedelta(seconds=n - 1)


def test_line_breaks_counted_instead_of_searched_only_when_they_prove_none_in_cells(tmp_path):
    """The search for line breaks inside cells (a quote never closed) is skipped only when the
    file holds exactly one line per row and the header."""
    from detector.loading import _one_line_per_row

    cases = {"plain": (b"a,b\n1,2\n3,4\n", 2, True), "no final break": (b"a,b\n1,2\n3,4", 2, True),
             "crlf": (b"a,b\r\n1,2\r\n3,4\r\n", 2, True), "blank line": (b"a,b\n1,2\n\n3,4\n", 2, False),
             "break in a cell": (b'a,b\n1,"x\ny"\n3,4', 2, False), "swallowed": (b'a,b\n1,"x\n3,4\n', 1, False)}
    for what, (raw, rows, expected) in cases.items():
        path = tmp_path / "f.csv"
        path.write_bytes(raw)
        assert _one_line_per_row(path, rows) is expected, what
    gz = tmp_path / "f.csv.gz"
    gz.write_bytes(b"")
    assert _one_line_per_row(gz, 0) is False

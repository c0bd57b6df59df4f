"""benchmarks/transfer.py: campaign members counted by the odd attributes the export still holds."""
import importlib.util
from pathlib import Path

import pandas as pd

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "transfer.py"
_spec = importlib.util.spec_from_file_location("transfer_benchmark", _PATH)
transfer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(transfer)


def _truth():
    return pd.DataFrame({
        "registration_id": ["a", "b", "c", "d", "e", "f"],
        "campaign": [1, 1, 1, 2, 0, 0],
        "odd_attributes": ["email|phone|ip", "ip|account", None, "name", "email", None]})


def _export(columns, blank=()):
    """The registrations of ``_truth()`` with ``columns`` filled, ``(row, column)`` in ``blank`` left blank."""
    regs = pd.DataFrame({"registration_id": list("abcdef")})
    for c in columns:
        regs[c] = [None if (r, c) in blank else f"{c}-{r}" for r in regs["registration_id"]]
    return regs


def test_dropped_columns_do_not_count():
    flagged = pd.Series([True, False, False, True, True, False], index=list("abcdef"))
    # ip and account_id are not in the export: "a" keeps email and phone, "b" nothing, "d" its name
    out, shares = transfer._visible_odd(_truth(), flagged, _export(["email", "phone", "name"]))
    assert shares == {1: 1 / 3, 2: 1.0}
    assert out == {"members_odd0": 2, "flagged_odd0": 0, "members_odd1": 1, "flagged_odd1": 1,
                   "members_odd2": 1, "flagged_odd2": 1, "members_odd3+": 0, "flagged_odd3+": 0}


def test_every_column_kept():
    flagged = pd.Series(False, index=list("abcdef"))
    out, _ = transfer._visible_odd(_truth(), flagged, _export(set(transfer.ODD_COLUMNS.values())))
    assert [out[f"members_odd{g}"] for g in transfer.VISIBLE_GROUPS] == [1, 1, 1, 1]   # organic rows never count
    assert sum(out[f"flagged_odd{g}"] for g in transfer.VISIBLE_GROUPS) == 0


def test_truth_without_odd_attributes():
    truth = _truth().drop(columns="odd_attributes")
    assert transfer._visible_odd(truth, pd.Series(True, index=list("abcdef")), _export(["email"])) == ({}, {})


def test_blank_cells_do_not_count():
    """A member odd in a column its own row leaves blank (or whitespace) shows nothing there."""
    flagged = pd.Series(False, index=list("abcdef"))
    regs = _export(set(transfer.ODD_COLUMNS.values()), blank={("a", "email"), ("a", "phone"), ("d", "name")})
    regs.loc[regs["registration_id"] == "b", "ip"] = "  "
    out, shares = transfer._visible_odd(_truth(), flagged, regs)
    # "a" keeps ip only, "b" account only, "c" and "d" show nothing
    assert [out[f"members_odd{g}"] for g in transfer.VISIBLE_GROUPS] == [2, 2, 0, 0]
    assert shares == {1: 2 / 3, 2: 0.0}


def test_ceiling_flags_exactly_the_members_odd_in_k_attributes():
    worlds = pd.DataFrame([{"members_odd0": 10, "members_odd1": 20, "members_odd2": 30, "members_odd3+": 40},
                           {"members_odd0": 0, "members_odd1": 0, "members_odd2": 0, "members_odd3+": 5}])
    # world 0: k=2 finds 70 of 100 members with no false positive, F1 = 2 * 0.7 / 1.7
    assert transfer.visible_ceiling(worlds, 2).round(4).tolist() == [round(1.4 / 1.7, 4), 1.0]
    assert transfer.visible_ceiling(worlds, 0).tolist() == [1.0, 1.0]
    one, two, three = (transfer.visible_ceiling(worlds, k).iloc[0] for k in (1, 2, 3))
    assert one > two > three     # a stricter k finds fewer members


def test_event_shares_of_campaigns():
    """A campaign's share of the event most of its members signed up for."""
    truth = pd.DataFrame({"event_id": ["a"] * 4 + ["b"] * 4, "campaign": [1, 1, 1, 0, 2, 0, 0, 0]})
    assert transfer.event_shares(truth) == {1: 0.75, 2: 0.25}
    assert transfer.event_shares(truth.drop(columns="event_id")) == {}


def test_targets_say_why_large_campaigns_were_missed():
    worlds = pd.DataFrame([{"f1": 0.5, "max_camouflage": 0.1, "flagged_share": 0.2, "campaigns": 2, "error": "",
                            "big_campaigns": 3, "big_missed": 2, "big_missed_hidden": 1, "big_missed_filling": 1,
                            "covered": True}])
    found = {name: measured for name, measured, _ in transfer.targets(worlds)}
    big = next(v for k, v in found.items() if k.startswith("campaigns >="))
    assert big == ("1/3 (of the missed: 1 under half their members odd in a value the export holds; "
                   "1 over half of their event's sign-ups)")

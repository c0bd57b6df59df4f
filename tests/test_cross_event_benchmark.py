"""benchmarks/cross_event.py: the attribute shift across events, measured before detection uses it."""
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from detector.detection.features import token_matrix

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "cross_event.py"
_spec = importlib.util.spec_from_file_location("cross_event_benchmark", _PATH)
cross_event = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cross_event)


def _regs(n_events=5, per_event=300, burner=0):
    """Ordinary addresses on a few common domains in every event; ``burner`` sign-ups of the
    last event on a throwaway domain instead."""
    rng = np.random.default_rng(0)
    domains = np.array(["gmail.com", "yahoo.com", "outlook.com", "icloud.com"])
    emails = [f"user{i}@{d}" for i, d in enumerate(domains[rng.integers(0, 4, n_events * per_event)])]
    for k in range(burner):
        emails[-1 - k] = f"fan{k}@burner.io"
    return pd.DataFrame({"email": emails}), np.repeat([f"e{k}" for k in range(n_events)], per_event)


def test_ordinary_events_give_no_evidence():
    regs, events = _regs()
    assert not cross_event.cross_event_evidence(token_matrix(regs), events).any()


def test_a_throwaway_domain_filling_one_event_is_seen_there_only():
    regs, events = _regs(burner=240)            # 80% of the last event
    hit = cross_event.cross_event_evidence(token_matrix(regs), events)
    assert hit[-240:].all() and not hit[:-240].any()


def test_fewer_than_three_events_are_not_compared():
    regs, events = _regs(n_events=2, burner=240)
    assert not cross_event.cross_event_evidence(token_matrix(regs), events).any()


def test_names_count_only_when_asked():
    regs, events = _regs(burner=0)
    regs["name"] = ["ana lima"] * len(regs)
    regs.loc[len(regs) - 200:, "name"] = "ot7 forever"        # a fandom's handle as a name, one event
    tm = token_matrix(regs)
    assert not cross_event.cross_event_evidence(tm, events).any()
    assert cross_event.cross_event_evidence(tm, events, families=("email", "name"))[-200:].all()


def test_summary_bands_by_campaign_share():
    rows = pd.DataFrame({"n": [100, 100, 100], "campaign": [0, 20, 80], "evidence": [1, 10, 60],
                         "campaign_evidence": [0, 9, 59]})
    table = cross_event.summary(rows)
    assert table["events"].tolist() == [1, 1, 1]
    assert table.loc["campaign >= 50%", "precision"] == round(59 / 60, 3)
    assert table.loc["no campaign", "worst event, organic with evidence"] == 0.01


def test_a_missing_event_is_a_block_of_its_own():
    regs, events = _regs(burner=240)
    events = events.astype(object)
    events[:300] = None                         # the first event's id left blank
    hit = cross_event.cross_event_evidence(token_matrix(regs), events)
    assert hit[-240:].all() and not hit[:-240].any()

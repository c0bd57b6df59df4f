"""The result of a simulation and how it is written to disk."""
from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .scenarios import Scenario

__all__ = ["SimulatedData", "iso_local"]

_TIME_COLUMNS = {"registrations": ["created_at"], "posts": ["created_at"], "campaigns": ["start"],
                 "surges": ["start"], "events": ["start", "registration_opens"]}
_BOOL_COLUMNS = {"registrations": ["attended"], "truth": ["camouflaged"]}
_EXPORT = ("registrations", "posts")   # the tables whose times follow ``Scenario.time_style``


def iso_local(times: pd.Series, tz: str) -> pd.Series:
    """ISO 8601 strings with the local UTC offset of ``tz``, e.g. ``2020-06-20T19:00:00-05:00``.

    Parameters
    ----------
    times : Series of tz-aware timestamps
    tz : str
        IANA time zone name.

    Examples
    --------
    >>> iso_local(pd.Series(pd.to_datetime(["2020-06-21T00:00:00Z"])), "America/Chicago").tolist()
    ['2020-06-20T19:00:00-05:00']
    """
    if len(times) == 0:
        return pd.Series([], dtype=object, index=times.index)
    utc = times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[s]")
    local = times.dt.tz_convert(tz).dt.tz_localize(None).to_numpy().astype("datetime64[s]")
    off = (local - utc).astype(np.int64)
    text = np.datetime_as_string(local, unit="s").astype(object)
    uniq, inv = np.unique(off, return_inverse=True)
    labels = np.array([f"{'+' if o >= 0 else '-'}{abs(o) // 3600:02d}:{abs(o) % 3600 // 60:02d}" for o in uniq],
                      dtype=object)
    out = text + labels[inv]
    out[pd.isna(times).to_numpy()] = ""
    return pd.Series(out, index=times.index, dtype=object)


def _stamp(times: pd.Series, tz: str, style: str) -> pd.Series:
    if style == "local":
        return iso_local(times, tz)
    if style == "utc":
        return iso_local(times, "UTC")
    local = times.dt.tz_convert("UTC" if style == "naive_utc" else tz).dt.tz_localize(None)
    return local.dt.strftime("%Y-%m-%d %H:%M:%S").astype(object).where(times.notna(), "")


def _plain(x):
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, tuple):
        return list(x)
    return str(x)


@dataclass(repr=False)
class SimulatedData:
    """Simulated registrations, social-media context and the ground truth.

    Attributes
    ----------
    registrations : DataFrame
        The contract's registration columns, sorted by ``created_at`` (UTC).
    posts : DataFrame
        ``post_id, account_id, created_at, text, url, shared_post_id, platform``.
    follows : DataFrame
        ``follower_id, followee_id``.
    truth : DataFrame
        One row per registration: ``registration_id, event_id, campaign, surge, camouflaged,
        camouflage_share, odd_attributes, person_id, group_id, component, driver_post_id``.
    campaigns, surges : DataFrame
        One row per coordinated campaign / organic surge.
    accounts : DataFrame
        ``account_id, role, campaign`` for every account that appears in a post, a follow or a
        registration. Roles: official, organiser, influencer, sharer, news, person, audience, noise.
    events : DataFrame
        ``event_id, timezone, start, registration_opens``.
    scenario : Scenario
        The parameters used. ``n`` and ``seed`` are those of the run (for ``"random"`` with
        ``seed=None``, the seed drawn).
    knobs : dict
        A compact summary of the knobs, with each campaign's size, camouflage, burst ratio and
        duration (see :func:`detector.simulation.randomise.knobs`); written as ``knobs.json``.
    """

    registrations: pd.DataFrame
    posts: pd.DataFrame
    follows: pd.DataFrame
    truth: pd.DataFrame
    campaigns: pd.DataFrame
    surges: pd.DataFrame
    accounts: pd.DataFrame
    events: pd.DataFrame
    scenario: Scenario
    n: int
    seed: int | None
    knobs: dict = field(default_factory=dict)

    @property
    def timezone(self) -> str:
        """The events' IANA time zone, used when writing timestamps."""
        return str(self.events["timezone"].iloc[0])

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables written by :meth:`write`, by file stem."""
        return {"registrations": self.registrations, "posts": self.posts, "follows": self.follows,
                "truth": self.truth, "campaigns": self.campaigns, "surges": self.surges,
                "accounts": self.accounts, "events": self.events}

    def write(self, out_dir) -> list[str]:
        """Write every table as ``<name>.csv`` (UTF-8, one header row) into ``out_dir``.

        Timestamps are written in ISO 8601 with the events' local offset (the registrations and
        posts as ``Scenario.time_style`` says: with the local offset, in UTC, or without an offset
        in UTC or local time), booleans as ``true``/``false``, missing values as empty fields. The
        knobs go to ``knobs.json``. Returns the paths written.
        """
        os.makedirs(out_dir, exist_ok=True)
        paths = []
        style = getattr(self.scenario, "time_style", "local")
        for stem, df in self.tables().items():
            out = df.copy()
            for c in _TIME_COLUMNS.get(stem, []):
                out[c] = _stamp(out[c], self.timezone, style if stem in _EXPORT else "local")
            for c in _BOOL_COLUMNS.get(stem, []):
                out[c] = np.where(out[c].to_numpy(dtype=bool), "true", "false")
            path = os.path.join(out_dir, f"{stem}.csv")
            out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.6g")
            paths.append(path)
        path = os.path.join(out_dir, "knobs.json")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(self.knobs, fh, indent=1, default=_plain)
            fh.write("\n")
        paths.append(path)
        return paths

    def summary(self) -> dict:
        """Counts and shares as plain Python values."""
        camp = int((self.truth["campaign"] > 0).sum())
        return {"scenario": self.scenario.name, "n": self.n, "seed": self.seed,
                "campaigns": len(self.campaigns), "campaign_registrations": camp,
                "campaign_share": round(camp / max(self.n, 1), 4), "surges": len(self.surges),
                "surge_registrations": int((self.truth["surge"] > 0).sum()),
                "posts": len(self.posts), "follows": len(self.follows), "accounts": len(self.accounts)}

    def __repr__(self) -> str:
        s = self.summary()
        return (f"SimulatedData(scenario={s['scenario']!r}, n={s['n']}, seed={s['seed']}, "
                f"campaigns={s['campaigns']} ({s['campaign_share']:.1%} of registrations), "
                f"surges={s['surges']}, posts={s['posts']}, follows={s['follows']})")

    def _repr_html_(self) -> str:
        parts = [f"<p><b>{html.escape(repr(self))}</b></p>"]
        for title, df in (("Campaigns", self.campaigns), ("Organic surges", self.surges)):
            parts.append(f"<h4>{title}</h4>" + (df.to_html(index=False) if len(df) else "<p>none</p>"))
        return "\n".join(parts)

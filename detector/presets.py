"""Column layouts of other tools' posts exports, read as they are (``--preset`` / ``preset=``).

A preset names the contract column each of the tool's columns holds, and the co-action kinds
its layout implies. Columns the file lacks are left out (only ``post_id``, ``account_id`` and
``created_at`` are required); ``--map`` pairs given with a preset override its own.

- ``coortweet``: CooRTweet's long format (``prep_data`` / ``detect_groups`` input): one row per
  post and shared object, ``object_id, account_id, content_id, timestamp_share`` (unix
  seconds). ``content_id`` is the post, ``object_id`` the shared object: co-action kind
  ``column:object_id``.
- ``cnt``: coordination-network-toolkit's CSV (``compute_networks preprocess --format csv``):
  ``message_id, user_id, username, repost_id, reply_id, message, timestamp, urls``; kinds
  ``link``, ``share`` and ``text`` as CNT computes them.

Examples
--------
>>> PRESETS["coortweet"].mapping["post_id"], PRESETS["coortweet"].kinds
('content_id', ('column:object_id',))
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError

__all__ = ["Preset", "PRESETS", "preset_mapping", "detect_preset"]


@dataclass(frozen=True)
class Preset:
    """One tool's posts layout.

    Attributes
    ----------
    name : str
    mapping : dict
        Contract column -> the tool's column.
    kinds : tuple of str
        The co-action kinds the layout holds.
    """

    name: str
    mapping: dict
    kinds: tuple
    tool: str = ""

    @property
    def required(self) -> tuple:
        """The tool's columns that hold the contract's required ones."""
        return tuple(self.mapping[c] for c in ("post_id", "account_id", "created_at"))


PRESETS = {
    "coortweet": Preset("coortweet", {"post_id": "content_id", "account_id": "account_id",
                                      "created_at": "timestamp_share"}, ("column:object_id",), "CooRTweet"),
    "cnt": Preset("cnt", {"post_id": "message_id", "account_id": "user_id", "created_at": "timestamp",
                          "shared_post_id": "repost_id", "text": "message", "url": "urls"}, ("link", "share", "text"),
                 "coordination-network-toolkit"),
}


def preset_mapping(preset: str | None, columns, source: str = "posts") -> dict:
    """The posts mapping of ``preset`` for a file with ``columns`` (optional columns it lacks left out).

    Raises
    ------
    InputError
        For an unknown preset, or a file that lacks a column the preset needs.

    Examples
    --------
    >>> preset_mapping("cnt", ["message_id", "user_id", "timestamp", "urls"])
    {'post_id': 'message_id', 'account_id': 'user_id', 'created_at': 'timestamp', 'url': 'urls'}
    """
    if preset is None:
        return {}
    if preset not in PRESETS:
        raise InputError("--preset", f"unknown preset {preset!r}; expected one of {', '.join(PRESETS)}")
    p = PRESETS[preset]
    columns = [str(c) for c in columns]
    missing = [c for c in p.required if c not in columns]
    if missing:
        raise InputError(source, f"has no {', '.join(map(repr, missing))} column, which the {preset!r} preset "
                         f"reads ({', '.join(p.required)}); columns found: {', '.join(map(repr, columns[:20]))}")
    return {key: column for key, column in p.mapping.items() if column in columns}


def detect_preset(columns) -> str | None:
    """The preset whose required columns a file has, for a hint (None when none fits).

    Examples
    --------
    >>> detect_preset(["object_id", "account_id", "content_id", "timestamp_share"])
    'coortweet'
    """
    columns = {str(c) for c in columns}
    for name, p in PRESETS.items():
        if set(p.required) <= columns:
            return name
    return None

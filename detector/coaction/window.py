"""`estimate_window`: the co-action window taken from the data (CooRnet's idea)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .actions import actions

__all__ = ["estimate_window", "resolve_window", "LITERATURE_WINDOWS"]

#: Windows coordination studies use, in seconds: CooRTweet's default is 10 s, CNT's examples
#: and many Twitter studies use 60 s, 30 s sits between (Giglietto et al.; Graham et al.).
LITERATURE_WINDOWS = (10, 30, 60)


def estimate_window(posts: pd.DataFrame, kind: str = "link", *, q: float = 0.1, p: float = 0.5,
                    episode_gap: float = 3600, compat: str | None = None) -> float:
    """Seconds in which the fastest-shared objects reach a share ``p`` of their actions.

    Objects acted on by at least two posts are ranked by the delay of their second action after
    the first. For the quickest ``q`` of them, the time from the first action until more than a
    share ``p`` of the object's actions had happened is measured; the window is the median of
    those times, at least 1 second. This follows CooRnet's ``estimate_coord_interval``: what is
    unusually fast is judged against the data itself, not fixed in advance.

    One difference: an object's actions are split into episodes wherever ``episode_gap``
    seconds pass without one, and each episode counts as an object. A link that a campaign
    pushes in several rounds days apart would otherwise take days to reach half its shares.

    Parameters
    ----------
    posts : DataFrame
        The contract's posts table.
    kind : str, default "link"
        The object kind, as in :func:`detector.coaction.coaction_network`.
    q : float, default 0.1
        Share of objects, the quickest by second action, that are looked at.
    p : float, default 0.5
        Share of an object's actions that must be reached.
    episode_gap : float, default 3600
        Seconds of silence that end an episode; ``inf`` gives CooRnet's reading exactly.

    Returns
    -------
    float
        Seconds; ``nan`` when no object was acted on twice.

    Examples
    --------
    >>> import pandas as pd
    >>> t = [0, 4, 8, 1000, 1300, 2000, 2900, 5000, 5002, 5003]
    >>> posts = pd.DataFrame({"post_id": [str(i) for i in range(10)], "account_id": list("abcabcabca"),
    ...     "created_at": pd.to_datetime(t, unit="s", utc=True),
    ...     "url": ["x", "x", "x", "y", "y", "z", "z", "w", "w", "w"]})
    >>> estimate_window(posts, "link", q=0.5)
    3.0
    """
    if not (0 < q <= 1 and 0 <= p < 1):
        raise ValueError("q must be in (0, 1] and p in [0, 1)")
    act = actions(posts, kind, compat=compat)
    if len(act) < 2:
        return float("nan")
    o = np.lexsort((act.time, act.obj))
    obj, t = act.obj[o], act.time[o] / 1e9
    new = np.r_[True, (obj[1:] != obj[:-1]) | (np.diff(t) > episode_gap)]
    start = np.flatnonzero(new)
    count = np.diff(np.r_[start, len(obj)])
    multi = count >= 2
    if not multi.any():
        return float("nan")
    start, count = start[multi], count[multi]
    second = t[start + 1] - t[start]
    fast = second <= np.quantile(second, q)
    start, count = start[fast], count[fast]
    # first rank r (1-based) with r / count > p, i.e. r = floor(p * count) + 1
    reach = start + np.floor(p * count).astype(np.int64)
    value = float(np.median(t[reach] - t[start]))
    return max(value, 1.0)


def resolve_window(posts: pd.DataFrame, kind: str, window) -> tuple[float, str]:
    """The window of one kind in seconds and, for ``"auto"``, why: the estimate beside the
    windows the literature uses.

    Returns
    -------
    seconds : float
    why : str
        Empty unless ``window == "auto"``.

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"post_id": list("0123"), "account_id": list("abab"),
    ...     "created_at": pd.to_datetime([0, 400, 1000, 1400], unit="s", utc=True), "url": list("xxyy")})
    >>> seconds, why = resolve_window(posts, "link", "auto")
    >>> seconds, why.split(". ")[-1]
    (400.0, '400 s is wider: more chance co-shares will be edges, so keep the null model on, or give --window 60 to compare')
    """
    if window != "auto":
        return float(window), ""
    w = estimate_window(posts, kind)
    if not np.isfinite(w):
        return 60.0, "window auto: no object was shared twice, so 60 s (nothing to estimate from)"
    low, high = LITERATURE_WINDOWS[0], LITERATURE_WINDOWS[-1]
    usual = ", ".join(map(str, LITERATURE_WINDOWS[:-1])) + f" or {high} s"
    text = (f"window auto = {w:g} s: the median time the quickest 10% of objects (by their second share) took to "
            f"reach half of their shares (CooRnet's estimate); studies use {usual}. ")
    if w > high:
        text += (f"{w:g} s is wider: more chance co-shares will be edges, so keep the null model on, or give "
                 f"--window {high} to compare")
    elif w < low:
        text += f"{w:g} s is narrower: only the fastest co-shares count; --window {low} would catch slower ones"
    else:
        text += "It lies within that range"
    return float(w), text

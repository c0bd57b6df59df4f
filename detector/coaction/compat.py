"""CooRTweet-compatible co-action networks (``compat="coortweet"``, ``--compat coortweet``).

Reproduces the edge set of CooRTweet 2.1.3's ``detect_groups(x, time_window, min_participation)``
followed by ``generate_coordinated_network(edge_weight=q, subgraph=1)``, written from its
documented method and checked against it (``benchmarks/compare_coortweet.py``):

1. accounts with fewer than ``min_participation`` rows (shares: one row per post and object) are
   dropped;
2. every two rows of the same object within ``|t1 - t2| <= time_window`` seconds are a pair;
3. pairs of one account, of one post, or where the object is one of the two posts themselves
   are dropped (``remove_loops``);
4. among the posts left in pairs, an account's rows are counted again, and a pair is kept when
   at least one of its two posts belongs to an account with ``min_participation`` such rows;
5. the weight of an account pair is its number of pairs: an account that shares one object
   three times next to another's one share makes three;
6. edges heavier than the ``q`` quantile of all weights (linear interpolation, R's default) are
   kept, strictly above it.

Our default mode differs on purpose: weights count an account's posts matched by the other
(the smaller of both directions), not post pairs, so one account re-posting an object cannot
make a heavy edge alone; a null model replaces the median cut-off.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .actions import KINDS, _column, arrow_strings, parse_kind, post_rows

__all__ = ["coortweet_pairs", "coortweet_network"]


def _rows(posts: pd.DataFrame, kind: str, split: str | None):
    """Every (row, object label) of a kind, without merging a post's repeated rows."""
    base, column = parse_kind(kind)
    if column is None:
        return KINDS[base](posts, None)
    how = split or ("auto" if base == "hashtag" else "none")
    return _column(posts, column, how, hashtags=base == "hashtag")


def coortweet_pairs(posts: pd.DataFrame, kind: str = "column:object_id", *, window: float = 10,
                    min_participation: int = 2, split: str | None = None) -> pd.DataFrame:
    """CooRTweet's ``detect_groups`` table: one row per pair of shares of one object.

    Returns
    -------
    DataFrame
        ``object_id, content_id, content_id_y, time_delta, account_id, account_id_y``, the
        older share first (``time_delta >= 0`` seconds).
    """
    import pyarrow as pa

    rows, labels = _rows(posts, kind, split)
    rows = np.asarray(rows, dtype=np.int64)
    objects = pd.Series(pa.array(labels).to_numpy(zero_copy_only=False), dtype=object)
    account = arrow_strings(posts["account_id"]).to_numpy(zero_copy_only=False).astype(object)[rows]
    content = posts["post_id"].astype(str).to_numpy(dtype=object)[rows]
    t = posts["created_at"].to_numpy(dtype="datetime64[ns]").astype(np.int64)[rows]
    # integer codes: the filters below are set lookups, done on codes rather than on strings
    acc_code, acc_names = pd.factorize(account)
    con_code, con_names = pd.factorize(content)
    # 1. accounts with at least min_participation rows
    keep = np.bincount(acc_code, minlength=len(acc_names))[acc_code] >= min_participation
    obj_label = objects.to_numpy(dtype=object)[keep]
    obj_code = pd.factorize(obj_label)[0]
    acc_code, con_code, t = acc_code[keep], con_code[keep], t[keep]
    # the object is one of the two posts (a retweet's id as the object of another share): a loop
    obj_is = pd.Index(con_names).get_indexer(obj_label)
    # 2. pairs of rows of one object within the window (each unordered pair once)
    o = np.lexsort((t, obj_code))
    from . import pairs as _pairs

    lo, hi = _pairs.window_bounds(obj_code[o], t[o], int(round(float(window) * 1e9)))
    count = hi - np.arange(len(o)) - 1
    i = np.repeat(np.arange(len(o)), count)
    j = i + 1 + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))
    i, j = o[i], o[j]
    # 3. remove loops
    ok = (acc_code[i] != acc_code[j]) & (con_code[i] != con_code[j]) & (obj_is[i] != con_code[i]) \
        & (obj_is[i] != con_code[j])
    i, j = i[ok], j[ok]
    # 4. the second participation filter: rows of the posts left, counted per account again
    in_pairs = np.zeros(len(con_names), dtype=bool)
    in_pairs[con_code[i]] = True
    in_pairs[con_code[j]] = True
    left = in_pairs[con_code]
    per_account = np.bincount(acc_code[left], minlength=len(acc_names))
    good = np.zeros(len(con_names), dtype=bool)
    good[con_code[left & (per_account[acc_code] >= min_participation)]] = True
    ok = good[con_code[i]] | good[con_code[j]]
    i, j = i[ok], j[ok]
    account, content = np.asarray(acc_names, dtype=object)[acc_code], np.asarray(con_names, dtype=object)[con_code]
    # 5. older share first
    swap = t[i] > t[j]
    first, second = np.where(swap, j, i), np.where(swap, i, j)
    return pd.DataFrame({"object_id": obj_label[first], "content_id": content[first], "content_id_y": content[second],
                         "time_delta": (t[second] - t[first]) / 1e9, "account_id": account[first],
                         "account_id_y": account[second]})


def coortweet_network(posts: pd.DataFrame, kind: str = "column:object_id", *, window: float = 10,
                      min_participation: int = 2, edge_weight: float = 0.5, split: str | None = None) -> pd.DataFrame:
    """CooRTweet's coordinated network (``subgraph=1``) as an edge table.

    Parameters
    ----------
    posts : DataFrame
        The contract's posts (``read_posts(..., preset="coortweet")`` reads CooRTweet's layout).
    kind : str or list of str, default "column:object_id"
        The shared object, as in :func:`detector.coaction.coaction_network`; several kinds are
        paired each on its own and their pairs stacked before the weights and the cut-off (the
        multi-modal network of CooRTweet's vignette: ``rbindlist`` of ``detect_groups`` results).
    window : float, default 10
        ``time_window`` in seconds (inclusive).
    min_participation : int, default 2
    edge_weight : float, default 0.5
        Quantile of the pair weights that edges must exceed.
    split : str, optional
        How a named column's cell holds several objects.

    Returns
    -------
    DataFrame
        ``account_1, account_2, weight, avg_time_delta, n_content_id, n_content_id_y``
        (``account_1 < account_2``), heaviest first.

    Examples
    --------
    >>> posts = pd.DataFrame({"post_id": list("12345678"), "account_id": list("ababacbc"),
    ...     "created_at": pd.to_datetime([0, 5, 100, 104, 900, 903, 2000, 3000], unit="s", utc=True),
    ...     "object_id": list("xxyyzzzw")})
    >>> coortweet_network(posts, window=10)     # weights a-b 2, a-c 1: above the median (1.5)
      account_1 account_2  weight  avg_time_delta  n_content_id  n_content_id_y
    0         a         b       2             4.5             2               2
    """
    if not 0 <= edge_weight <= 1:
        raise ValueError(f"edge_weight must be from 0 to 1, got {edge_weight!r}")
    kinds = [kind] if isinstance(kind, str) else list(kind)
    # several kinds: their detect_groups tables stacked before one network, as CooRTweet's vignette does
    p = pd.concat([coortweet_pairs(posts, k, window=window, min_participation=min_participation, split=split)
                   for k in kinds], ignore_index=True)
    cols = ["account_1", "account_2", "weight", "avg_time_delta", "n_content_id", "n_content_id_y"]
    if p.empty:
        return pd.DataFrame(columns=cols)
    a, b = p["account_id"].to_numpy(dtype=object), p["account_id_y"].to_numpy(dtype=object)
    swap = a > b
    p = p.assign(account_1=np.where(swap, b, a), account_2=np.where(swap, a, b))
    g = p.groupby(["account_1", "account_2"], sort=True).agg(
        weight=("time_delta", "size"), avg_time_delta=("time_delta", "mean"),
        n_content_id=("content_id", "nunique"), n_content_id_y=("content_id_y", "nunique")).reset_index()
    cut = np.quantile(g["weight"].to_numpy(float), edge_weight)
    g = g[g["weight"].to_numpy(float) > cut]
    return g.sort_values(["weight", "account_1", "account_2"], ascending=[False, True, True],
                         kind="stable").reset_index(drop=True)[cols]

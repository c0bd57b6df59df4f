"""Posts meet registrations: sign-up clusters split by trigger post, registrants tied to a
cluster's trigger joined to it, and account clusters (from posts) merged with the sign-up
clusters they share accounts with.

A registrant is tied to a trigger when the account linked to the sign-up wrote in the trigger's
cascade or follows its author (:mod:`.triggers`). Those who signed up after the trigger went up
and at most ``after_hours`` after the cluster's last sign-up, in the same event, and are in no
flagged cluster yet, join the cluster with its score times ``TIE_STRENGTH`` -- but only when
the trigger ties at most ``MAX_BASE_SHARE`` of the other registrants: a post that many ordinary
registrants are tied to (the official announcement, followed by a third of them) says nothing
about who joined a campaign.

An account cluster and a sign-up cluster are the same campaign seen from two sides when at
least ``min_shared`` accounts of the first are linked (``account_id``) to registrations of the
second. They are then merged: each names the other, and registrations linked to the account
cluster's accounts that no flagged cluster holds yet join the sign-up cluster, with the
cluster's score times the account cluster's.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..communities import groups_of

__all__ = ["split_by_trigger", "join_tied_registrants", "link_account_clusters", "merge_account_clusters"]

TIE_STRENGTH = 0.9
MAX_BASE_SHARE = 0.01


def split_by_trigger(ctx, grown, flagged, feats, cscore, idx, min_size, X):
    """Split flagged clusters that hold several campaigns, one part per strong trigger post
    (:meth:`.triggers.TriggerContext.split`); parts inherit their cluster's features and score.

    Returns the new ``(labels, flagged, feats, cscore)``.
    """

    local = np.full(len(ctx.ns), -1, dtype=np.int64)
    local[idx] = np.arange(len(idx))
    others = idx[~np.isin(grown, flagged)]
    new_label = int(max(grown.max(initial=-1), feats["label"].max() if len(feats) else -1)) + 1
    extra_rows, extra_scores, flagged = [], [], list(flagged)
    by_label = {int(r["label"]): (r, cs) for r, cs in zip(feats.to_dict("records"), cscore)}
    for c, members in groups_of(grown).items():
        if c not in flagged:
            continue
        parts = ctx.split(idx[members], others, X[members], min_size=min_size)
        for part in parts[1:]:
            grown[local[part]] = new_label
            flagged.append(new_label)
            row, cs = by_label[c]
            extra_rows.append({**row, "label": new_label})
            extra_scores.append(cs)
            new_label += 1
    if extra_rows:
        feats = pd.concat([feats, pd.DataFrame(extra_rows)], ignore_index=True)
        cscore = np.concatenate([cscore, extra_scores])
    return grown, np.array(flagged, dtype=np.int64), feats, cscore


def join_tied_registrants(flagged: list, ctx, events: np.ndarray, *, after_hours: float = 6.0):
    """The registrants tied to each flagged cluster's first trigger post join it.

    Parameters
    ----------
    flagged : list of Candidate
        The flagged sign-up clusters.
    ctx : TriggerContext
    events : ndarray
        Event of every registration.
    after_hours : float, default 6
        How long after the cluster's last sign-up a tied registrant may have signed up.

    Returns
    -------
    (list of Candidate, list of (positions, score))
        The clusters, grown; and the registrations whose score rises, with the score they get.
    """
    held = np.zeros(len(ctx.ns), dtype=bool)
    for c in flagged:
        held[c.members] = True
    linked = ctx.account_code >= 0
    index = ctx.P.positions(c.trigger_post_ids.split()[0] for c in flagged if c.trigger_post_ids.split())
    out, raised = [], []
    for c in flagged:
        first = c.trigger_post_ids.split()[:1]
        if not first or not c.trigger_base_share <= MAX_BASE_SHARE:
            out.append(c)
            continue
        root = index[first[0]]
        last = int(ctx.ns[c.members].max())
        rows = np.flatnonzero(~held & linked & (events == c.event_id) & (ctx.ns >= ctx.P.ns[root])
                              & (ctx.ns <= last + int(after_hours * 3600e9)))
        tied = ctx.ties(np.array([root]), np.unique(ctx.account_code[rows]))["account"].to_numpy() \
            if len(rows) else np.zeros(0, dtype=np.int64)
        new = rows[np.isin(ctx.account_code[rows], tied)]
        if len(new):
            held[new] = True
            raised.append((new, c.score * TIE_STRENGTH))
            c = c.grown(new, ctx.ns, f"{_registrants(len(new))} tied to that post joined")
        out.append(c)
    return out, raised


def _registrants(n: int) -> str:
    return f"{n:,} more registrant{'s' if n != 1 else ''}"


def link_account_clusters(flagged: list, regs, posts, opts):
    """Account clusters from the posts, merged into the sign-up clusters they share accounts
    with (:func:`merge_account_clusters`).

    Returns ``(flagged, accounts, raised)``: the clusters, the AccountClusters (None without
    posts) and the score rises.
    """
    if posts is None or len(posts) == 0:
        return flagged, None, []
    from ..coaction import account_clusters

    accounts = account_clusters(posts, window=opts["coaction_window"], min_weight=opts["coaction_min_weight"],
                                seed=opts["seed"])
    flagged, raised = merge_account_clusters(flagged, accounts, regs)
    return flagged, accounts, raised


def merge_account_clusters(flagged: list, accounts, registrations: pd.DataFrame, *, min_shared: int = 2):
    """Sign-up clusters and the account clusters they share at least ``min_shared`` accounts with.

    Parameters
    ----------
    flagged : list of Candidate
        Flagged sign-up clusters (with ``cluster_id``).
    accounts : AccountClusters
        From :func:`detector.coaction.account_clusters`; its table gains
        ``registration_clusters`` and ``linked_registrations`` (it is this step's own output).
    registrations : DataFrame
        With ``account_id`` when known; without it nothing is merged.
    min_shared : int, default 2
        Accounts the two clusters must share.

    Returns
    -------
    (list of Candidate, list of (positions, score))
        The clusters with ``account_cluster_ids`` and the registrations linked to the account
        cluster's accounts joined; the score rises.
    """
    ac = accounts.clusters
    ac["registration_clusters"] = ""
    ac["linked_registrations"] = 0
    if "account_id" not in registrations or ac.empty:
        return flagged, []
    flagged = list(flagged)
    acct = registrations["account_id"].astype(object).where(registrations["account_id"].notna(), None)
    in_clusters = acct.isin(set(accounts.members["account_id"])).to_numpy()   # only these matter
    rows = np.flatnonzero(in_clusters)
    rows_of = {a: r.to_numpy() for a, r in pd.Series(rows).groupby(acct.iloc[rows].astype(str).to_numpy())}
    owner = {}
    for k, c in enumerate(flagged):
        mine = c.members[in_clusters[c.members]]
        for a in set(acct.iloc[mine].astype(str)):
            owner.setdefault(a, []).append(k)
    held = np.zeros(len(registrations), dtype=bool)
    for c in flagged:
        held[c.members] = True
    ns = pd.to_datetime(registrations["created_at"], utc=True).dt.as_unit("ns").array.asi8
    members = accounts.members.groupby("account_cluster_id")["account_id"].apply(list)
    raised = []
    for i, row in ac.iterrows():
        accs = members.get(row["account_cluster_id"], [])
        linked = [rows_of[a] for a in accs if a in rows_of]
        ac.at[i, "linked_registrations"] = int(sum(len(x) for x in linked))
        shared = pd.Series([k for a in accs for k in owner.get(a, [])], dtype=np.int64).value_counts()
        shared = shared.iloc[np.lexsort((shared.index.to_numpy(), -shared.to_numpy()))]   # ties: the first cluster
        shared = shared[shared >= min_shared]
        if shared.empty or not row["flagged"]:
            continue
        ac.at[i, "registration_clusters"] = " ".join(flagged[k].cluster_id for k in sorted(shared.index))
        for k in shared.index:
            ids = " ".join(x for x in [flagged[k].account_cluster_ids, row["account_cluster_id"]] if x)
            flagged[k] = dataclasses.replace(flagged[k], account_cluster_ids=ids)
        k = int(shared.index[0])
        new = np.concatenate(linked) if linked else np.zeros(0, dtype=np.int64)
        new = np.unique(new[~held[new]])
        if len(new):
            held[new] = True
            raised.append((new, flagged[k].score * float(row["score"])))
            flagged[k] = flagged[k].grown(
                new, ns, f"{_registrants(len(new))} linked to the accounts of {row['account_cluster_id']} joined")
    return flagged, raised

"""The posts side: co-action networks of accounts, with the evidence behind every edge.

Accounts co-act when they share the same link, repost the same post, publish the same (or a
near-duplicate) text or use the same hashtag within a time window of each other, as in
coordination-network-toolkit, CooRnet and CooRTweet. Data flows one way:
posts -> :mod:`.actions` -> :mod:`.pairs` -> :mod:`.network` (edges and evidence)
-> :mod:`.significance` (null model) -> :mod:`.accounts` (clusters, scores and reasons).
"""
from .accounts import AccountClusters, account_clusters
from .actions import KINDS, normalise_text
from .network import CoactionNetwork, coaction_network, coaction_networks
from .significance import EdgeSignificance, edge_significance
from .window import estimate_window

__all__ = ["KINDS", "AccountClusters", "account_clusters", "CoactionNetwork", "EdgeSignificance", "coaction_network", "coaction_networks", "edge_significance",
           "estimate_window", "normalise_text"]

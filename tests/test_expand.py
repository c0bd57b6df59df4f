"""The expansion profile's tokens (detector/detection/expand.py)."""
import numpy as np
from scipy import sparse

from detector.detection.expand import _profile_tokens


def test_identity_families_keep_every_characteristic_token_channels_only_their_best():
    # tokens 0-2: e-mail domains (identity, one family); 3-4: referrers (channel, one family)
    family = np.array([0, 0, 0, 1, 1])
    onehot = sparse.csr_matrix((np.ones(5), (np.arange(5), family)), shape=(5, 2))
    channel = np.array([False, False, False, True, True])
    q = np.array([0.30, 0.20, 0.10, 0.40, 0.10])       # share among the cluster's members
    p0 = np.array([0.001, 0.002, 0.001, 0.01, 0.02])  # share at baseline
    tokens = np.arange(5)
    assert _profile_tokens(tokens, q, p0, onehot, channel).tolist() == [0, 1, 2, 3]
    # a second referrer (one a surge brought), nearly as common among members, is still not added
    q2 = q.copy()
    q2[4] = 0.35
    kept = _profile_tokens(tokens, q2, p0, onehot, channel)
    assert kept.tolist() == [0, 1, 2, 3]
    assert _profile_tokens(tokens[:0], q, p0, onehot, channel).tolist() == []

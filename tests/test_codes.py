"""Shared account codes: the same as pandas' sorted factorize, whatever the storage of the ids."""
import numpy as np
import pandas as pd
import pytest

from detector.codes import sorted_codes


@pytest.mark.parametrize("seed", range(3))
def test_codes_match_a_sorted_factorize_of_the_concatenation(seed):
    rng = np.random.default_rng(seed)
    pool = np.array(["u" + str(i) for i in range(50)] + ["Ünï", "ünï", "é", "Z", "a b", "10", "9"], dtype=object)
    cols = [pd.Series(rng.choice(pool, 40), dtype="str"), rng.choice(pool, 7).astype(object),
            pd.Series(rng.choice(pool, 0), dtype=object), pd.Series(rng.choice(pool, 25), dtype=object)]
    codes, uniques = sorted_codes(*cols)
    expected, names = pd.factorize(np.concatenate([np.asarray(c, dtype=object) for c in cols]), sort=True)
    np.testing.assert_array_equal(np.concatenate(codes), expected)
    assert uniques.tolist() == list(names)
    assert [len(c) for c in codes] == [40, 7, 0, 25]


def test_missing_ids_are_refused_not_coded():
    with pytest.raises(ValueError, match="missing"):
        sorted_codes(np.array(["a", None], dtype=object))

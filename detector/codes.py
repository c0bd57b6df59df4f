"""Integer codes for string ids that several tables share (accounts in posts, registrations and
follows), in id order, so that no code depends on the order of any table's rows."""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["sorted_codes", "ranked_codes", "occurs_in", "text_array"]


def text_array(values):
    """A column of text (a Series or an array) as one Arrow ``large_string`` array, missing values
    null: no copy for the loader's string columns; values that are not text become their text.

    >>> text_array(pd.Series(["a", None, "b"])).to_pylist()
    ['a', None, 'b']
    >>> text_array(np.array(["a", None, 7], dtype=object)).to_pylist()
    ['a', None, '7']
    """
    import pyarrow as pa

    values = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if isinstance(values.dtype, pd.StringDtype):
        arr = pa.array(values.array)
    else:
        objects = values.to_numpy(dtype=object, na_value=None)
        try:
            arr = pa.array(objects, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):      # numbers among the text
            arr = pa.array([None if v is None else str(v) for v in objects], type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if arr.type == pa.large_string() else arr.cast(pa.large_string())


def _joined(arrays):
    """Arrow string arrays (plain or chunked) as one large-string array."""
    import pyarrow as pa

    # the chunks themselves: handing pyarrow a list of chunked arrays converts them value by value
    chunks = [c for a in arrays for c in (a.chunks if isinstance(a, pa.ChunkedArray) else [a])]
    return pa.chunked_array([c.cast(pa.large_string()) for c in chunks], type=pa.large_string()).combine_chunks()


def sorted_codes(*columns) -> tuple[list[np.ndarray], np.ndarray]:
    """Codes of the values of ``columns`` in the sorted list of their distinct values.

    The same as ``pandas.factorize(numpy.concatenate(columns), sort=True)`` cut back into the
    columns, computed by Arrow on the strings as they are stored (no Python string objects:
    a million ids take a fraction of a second instead of seconds).

    Parameters
    ----------
    *columns : pandas.Series or numpy.ndarray
        String ids without missing values; Series of other types are converted with ``astype(str)``.

    Returns
    -------
    (codes, uniques) : list of numpy.ndarray of int64, numpy.ndarray of object
        One code array per column, and the distinct values, sorted.

    Examples
    --------
    >>> codes, uniques = sorted_codes(pd.Series(["b", "a"]), np.array(["c", "a"], dtype=object))
    >>> [c.tolist() for c in codes], uniques.tolist()
    ([[1, 0], [2, 0]], ['a', 'b', 'c'])
    """
    arrays = [text_array(c) for c in columns]
    if any(a.null_count for a in arrays):
        raise ValueError("sorted_codes: ids must not be missing")
    code, uniques = ranked_codes(_joined(arrays))
    bounds = np.cumsum([0] + [len(a) for a in arrays])
    return [code[a:b] for a, b in zip(bounds[:-1], bounds[1:])], uniques.to_numpy(zero_copy_only=False)


def ranked_codes(values):
    """Codes of a pyarrow string array in the sorted list of its distinct values, and that list
    (a pyarrow array): one hash pass (codes in order of first appearance), then only the
    distinct values sorted and the codes mapped to their ranks.

    >>> import pyarrow as pa
    >>> code, uniques = ranked_codes(pa.array(["b", "a", "b"]))
    >>> code.tolist(), uniques.to_pylist()
    ([1, 0, 1], ['a', 'b'])
    """
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(values)
    order = pc.array_sort_indices(encoded.dictionary)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order.to_numpy()] = np.arange(len(order))
    return rank[encoded.indices.to_numpy(zero_copy_only=False)], encoded.dictionary.take(order)


def occurs_in(column, *value_columns) -> np.ndarray:
    """Whether each value of ``column`` occurs in any of ``value_columns`` (hash look-ups by
    Arrow on the stored strings, as :func:`sorted_codes`).

    Examples
    --------
    >>> occurs_in(pd.Series(["a", "b", "c"]), pd.Series(["c"]), np.array(["a"], dtype=object)).tolist()
    [True, False, True]
    """
    import pyarrow.compute as pc

    value_set = _joined([text_array(c) for c in value_columns])
    return np.asarray(pc.is_in(text_array(column), value_set=value_set), dtype=bool)

"""Read-only arrays for the models' results (private to the models floor)."""

import numpy as np

__all__ = ["frozen", "readonly"]


def frozen(values, dtype=float):
    """Return `values` as a new read-only numpy array of `dtype`.

    >>> a = frozen([1, 2])
    >>> a.flags.writeable, a.dtype.name
    (False, 'float64')
    """
    array = np.array(values, dtype=dtype)
    array.setflags(write=False)
    return array


def readonly(*arrays):
    """Make each of `arrays` read-only in place (no copy)."""
    for array in arrays:
        array.setflags(write=False)

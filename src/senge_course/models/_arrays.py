"""Read-only arrays and mappings for the models' results (private to the models floor)."""

from collections.abc import Mapping

import numpy as np

__all__ = ["ReadOnlyMapping", "frozen", "readonly"]


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


class ReadOnlyMapping(Mapping):
    """A read-only mapping over the mapping in one attribute, named when subclassing.

    >>> class Shares(ReadOnlyMapping, over="shares"):
    ...     def __init__(self, shares):
    ...         self.shares = shares
    >>> dict(Shares({"simple": 1.0})), len(Shares({}))
    ({'simple': 1.0}, 0)
    """

    def __init_subclass__(cls, *, over, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._over = over

    def __getitem__(self, key):
        return getattr(self, self._over)[key]

    def __iter__(self):
        return iter(getattr(self, self._over))

    def __len__(self):
        return len(getattr(self, self._over))

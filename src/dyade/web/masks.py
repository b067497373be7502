"""Filters of the in-memory index as numpy tests: which of the rows a Take gives pass each one.

A Take reads a column, whole or at some positions, so that one test serves both a scan of every
row and a test of the rows an actor or date filter has already found (index.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

Mask = npt.NDArray[np.bool_]
Take = Callable[[npt.NDArray[Any]], npt.NDArray[Any]]  # a column, whole or at some positions
Test = Callable[[Take], Mask]


def table(codes: list[int], size: int) -> Mask:
    """A lookup table: True at `codes`; indexing it with a column of codes is numpy's fastest `isin`."""
    marks = np.zeros(size, dtype=np.bool_)
    marks[codes] = True
    return marks


def whole(column: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """A Take of every row."""
    return column


def at_rows(rows: npt.NDArray[Any], column: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """A Take of the rows at these positions (with functools.partial)."""
    taken: npt.NDArray[Any] = column[rows]
    return taken


def lookup(table: Mask, *columns: npt.NDArray[Any]) -> Test:
    """A test: the value in one of `columns` is True in `table`."""

    def test(take: Take) -> Mask:
        """True where a column's code is in the table."""
        found: Mask = table[take(columns[0])]
        for column in columns[1:]:
            found = found | table[take(column)]
        return found

    return test


def either_way(one: Mask, two: Mask, source: npt.NDArray[Any], target: npt.NDArray[Any], take: Take) -> Mask:
    """A test: from one of `one` to one of `two`, or the other way round."""
    sources, targets = take(source), take(target)
    found: Mask = (one[sources] & two[targets]) | (two[sources] & one[targets])
    return found


def at_least(column: npt.NDArray[Any], first: int, null: Mask, take: Take) -> Mask:
    """A test: the value is `first` or more (never where `null`)."""
    found: Mask = ~take(null) & (take(column) >= first)
    return found


def at_most(column: npt.NDArray[Any], last: int, null: Mask, take: Take) -> Mask:
    """A test: the value is `last` or less (never where `null`)."""
    found: Mask = ~take(null) & (take(column) <= last)
    return found


def unset(flag: Mask, take: Take) -> Mask:
    """A test: the flag is false."""
    found: Mask = ~take(flag)
    return found

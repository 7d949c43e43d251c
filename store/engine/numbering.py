"""Place numbers from one table shared by the whole process (:func:`numbered`).

A module of its own because the models sharing the table are not all rankings: the
dashboard's rankings (store/engine/ranking.py), the members' places
(store/members/summary.py) and the roster's indexes (screens/roster/following.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

_NUMBERS: list[int] = []
_growing = threading.Lock()


def numbered(items: Iterable[T]) -> Iterator[tuple[int, T]]:
    """``enumerate(items)``, its numbers from one table shared by the whole process.

    Several read models number the same records by their place in the file's order (the
    dashboard's rankings, the roster's indexes); Python makes a new 28-byte object for each
    number above 256 each time one is counted, so each model held its own copy of them: 0.55
    MiB a model at 20,000 members. Taken from this table, they are one set.
    """
    numbers = _NUMBERS
    for at, item in enumerate(items):
        if at >= len(numbers):
            with _growing:
                if at >= len(numbers):
                    numbers.extend(range(len(numbers), at + 1024))
        yield numbers[at], item

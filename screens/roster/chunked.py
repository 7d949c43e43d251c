"""A list that copies in the time of a few hundred items, for the roster's followed lists.

The roster keeps its rows and every sort order and filter made so far as lists of 20,000 rows
at 20,000 members. Following another session's save (screens/roster/following.py) changes a
row or two in each, but must not change the lists a screen may still be showing: copying them
whole cost every open session about 0.1 ms per list per save, growing with the file.
:class:`Chunked` holds its items in chunks of a few hundred: a copy shares every chunk, and a
change copies only the chunk it touches (and the chunk starts), so both lists stay as they
should. It reads as a sequence (index, length, iteration), takes ``insert`` (so
``bisect.insort`` works on it), ``append``, item assignment and deletion.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")
CHUNK = 512  # items per chunk when made; a chunk grown to twice that is split


class Chunked(Sequence[T]):
    """A sequence in chunks: copies share them, a change copies the one it touches."""

    __slots__ = ("_chunks", "_len", "_starts")

    def __init__(self, items: Iterable[T] = ()) -> None:
        found = list(items)
        self._chunks: list[list[T]] = [found[i : i + CHUNK] for i in range(0, len(found), CHUNK)]
        self._starts: list[int] = []
        self._len = 0
        self._reindex()

    def _reindex(self) -> None:
        starts, total = [], 0
        for chunk in self._chunks:
            starts.append(total)
            total += len(chunk)
        self._starts, self._len = starts, total

    def copy(self) -> Chunked[T]:
        """A copy sharing every chunk (a few hundred references to copy at 20,000 items)."""
        made: Chunked[T] = Chunked.__new__(Chunked)
        made._chunks = list(self._chunks)
        made._starts = list(self._starts)
        made._len = self._len
        return made

    def __len__(self) -> int:
        return self._len

    def _locate(self, index: int) -> tuple[int, int]:
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("Chunked index out of range")
        k = bisect.bisect_right(self._starts, index) - 1
        return k, index - self._starts[k]

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return list(self)[index]
        k, i = self._locate(index)
        return self._chunks[k][i]

    def __iter__(self) -> Iterator[T]:
        return itertools.chain.from_iterable(self._chunks)

    def __setitem__(self, index: int, value: T) -> None:
        k, i = self._locate(index)
        chunk = self._chunks[k][:]
        chunk[i] = value
        self._chunks[k] = chunk

    def __delitem__(self, index: int) -> None:
        k, i = self._locate(index)
        chunk = self._chunks[k][:]
        del chunk[i]
        if chunk:
            self._chunks[k] = chunk
            self._shift(k + 1, -1)
        else:
            del self._chunks[k]
            del self._starts[k]
            self._shift(k, -1)
        self._len -= 1

    def insert(self, index: int, value: T) -> None:
        """Put ``value`` before ``index`` (at the end from ``len`` on), as list.insert does."""
        if index < 0:
            index = max(0, index + self._len)
        if index >= self._len:
            self.append(value)
            return
        k, i = self._locate(index)
        chunk = self._chunks[k][:]
        chunk.insert(i, value)
        if len(chunk) > 2 * CHUNK:
            self._chunks[k : k + 1] = [chunk[:CHUNK], chunk[CHUNK:]]
            self._reindex()
            return
        self._chunks[k] = chunk
        self._shift(k + 1, 1)
        self._len += 1

    def append(self, value: T) -> None:
        """Put ``value`` at the end."""
        if self._chunks and len(self._chunks[-1]) < 2 * CHUNK:
            self._chunks[-1] = [*self._chunks[-1], value]
        else:
            self._chunks.append([value])
            self._starts.append(self._len)
        self._len += 1

    def _shift(self, first: int, step: int) -> None:
        starts = self._starts
        for k in range(first, len(starts)):
            starts[k] += step

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (list, tuple, Chunked)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Chunked({list(self)!r})"


def chunked(items: Sequence[T]) -> Chunked[T]:
    """``items`` as a :class:`Chunked` copy (cheap when it is one already)."""
    return items.copy() if isinstance(items, Chunked) else Chunked(items)

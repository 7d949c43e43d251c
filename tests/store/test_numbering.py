"""The shared table of place numbers (store/engine/numbering.py)."""

from __future__ import annotations

from store.engine.numbering import numbered


def test_places_are_numbered_from_one_shared_table() -> None:
    first = {item: n for n, item in numbered(f"a{n}" for n in range(3_000))}
    again = {item: n for n, item in numbered(f"b{n}" for n in range(3_000))}
    assert list(first.values()) == list(range(3_000))
    assert all(first[f"a{n}"] is again[f"b{n}"] for n in range(3_000))

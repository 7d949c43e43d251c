"""The roster's followed lists (screens/roster/chunked.py) behave as lists, and a copy changed
never changes the list it was copied from (a screen may still be showing it)."""

from __future__ import annotations

import bisect

from hypothesis import given
from hypothesis import strategies as st

from screens.roster import chunked as module
from screens.roster.chunked import Chunked, chunked

ops = st.lists(
    st.tuples(
        st.sampled_from(["insort", "set", "del", "append", "insert_front", "copy"]),
        st.integers(-5, 3000),
    ),
    max_size=60,
)


@given(st.lists(st.integers(0, 3000), max_size=300), ops)
def test_a_chunked_list_does_what_a_list_does_and_copies_stay_apart(
    start: list[int], steps: list[tuple[str, int]]
) -> None:
    module.CHUNK = 4  # small chunks: splits and emptied chunks happen in a few steps
    try:
        model = sorted(start)
        made = Chunked(model)
        held: list[tuple[list[int], Chunked[int]]] = []
        for op, value in steps:
            if op == "copy":
                held.append((list(model), made))
                made = chunked(made)
            elif op == "insort":
                bisect.insort(model, value)
                made.insert(bisect.bisect_right(made, value), value)
            elif op == "set" and model:
                model[value % len(model)] = value
                made[value % len(made)] = value
            elif op == "del" and model:
                del model[value % len(model)]
                del made[value % len(made)]
            elif op == "append":
                model.append(value)
                made.append(value)
            elif op == "insert_front":
                model.insert(0, value)
                made.insert(0, value)
            assert made == model and len(made) == len(model)
            assert [made[i] for i in range(len(made))] == model
            if model:
                assert made[-1] == model[-1]
        for was, copy in held:  # every earlier copy as it was when the next was taken
            assert list(copy) == was
    finally:
        module.CHUNK = 512

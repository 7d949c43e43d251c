"""store/engine/ranking.py: a ranking followed record by record equals one built afresh, and
only the newest ranking of a chain may follow (the parts they share change in place); the
members a change touches, one rule for every model ranking members."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Mapping
from typing import Any

import pytest

from store.engine.audit import Change
from store.engine.ranking import Rank, Ranked, Ranking, touched_members

SCORES = {"a": 5, "b": 3, "c": 5, "d": 9, "e": 1}


def ranker(scores: dict[str, int]) -> Rank[str]:
    def rank(record_id: str) -> Ranked[str] | None:
        score = scores.get(record_id)
        if score is None or score < 2:
            return None
        return ("high" if score >= 5 else "low"), (-score,), record_id

    return rank


def test_following_equals_a_fresh_build_and_older_rankings_step_aside() -> None:
    first = Ranking.build(SCORES, ranker(SCORES), 3)
    assert first.head == ("d", "a", "c") and first.tally == {"high": 3, "low": 1}
    now = {**SCORES, "e": 7, "a": 0}
    second = first.changed(["e", "a"], ranker(now))
    assert second is not None
    fresh = Ranking.build(now, ranker(now), 3)
    assert (
        (second.head, second.tally)
        == (fresh.head, fresh.tally)
        == (
            ("d", "e", "c"),
            {
                "high": 3,
                "low": 1,
            },
        )
    )
    assert first.head == ("d", "a", "c")  # what the older one's readers read stays
    assert first.changed(["b"], ranker(now)) is None  # not the newest: built afresh instead
    later = {**now, "f": 6}  # a new record ranks after the others on a tie
    third = second.changed(["f"], ranker(later))
    assert third is not None and third.head == Ranking.build(later, ranker(later), 3).head


def test_a_ranking_that_failed_half_way_is_never_followed_again() -> None:
    first = Ranking.build(SCORES, ranker(SCORES), 2)

    def broken(record_id: str) -> Ranked[str] | None:
        raise RuntimeError("a record that cannot be ranked")

    with pytest.raises(RuntimeError):
        first.changed(["a"], broken)
    assert first.changed(["b"], ranker(SCORES)) is None


def test_a_chain_being_followed_elsewhere_is_not_followed_at_once() -> None:
    first = Ranking.build(SCORES, ranker(SCORES), 2)
    with first._shared.changing:  # another thread in the middle of following it
        assert first.changed(["b"], ranker(SCORES)) is None
    assert first.changed(["b"], ranker(SCORES)) is not None


def test_a_change_touches_its_member_or_the_members_its_sides_name_in_first_touched_order() -> None:
    def tagged(side: Mapping[str, Any]) -> list[object]:
        names = side.get("who")
        return list(names) if isinstance(names, list) else []

    changes = [
        Change("insert", "notes", "n1", None, {"who": ["m2", "m1"]}),
        Change("update", "members", "m3", {"name": "a"}, {"name": "b"}),
        Change("update", "notes", "n1", {"who": ["m2", "m1"]}, {"who": ["m4"]}),  # moved: both
        Change("update", "other", "m5", {"who": ["m6"]}, {"who": ["m6"]}),  # not my table
        Change("delete", "members", "m1", {"name": "c"}, None),  # touched already: keeps place
        Change("delete", "notes", "n2", {"who": [7, None, "m7"]}, None),  # damaged ids skipped
    ]
    assert touched_members(changes, "notes", tagged) == ["m2", "m1", "m3", "m4", "m7"]
    assert touched_members(changes, "contacts", tagged) == ["m3", "m1"]  # members only
    assert touched_members([], "notes", tagged) == []


def test_a_ranking_keeps_what_it_shows_only_for_the_first_few() -> None:
    """Each record's entry is made again for the head, not kept for all: a dashboard ranking
    20,000 members holds one small key each, whatever its entries hold."""
    ids = [f"member-{n:05}" for n in range(10_000)]

    def rank(record_id: str) -> Ranked[str]:
        return "behind", (int(record_id[-5:]) % 7,), record_id * 40  # a big entry each

    gc.collect()
    tracemalloc.start()
    try:
        ranking = Ranking.build(ids, rank, 3)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 2_500_000  # kept entries alone would be 10,000 x 480 bytes
    assert ranking.count("behind") == 10_000
    assert ranking.head == tuple(
        rank(i)[2] for i in ("member-00000", "member-00007", "member-00014")
    )


def test_rankings_of_the_same_records_can_share_their_numbering() -> None:
    """The dashboard's two rankings over the members share one dict of places: a member added
    meanwhile keeps the place the first ranking to meet it gave, so ties read the same in both."""

    def level(record_id: str) -> Ranked[str]:
        return "in", (0,), record_id  # every record tied: places alone order them

    places: dict[str, int] = {}
    first = Ranking.build(["a", "b"], level, 5, places)
    second = Ranking.build(["a", "b"], level, 5, places)
    assert first.changed(["x"], level) is not None  # x is numbered here, after a and b
    followed = second.changed(["y", "x"], level)
    assert followed is not None
    assert followed.head == ("a", "b", "x", "y")  # alone, this one would have put y first
    assert places == {"a": 0, "b": 1, "x": 2, "y": 3}

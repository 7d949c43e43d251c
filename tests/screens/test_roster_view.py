"""The roster's row selection: what a keystroke shows equals a search from scratch."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screens.roster.view import CONTACT_NEVER, Roster, RosterFilter, build_roster, rank
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.members.search_keys import normalize_query

ADMIN = Actor("setup", Role.ADMIN)
NAMES = ["张三", "张三丰", "章山", "李四", "曾国强", "王芳", "Zhang Wei", "赵四"]


def roster(tmp_path: Path) -> Roster:
    db = Database(tmp_path / "shequ.json")
    for i, name in enumerate(NAMES):
        members.add(db, ADMIN, {"name": name, "phone": f"1380013{i:04d}"})
    return build_roster(db.snapshot(), ADMIN, date(2026, 11, 25))


def from_scratch(view: Roster, query: str, roster_filter: RosterFilter) -> list[str]:
    """A search from scratch: every matching row in sort order, the best matches first."""
    needle = normalize_query(query)
    found = [row for row in view.ordered("name") if needle in row.blob and roster_filter.keep(row)]
    return [row.name for row in (rank(found, needle) if needle else found)]


def test_typing_narrows_and_backspace_widens(tmp_path: Path) -> None:
    view = roster(tmp_path)
    shown = [
        [row.name for row in view.select(q, RosterFilter(), "name")]
        for q in ("z", "zh", "zha", "zh", "zs", "")
    ]
    assert shown[2] == from_scratch(view, "zha", RosterFilter())
    assert shown[1] == shown[3] == from_scratch(view, "zh", RosterFilter())
    # zs: the whole initials of zhang san, zhang shan, zhao si first, then zhang san feng.
    assert shown[4] == ["张三", "章山", "赵四", "张三丰"]
    assert shown[5] == from_scratch(view, "", RosterFilter())


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Roster:
    """One roster for every generated example (Hypothesis reruns the test body, not fixtures)."""
    return roster(tmp_path_factory.mktemp("roster"))


@settings(max_examples=60, deadline=None)
@given(
    queries=st.lists(st.text(alphabet="zhangsi三四张 138", max_size=5), max_size=8),
    never=st.booleans(),
)
def test_any_sequence_of_queries_matches_a_fresh_search(
    shared: Roster, queries: list[str], never: bool
) -> None:
    roster_filter = RosterFilter(contact=CONTACT_NEVER) if never else RosterFilter()
    for query in queries:
        got = [row.name for row in shared.select(query, roster_filter, "name")]
        assert got == from_scratch(shared, query, roster_filter)

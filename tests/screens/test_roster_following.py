"""The roster's rows follow another session's saves (issue 23) and equal a fresh build.

Two sessions on one real file in a temp folder: one saves (adds, edits, archives, deletes,
contacts logged and removed), the other holds the roster, sorted and filtered the ways a
volunteer went through, and looks after each save. Its roster must equal one built afresh from
the file: rows, counts, grids and every order and filter already made.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import screens.roster.following
from screens.roster.following import roster_of
from screens.roster.view import Roster, build_roster
from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.enums import MemberStatus
from store.members import ops as members
from tests.screens.roster_helpers import VIEWERS, assert_same_roster, use_every_view

ADMIN = Actor("root", Role.ADMIN, user_id="u-root")
OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "add", "edit", "archive", "delete", "contact", "uncontact"]),
        st.integers(0, 1000),
    ),
    min_size=1,
    max_size=8,
)


def _save(db: Database, op: str, n: int) -> None:
    snap = db.snapshot()
    people = snap.all("members")
    if op == "add" or not people:
        grid = f"第{n % 3}网格" if n % 4 else ""
        members.add(db, ADMIN, {"name": f"王{n}", "phone": f"138{n:08d}", "grid": grid})
        return
    who = people[n % len(people)]
    if op == "edit":
        members.update(
            db, ADMIN, who["id"], {"name": f"曾{n}", "grid": f"第{n % 5}网格"}, who["version"]
        )
    elif op == "archive":
        members.set_status(db, ADMIN, who["id"], MemberStatus.ARCHIVED, who["version"])
    elif op == "delete":
        members.delete(db, ADMIN, who["id"], who["version"])
    elif op == "contact":
        day = (db.today() - timedelta(days=n % 400)).isoformat()
        contacts.add_contact(db, ADMIN, who["id"], {"date": day})
    elif logged := snap.all("contacts"):
        entry = logged[n % len(logged)]
        contacts.delete_contact(db, ADMIN, entry["id"], entry["version"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS, viewer=st.sampled_from(VIEWERS))
def test_the_followed_roster_equals_a_fresh_build(
    ops: list[tuple[str, int]], viewer: Actor
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="shequ-roster-follow-"))
    try:
        writer, session = Database(folder / "shequ.json"), Database(folder / "shequ.json")
        for n in range(6):
            _save(writer, "add", n)
        _save(writer, "contact", 1)
        today = session.today()
        use_every_view(roster_of(session.snapshot(), viewer, today))
        for op, n in ops:
            _save(writer, op, n)
            held = roster_of(session.snapshot(), viewer, today)
            assert_same_roster(held, build_roster(Database(writer.path).snapshot(), viewer, today))
            use_every_view(held)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_another_sessions_save_does_not_build_the_roster_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, session = Database(tmp_path / "shequ.json"), Database(tmp_path / "shequ.json")
    first = members.add(writer, ADMIN, {"name": "张三"})
    today = session.today()
    roster_of(session.snapshot(), VIEWERS[0], today)
    builds: list[int] = []
    real = screens.roster.following.build_roster

    def counting(*args: Any) -> Roster:
        builds.append(1)
        return real(*args)

    monkeypatch.setattr(screens.roster.following, "build_roster", counting)
    members.update(writer, ADMIN, first["id"], {"name": "张山"}, first["version"])
    members.add(writer, ADMIN, {"name": "李四"})
    held = roster_of(session.snapshot(), VIEWERS[0], today)
    assert builds == []
    assert sorted(row.name for row in held.rows) == ["张山", "李四"]
    assert held.counts.members == 2

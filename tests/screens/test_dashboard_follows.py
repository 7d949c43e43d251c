"""The dashboard's groups follow other sessions' saves per member (issue 23).

A session holds the dashboard of a real file (its roster line, contact and study groups kept
with the file's version); another session saves members, contacts, sessions and settings.
After every save the followed dashboard equals one built by a session that read the file
afresh, and the contact and study groups were followed, not built again, unless the settings
changed (they set every member's state). Hypothesis draws the saves.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screens.dashboard.view import build_dashboard
from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine import ranking
from store.engine.database import Database
from store.enums import MemberStatus
from store.members import ops as members
from store.settings import ops as settings_ops
from store.training import ops as training
from store.training import sessions

NOW = dt.datetime(2026, 7, 2, 10, 0).astimezone()
TODAY = NOW.date()
ROOT = Actor("os:test", Role.ADMIN)
COORDINATOR = Actor("wang", Role.COORDINATOR, user_id="u-wang")
NAMES = ["张三", "李四", "王五", "张三"]  # a name twice: ties keep the roster's order
CATEGORIES = ["in_service", "mobile_in", "mobile_out", "retired"]


def open_db(path: Path) -> Database:
    return Database(path, clock=lambda: NOW)


def day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


# One save by the other session: what, and on which of (up to) six members or two sessions.
save = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(NAMES), st.sampled_from(CATEGORIES)),
    st.tuples(st.just("category"), st.integers(0, 5), st.sampled_from(CATEGORIES)),
    st.tuples(st.just("name"), st.integers(0, 5), st.sampled_from(NAMES)),
    st.tuples(st.just("status"), st.integers(0, 5), st.sampled_from(["active", "archived"])),
    st.tuples(st.just("exempt"), st.integers(0, 5), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 5), st.none()),
    st.tuples(st.just("contact"), st.integers(0, 5), st.sampled_from([1, 40, 100, 200])),
    st.tuples(st.just("uncontact"), st.integers(0, 5), st.none()),
    st.tuples(st.just("marks"), st.integers(0, 1), st.lists(st.integers(0, 5), max_size=3)),
    st.tuples(
        st.just("session_day"), st.integers(0, 1), st.sampled_from(["2026-03-01", "2025-12-30"])
    ),
    st.tuples(st.just("settings"), st.just(0), st.sampled_from([20, 60])),
)


class Other:
    """The other session: applies a drawn save to the file."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.people: list[str] = []
        self.sessions = [
            str(
                training.add_session(
                    db, ROOT, {"title": f"课{n}", "date": "2026-03-01", "hours": "16"}
                )["id"]
            )
            for n in range(2)
        ]
        for i, name in enumerate(NAMES):
            self.add(name, CATEGORIES[i])
        contacts.add_contact(db, ROOT, self.people[0], {"date": day(130)})

    def add(self, name: str, category: str) -> None:
        added = members.add(self.db, ROOT, {"name": name, "category": category})
        self.people.append(str(added["id"]))

    def member(self, which: int) -> tuple[str, int] | None:
        if not self.people:
            return None
        member_id = self.people[which % len(self.people)]
        doc = self.db.snapshot().get("members", member_id)
        assert doc is not None
        return member_id, int(doc["version"])

    def apply(self, what: str, which: Any, value: Any) -> None:
        if what == "add":
            self.add(which, value)
            return
        if what in ("marks", "session_day"):
            session_id = self.sessions[which]
            doc = self.db.snapshot().get("trainings", session_id)
            assert doc is not None
            if what == "marks":
                marks = {self.people[i % len(self.people)]: "present" for i in value if self.people}
                training.record_attendance(self.db, ROOT, session_id, marks, doc["version"])
            else:
                raw = {"title": doc["title"], "date": value, "hours": str(doc["hours"])}
                training.update_session(self.db, ROOT, session_id, raw, doc["version"])
            return
        if what == "settings":
            stored = self.db.snapshot().all("settings")
            version = int(stored[0]["version"]) if stored else 0
            settings_ops.update(self.db, ROOT, {"contact_warn_days": value}, version)
            return
        found = self.member(which)
        if found is None:
            return
        member_id, version = found
        if what == "category":
            members.update(self.db, ROOT, member_id, {"category": value}, version)
        elif what == "name":
            members.update(self.db, ROOT, member_id, {"name": value}, version)
        elif what == "status":
            members.set_status(self.db, ROOT, member_id, MemberStatus(value), version)
        elif what == "exempt":
            edits = (
                {"exempt_hours": "yes", "exempt_reason": "ill"} if value else {"exempt_hours": "no"}
            )
            members.update(self.db, ROOT, member_id, edits, version)
        elif what == "delete":
            members.delete(self.db, ROOT, member_id, version)
            self.people.remove(member_id)
        elif what == "contact":
            contacts.add_contact(self.db, ROOT, member_id, {"date": day(value)})
        elif what == "uncontact":
            logged = self.db.snapshot().where("contacts", "member_id", member_id)
            if logged:
                last = logged[-1]
                contacts.delete_contact(self.db, ROOT, str(last["id"]), int(last["version"]))


def seen(db: Database, actor: Actor) -> tuple[Any, ...]:
    view = build_dashboard(db.snapshot(), actor, TODAY)
    return (view.members, view.mobile, view.counts, [line.text for line in view.lines])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(save, min_size=1, max_size=8))
def test_the_dashboard_follows_any_saves_to_a_fresh_build(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    saves: list[tuple[str, Any, Any]],
) -> None:
    path = tmp_path_factory.mktemp("dash") / "shequ.json"
    other = Other(open_db(path))
    session = open_db(path)
    seen(session, COORDINATOR)  # built once: every save below is followed
    builds: list[int] = []
    real = ranking.Ranking.build.__func__  # type: ignore[attr-defined]

    def counting(cls: Any, *args: Any) -> Any:
        builds.append(1)
        return real(cls, *args)

    monkeypatch.setattr(ranking.Ranking, "build", classmethod(counting))
    listed: list[int] = []
    real_list = sessions.list_sessions

    def listing(*args: Any, **kwargs: Any) -> Any:
        listed.append(1)
        return real_list(*args, **kwargs)

    monkeypatch.setattr(sessions, "list_sessions", listing)
    for what, which, value in saves:
        other.apply(what, which, value)
        builds.clear()
        listed.clear()
        followed = seen(session, COORDINATOR)
        if what not in ("marks", "session_day", "delete"):  # a member deleted leaves sessions
            assert listed == [], what  # the sessions waiting for marks were kept
        # The settings set every member's state; a member's last contact removed leaves the
        # contact fold not knowing the one before (store/contacts/summary.py): built again.
        if what not in ("settings", "uncontact"):
            assert builds == [], what  # the groups followed the save
        builds.clear()
        assert followed == seen(open_db(path), COORDINATOR), what
    monkeypatch.undo()


def test_a_member_saved_elsewhere_moves_the_groups_and_counts(tmp_path: Path) -> None:
    """The examples behind the property: a contact takes a member off the lapsing list, an
    archive takes one off the study group and the counts, marks on a session take the members
    marked off the study group."""
    path = tmp_path / "shequ.json"
    other = Other(open_db(path))
    contacts.add_contact(other.db, ROOT, other.people[1], {"date": day(200)})  # 李四
    session = open_db(path)
    before = build_dashboard(session.snapshot(), COORDINATOR, TODAY)
    assert (before.members, before.mobile) == (4, 2)
    # 张三 (130 days: due), 李四 (200: overdue)
    assert texts(before)[0].startswith("Contacts overdue or due (2)")
    assert "Behind pace on this year's study hours (4)" in texts(before)
    contacts.add_contact(other.db, ROOT, other.people[1], {"date": day(1)})  # 李四 reached
    members.set_status(other.db, ROOT, other.people[2], MemberStatus.ARCHIVED, 1)  # 王五
    marked = other.db.snapshot().get("trainings", other.sessions[0])
    assert marked is not None
    training.record_attendance(
        other.db, ROOT, other.sessions[0], {other.people[3]: "present"}, marked["version"]
    )
    after = build_dashboard(session.snapshot(), COORDINATOR, TODAY)
    assert (after.members, after.mobile) == (3, 1)
    assert texts(after)[0].startswith("Contacts overdue or due (1)")
    assert not any("李四" in text for text in texts(after)[:3])
    assert "Behind pace on this year's study hours (2)" in texts(after)  # 16 h: on pace
    assert after == build_dashboard(open_db(path).snapshot(), COORDINATOR, TODAY)


def texts(view: Any) -> list[str]:
    return [str(line.text) for line in view.lines]

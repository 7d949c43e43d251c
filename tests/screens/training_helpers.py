"""The training screen tests' community on a fixed clock (2 July 2026), and the ways into the
training screens they take (the app on that clock, the sessions, a checklist, a member)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from itertools import product
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from screens.member.detail import MemberScreen
from screens.training.checklist import ChecklistScreen
from screens.training.screen import TrainingScreen
from store.actor import Role
from store.engine.database import Database
from store.members import ops as members
from store.training import ops as training
from tests.screens.helpers import TEST_ACTOR, enter_as, on_top, settle, wait_until
from tui.app import ShequApp
from tui.factory import make_app

NOW = datetime(2026, 7, 2, 12, 0).astimezone().astimezone(UTC)  # 2 July: day 183 of 365
TODAY = date(2026, 7, 2)


def clock() -> Callable[[], datetime]:
    return lambda: NOW


def database(db_path: Path) -> Database:
    """A session on the file at ``db_path`` on the fixed clock."""
    return Database(db_path, clock=clock())


def roster(db_path: Path, names: tuple[str, ...] = ("张三", "李四", "王五", "赵六")) -> list[str]:
    """Retired members of 第1党支部, added as the app adds them; their ids in ``names``' order."""
    db = database(db_path)
    return [
        str(
            members.add(db, TEST_ACTOR, {"name": n, "category": "retired", "branch": "第1党支部"})[
                "id"
            ]
        )
        for n in names
    ]


def app_for(db_path: Path, lang: str = "en") -> ShequApp:
    """The app on ``db_path`` in ``lang``, its clock the fixed one."""
    app = make_app(db_path, lang=lang)
    app.db.clock = clock()
    return app


def stored(db_path: Path) -> list[dict[str, Any]]:
    """The training sessions as stored now (read afresh from the file)."""
    return [dict(doc) for doc in Database(db_path).snapshot().all("trainings")]


async def to_training(pilot: Pilot[None], role: Role = Role.ADMIN, **kw: Any) -> TrainingScreen:
    """Signed in with ``role`` (``kw``: as whom, see enter_as), the sessions loaded."""
    await enter_as(pilot, role, **kw)
    await pilot.press("4")
    return await on_top(pilot, TrainingScreen, lambda screen: screen.loaded)


async def open_checklist(pilot: Pilot[None]) -> ChecklistScreen:
    """The first session's attendance checklist, from the sessions (Enter), loaded."""
    await to_training(pilot)
    await pilot.press("enter")
    return await on_top(pilot, ChecklistScreen, lambda checklist: checklist.loaded)


async def open_member(pilot: Pilot[Any], member_id: str, section: str) -> MemberScreen:
    """The member's page, pushed on the current section (titled ``section``), loaded."""
    app = pilot.app
    assert isinstance(app, ShequApp)
    screen = MemberScreen(app.session, section, member_id)
    await app.push_screen(screen)
    await wait_until(pilot, lambda: screen.loaded, "the member")
    await settle(pilot)
    return screen


# 57 names whose pinyin holds neither "zs" nor "cxm" (no z, s, c or x initials after the
# surname), and three to find: 张三 and 赵四 (both "zs"), 曾小明 (zeng or ceng: "zxm", "cxm").
SURNAMES = "李王刘陈杨黄吴何"
GIVEN = "明华芳伟丽强军平"
FILLERS = [s + a + b for s, a, b in product(SURNAMES, GIVEN, GIVEN) if a != b][:57]
FOUND = ["张三", "赵四", "曾小明"]
"""The three a search finds among the fillers."""


def big_roster(db_path: Path) -> dict[str, str]:
    """60 members of one branch (FILLERS and FOUND), and a session for that branch (七一党课, 1
    July); the members' ids by name. More than a screen of checklist, to search in."""
    db = database(db_path)
    ids = {
        name: str(members.add(db, TEST_ACTOR, {"name": name, "branch": "第1党支部"})["id"])
        for name in [*FILLERS, *FOUND]
    }
    training.add_session(
        db,
        TEST_ACTOR,
        {
            "title": "七一党课",
            "date": "2026-07-01",
            "hours": 2,
            "audience": "branch",
            "audience_value": "第1党支部",
        },
    )
    return ids


def attended_session(db_path: Path) -> tuple[list[str], str]:
    """:func:`roster`'s four and a half-day fire-safety session on 30 June they were marked for
    (张三 and 李四 there, 王五 away, 赵六 excused); the ids and the session's id."""
    ids = roster(db_path)
    db = database(db_path)
    session = training.add_session(
        db,
        TEST_ACTOR,
        {
            "title": "消防安全知识培训",
            "kind": "safety",
            "date": "2026-06-30",
            "rule": "half_day",
            "place": "党群服务中心",
        },
    )
    marks = dict(zip(ids, ("present", "present", "absent", "excused"), strict=True))
    training.record_attendance(db, TEST_ACTOR, str(session["id"]), marks, 1)
    return ids, str(session["id"])

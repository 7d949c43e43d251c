"""Every patrol and training screen keeps its prepared view through another session's save of
a table it does not read, and shows a save of one it does (issue 23, `SectionScreen.VIEW_TABLES`).

Each case opens one screen over the dashboard's community (tests/screens/dashboard_data.py) as a
coordinator linked to 王五, counts its ``prepare`` calls, and has a second Database on the same
file save: first something the screen does not read (a contact; a member, for screens that read
no member), which must cost no prepare and draw nothing (Textual asks no widget for its lines)
although the screen takes the new version; then something it reads (a member renamed, a zone
renamed), which must show. The App's change watcher is run at once (``check_for_changes``)
instead of waiting its second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from screens.dashboard.screen import DashboardScreen
from screens.patrols.day import DayScreen
from screens.patrols.hours import PatrolHoursScreen
from screens.patrols.mine import MyShiftsScreen
from screens.patrols.noshows import NoShowsScreen
from screens.patrols.place import PlaceScreen
from screens.patrols.places import PlacesScreen
from screens.patrols.shift import ShiftScreen
from screens.patrols.shift_form import ShiftForm
from screens.patrols.team_members import TeamMembersScreen
from screens.patrols.template_form import TemplateForm
from screens.patrols.templates import TemplatesScreen
from screens.shell.base import SectionScreen
from screens.shell.messages import LoggedIn
from screens.shell.session import Session
from screens.training.certificates import CertificatesScreen
from screens.training.checklist import ChecklistScreen
from screens.training.hours import HoursScreen
from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.enums import Category
from store.members import ops as members
from store.patrols import ops as patrols
from store.patrols import templates
from tests.screens.dashboard_data import NOW, ROOT, TODAY, Community, community, fixed_clock
from tests.screens.helpers import screen_text, settle, wait_until
from tui.app import ShequApp
from tui.factory import make_app

TITLE = "Patrols"


@dataclass(frozen=True)
class World:
    """The community's ids, and the weekly template the template screens show."""

    town: Community
    template: str


Save = Callable[[Database, World], object]


def a_contact(db: Database, world: World) -> None:
    contacts.add_contact(db, ROOT, world.town.people["张三"], {"date": TODAY.isoformat()})


def a_member(db: Database, world: World) -> None:
    members.add(db, ROOT, {"name": "章子怡"})


def renamed(who: str, to: str) -> Save:
    def save(db: Database, world: World) -> None:
        member_id = world.town.people[who]
        doc = db.snapshot().get("members", member_id)
        assert doc is not None
        members.update(db, ROOT, member_id, {"name": to}, doc["version"])

    return save


def zone_renamed(db: Database, world: World) -> None:
    doc = db.snapshot().get("zones", world.town.zone)
    assert doc is not None
    patrols.update_zone(db, ROOT, world.town.zone, {"name": "北区"}, doc["version"])


@dataclass(frozen=True)
class Case:
    make: Callable[[Session, World], SectionScreen]
    elsewhere: tuple[Save, ...]  # saves of tables the screen does not read
    related: Save  # a save of a table it reads
    shown: str | None  # what then shows; None: a form, filled once (prepared again, not shown)


TOMORROW = TODAY + dt.timedelta(days=1)
CASES = {
    "day": Case(
        lambda s, w: DayScreen(s, TITLE, TOMORROW),
        (a_contact,),
        renamed("王五", "王小五"),
        "王小五",
    ),
    "shift": Case(
        lambda s, w: ShiftScreen(s, TITLE, w.town.short),
        (a_contact,),
        renamed("王五", "王小五"),
        "王小五",
    ),
    "no-shows": Case(
        lambda s, w: NoShowsScreen(s, TITLE), (a_contact,), renamed("李四", "李小四"), "李小四"
    ),
    "zone": Case(
        lambda s, w: PlaceScreen(s, TITLE, "zones", w.town.zone), (a_contact,), zone_renamed, "北区"
    ),
    "places": Case(lambda s, w: PlacesScreen(s, TITLE), (a_contact,), zone_renamed, "北区"),
    "team": Case(
        lambda s, w: TeamMembersScreen(s, TITLE, w.town.team),
        (a_contact,),
        renamed("李四", "李小四"),
        "李小四",
    ),
    "patrol hours": Case(
        lambda s, w: PatrolHoursScreen(s, TITLE), (a_contact,), renamed("李四", "李小四"), "李小四"
    ),
    "my shifts": Case(lambda s, w: MyShiftsScreen(s, TITLE), (a_contact,), zone_renamed, "北区"),
    "templates": Case(
        lambda s, w: TemplatesScreen(s, TITLE), (a_contact, a_member), zone_renamed, "北区"
    ),
    "shift form": Case(
        lambda s, w: ShiftForm(s, TITLE, w.town.short),
        (a_contact,),
        renamed("王五", "王小五"),
        None,
    ),
    "template form": Case(
        lambda s, w: TemplateForm(s, TITLE, w.template), (a_contact, a_member), zone_renamed, None
    ),
    "checklist": Case(
        lambda s, w: ChecklistScreen(s, TITLE, w.town.session),
        (a_contact,),
        renamed("李四", "李小四"),
        "李小四",
    ),
    "study hours": Case(
        lambda s, w: HoursScreen(s, TITLE), (a_contact,), renamed("李四", "李小四"), "李小四"
    ),
    "certificates": Case(
        lambda s, w: CertificatesScreen(s, TITLE), (a_contact,), renamed("李四", "李小四"), "李小四"
    ),
}


def world(db_path: Path) -> World:
    town = community(db_path)
    raw = {"weekdays": "周二", "start": "8:00", "end": "9:00", "zone_id": town.zone}
    template = templates.add_template(town.db, ROOT, raw)
    return World(town, str(template["id"]))


async def signed_in(pilot: Pilot[Any], town: Community) -> None:
    """A coordinator linked to 王五, on the dashboard."""
    app = pilot.app
    actor = Actor("wang", Role.COORDINATOR, user_id="id-wang", member_id=town.people["王五"])
    app.post_message(LoggedIn(actor, "王芳"))
    await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), "the dashboard")
    await wait_until(pilot, lambda: app.screen.loaded, "the dashboard to load")  # type: ignore[attr-defined]


async def opened(pilot: Pilot[Any], screen: SectionScreen) -> SectionScreen:
    app = pilot.app
    app.call_next(app.push_screen, screen)
    await wait_until(pilot, lambda: app.screen is screen, type(screen).__name__)
    await wait_until(pilot, lambda: screen.loaded, "its data")
    await settle(pilot)
    return screen


def counting(monkeypatch: pytest.MonkeyPatch, kind: type[SectionScreen]) -> list[int]:
    """The calls of ``kind.prepare`` from now on."""
    calls: list[int] = []
    real = kind.prepare

    def counted(self: SectionScreen, snapshot: Any) -> Any:
        calls.append(1)
        return real(self, snapshot)

    monkeypatch.setattr(kind, "prepare", counted)
    return calls


REAL_RENDER_LINES = Widget.render_lines


def drawing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The widgets Textual asks for lines from now on (what a screen update draws)."""
    drawn: list[str] = []

    def counted(self: Widget, crop: Any) -> Any:
        drawn.append(type(self).__name__)
        return REAL_RENDER_LINES(self, crop)

    monkeypatch.setattr(Widget, "render_lines", counted)
    return drawn


def app_for(db_path: Path) -> ShequApp:
    app = make_app(db_path, lang="en")
    app.db.clock = fixed_clock()
    return app


async def taken(pilot: Pilot[Any], screen: SectionScreen, other: Database) -> None:
    """Wait until ``screen`` has the version ``other`` just saved."""
    pilot.app.check_for_changes()  # type: ignore[attr-defined]
    token = other.snapshot().token
    await wait_until(pilot, lambda: screen.token == token, "the new version")
    await settle(pilot)


@pytest.mark.parametrize("name", list(CASES))
async def test_a_save_elsewhere_costs_the_screen_no_prepare_and_its_own_tables_show(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    case = CASES[name]
    here = world(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await signed_in(pilot, here.town)
        screen = await opened(pilot, case.make(app.session, here))
        prepared = counting(monkeypatch, type(screen))
        drawn = drawing(monkeypatch)
        other = Database(db_path, clock=fixed_clock())
        for save in case.elsewhere:
            save(other, here)
            await taken(pilot, screen, other)
        assert prepared == [], f"{name}: prepared again for a table it does not read"
        monkeypatch.setattr(Widget, "render_lines", REAL_RENDER_LINES)
        if name != "checklist":  # its unsaved marks are drawn over the view: it draws again
            assert drawn == [], f"{name}: drew {sorted(set(drawn))} for a kept view"

        before = screen_text(app)
        case.related(other, here)
        await taken(pilot, screen, other)
        assert len(prepared) == 1
        shown = case.shown
        if shown is not None:
            assert shown not in before
            await wait_until(pilot, lambda: shown in screen_text(app), shown)


async def test_my_shifts_are_prepared_again_on_another_day(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day is in the kept view's key: the same tables, a day later, show from that day."""
    here = world(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await signed_in(pilot, here.town)
        screen = await opened(pilot, MyShiftsScreen(app.session, TITLE))
        tomorrow = TOMORROW.isoformat()
        assert tomorrow in screen_text(app)  # 王五's Thursday evening
        prepared = counting(monkeypatch, MyShiftsScreen)
        later = NOW + dt.timedelta(days=2)
        app.db.clock = lambda: later
        other = Database(db_path, clock=fixed_clock())
        a_contact(other, here)  # a table it does not read, but another day
        await taken(pilot, screen, other)
        assert len(prepared) == 1
        assert tomorrow not in screen_text(app)


async def test_the_day_screen_steps_to_another_day_on_the_same_version(db_path: Path) -> None:
    """The day is the screen's own state (``view_key``): stepping shows the next day's shifts,
    not the kept view of the day before."""
    here = world(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await signed_in(pilot, here.town)
        screen = await opened(pilot, DayScreen(app.session, TITLE, TOMORROW))
        assert "王五" in screen_text(app) and "张三" not in screen_text(app)
        await pilot.press("right")  # Friday: 张三 on two shifts
        await wait_until(pilot, lambda: "张三" in screen_text(app), "Friday's shifts")
        assert "王五" not in screen_text(app)
        assert screen.token == app.db.snapshot().token


def settings_saved(edits: dict[str, Any]) -> Save:
    def save(db: Database, world: World) -> None:
        from store.settings import ops as settings

        docs = db.snapshot().all("settings")
        settings.update(db, ROOT, edits, docs[0]["version"] if docs else 0)

    return save


@pytest.mark.parametrize(
    ("make", "edits", "before", "after"),
    [
        # 张三's first-aid certificate expires in 18 days: within 30, not within 10.
        (CertificatesScreen, {"certificate_warn_days": "10"}, "in 18 days", "1 expired"),
        (
            HoursScreen,
            {"yearly_hours": {category.value: "0" for category in Category}},
            "4 members behind pace",
            "0 members behind pace",
        ),
    ],
    ids=["certificates", "study hours"],
)
async def test_a_settings_save_shows_on_the_screens_that_read_them(
    db_path: Path,
    make: Callable[[Session, str], SectionScreen],
    edits: dict[str, Any],
    before: str,
    after: str,
) -> None:
    """The settings are among the tables of the certificates (the warning's days) and the
    study hours (the hours required): a save of them shows."""
    here = world(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await signed_in(pilot, here.town)
        screen = await opened(pilot, make(app.session, TITLE))
        assert before in screen_text(app)
        other = Database(db_path, clock=fixed_clock())
        settings_saved(edits)(other, here)
        await taken(pilot, screen, other)
        await wait_until(pilot, lambda: after in screen_text(app), after)
        assert before not in screen_text(app)

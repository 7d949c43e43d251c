"""The member screen: profile as each role may see it, contact state in words, the contact log
(add with the keyboard, delete after asking), patrol and training history, a member deleted
meanwhile, and user data shown literally."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.member.contact_form import ContactForm
from screens.member.detail import MemberScreen, PlainList
from screens.shell.dialogs import ConfirmDialog
from screens.widgets.choice import ChoiceField
from screens.widgets.form import FormField
from store.actor import Actor, Role
from store.contacts import ops as contacts
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import (
    SIZE,
    TEST_ACTOR,
    add_records,
    enter_as,
    footer_text,
    foreign_sequences,
    screen_text,
    settle,
    terminal_output,
    type_text,
    wait_until,
)
from tests.screens.member_helpers import (
    NOW,
    TODAY,
    add_member,
    app_for,
    log_contact,
    open_member,
    push_member,
)
from tui.app import ShequApp

SnapCompare = Callable[..., bool]

PROFILE = {
    "name": "欧阳娜娜",
    "gender": "female",
    "birth_date": "1958-03-12",
    "phone": "13800000001",
    "building": "3",
    "unit": "2",
    "room": "502",
    "grid": "第4网格",
    "branch": "第2党支部",
    "join_date": "1980-07-01",
    "category": "mobile_out",
    "management": "entrusted",
    "roles": ["支部委员"],
    "tags": ["摄影", "驾驶"],
    "whereabouts": "深圳",
    "mobile_since": "2024-03-01",
    "contact_person": "欧阳大海",
    "contact_phone": "0571-86666666",
    "exempt_hours": True,
    "exempt_reason": "elderly",
    "notes": "随子女在深圳居住",
}


def stored_contacts(db_path: Path, member_id: str) -> list[Mapping[str, Any]]:
    return contacts.for_member(Database(db_path).snapshot(), member_id, TEST_ACTOR)


def contact_list(screen: MemberScreen) -> PlainList:
    return screen.query_one("#member-contacts", PlainList)


def list_lines(widget: PlainList) -> list[str]:
    return [str(option.prompt) for option in widget.options]


def form(app: ShequApp) -> ContactForm:
    assert isinstance(app.screen, ContactForm)
    return app.screen


def form_field(app: ShequApp, name: str) -> FormField:
    return next(f for f in form(app).query(FormField) if f.field == name)


# -- the profile ----------------------------------------------------------------------------------


async def test_profile_in_english(db_path: Path) -> None:
    member_id = add_member(db_path, PROFILE)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_member(pilot, member_id)
        text = screen_text(app)
        for shown in (
            "欧阳娜娜",
            "Gender: Female",
            "Birth date: 1958-03-12 (age 68)",
            "Phone: 13800000001",
            "Address: Building 3, Unit 2, Room 502",
            "Grid: 第4网格",
            "Branch: 第2党支部",
            "Category: Mobile (away)",
            "Management: Entrusted",
            "Join date: 1980-07-01",
            "Status: Active",
            "Roles: 支部委员",
            "Tags: 摄影, 驾驶",
            "Exempt from study hours: Yes (Elderly)",
            "Notes: 随子女在深圳居住",
            "Whereabouts: 深圳, since 2024-03-01",
            "Whom to call: 欧阳大海 0571-86666666",
            "Never contacted; on the roster since 2026-11-25 (today).",
            "Contact log: nothing logged yet. Press c to log a contact.",
            "No patrol shifts yet.",
            "No training recorded yet.",
        ):
            assert shown in text, shown
        footer = footer_text(app)
        # Said shorter at 80 columns so that the certificate key fits (F1 has the full words).
        for key in ("c Contact", "e Edit", "t Certificate", "Esc Back"):
            assert key in footer
        assert "Del" not in footer  # no contact to delete


async def test_profile_in_chinese(db_path: Path) -> None:
    member_id = add_member(db_path, {**PROFILE, "status": "archived"})
    app = app_for(db_path, lang="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await open_member(pilot, member_id)
        text = screen_text(app)
        # One wording with the roster's column (流入党员 / 流出党员), not 流动党员（外出）.
        assert "流动党员" not in text
        for shown in ("欧阳娜娜", "性别", "女", "流出党员", "委托管理", "已归档", "摄影"):
            assert shown in text, shown


async def test_long_values_are_cut_to_the_column(db_path: Path) -> None:
    member_id = add_member(db_path, {**PROFILE, "notes": "很长的备注" * 20, "branch": "支部" * 30})
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_member(pilot, member_id)
        lines = screen_text(app).splitlines()
        notes = next(line for line in lines if "Notes:" in line)
        assert notes.rstrip().endswith("…")
        assert all(len(line) <= SIZE[0] for line in lines)


async def test_a_volunteer_sees_a_masked_phone_no_address_and_cannot_change_anything(
    db_path: Path,
) -> None:
    member_id = add_member(db_path, PROFILE)
    log_contact(db_path, member_id, TODAY - timedelta(days=3), "电话")
    log_contact(db_path, member_id, TODAY - timedelta(days=1), "上门 新住址 9栋3单元801", "visit")
    app = app_for(db_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_member(pilot, member_id, Role.VOLUNTEER)
        text = screen_text(app)
        # The contact log: when, how and who, but no note (free text holds addresses).
        rows = list_lines(contact_list(screen))
        assert rows[0].startswith("2026-11-24  Visit     王芳")
        assert rows[0].endswith("(note hidden)")
        assert "9栋3单元801" not in text and "电话" not in "".join(rows)
        assert "Phone: 138****0001" in text
        assert "13800000001" not in text
        assert "Address: (hidden)" in text
        assert "Building 3" not in text
        assert "深圳" not in text  # whereabouts and notes
        assert "欧阳大海" not in text
        assert "0571-****6666" in text
        footer = footer_text(app)
        assert "Add contact" not in footer
        assert "Edit" not in footer
        assert "Delete" not in footer
        await pilot.press("c", "e", "delete")
        await settle(pilot)
        assert app.screen is screen
        screen.action_add_contact()  # forced, as from the command palette
        await pilot.pause()
        assert app.screen is screen
        assert [n.message for n in app._notifications] == [
            "Only coordinators and admins can change the roster."
        ]
        assert len(stored_contacts(db_path, member_id)) == 2


# -- contact state --------------------------------------------------------------------------------


async def test_due_and_overdue_are_said_in_words(db_path: Path) -> None:
    add_records(db_path, "settings", [{"contact_warn_days": 30, "contact_overdue_days": 60}])
    due = add_member(db_path, {"name": "提醒"})
    log_contact(db_path, due, TODAY - timedelta(days=40))
    overdue = add_member(db_path, {"name": "逾期"})
    log_contact(db_path, overdue, TODAY - timedelta(days=90))
    log_contact(db_path, overdue, TODAY - timedelta(days=200))
    never = add_member(db_path, {"name": "从未联系"}, on=NOW - timedelta(days=100))
    recent = add_member(db_path, {"name": "近期"})
    log_contact(db_path, recent, TODAY - timedelta(days=1))
    expected = {
        due: "Last contact: 2026-10-16 (40 days ago). ! Due soon: 30 days or more without contact.",
        overdue: "Last contact: 2026-08-27 (90 days ago). !! Overdue: 60 days or more without "
        "contact.",
        never: "Never contacted; on the roster since 2026-08-17 (100 days ago). !! Overdue: 60 "
        "days or more without contact.",
        recent: "Last contact: 2026-11-24 (1 day ago).",
    }
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await enter_as(pilot)
        for member_id, line in expected.items():
            await push_member(pilot, member_id)
            assert " ".join(screen_text(app).split()).count(line) == 1, line
            await pilot.press("escape")
            await settle(pilot)


# -- the contact log ------------------------------------------------------------------------------


async def test_add_a_contact_with_the_keyboard(db_path: Path) -> None:
    member_id = add_member(db_path, PROFILE)
    log_contact(db_path, member_id, date(2026, 1, 5), "年初走访")
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactForm), "the dialog")
        assert form_field(app, "date").value == "2026-11-25"
        await type_text(pilot, "2026-11-20")  # replaces today's date, selected on focus
        await pilot.press("enter", "right", "enter")  # method: Phone -> Visit
        assert app.focused is form_field(app, "note").input
        await type_text(pilot, "上门走访 身体很好")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, "the dialog to close")
        await settle(pilot)

        log = stored_contacts(db_path, member_id)
        assert [(c["date"], c["method"], c["by"], c["note"]) for c in log] == [
            ("2026-11-20", "visit", "test", "上门走访 身体很好"),
            ("2026-01-05", "phone", "王芳", "年初走访"),
        ]
        rows = list_lines(contact_list(screen))
        assert rows[0].startswith("2026-11-20  Visit     test        上门走访 身体很好")
        assert contact_list(screen).highlighted == 0
        assert app.focused is contact_list(screen)
        assert "Last contact: 2026-11-20 (5 days ago)." in screen_text(app)
        assert "Contact log: 2 contacts, newest first" in screen_text(app)


async def test_ctrl_s_saves_and_the_method_choice_goes_round(db_path: Path) -> None:
    member_id = add_member(db_path, PROFILE)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactForm), "the dialog")
        await type_text(pilot, "昨天")
        await pilot.press("enter")
        choice = form(app).query_one("#field-method", ChoiceField)
        assert app.focused is choice.input
        await pilot.press("left")  # round the start: Other
        assert "[Other]" in screen_text(app)
        await pilot.press("left")
        assert "[Message]" in screen_text(app)
        await pilot.press("space", "space", "left")  # Space moves on too
        assert "[Other]" in screen_text(app)
        await pilot.press("space", "space", "space")
        assert "[Message]" in screen_text(app)
        await pilot.press("home")
        assert "[Phone]" in screen_text(app)
        await pilot.press("end", "left")
        assert "[Message]" in screen_text(app)
        assert choice.value == "message"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, "the dialog to close")
        await settle(pilot)
        assert app.focused is contact_list(screen)  # the log, with its first contact
        log = stored_contacts(db_path, member_id)
        assert [(c["date"], c["method"], c["note"]) for c in log] == [("2026-11-24", "message", "")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-11-26", "This date is in the future."),
        ("2026-13-45", "There is no month 13."),
        ("下周", "“下周” is not a date; write it like 1958-03-12 or 1958年3月."),
        ("", "Enter a date."),
    ],
)
async def test_a_bad_date_is_said_under_the_field_and_nothing_is_stored(
    db_path: Path, typed: str, message: str
) -> None:
    member_id = add_member(db_path, PROFILE)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_member(pilot, member_id)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactForm), "the dialog")
        if typed:
            await type_text(pilot, typed)
        else:
            await pilot.press("backspace")
        await pilot.press("enter", "enter")
        await type_text(pilot, "打不通")
        await pilot.press("enter")
        date_field = form_field(app, "date")
        await wait_until(pilot, lambda: bool(date_field.error), "the message")
        assert date_field.error == message
        assert f"! {message[:25]}" in screen_text(app)  # under the field (a long one wraps)
        assert app.focused is date_field.input
        assert isinstance(app.screen, ContactForm)
        assert stored_contacts(db_path, member_id) == []


async def test_esc_asks_before_dropping_what_was_typed(db_path: Path) -> None:
    member_id = add_member(db_path, PROFILE)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactForm), "the dialog")
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_until(pilot, lambda: app.screen is screen, "the dialog to close")

        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactForm), "the dialog")
        await pilot.press("enter", "enter")
        await type_text(pilot, "留言")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactForm), "the dialog")
        assert form_field(app, "note").value == "留言"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is screen, "the dialog to close")
        assert stored_contacts(db_path, member_id) == []


async def test_delete_a_contact_asks_first(db_path: Path) -> None:
    member_id = add_member(db_path, PROFILE)
    log_contact(db_path, member_id, date(2026, 3, 1), "三月")
    log_contact(db_path, member_id, date(2026, 9, 1), "九月")
    app = app_for(db_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_member(pilot, member_id)
        assert app.focused is contact_list(screen)
        assert "Del Delete " in footer_text(app)
        await pilot.press("down")  # the March contact
        for answer in ("n", "escape"):
            await pilot.press("delete")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
            assert "Delete the contact of 2026-03-01 (Phone, by 王芳)?" in screen_text(app)
            await pilot.press(answer)
            await wait_until(pilot, lambda: app.screen is screen, "the question to close")
            assert len(stored_contacts(db_path, member_id)) == 2
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_until(pilot, lambda: len(contact_list(screen).options) == 1, "the reload")
        assert [c["note"] for c in stored_contacts(db_path, member_id)] == ["九月"]
        assert "三月" not in screen_text(app)
        assert "Contact deleted." in [n.message for n in app._notifications]


async def test_del_is_only_offered_on_a_selected_contact(db_path: Path) -> None:
    member_id = add_member(db_path, PROFILE)
    log_contact(db_path, member_id, date(2026, 3, 1))
    add_records(
        db_path,
        "trainings",
        [{"title": "消防安全", "date": "2026-05-01", "attendance": [{"member_id": member_id}]}],
    )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id)
        assert "Del Delete " in footer_text(app)
        await pilot.press("tab")  # on to the training history
        assert app.focused is screen.query_one("#member-trainings", PlainList)
        await pilot.pause()
        assert "Del Delete" not in footer_text(app)
        await pilot.press("delete")
        await pilot.pause()
        assert app.screen is screen
        assert len(stored_contacts(db_path, member_id)) == 1


# -- history --------------------------------------------------------------------------------------


async def test_patrol_and_training_history_newest_first(db_path: Path) -> None:
    member_id = add_member(db_path, PROFILE)
    other = add_member(db_path, {"name": "李四"})
    add_records(db_path, "zones", [{"name": "东区"}])
    zone_id = Database(db_path).snapshot().all("zones")[0]["id"]
    add_records(
        db_path,
        "shifts",
        [
            {
                "date": "2026-10-01",
                "start": "19:00",
                "end": "21:00",
                "zone_id": zone_id,
                "assignments": [{"member_id": member_id, "status": "present"}],
            },
            {
                "date": "2026-11-01",
                "start": "19:00",
                "end": "21:00",
                "zone_id": zone_id,
                "assignments": [
                    {"member_id": other, "status": "present"},
                    {"member_id": member_id, "status": "absent"},
                ],
            },
            {"date": "2026-11-02", "assignments": [{"member_id": other}]},
        ],
    )
    add_records(
        db_path,
        "trainings",
        [
            {
                "title": "消防安全",
                "date": "2026-05-01",
                "attendance": [{"member_id": member_id, "status": "present", "hours": 2}],
            },
            {
                "title": "党课",
                "date": "2026-09-01",
                "attendance": [{"member_id": member_id, "status": "make_up", "hours": 1.5}],
            },
            {"title": "别人的课", "date": "2026-09-02", "attendance": [{"member_id": other}]},
        ],
    )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id)
        assert list_lines(screen.query_one("#member-patrols", PlainList)) == [
            "2026-11-01 19:00-21:00 Absent 东区",
            "2026-10-01 19:00-21:00 Present 东区",
        ]
        assert list_lines(screen.query_one("#member-trainings", PlainList)) == [
            "2026-09-01 Make-up 1.5 h 党课",
            "2026-05-01 Present 2 h 消防安全",
        ]
        text = screen_text(app)
        # Hours credited only for present: 2 of the 4 hours, and the absence said.
        assert screen.view.patrol_heading.format(count=2) == "Patrols (2) · 2 h in 2026 · 1 absent"
        assert "Patrols (2) · 2 h in 2026" in text  # cut with … where the column ends
        assert "Training history (2)" in text
        assert "No patrol shifts yet." not in text


# -- the member changes underneath ----------------------------------------------------------------


async def test_a_member_deleted_meanwhile(db_path: Path) -> None:
    member_id = add_member(db_path, PROFILE)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id)
        below = app.screen_stack[-2]
        db = Database(db_path)
        members.delete(db, Actor("zhao", Role.ADMIN), member_id, 1)  # in another session
        app.check_for_changes()
        await wait_until(pilot, lambda: not screen.view.found, "the reload")
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "This member is no longer on the roster; someone may have deleted them." in text
        assert "欧阳娜娜" not in text
        footer = footer_text(app)
        assert "Add contact" not in footer
        assert "Edit" not in footer
        assert "Esc Back" in footer
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is below, "going back")


async def test_a_contact_for_a_member_deleted_while_the_dialog_was_open(db_path: Path) -> None:
    member_id = add_member(db_path, PROFILE)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_member(pilot, member_id)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactForm), "the dialog")
        members.delete(Database(db_path), Actor("zhao", Role.ADMIN), member_id, 1)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "There is no such member." in screen_text(app), "why")
        assert isinstance(app.screen, ContactForm)
        assert Database(db_path).snapshot().all("contacts") == []


# -- text safety ----------------------------------------------------------------------------------

HOSTILE = "[bold]粗[/] \x1b]0;title\x07 [link=https://example.com]点[/link] \x9b2J x[/]"


async def test_markup_and_control_characters_are_shown_literally(db_path: Path) -> None:
    member_id = add_member(db_path, PROFILE)
    # Written past validation, as a hand-edited or older file could hold them.
    add_records(
        db_path,
        "contacts",
        [{"member_id": member_id, "date": "2026-11-01", "by": "\x1b[31m红", "note": HOSTILE}],
    )
    add_records(db_path, "members", [{"name": "[b]x[/]\x1b[2J", "notes": "第一行\n[red]第二行"}])
    hostile_id = next(
        doc["id"] for doc in Database(db_path).snapshot().all("members") if doc["id"] != member_id
    )
    app = app_for(db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_member(pilot, member_id)
        text = screen_text(app)
        assert "[bold]粗[/] [link=https://example.com]点[/link] x[/]" in text
        assert "  红  " in text
        output = terminal_output(app)
        assert "\x1b" not in foreign_sequences(output)
        assert "\x07" not in output
        assert "\x9b" not in output

        await pilot.press("escape")
        await settle(pilot)
        await push_member(pilot, hostile_id)
        text = screen_text(app)
        assert "[b]x[/]" in text
        assert "Notes: 第一行 [red]第二行" in text
        assert "\x1b" not in foreign_sequences(terminal_output(app))


# -- edit -----------------------------------------------------------------------------------------


async def test_e_opens_the_member_form(db_path: Path) -> None:
    member_form = pytest.importorskip("screens.member.form")
    member_id = add_member(db_path, PROFILE)
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_member(pilot, member_id)
        await pilot.press("e")
        await wait_until(
            pilot, lambda: isinstance(app.screen, member_form.MemberFormScreen), "the form"
        )


# -- what it looks like ---------------------------------------------------------------------------


def test_snapshot(snap_compare: SnapCompare, db_path: Path) -> None:
    add_records(db_path, "settings", [{"community_name": "幸福里社区"}])
    member_id = add_member(db_path, PROFILE, on=NOW - timedelta(days=400))
    log_contact(db_path, member_id, date(2026, 5, 20), "电话联系，在深圳打工，一切都好", "phone")
    log_contact(db_path, member_id, date(2026, 2, 1), "春节回来时上门走访", "visit")
    add_records(
        db_path,
        "trainings",
        [
            {
                "title": "消防安全知识",
                "date": "2026-05-01",
                "attendance": [{"member_id": member_id, "status": "present", "hours": 2}],
            }
        ],
    )
    app = app_for(db_path)

    async def opened(pilot: Pilot[None]) -> None:
        await open_member(pilot, member_id)

    assert snap_compare(app, terminal_size=SIZE, run_before=opened)

"""The member form: a member added entirely by keyboard, every bad field said under it, edits,
the duplicate warning, the conflict flow with two apps on one file, Esc, roles and languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from screens.member.form import MemberFormScreen
from screens.shell.dialogs import ChoiceDialog, ConfirmDialog
from screens.widgets.choice import ChoiceField
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from tests.screens.helpers import (
    SIZE,
    enter_as,
    footer_text,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tests.screens.member_form_helpers import (
    add_member,
    field,
    open_form,
    retype,
    save,
    stored,
)
from tui.app import ShequApp
from tui.factory import make_app

SnapCompare = Callable[..., bool]


def errors(form: MemberFormScreen) -> dict[str, str]:
    return {f.field: f.error for f in form.fields() if f.error}


async def test_add_a_member_entirely_by_keyboard(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        form = await open_form(pilot)
        assert field(form, "name").input.has_focus
        # Enter moves field to field; text is typed as people write it; Space/Right choose.
        await type_text(pilot, "张三丰")
        await pilot.press("enter", "space", "space")  # gender: Not given -> Male -> Female
        await pilot.press("enter")
        await type_text(pilot, "1958年3月")
        await pilot.press("enter")
        await type_text(pilot, "汉族")
        await pilot.press("enter", "enter")  # education left empty
        await type_text(pilot, "138 0013 8000")
        await pilot.press("enter")
        await type_text(pilot, "3")
        await pilot.press("enter")
        await type_text(pilot, "2")
        await pilot.press("enter")
        await type_text(pilot, "502")
        await pilot.press("enter", "enter")  # no free-text address
        await type_text(pilot, "第一网格")
        await pilot.press("enter")
        await type_text(pilot, "第一支部")
        await pilot.press("enter")
        await type_text(pilot, "1980.07.01")
        await pilot.press("enter")
        category = field(form, "category")
        assert category.input.has_focus and category.value == "other"
        await pilot.press("right", "right", "right", "left")  # other -> in_service -> ... retired
        assert category.value == "retired"
        assert "< Retired >" in screen_text(app)  # the choice is written in words
        await pilot.press("enter", "enter", "enter")  # management, status as they are
        await type_text(
            pilot, "支部委员,楼长"
        )  # (the pilot drops "、"; the store splits on it too)
        await pilot.press("enter")
        await type_text(pilot, "志愿者, 书法")
        await pilot.press("enter")
        assert field(form, "whereabouts").input.has_focus
        await save(pilot, form)
        assert app.screen is not form  # saved and closed
        assert form.saved_id is not None
        assert "Saved 张三丰." in [n.message for n in app._notifications]
    [doc] = stored(db_path)
    assert doc["id"] == form.saved_id
    assert doc["name"] == "张三丰"
    assert doc["gender"] == "female"
    assert doc["birth_date"] == "1958-03-01"
    assert doc["month_only"] == ["birth_date"]
    assert doc["join_date"] == "1980-07-01"
    assert doc["phone"] == "13800138000"
    assert (doc["building"], doc["unit"], doc["room"]) == ("3", "2", "502")
    assert (doc["grid"], doc["branch"], doc["ethnicity"]) == ("第一网格", "第一支部", "汉族")
    assert (doc["category"], doc["management"], doc["status"]) == ("retired", "direct", "active")
    assert doc["roles"] == ["支部委员", "楼长"]
    assert doc["tags"] == ["志愿者", "书法"]
    assert doc["exempt_hours"] is False
    assert "zhangsanfeng" in doc["search_keys"]
    assert "zsf" in doc["search_keys"]


async def test_the_stored_form_is_shown_when_opened_again(db_path: Path) -> None:
    doc = add_member(
        db_path,
        name="李四",
        birth_date="1958.03",
        join_date="1980/7/8",
        phone="+86 138-0013-8001",
        roles="支部委员，楼长",
        category="退休",
        notes="第一行\n第二行",
    )
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, doc["id"])
        assert field(form, "birth_date").value == "1958-03"  # month-only, as stored
        assert field(form, "join_date").value == "1980-07-08"
        assert field(form, "phone").value == "13800138001"
        assert field(form, "roles").value == "支部委员, 楼长"
        assert field(form, "category").value == "retired"
        assert field(form, "notes").value == "第一行 / 第二行"
        assert "Editing 李四" in screen_text(app)
        assert not form.has_unsaved_edits()


async def test_every_bad_field_is_said_under_it_and_nothing_is_saved(db_path: Path) -> None:
    next_year = dt.date.today().year + 1
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await retype(pilot, form, "birth_date", f"{next_year}-01-01")
        await retype(pilot, form, "phone", "12345")
        await retype(pilot, form, "ethnicity", "很" * 21)
        await retype(pilot, form, "roles", "很长" * 16)
        await retype(pilot, form, "contact_phone", "call me")
        await retype(pilot, form, "mobile_since", "someday")
        field(form, "exempt_hours").input.focus()
        await pilot.press("space")  # yes, but no reason given
        await save(pilot, form)
        found = errors(form)
        assert set(found) == {
            "name",
            "birth_date",
            "phone",
            "ethnicity",
            "roles",
            "contact_phone",
            "mobile_since",
            "exempt_reason",
        }
        assert found["name"] == "Enter a name."
        assert found["birth_date"] == "The birth date is in the future."
        assert found["exempt_reason"] == "Say why this member is exempt."
        assert "20 characters" in found["ethnicity"]
        assert field(form, "name").input.has_focus  # the first problem takes the focus
        text = screen_text(app)
        assert "! Enter a name." in text  # under its field, marked with "!"
        assert "Nothing was saved" in form.query_one("#member-form-message").render().plain
        assert form.has_unsaved_edits()

        # Fixed, but joined before being born.
        await retype(pilot, form, "name", "王五")
        await retype(pilot, form, "birth_date", "1960-05-01")
        await retype(pilot, form, "join_date", "1950.1")
        await retype(pilot, form, "phone", "")
        await retype(pilot, form, "ethnicity", "汉")
        await retype(pilot, form, "roles", "楼长")
        await retype(pilot, form, "contact_phone", "")
        await retype(pilot, form, "mobile_since", "")
        await save(pilot, form)
        assert errors(form) == {
            "join_date": "The join date is before the birth date.",
            "exempt_reason": "Say why this member is exempt.",
        }
        assert field(form, "join_date").input.has_focus
        assert "! The join date is before the birth date." in screen_text(app)
    assert not db_path.exists()  # nothing was ever written


async def test_a_choice_error_maps_onto_the_choice_and_is_fixed_by_keys(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await retype(pilot, form, "name", "赵六")
        field(form, "exempt_hours").input.focus()
        await pilot.press("right")  # yes
        await save(pilot, form)
        reason = field(form, "exempt_reason")
        assert isinstance(reason, ChoiceField)
        assert reason.input.has_focus and reason.error
        assert "! Say why this member is exempt." in screen_text(app)
        await pilot.press("space")  # Not given -> Elderly
        assert reason.text == "Elderly"
        await save(pilot, form)
        assert app.screen is not form
    [doc] = stored(db_path)
    assert (doc["exempt_hours"], doc["exempt_reason"]) == (True, "elderly")


async def test_edit_the_phone_and_the_version_goes_up(db_path: Path) -> None:
    doc = add_member(db_path, name="张三", birth_date="1958年3月", phone="13800138000")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, doc["id"])
        await retype(pilot, form, "phone", "0571-8888 6666")
        assert form.has_unsaved_edits()
        await save(pilot, form)
        assert app.screen is not form
        assert form.saved_id == doc["id"]
    [after] = stored(db_path)
    assert after["version"] == doc["version"] + 1
    assert after["phone"] == "0571-88886666"
    assert after["birth_date"] == "1958-03-01"
    assert after["month_only"] == ["birth_date"]  # untouched, still month-only


async def test_a_changed_date_is_no_longer_month_only(db_path: Path) -> None:
    doc = add_member(db_path, name="张三", birth_date="1958年3月")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, doc["id"])
        await retype(pilot, form, "birth_date", "1958-03-01")
        await save(pilot, form)
    [after] = stored(db_path)
    assert after["birth_date"] == "1958-03-01"
    assert after["month_only"] == []


async def test_duplicate_same_name_and_birth_no_keeps_editing_yes_saves(db_path: Path) -> None:
    add_member(db_path, name="张三", birth_date="1958-03-12", phone="13800138000")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await retype(pilot, form, "name", "张三")
        await retype(pilot, form, "birth_date", "1958/3/12")
        await save(pilot, form)
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert "A member like this is already on the roster" in text
        assert "张三, born 1958-03-12, phone 13800138000" in text
        assert "Save anyway?" in text
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert app.screen is form
        assert field(form, "name").value == "张三"
        assert len(stored(db_path)) == 1

        await save(pilot, form)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is not form, "the save")
    assert [d["name"] for d in stored(db_path)] == ["张三", "张三"]


async def test_duplicate_same_phone_is_found_after_normalising(db_path: Path) -> None:
    add_member(db_path, name="张三", phone="13800138000", status="archived")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, role=Role.COORDINATOR)
        await retype(pilot, form, "name", "张山")
        await retype(pilot, form, "phone", "+86 138-0013-8000")
        await save(pilot, form)
        assert isinstance(app.screen, ConfirmDialog)
        # A coordinator may see phones whole; an archived match says so.
        assert "张三, phone 13800138000, Archived" in screen_text(app)
        await pilot.press("escape")  # Esc is No
        await settle(pilot)
        assert app.screen is form
        assert len(stored(db_path)) == 1


async def test_an_edit_checks_duplicates_only_when_name_birth_or_phone_change(
    db_path: Path,
) -> None:
    add_member(db_path, name="张三", phone="13800138000")
    other = add_member(db_path, name="李四", phone="13900139000")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, other["id"])
        await retype(pilot, form, "grid", "二网格")
        await save(pilot, form)  # no question: nothing the rule looks at changed
        assert app.screen is not form
        form = await open_form(pilot, other["id"], login=False)
        await retype(pilot, form, "phone", "138 0013 8000")
        await save(pilot, form)
        assert isinstance(app.screen, ConfirmDialog)
        assert "张三" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is not form, "the save")
    after = {d["name"]: d for d in stored(db_path)}
    assert after["李四"]["phone"] == "13800138000"
    assert after["李四"]["grid"] == "二网格"
    assert after["李四"]["version"] == 3


async def test_conflict_between_two_apps_reload_overwrite_cancel(db_path: Path) -> None:
    doc = add_member(db_path, name="张三", phone="13800138000", grid="一网格")
    mine, theirs = make_app(db_path, lang="en"), make_app(db_path, lang="en")
    async with mine.run_test(size=SIZE) as me, theirs.run_test(size=SIZE) as them:
        form = await open_form(me, doc["id"])
        other = await open_form(them, doc["id"], Role.COORDINATOR)

        # They save first; my save meets their version: reload theirs.
        await retype(me, form, "phone", "13900139000")
        await retype(them, other, "grid", "二网格")
        await save(them, other)
        assert stored(db_path)[0]["version"] == 2
        await save(me, form)
        assert isinstance(mine.screen, ChoiceDialog)
        said = " ".join(screen_text(mine).split())
        assert "Someone else saved this member" in said
        # Who, and what of theirs is at stake (their grid; the phone is only my change).
        assert "Saved by test." in said
        assert "Their changes: Grid." in said
        await me.press("r")
        await settle(me)
        assert mine.screen is form
        assert field(form, "grid").value == "二网格"
        assert field(form, "phone").value == "13800138000"
        assert not form.has_unsaved_edits()
        assert stored(db_path)[0]["phone"] == "13800138000"

        # Again; this time cancel: nothing saved, my edit kept.
        other = await open_form(them, doc["id"], login=False)
        await retype(me, form, "phone", "13900139000")
        await retype(them, other, "grid", "三网格")
        await save(them, other)
        await save(me, form)
        assert isinstance(mine.screen, ChoiceDialog)
        await me.press("c")
        await settle(me)
        assert mine.screen is form
        assert field(form, "phone").value == "13900139000"
        [now] = stored(db_path)
        assert (now["version"], now["phone"], now["grid"]) == (3, "13800138000", "三网格")

        # And overwrite: my change goes in over their version; their other change stays.
        await save(me, form)
        assert isinstance(mine.screen, ChoiceDialog)
        await me.press("o")
        await wait_until(me, lambda: mine.screen is not form, "the overwrite")
        assert form.saved_id == doc["id"]
    [final] = stored(db_path)
    assert (final["version"], final["phone"], final["grid"]) == (4, "13900139000", "三网格")


async def test_deleted_meanwhile_is_said(db_path: Path) -> None:
    doc = add_member(db_path, name="张三")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        form = await open_form(pilot, doc["id"])
        await retype(pilot, form, "grid", "二网格")
        members.delete(Database(db_path), Actor("root", Role.ADMIN), doc["id"], doc["version"])
        await save(pilot, form)
        assert app.screen is form
        assert "no longer on the roster" in screen_text(app)
        assert not form.has_unsaved_edits()  # nothing left to save: Esc just leaves
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not form

        # Opening a member that is gone says so and goes back.
        form = await open_form_gone(pilot, doc["id"])
        assert app.screen is not form
        assert any("no longer on the roster" in n.message for n in app._notifications)


async def open_form_gone(pilot: Pilot[None], member_id: str) -> MemberFormScreen:
    app = pilot.app
    assert isinstance(app, ShequApp)
    form = MemberFormScreen(app.session, "Roster", member_id)
    app.call_next(app.push_screen, form)
    await wait_until(pilot, lambda: form.gone, "the form to find no member")
    await wait_until(pilot, lambda: app.screen is not form, "the form to close")
    return form


async def test_esc_asks_before_dropping_edits_and_ctrl_q_asks_too(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await pilot.press("escape")  # nothing typed: leaves at once
        await settle(pilot)
        assert app.screen is not form

        form = await open_form(pilot, login=False)
        await type_text(pilot, "新人")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert "not saved" in screen_text(app)
        await pilot.press("enter")  # No is the default: keep editing
        assert app.screen is form
        assert field(form, "name").value == "新人"
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert app.is_running and app.screen is form
        await pilot.press("escape", "y")
        await settle(pilot)
        assert app.screen is not form
    assert not db_path.exists()


async def test_a_volunteer_is_refused(db_path: Path) -> None:
    doc = add_member(db_path, name="张三", phone="13800138000")
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await enter_as(pilot, Role.VOLUNTEER)
        await settle(pilot)
        form = MemberFormScreen(app.session, "Roster", doc["id"])
        app.call_next(app.push_screen, form)
        await wait_until(
            pilot, lambda: any("coordinators" in n.message for n in app._notifications), "refusal"
        )
        await settle(pilot)
        assert app.screen is not form
        assert not form.filled  # the record was never read
        assert "Only coordinators and admins can change the roster." in [
            n.message for n in app._notifications
        ]


async def test_focus_moving_down_scrolls_the_field_into_view(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        for _ in range(len(form.fields()) - 1):
            await pilot.press("enter")
        await pilot.pause()
        notes = field(form, "notes").input
        assert notes.has_focus
        scroll = form.query_one("#member-form")
        assert scroll.scroll_y > 0
        assert scroll.region.contains_region(notes.region)
        assert "Notes" in screen_text(app)


async def test_footer_and_choice_keys_at_80x24(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        footer = footer_text(app)
        assert "Ctrl+S Save" in footer and "Esc Back" in footer and "Quit" in footer
        field(form, "gender").input.focus()
        await pilot.pause()
        footer = footer_text(app)
        assert "Ctrl+S Save" in footer and "Quit" in footer
        assert "< Not given >  Space to change" in screen_text(app)


async def test_chinese_labels(db_path: Path) -> None:
    app = make_app(db_path, lang="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        text = screen_text(app)
        for label in ("姓名", "性别", "出生日期", "电话"):
            assert label in text
        assert "保存" in footer_text(app)
        category = field(form, "category")
        assert isinstance(category, ChoiceField)
        category.input.focus()
        await pilot.press("left")  # other -> mobile (away)
        await pilot.press("left", "left")  # -> retired
        assert category.value == "retired"
        assert category.text == "离退休党员"


async def show_new_form(pilot: Pilot[None]) -> None:
    await open_form(pilot)
    await type_text(pilot, "张三丰")
    await pilot.press("enter")
    await pilot.pause()


def test_snapshot_new_member_form(snap_compare: SnapCompare, db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    assert snap_compare(app, terminal_size=SIZE, run_before=show_new_form)


async def test_a_corrected_field_loses_its_message_when_left(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await retype(pilot, form, "name", "王五")
        await retype(pilot, form, "phone", "12345")
        await retype(pilot, form, "birth_date", "someday")
        await save(pilot, form)
        assert set(errors(form)) == {"phone", "birth_date"}
        # Still wrong when left: the message stays (and says the new problem).
        await retype(pilot, form, "phone", "1380013")
        await pilot.press("enter")
        await pilot.pause()
        assert "phone" in errors(form)
        # Right now: gone as soon as the focus moves on, no Ctrl+S needed.
        await retype(pilot, form, "phone", "13800138000")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "phone" not in errors(form), "the phone's message to go")
        assert list(errors(form)) == ["birth_date"]  # the other, never left, keeps its message
    assert not db_path.exists()  # checking a field writes nothing

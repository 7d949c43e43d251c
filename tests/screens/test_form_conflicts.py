"""One conflict flow for every form (screens/shell/conflict.py), tried on the patrol forms.

Two apps on one data file, as two volunteers at two terminals: the second has a shift (or a
template) open with an edit while the first saves the same record. The second's save then asks
the question every form asks (who saved, which fields of theirs differ); "reload theirs"
shows their record, "overwrite with mine" writes only the fields this form changed over their
save, and "cancel" writes nothing and keeps the edit. Checked on screen and in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from screens.patrols.shift_form import ShiftForm
from screens.patrols.template_form import TemplateForm
from screens.shell.dialogs import ConflictDialog
from screens.widgets.form import FormField
from store.actor import Role
from store.engine.database import Database
from store.patrols import reads, templates
from tests.screens.helpers import add_user, enter_as, screen_text, settle, type_text, wait_until
from tests.screens.patrol_helpers import ROOT, fixed_clock, patrol_week
from tui.app import ShequApp
from tui.factory import make_app

SIZE = (80, 24)


def app_for(db_path: Path, lang: str = "en") -> ShequApp:
    app = make_app(db_path, lang=lang)
    app.db.clock = fixed_clock()
    return app


async def open_form(pilot: Pilot[Any], form: ShiftForm | TemplateForm, name: str) -> None:
    """Log in as ``name`` and open ``form`` the way the patrol screens do (pushed)."""
    app = pilot.app
    await enter_as(pilot, Role.COORDINATOR, name=name)
    await settle(pilot)
    app.call_next(app.push_screen, form)
    await wait_until(pilot, lambda: app.screen is form and form.filled, "the form")
    await settle(pilot)


async def retype(pilot: Pilot[Any], form: ShiftForm | TemplateForm, name: str, text: str) -> None:
    """Move to a text field, clear it and type ``text``."""
    target = next(f for f in form.fields() if f.field == name)
    assert isinstance(target, FormField)
    target.input.focus()
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    assert target.value == text


async def save(pilot: Pilot[Any], form: ShiftForm | TemplateForm) -> None:
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: not form.saving, "the save")
    await settle(pilot)


async def the_question(pilot: Pilot[Any]) -> str:
    """Wait for the conflict question; what it says, on one line."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "the question")
    await settle(pilot)
    return " ".join(screen_text(app).split())


def value(form: ShiftForm | TemplateForm, name: str) -> str:
    return next(f.value for f in form.fields() if f.field == name)


async def test_a_shift_saved_meanwhile_reload_cancel_overwrite(db_path: Path) -> None:
    world = patrol_week(db_path)
    shift_id = world["shifts"]["2026-12-03"]
    add_user(db_path, "wang", Role.COORDINATOR, display_name="王芳")
    first, second = app_for(db_path), app_for(db_path)
    async with first.run_test(size=SIZE) as them, second.run_test(size=SIZE) as me:
        form = ShiftForm(second.session, "Patrols", shift_id)
        await open_form(me, form, "li")
        other = ShiftForm(first.session, "Patrols", shift_id)
        await open_form(them, other, "wang")

        # They change the note and save first; my incident report meets their version.
        await retype(me, form, "incident", "路灯坏了")
        await retype(them, other, "note", "带手电")
        await save(them, other)
        await save(me, form)
        said = await the_question(me)
        assert "Someone else saved this shift" in said
        assert "Saved by 王芳." in said
        assert "Their changes: Note." in said  # the incident is only my change
        await me.press("r")  # reload theirs
        await settle(me)
        assert second.screen is form
        assert value(form, "note") == "带手电"
        assert value(form, "incident") == ""
        assert not form.has_unsaved_edits()
        stored = reads.shift(Database(db_path).snapshot(), shift_id)
        assert stored is not None and (stored.version, stored.incident) == (2, "")

        # Again; cancel: nothing written, my edit kept.
        other = ShiftForm(first.session, "Patrols", shift_id)
        first.call_next(first.push_screen, other)
        await wait_until(them, lambda: other.filled, "their form")
        await retype(me, form, "incident", "路灯坏了")
        await retype(them, other, "max_people", "4")
        await save(them, other)
        await save(me, form)
        said = await the_question(me)
        assert "Their changes: At most." in said
        await me.press("c")
        await settle(me)
        assert second.screen is form
        assert value(form, "incident") == "路灯坏了"
        # Said under the form (or, once the watcher has seen their save, who made it).
        line = " ".join(screen_text(second).split())
        assert "Not saved: someone else changed this shift" in line or (
            "Changed by 王芳 meanwhile. Your edits are kept" in line
        )

        # And overwrite: only my field goes in; their note and maximum stay as they saved them.
        await save(me, form)
        await the_question(me)
        await me.press("o")
        await wait_until(me, lambda: second.screen is not form, "the overwrite")
        assert form.saved_id == shift_id
    stored = reads.shift(Database(db_path).snapshot(), shift_id)
    assert stored is not None
    assert (stored.version, stored.incident, stored.note, stored.max_people) == (
        4,
        "路灯坏了",
        "带手电",
        4,
    )


async def test_a_template_saved_meanwhile_overwrite_keeps_the_future_answer(
    db_path: Path,
) -> None:
    world = patrol_week(db_path)
    template = templates.add_template(
        Database(db_path, clock=fixed_clock()),
        ROOT,
        {
            "name": "晨巡",
            "weekdays": "周二",
            "start": "07:00",
            "end": "08:00",
            "zone_id": world["zone"],
            "team_id": world["team"],
            "active_from": "2026-12-01",
        },
    )
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        form = TemplateForm(app.session, "Patrols", template["id"])
        await open_form(pilot, form, "li")
        await retype(pilot, form, "note", "我的备注")
        # Someone else renames it meanwhile (another session, through the store).
        templates.update_template(Database(db_path), ROOT, template["id"], {"name": "早巡"}, 1)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, TemplateForm), "future?")
        await pilot.press("o")  # only the template
        said = await the_question(pilot)
        assert "Someone else saved this template" in said
        assert "Their changes: Name." in said
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is form
        assert (value(form, "name"), value(form, "note")) == ("早巡", "")

        await retype(pilot, form, "note", "我的备注")
        templates.update_template(Database(db_path), ROOT, template["id"], {"end": "08:30"}, 2)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, TemplateForm), "future?")
        await pilot.press("o")
        await the_question(pilot)
        await pilot.press("o")  # overwrite: not asked about future shifts again
        await wait_until(pilot, lambda: app.screen is not form, "the overwrite")
    [stored] = reads.templates(Database(db_path).snapshot())
    assert (stored.version, stored.name, stored.note, f"{stored.end:%H:%M}") == (
        4,
        "早巡",
        "我的备注",
        "08:30",
    )


async def test_a_template_renamed_meanwhile_is_named_as_a_thing_in_chinese(db_path: Path) -> None:
    """A template's name is 名称 on the form and in the question, not a person's 姓名."""
    world = patrol_week(db_path)
    template = templates.add_template(
        Database(db_path, clock=fixed_clock()),
        ROOT,
        {"name": "晨巡", "weekdays": "周二", "start": "07:00", "end": "08:00"}
        | {"zone_id": world["zone"], "team_id": world["team"], "active_from": "2026-12-01"},
    )
    app = app_for(db_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        form = TemplateForm(app.session, "巡逻", template["id"])
        await open_form(pilot, form, "li")
        name_field = next(f for f in form.fields() if f.field == "name")
        assert name_field.label == "名称"
        await retype(pilot, form, "note", "我的备注")
        templates.update_template(Database(db_path), ROOT, template["id"], {"name": "早巡"}, 1)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, TemplateForm), "future?")
        await pilot.press("o")  # only the template
        said = await the_question(pilot)
        assert "对方改动了：名称。" in said
        assert "姓名" not in said
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is form
    stored = reads.template(Database(db_path).snapshot(), template["id"])
    assert stored is not None
    assert (stored.version, stored.name, stored.note) == (2, "早巡", "")

"""The small dialogs that edit a stored record meet someone else's save the way forms do.

A volunteer has a team (the team and zone dialog) or a certificate (the certificate dialog) open
with an edit while another session (another terminal: the store on the same file, as another
account) saves the same record. Saving then asks the question every form asks (who saved, which
fields of theirs differ): "reload theirs" fills the dialog with their record, "cancel" writes
nothing and keeps the edit, "overwrite with mine" writes only the fields changed here over their
save. A certificate deleted meanwhile is said, nothing saved. Checked on screen and in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.patrols.place_form import PlaceForm
from screens.patrols.places import PlacesScreen
from screens.shell.dialogs import ConflictDialog
from screens.training.certificate_form import CertificateForm
from screens.training.certificates import CertificatesScreen
from screens.widgets.form import FormField
from screens.widgets.member_picker import MemberPicker
from store.actor import Actor, Role
from store.engine.database import Database
from store.patrols import ops as patrol_ops
from store.patrols import reads
from store.training import ops as training_ops
from tests.screens.helpers import (
    SIZE,
    add_user,
    on_top,
    screen_text,
    settle,
    type_text,
    wait_until,
)
from tests.screens.patrol_helpers import app_for, open_patrols, patrol_week
from tests.screens.training_helpers import app_for as training_app
from tests.screens.training_helpers import roster, to_training

Dialog = PlaceForm | CertificateForm
WANG = Actor("wang", Role.ADMIN)
"""The other session: an account shown as 王芳."""


def one_line(text: str) -> str:
    return " ".join(text.split())


def stored_team(db_path: Path, team_id: str) -> Any:
    [team] = [t for t in reads.teams(Database(db_path).snapshot()) if t.id == team_id]
    return team


def field(dialog: Dialog, name: str) -> Any:
    return next(f for f in dialog.fields() if f.field == name)


async def retype(pilot: Pilot[Any], dialog: Dialog, name: str, text: str) -> None:
    """Move to text field ``name``, clear it and type ``text``."""
    target = field(dialog, name)
    assert isinstance(target, FormField)
    target.input.focus()
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    assert target.value == text


async def save_meets_the_question(pilot: Pilot[Any]) -> str:
    """Ctrl+S; the conflict question on screen, what it says on one line."""
    app = pilot.app
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog), "the question")
    await settle(pilot)
    return one_line(screen_text(app))


async def edit_the_team(pilot: Pilot[Any]) -> PlaceForm:
    """As a coordinator: the teams and zones (z), e on the one team."""
    await open_patrols(pilot, Role.COORDINATOR)
    await pilot.press("z")
    await on_top(pilot, PlacesScreen, lambda screen: screen.loaded)
    await pilot.press("e")
    return await on_top(pilot, PlaceForm)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_team_saved_meanwhile_reload_cancel_overwrite(db_path: Path, lang: str) -> None:
    world = patrol_week(db_path)
    team_id, people = world["team"], world["people"]
    add_user(db_path, "wang", Role.ADMIN, display_name="王芳")
    other = Database(db_path)
    app = app_for(db_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await edit_the_team(pilot)

        # They make 李四 the leader; my note meets their version.
        await retype(pilot, dialog, "note", "夜间为主")
        patrol_ops.update_team(other, WANG, team_id, {"leader_id": people["李四"]}, 1)
        said = await save_meets_the_question(pilot)
        if lang == "en":
            assert "Someone else saved this team while you were editing." in said
            assert "Saved by 王芳." in said
            assert "Their changes: Leader." in said  # the note is only my change
        else:
            assert "您编辑期间，有人保存了这个队伍。" in said and "王芳" in said
        await pilot.press("r")  # reload theirs
        await settle(pilot)
        assert app.screen is dialog
        assert field(dialog, "note").value == ""
        picker = field(dialog, "leader_id")
        assert isinstance(picker, MemberPicker)
        assert (picker.value, picker.member_id) == ("李四", people["李四"])
        assert not dialog.has_edits()
        assert "李四" in screen_text(app)
        team = stored_team(db_path, team_id)
        assert (team.version, team.leader_id, team.note) == (2, people["李四"], "")

        # Again, and cancel: nothing written, my note kept, said under the fields.
        await retype(pilot, dialog, "note", "夜间为主")
        patrol_ops.update_team(other, WANG, team_id, {"name": "巡逻甲队"}, 2)
        said = await save_meets_the_question(pilot)
        # A team's name is 名称 in Chinese, not a person's 姓名 (msgctxt "thing").
        assert ("Their changes: Name." if lang == "en" else "对方改动了：名称。") in said
        assert "姓名" not in said
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is dialog
        assert field(dialog, "note").value == "夜间为主"
        assert (
            "Not saved: someone else changed this team meanwhile."
            if lang == "en"
            else "未保存：其间有人修改了这个队伍。"
        ) in one_line(screen_text(app))
        assert stored_team(db_path, team_id).note == ""

        # And overwrite: only my note goes in; their name and leader stay as they saved them.
        await save_meets_the_question(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, PlacesScreen), "the list")
        await settle(pilot)
        assert "巡逻甲队" in screen_text(app)
    team = stored_team(db_path, team_id)
    assert (team.version, team.name, team.leader_id, team.note) == (
        4,
        "巡逻甲队",
        people["李四"],
        "夜间为主",
    )


async def test_a_zone_saved_meanwhile_overwrite_keeps_their_name(db_path: Path) -> None:
    world = patrol_week(db_path)
    app = app_for(db_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_patrols(pilot, Role.COORDINATOR)
        await pilot.press("z")
        await on_top(pilot, PlacesScreen, lambda screen: screen.loaded)
        await pilot.press("tab", "e")  # the zones: 东区 first
        dialog = await on_top(pilot, PlaceForm)
        await retype(pilot, dialog, "description", "从东门到3号楼")
        patrol_ops.update_zone(Database(db_path), WANG, world["zone"], {"name": "东区北段"}, 1)
        said = await save_meets_the_question(pilot)
        assert "Someone else saved this zone or route while you were editing." in said
        assert "Their changes: Name." in said
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, PlacesScreen), "the list")
    [zone] = [z for z in reads.zones(Database(db_path).snapshot()) if z.id == world["zone"]]
    assert (zone.version, zone.name, zone.description) == (3, "东区北段", "从东门到3号楼")


def a_certificate(db_path: Path) -> tuple[str, str]:
    """张三 with a first-aid certificate; its id and 张三's."""
    [member_id] = roster(db_path, ("张三",))
    cert = training_ops.add_certificate(
        Database(db_path),
        WANG,
        {
            "member_id": member_id,
            "name": "救护员证",
            "kind": "first_aid",
            "issued": "2023-07-10",
            "expires": "2026-07-12",
        },
    )
    return str(cert["id"]), member_id


async def edit_the_certificate(pilot: Pilot[Any]) -> CertificateForm:
    await to_training(pilot)
    await pilot.press("c")
    await on_top(pilot, CertificatesScreen, lambda screen: screen.loaded)
    await pilot.press("e")
    return await on_top(pilot, CertificateForm)


def stored_certificate(db_path: Path, cert_id: str) -> Any:
    return Database(db_path).snapshot().get("certificates", cert_id)


async def test_a_certificate_renewed_meanwhile_reload_then_overwrite(db_path: Path) -> None:
    cert_id, _member = a_certificate(db_path)
    add_user(db_path, "wang", Role.ADMIN, display_name="王芳")
    app = training_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await edit_the_certificate(pilot)
        await retype(pilot, dialog, "note", "原件在办公室")
        training_ops.update_certificate(
            Database(db_path), WANG, cert_id, {"expires": "2029-07-12"}, 1
        )
        said = await save_meets_the_question(pilot)
        assert "Someone else saved this certificate while you were editing." in said
        assert "Saved by 王芳." in said and "Their changes: Expires on." in said
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is dialog
        assert (field(dialog, "expires").value, field(dialog, "note").value) == ("2029-07-12", "")
        assert "This is what they saved" in one_line(screen_text(app))

        # My note over their renewal: the expiry stays theirs.
        await retype(pilot, dialog, "note", "原件在办公室")
        training_ops.update_certificate(Database(db_path), WANG, cert_id, {"issuer": "红十字会"}, 2)
        await save_meets_the_question(pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, CertificatesScreen), "the list")
    stored = stored_certificate(db_path, cert_id)
    assert (stored["version"], stored["expires"], stored["issuer"], stored["note"]) == (
        4,
        "2029-07-12",
        "红十字会",
        "原件在办公室",
    )


async def test_a_certificate_deleted_meanwhile_is_said_and_nothing_saved(db_path: Path) -> None:
    cert_id, _member = a_certificate(db_path)
    app = training_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await edit_the_certificate(pilot)
        await retype(pilot, dialog, "note", "原件在办公室")
        training_ops.delete_certificate(Database(db_path), WANG, cert_id, 1)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not dialog.saving, "the refusal")
        await settle(pilot)
        assert app.screen is dialog
        assert "Someone deleted this certificate meanwhile: nothing was saved." in one_line(
            screen_text(app)
        )
        assert field(dialog, "note").value == "原件在办公室"
    assert stored_certificate(db_path, cert_id) is None
    assert Database(db_path).snapshot().all("certificates") == []

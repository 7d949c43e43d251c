"""The edit-account dialog meets another admin's save of the same account the way every form
does (screens/shell/refused.py): the question says who saved and which fields; "reload theirs"
shows their whole account, the linked member in the picker included; "overwrite with mine"
writes only the fields changed here, so their linked member stays unless it was changed here.
The other admin is another session on the same data file (the store called directly, as
another account). Checked on screen and in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.manage.account_forms import EditAccountForm
from screens.manage.users import UsersScreen
from screens.shell.dialogs import ConflictDialog
from screens.widgets.form import FormField
from screens.widgets.member_picker import MemberPicker
from store.actor import Actor, Role
from store.engine.database import Database
from store.users import ops as users
from tests.screens.account_helpers import community, highlight, open_users, row_of, stored
from tests.screens.helpers import (
    SIZE,
    add_user,
    on_top,
    screen_text,
    settle,
    type_text,
    wait_until,
    widget_text,
)
from tui.factory import make_app

ZHOU = Actor("zhou", Role.ADMIN, user_id="u-zhou")
"""The other admin's session: an account shown as 周敏."""


def one_line(text: str) -> str:
    return " ".join(text.split())


def their_save(db_path: Path, **changes: str) -> None:
    """周敏, in another session, saves li.ming's account."""
    users.update_user(Database(db_path), ZHOU, "li.ming", **changes)


async def edit_li_ming(pilot: Pilot[Any], db_path: Path) -> tuple[UsersScreen, EditAccountForm]:
    """As an admin: the users screen, e on li.ming (linked to 李四), the members read."""
    add_user(db_path, "zhou", Role.ADMIN, display_name="周敏")
    screen = await open_users(pilot)
    await highlight(pilot, screen, "li.ming")
    await pilot.press("e")
    form = await on_top(pilot, EditAccountForm)
    return screen, form


def picker(form: EditAccountForm) -> MemberPicker:
    field = form.field("member_id")
    assert isinstance(field, MemberPicker)
    return field


async def retype(pilot: Pilot[Any], form: EditAccountForm, name: str, text: str) -> None:
    """Move to field ``name``, clear it and type ``text``."""
    field = form.field(name)
    assert isinstance(field, FormField | MemberPicker)
    field.input.focus()
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    await settle(pilot)


async def save_meets_the_question(pilot: Pilot[Any]) -> str:
    """Ctrl+S; the conflict question on screen, what it says on one line."""
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConflictDialog), "the question")
    await settle(pilot)
    return one_line(screen_text(pilot.app))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_reload_theirs_shows_their_linked_member_and_fields(db_path: Path, lang: str) -> None:
    ids = community(db_path)
    app = make_app(db_path, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen, form = await edit_li_ming(pilot, db_path)
        assert (picker(form).value, picker(form).member_id) == ("李四", ids["李四"])
        await retype(pilot, form, "display_name", "李明同志")
        their_save(db_path, member_id=ids["张三"], role="volunteer")
        said = await save_meets_the_question(pilot)
        if lang == "en":
            assert "Someone else changed this account while you were editing it." in said
            assert "Saved by 周敏." in said
            assert "Their changes: Role, Linked member." in said  # the name is only mine
        else:
            assert "您编辑期间，有人修改了这个账号。" in said and "保存人：周敏。" in said
            assert "角色" in said and "关联党员" in said and "显示姓名" not in said
        await pilot.press("r")  # reload theirs
        await settle(pilot)
        assert app.screen is form
        assert (picker(form).value, picker(form).member_id) == ("张三", ids["张三"])
        assert (form.field("display_name").value, form.field("role").value) == (
            "李明",
            "volunteer",
        )
        assert not form.has_edits()
        text = one_line(widget_text(app, form.query_one(".account-dialog")))
        assert "张三 1958" in text and "李四" not in text and "李明同志" not in text
        assert (
            "This is what they saved; change it again if need be."
            if lang == "en"
            else "这是对方保存的内容；如有需要请再修改。"
        ) in text

        # Saved again from theirs: my new role goes in over their version, their member stays.
        form.field("role").input.focus()
        await pilot.press("home", "ctrl+s")  # Administrator
        await wait_until(pilot, lambda: app.screen is screen, "the form to close")
        await settle(pilot)
        assert "张三" in row_of(app, "li.ming")
    account = stored(db_path, "li.ming")
    assert (account["display_name"], account["role"], account["member_id"]) == (
        "李明",
        "admin",
        ids["张三"],
    )


async def test_overwrite_keeps_their_member_unless_changed_here(db_path: Path) -> None:
    ids = community(db_path)
    app = make_app(db_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen, form = await edit_li_ming(pilot, db_path)

        # I change the role; they link 张三 and rename: overwriting keeps both of theirs.
        form.field("role").input.focus()
        await pilot.press("home")  # Administrator
        their_save(db_path, member_id=ids["张三"], display_name="李明明")
        said = await save_meets_the_question(pilot)
        assert "Their changes: Name shown, Linked member." in said
        await pilot.press("o")  # overwrite with mine
        await wait_until(pilot, lambda: app.screen is screen, "the form to close")
        await settle(pilot)
        assert "张三" in row_of(app, "li.ming") and "Administrator" in row_of(app, "li.ming")
        account = stored(db_path, "li.ming")
        assert (account["display_name"], account["role"], account["member_id"]) == (
            "李明明",
            "admin",
            ids["张三"],
        )

        # I link 张山; they link 李四 back: overwriting puts mine over theirs.
        await pilot.press("e")
        form = await on_top(pilot, EditAccountForm)
        await retype(pilot, form, "member_id", "zs")
        await pilot.press("down")  # the second match: 张山
        assert picker(form).member_id == ids["张山"]
        their_save(db_path, member_id=ids["李四"])
        said = await save_meets_the_question(pilot)
        assert "Their changes: Linked member." in said
        await pilot.press("o")
        await wait_until(pilot, lambda: app.screen is screen, "the form to close")
        await settle(pilot)
        assert "张山" in row_of(app, "li.ming")
    account = stored(db_path, "li.ming")
    assert (account["display_name"], account["role"], account["member_id"]) == (
        "李明明",
        "admin",
        ids["张山"],
    )

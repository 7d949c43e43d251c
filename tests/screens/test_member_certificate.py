"""A certificate recorded from the member detail (t): the training section's form opens for
that member (no name to type), a bad expiry is refused under its field with nothing stored,
and the saved certificate shows in the detail; volunteers are not offered the key and the
store refuses them anyway."""

from __future__ import annotations

from pathlib import Path

import pytest

from screens.training.certificate_form import CertificateForm
from store.actor import Actor, Role
from store.engine.database import Database
from store.errors import PermissionDenied
from store.training import ops as training
from tests.screens.helpers import SIZE, screen_text, settle, type_text, wait_until
from tests.screens.member_helpers import add_member, app_for, clock, open_member

WORDS = {
    "en": ("Record a certificate for 王芳", "Certificates: 救护员证 (to 2029-03-01)"),
    "zh_CN": ("为王芳登记证书", "证书：救护员证（至2029-03-01）"),
}


def certificates(db_path: Path) -> list[dict[str, object]]:
    return [dict(doc) for doc in Database(db_path).snapshot().all("certificates")]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_t_records_a_certificate_for_the_member_shown(db_path: Path, lang: str) -> None:
    member_id = add_member(db_path, {"name": "王芳"})
    add_member(db_path, {"name": "王芳芳"})  # a name search would not find just one
    app = app_for(db_path, lang)
    heading, shown = WORDS[lang]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id, Role.COORDINATOR)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, CertificateForm), "the form")
        form = app.screen
        assert heading in screen_text(app)
        await pilot.press("enter")  # the kind: first aid, as offered
        await type_text(pilot, "救护员证\r红十字会\r2026-03-01\r2026-02-01")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "!" in screen_text(app), "the refusal")
        assert app.screen is form and certificates(db_path) == []
        await pilot.press("ctrl+u")
        await type_text(pilot, "2029-03-01")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, "the save")
        await wait_until(pilot, lambda: shown in screen_text(app), "the certificate shown")
    [cert] = certificates(db_path)
    assert {k: cert[k] for k in ("member_id", "kind", "name", "issuer", "issued", "expires")} == {
        "member_id": member_id,
        "kind": "first_aid",
        "name": "救护员证",
        "issuer": "红十字会",
        "issued": "2026-03-01",
        "expires": "2029-03-01",
    }


async def test_a_volunteer_is_not_offered_it_and_the_store_refuses(db_path: Path) -> None:
    member_id = add_member(db_path, {"name": "王芳"})
    app = app_for(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_member(pilot, member_id, Role.VOLUNTEER)
        assert "Add certificate" not in screen_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is screen
    with pytest.raises(PermissionDenied):
        training.add_certificate(
            Database(db_path, clock=clock()),
            Actor("v", Role.VOLUNTEER, member_id=member_id),
            {"member_id": member_id, "name": "救护员证", "kind": "first_aid"},
        )
    assert certificates(db_path) == []

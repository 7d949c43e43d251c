"""What a duty needs: store.training.certificates.missing_for, the rule the patrol side warns
with when a coordinator assigns a patrol leader, and the settings that say which certificate
each duty requires (real files in tmp folders)."""

from __future__ import annotations

import gettext
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from store import i18n
from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members
from store.settings import ops as settings_ops
from store.training import ops
from store.training.certificates import Missing, missing_for, required_kind

ADMIN = Actor("root", Role.ADMIN)
NOON = datetime(2026, 7, 2, 12, 0).astimezone().astimezone(UTC)
SHIFT = date(2026, 8, 1)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "s.json", clock=lambda: NOON)


def member(db: Database, name: str) -> str:
    return str(members.add(db, ADMIN, {"name": name})["id"])


def certificate(db: Database, member_id: str, kind: str, issued: str, expires: str = "") -> None:
    raw = {"member_id": member_id, "kind": kind, "name": "证", "issued": issued}
    ops.add_certificate(db, ADMIN, raw | ({"expires": expires} if expires else {}))


def leader_lacks(db: Database, member_id: str, day: date = SHIFT) -> Missing | None:
    return missing_for(db.snapshot(), member_id, "patrol_leader", day)


def test_patrol_leaders_need_first_aid_out_of_the_box(db: Database) -> None:
    settings = settings_ops.current(db.snapshot())  # no settings saved yet
    assert settings.duty_certificates["patrol_leader"] == "first_aid"
    assert required_kind(settings, "patrol_leader") is not None
    assert required_kind(settings, "patrol") is None
    assert required_kind(settings, "cook") is None  # a duty nobody named needs nothing
    someone = member(db, "甲")
    missing = leader_lacks(db, someone)
    assert missing is not None
    assert (missing.member_id, missing.duty, missing.kind.value) == (
        someone,
        "patrol_leader",
        "first_aid",
    )
    assert (missing.on_date, missing.expired, missing.not_yet) == (SHIFT, None, None)
    assert missing_for(db.snapshot(), someone, "patrol", SHIFT) is None
    assert missing_for(db.snapshot(), someone, "cook", SHIFT) is None


def test_only_a_valid_certificate_of_the_required_kind_counts(db: Database) -> None:
    a, b = member(db, "甲"), member(db, "乙")
    certificate(db, a, "safety", "2025-01-01")  # another kind
    certificate(db, b, "first_aid", "2025-01-01")  # someone else's
    assert leader_lacks(db, a) is not None
    certificate(db, a, "first_aid", "2025-01-01")  # never expires
    assert leader_lacks(db, a) is None


def test_expiry_is_the_first_day_without_it(db: Database) -> None:
    a = member(db, "甲")
    certificate(db, a, "first_aid", "2023-08-01", "2026-08-01")
    assert leader_lacks(db, a, date(2026, 7, 31)) is None
    missing = leader_lacks(db, a, date(2026, 8, 1))
    assert missing is not None and missing.expired is not None
    assert "theirs expired on 2026-08-01" in missing.message


def test_the_latest_lapsed_one_is_named_and_a_renewal_is_enough(db: Database) -> None:
    a = member(db, "甲")
    certificate(db, a, "first_aid", "2020-01-01", "2023-01-01")
    certificate(db, a, "first_aid", "2023-01-01", "2026-01-01")
    missing = leader_lacks(db, a)
    assert missing is not None and missing.expired is not None
    assert missing.expired.expires == date(2026, 1, 1)
    certificate(db, a, "first_aid", "2026-01-02", "2029-01-02")
    assert leader_lacks(db, a) is None


def test_one_issued_after_the_shift_does_not_count_and_says_so(db: Database) -> None:
    a = member(db, "甲")
    certificate(db, a, "first_aid", "2026-06-01")
    missing = leader_lacks(db, a, date(2026, 5, 1))
    assert missing is not None and missing.not_yet is not None
    assert missing.message == (
        "A Patrol leader needs a First aid certificate valid on 2026-05-01; "
        "theirs is issued only on 2026-06-01."
    )
    from tui.i18n import LOCALE_DIR

    i18n.use(gettext.translation(i18n.DOMAIN, localedir=LOCALE_DIR, languages=["zh_CN"]))
    try:
        assert missing.message == (
            "巡逻队长需要在 2026-05-01 有效的急救培训证书；其证书 2026-06-01 才颁发。"
        )
    finally:
        i18n.use(gettext.NullTranslations())
    assert leader_lacks(db, a, date(2026, 6, 1)) is None


def test_the_settings_say_which_kind_a_duty_needs(db: Database) -> None:
    a = member(db, "甲")
    certificate(db, a, "first_aid", "2025-01-01")
    saved = settings_ops.update(
        db, ADMIN, {"duty_certificates": {"patrol_leader": "安全", "patrol": "急救"}}, 0
    )
    assert saved.duty_certificates == {"patrol_leader": "safety", "patrol": "first_aid"}
    missing = leader_lacks(db, a)
    assert missing is not None and missing.kind.value == "safety"
    assert missing_for(db.snapshot(), a, "patrol", SHIFT) is None
    settings_ops.update(db, ADMIN, {"duty_certificates": {"patrol_leader": ""}}, saved.version)
    assert leader_lacks(db, member(db, "乙")) is None  # blank: nothing needed

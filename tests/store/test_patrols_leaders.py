"""A shift's leader needs the certificate the settings require (first aid by default): refused
like a clash, overridden with a reason kept on the shift and in the change log."""

from __future__ import annotations

import datetime as dt

import pytest

from store.actor import Actor, Role
from store.engine.database import Database
from store.patrols import ops, reads
from store.patrols.assign import RuleBroken
from store.settings import ops as settings
from store.training import ops as training
from tests.store.patrol_data import COORD, TODAY, World, make_world

ADMIN = Actor("root", Role.ADMIN)


@pytest.fixture
def world(db: Database) -> World:
    return make_world(db)


def first_aid(world: World, name: str, expires: dt.date | None = None) -> None:
    raw = {"member_id": world.id(name), "name": "救护员证", "kind": "急救", "issued": "2023-01-01"}
    if expires is not None:
        raw["expires"] = expires.isoformat()
    training.add_certificate(world.db, ADMIN, raw)


def lead(world: World, shift_id: str, name: str, reason: str = "") -> None:
    version = reads.shift(world.db.snapshot(), shift_id).version  # type: ignore[union-attr]
    ops.update_shift(
        world.db, COORD, shift_id, {"leader_id": world.id(name)}, version, leader_override=reason
    )


def stored(world: World, shift_id: str) -> tuple[str, str, int]:
    shift = reads.shift(world.db.snapshot(), shift_id)
    assert shift is not None
    return shift.leader_id, shift.leader_override, shift.version


def test_a_leader_without_the_certificate_is_refused_then_overridden(world: World) -> None:
    shift_id = world.shift()
    with pytest.raises(RuleBroken) as refused:
        lead(world, shift_id, "张三")
    assert refused.value.overridable
    assert [p.code for p in refused.value.problems] == ["certificate"]
    assert "First aid certificate" in str(refused.value) and "they have none" in str(refused.value)
    assert stored(world, shift_id) == ("", "", 1)  # nothing written
    lead(world, shift_id, "张三", "  唯一熟悉东区的人 ")
    assert stored(world, shift_id) == (world.id("张三"), "唯一熟悉东区的人", 2)
    log = world.db.audit_path.read_text(encoding="utf-8")
    assert "唯一熟悉东区的人" in log


def test_a_certificate_holder_leads_without_a_question(world: World) -> None:
    first_aid(world, "李四")
    shift_id = world.shift()
    lead(world, shift_id, "李四")
    assert stored(world, shift_id)[:2] == (world.id("李四"), "")


def test_a_lapsed_certificate_says_when_it_expired(world: World) -> None:
    first_aid(world, "李四", expires=TODAY + dt.timedelta(days=3))
    later = world.shift(TODAY + dt.timedelta(days=5))
    with pytest.raises(RuleBroken, match=r"expired on 2024-01-11"):
        lead(world, later, "李四")
    lead(world, world.shift(TODAY + dt.timedelta(days=1)), "李四")  # still valid then


def test_asked_again_only_when_the_leader_or_the_date_changes(world: World) -> None:
    shift_id = world.shift()
    lead(world, shift_id, "张三", "临时")
    version = stored(world, shift_id)[2]
    ops.update_shift(world.db, COORD, shift_id, {"note": "带手电"}, version)  # no question
    assert stored(world, shift_id)[1] == "临时"
    version = stored(world, shift_id)[2]
    later = (TODAY + dt.timedelta(days=1)).isoformat()
    with pytest.raises(RuleBroken):
        ops.update_shift(world.db, COORD, shift_id, {"date": later}, version)
    # A new leader who holds one: the old reason goes with the old leader.
    first_aid(world, "李四")
    lead(world, shift_id, "李四")
    assert stored(world, shift_id)[:2] == (world.id("李四"), "")


def test_a_new_shift_with_a_leader_is_checked_too(world: World) -> None:
    raw = {
        "date": TODAY.isoformat(),
        "start": "07:00",
        "end": "09:00",
        "zone_id": world.zone["id"],
        "leader_id": world.id("王五"),
    }
    with pytest.raises(RuleBroken):
        ops.add_shift(world.db, COORD, raw)
    assert world.db.snapshot().count("shifts") == 0
    doc = ops.add_shift(world.db, COORD, raw, leader_override="老队长")
    assert doc["leader_override"] == "老队长"


def test_no_certificate_required_no_question(world: World) -> None:
    settings.update(world.db, ADMIN, {"duty_certificates": {"patrol_leader": ""}}, 0)
    shift_id = world.shift()
    lead(world, shift_id, "张三")
    assert stored(world, shift_id)[:2] == (world.id("张三"), "")

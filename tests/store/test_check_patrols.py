"""``shequ check`` follows every reference the patrol schedule and training hold: a shift's
leader and template, both sides of a swap, a template's team and zone, a session's audience.

The file is damaged the way a hand edit or an old bug would leave it (records written straight
through a transaction, which checks no reference), then checked; deleting a member must leave
none of these pointing at nobody.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from store.actor import Actor, Role
from store.engine.check import check
from store.engine.database import Database
from store.members import ops as members
from store.patrols import assign, ops, swaps, templates
from store.settings import ops as settings
from tests.store.patrol_data import COORD, TODAY, World, make_world

MISSING = "0" * 32
ADMIN = Actor("root", Role.ADMIN)


def schedule(db: Database) -> tuple[World, dict[str, Any]]:
    """A week's template and its shifts, a leader, a swap waiting for approval, a session."""
    world = make_world(db)
    template = templates.add_template(
        db,
        COORD,
        {
            "name": "晚间巡逻",
            "weekdays": "每天",
            "start": "19:00",
            "end": "21:00",
            "zone_id": world.zone["id"],
            "team_id": world.team["id"],
            "active_from": TODAY.isoformat(),
        },
    )
    made = templates.generate(db, COORD, template["id"], TODAY + dt.timedelta(days=6))
    waiting, swapped = made[1]["id"], made[2]["id"]
    ops.update_shift(
        db,
        COORD,
        waiting,
        {"leader_id": world.id("张三")},
        made[1]["version"],
        leader_override="唯一熟悉路线",
    )
    # A swap done (李四's place taken over by 张三), and one waiting for approval.
    assign.assign(db, COORD, swapped, world.id("李四"))
    swaps.offer(db, COORD, swapped, world.id("李四"))
    swaps.take(db, COORD, swapped, world.id("李四"), world.id("张三"))
    assign.assign(db, COORD, waiting, world.id("张三"))
    settings.update(db, ADMIN, {"patrol_swaps_need_approval": True}, 0)
    zhang = Actor("z", Role.VOLUNTEER, member_id=world.id("张三"))
    li = Actor("l", Role.VOLUNTEER, member_id=world.id("李四"))
    swaps.offer(db, zhang, waiting)
    swaps.take(db, li, waiting, world.id("张三"))
    with db.transaction(COORD) as tx:
        session = tx.insert(
            "trainings",
            {"title": "党课", "date": TODAY.isoformat(), "audience_ids": [world.id("王五")]},
        )
    return world, {"template": template, "waiting": waiting, "swapped": swapped, "session": session}


def test_a_full_schedule_checks_clean(db: Database) -> None:
    world, ids = schedule(db)
    snap = db.snapshot()
    waiting, swapped = snap.get("shifts", ids["waiting"]), snap.get("shifts", ids["swapped"])
    assert waiting is not None and swapped is not None
    assert waiting["leader_id"] == world.id("张三")
    assert waiting["template_id"] == ids["template"]["id"]
    assert waiting["assignments"][0]["taker_id"] == world.id("李四")  # waits for approval
    assert swapped["assignments"][0]["swapped_from"] == world.id("李四")
    assert check(db) == []


def damage(db: Database, table: str, record_id: str, edit: Any) -> None:
    """Change a stored record as a hand edit would: no validation, no reference check."""
    with db.transaction(ADMIN) as tx:
        doc = tx.get(table, record_id)
        tx.update(table, record_id, edit(doc), int(doc["version"]))


def places(doc: dict[str, Any], **changes: str) -> dict[str, Any]:
    return {"assignments": [{**doc["assignments"][0], **changes}]}


def test_each_broken_reference_is_named(db: Database) -> None:
    world, ids = schedule(db)
    template = ids["template"]["id"]
    damage(db, "shifts", ids["waiting"], lambda d: {"leader_id": MISSING})
    damage(db, "shifts", ids["waiting"], lambda d: places(d, taker_id=MISSING))
    damage(db, "shifts", ids["swapped"], lambda d: places(d, swapped_from=MISSING))
    damage(db, "shifts", ids["swapped"], lambda d: {"template_id": MISSING})
    damage(db, "shift_templates", template, lambda d: {"team_id": MISSING, "zone_id": MISSING})
    damage(db, "trainings", ids["session"]["id"], lambda d: {"audience_ids": [MISSING]})
    found = {(p.table, p.record_id, p.message) for p in check(db)}

    def said(table: str, record_id: str, field: str, target: str) -> tuple[str, str, str]:
        return table, record_id, f"{field} points to a missing {target} record ({MISSING})."

    assert found == {
        said("shifts", ids["waiting"], "leader_id", "members"),
        said("shifts", ids["waiting"], "assignments", "members"),  # the taker
        said("shifts", ids["swapped"], "assignments", "members"),  # swapped from
        said("shifts", ids["swapped"], "template_id", "shift_templates"),
        said("shift_templates", template, "team_id", "teams"),
        said("shift_templates", template, "zone_id", "zones"),
        said("trainings", ids["session"]["id"], "audience_ids", "members"),
    }
    assert world.zone["id"] != MISSING


def test_deleting_a_member_leaves_nothing_pointing_at_them(db: Database) -> None:
    world, ids = schedule(db)
    with db.transaction(ADMIN) as tx:  # 李四 leads a shift too, and is in the audience
        doc = tx.get("shifts", ids["swapped"])
        tx.update("shifts", ids["swapped"], {"leader_id": world.id("李四")}, doc["version"])
        session = tx.get("trainings", ids["session"]["id"])
        audience = [world.id("李四"), world.id("王五")]
        tx.update("trainings", session["id"], {"audience_ids": audience}, session["version"])
    li = db.snapshot().get("members", world.id("李四"))
    assert li is not None
    members.delete(db, ADMIN, li["id"], li["version"])
    snap = db.snapshot()
    waiting, swapped = snap.get("shifts", ids["waiting"]), snap.get("shifts", ids["swapped"])
    assert waiting is not None and swapped is not None
    # 张三 keeps both places: the waiting taker and the one 李四 gave are forgotten, no more.
    assert waiting["assignments"] == [
        {"member_id": world.id("张三"), "status": "scheduled", "offered": True}
    ]
    assert swapped["assignments"] == [{"member_id": world.id("张三"), "status": "scheduled"}]
    assert swapped["leader_id"] == "" and waiting["leader_id"] == world.id("张三")
    session = snap.get("trainings", ids["session"]["id"])
    assert session is not None and session["audience_ids"] == [world.id("王五")]
    assert check(db) == []

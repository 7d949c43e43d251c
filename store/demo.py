"""A realistic demo community, so a new volunteer (or a tester) has something real to look at.

Everything is random but seeded, so the same command makes the same community. Members go
through the same validation as typed ones; names include the cases that break naive code
(compound surnames, multi-reading characters, duplicates).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from store.actor import Actor, Role
from store.engine.database import Database
from store.errors import StoreError
from store.i18n import _
from store.named import keyed
from store.permissions import Action, require

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万"
)
_COMPOUND = ("欧阳", "司马", "诸葛", "上官")
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰建国建华国强志强红梅淑珍桂兰"
    "德明海燕小红晓东立新春梅文博子涵浩然雨轩欣怡梓萱佳琪"
)
_FIXED_NAMES = ("张三", "曾小明", "欧阳娜娜", "单田芳", "张三")  # 曾 and 单 have two readings
_WHEREABOUTS = ("北京", "上海", "深圳", "广州", "杭州", "成都", "苏州", "武汉")
_ROLES = ("支部委员", "居委会委员", "楼栋长", "网格员", "巡逻队长")
_SKILLS = ("急救", "电工", "书法", "摄影", "驾驶", "法律咨询", "心理疏导")
_ZONES = ("东区", "西区", "南区", "北区", "中心广场")
_TEAMS = ("巡逻一队", "巡逻二队")
# Weekly patterns: (name, ISO weekdays, start, end, zone index, team index, min, max).
_TEMPLATES = (
    ("晚间巡逻", [1, 2, 3, 4, 5, 6, 7], "19:00", "21:00", 0, 0, 2, 4),
    ("早间巡逻", [2, 4, 6], "07:00", "09:00", 1, 1, 2, 3),
)
_TRAININGS = (
    ("党的二十大精神专题学习", "theory", 4.0),
    ("社区治理政策解读", "policy", 3.0),
    ("消防安全知识培训", "safety", 3.0),
    ("心肺复苏与急救实操", "first_aid", 4.0),
    ("主题党日：走访困难群众", "theme_day", 4.0),
    ("反诈宣传技能培训", "skills", 3.0),
)


# Demo accounts, one per role, with PINs anyone may know: they are demo data, printed by
# ``shequ demo``. The volunteer is linked to the first demo member, so "my shifts" has content.
DEMO_USERS: tuple[tuple[str, str, Role, str], ...] = (
    ("admin", "管理员", Role.ADMIN, "1234"),
    ("coordinator", "协调员", Role.COORDINATOR, "2345"),
    ("volunteer", "张三", Role.VOLUNTEER, "3456"),
)


class DemoRefused(StoreError):
    """The database holds real data; a demo must never replace it."""


def make_demo(db: Database, actor: Actor, *, members: int = 300, seed: int = 1) -> str:
    """Fill ``db`` with a demo community and return a one-paragraph summary.

    Refuses an existing database that is not itself a demo; an old demo is replaced whole
    (backed up first, like any restore), so only an admin may. Adds :data:`DEMO_USERS`.
    """
    from store.members.validation import validate_member

    require(actor, Action.RESTORE)
    if db.exists():
        snapshot = db.snapshot()
        if not snapshot.meta.get("demo"):
            raise DemoRefused(
                _("{path} holds real data, not a demo; it was left untouched.").format(path=db.path)
            )
    rng = random.Random(seed)
    today = db.clock().date()
    raw_members = [_member(rng, i, today) for i in range(members)]
    docs = [validate_member(raw, today=today) for raw in raw_members]
    if db.exists():
        db.backup("demo")
    with db.transaction(actor) as tx:
        for table in list(tx.storage.data):
            if table != "_meta":
                tx.storage.data[table] = {}
        tx.storage.data["_meta"] = {"1": {**tx.storage.data["_meta"]["1"], "demo": True}}
        member_recs = tx.insert_many("members", docs, audit_each=False)
        zones = [keyed({"name": z}, "zones") for z in _ZONES]
        zone_recs = tx.insert_many("zones", zones, audit_each=False)
        teams = [keyed(team, "teams") for team in _teams(rng, member_recs)]
        team_recs = tx.insert_many("teams", teams, audit_each=False)
        made = [keyed(t, "shift_templates") for t in _templates(zone_recs, team_recs, today)]
        template_recs = tx.insert_many("shift_templates", made, audit_each=False)
        contacts = _contacts(rng, member_recs, today)
        shifts = _shifts(rng, team_recs, template_recs, today)
        trainings = _trainings(rng, member_recs, today)  # validated: keyed
        tx.insert_many("contacts", contacts, audit_each=False)
        tx.insert_many("shifts", shifts, audit_each=False)
        tx.insert_many("trainings", trainings, audit_each=False)
        certificates = _certificates(rng, member_recs, today)
        tx.insert_many("certificates", certificates, audit_each=False)
        tx.insert_many("settings", [{"community_name": "幸福里社区"}], audit_each=False)
        tx.insert_many("users", _users(member_recs), audit_each=False)
        tx.note("demo", {"members": len(member_recs), "seed": seed})
    return _(
        "{members} members, {contacts} contacts, {shifts} patrol shifts, "
        "{trainings} training sessions."
    ).format(
        members=len(member_recs),
        contacts=len(contacts),
        shifts=len(shifts),
        trainings=len(trainings),
    )


def _users(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from store.users import passwords
    from store.users.validation import validate_user

    rows = []
    for username, display_name, role, pin in DEMO_USERS:
        linked = members[0]["id"] if role is Role.VOLUNTEER and members else ""
        fields = validate_user(
            {"username": username, "display_name": display_name, "role": str(role)}
        )
        rows.append(
            fields
            | {
                "member_id": linked,
                "pin_hash": passwords.hash_secret(pin),
                "failed_attempts": 0,
                "locked_until": None,
            }
        )
    return rows


def _name(rng: random.Random, index: int) -> str:
    if index < len(_FIXED_NAMES):
        return _FIXED_NAMES[index]
    surname = rng.choice(_COMPOUND) if rng.random() < 0.02 else rng.choice(_SURNAMES)
    given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return surname + given


def _member(rng: random.Random, index: int, today: date) -> dict[str, Any]:
    category = rng.choices(
        ("retired", "in_service", "mobile_in", "mobile_out", "other"), (45, 35, 8, 8, 4)
    )[0]
    first_year = 1935 if category == "retired" else 1965
    last_year = 1965 if category == "retired" else 2002
    birth = date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))
    joined = date(min(birth.year + rng.randint(18, 40), today.year - 1), rng.randint(1, 12), 1)
    raw: dict[str, Any] = {
        "name": _name(rng, index),
        "gender": rng.choice(("male", "female")),
        "birth_date": birth.isoformat(),
        "join_date": joined.isoformat(),
        "phone": _phone(rng),
        "building": str(rng.randint(1, 24)),
        "unit": str(rng.randint(1, 4)),
        "room": f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}",
        "grid": f"第{rng.randint(1, 6)}网格",
        "branch": f"第{rng.randint(1, 4)}党支部",
        "category": category,
        "management": rng.choices(("direct", "entrusted", "assisted"), (80, 12, 8))[0],
        "roles": rng.sample(_ROLES, 1) if rng.random() < 0.08 else [],
        "tags": rng.sample(_SKILLS, rng.randint(0, 2)),
    }
    if category == "mobile_out":
        raw["whereabouts"] = rng.choice(_WHEREABOUTS)
        raw["mobile_since"] = (today - timedelta(days=rng.randint(60, 1500))).isoformat()
        raw["contact_person"] = _name(rng, len(_FIXED_NAMES) + index)
        raw["contact_phone"] = _phone(rng)
        raw["notes"] = f"随子女在{raw['whereabouts']}居住"
    if category == "retired" and birth.year < 1942:
        raw["exempt_hours"] = True
        raw["exempt_reason"] = "elderly"
    return raw


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.05:
        return f"0571-8{rng.randint(0, 9999999):07d}"
    return f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"


def _contacts(
    rng: random.Random, members: list[dict[str, Any]], today: date
) -> list[dict[str, Any]]:
    rows = []
    for member in members:
        # Mobile members are the ones who slip out of touch: some have gone quiet for months.
        mobile = member["category"] in {"mobile_in", "mobile_out"}
        count = rng.randint(0, 2) if mobile else rng.randint(0, 4)
        latest = rng.randint(100, 400) if mobile and rng.random() < 0.4 else rng.randint(1, 90)
        for n in range(count):
            rows.append(
                {
                    "member_id": member["id"],
                    "date": (today - timedelta(days=latest + 60 * n)).isoformat(),
                    "method": rng.choice(("phone", "visit", "message")),
                    "by": rng.choice(("王书记", "李主任", "网格员小张")),
                    "note": rng.choice(("身体健康", "近况良好", "已转达学习材料", "")),
                }
            )
    return rows


def _teams(rng: random.Random, members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two patrol teams of retired and in-service members (the volunteer is in the first)."""
    patrollers = [m for m in members if m["category"] in {"retired", "in_service"}]
    if members and members[0] not in patrollers:
        patrollers.insert(0, members[0])
    size = min(20, len(patrollers) // 2)
    groups = [patrollers[:size], patrollers[size : 2 * size]]
    return [
        {
            "name": name,
            "member_ids": [m["id"] for m in group],
            "leader_id": group[0]["id"] if group else "",
        }
        for name, group in zip(_TEAMS, groups, strict=True)
    ]


def _templates(
    zones: list[dict[str, Any]], teams: list[dict[str, Any]], today: date
) -> list[dict[str, Any]]:
    monday = today - timedelta(days=today.weekday())
    start = (monday - timedelta(weeks=2)).isoformat()
    return [
        {
            "name": name,
            "weekdays": days,
            "start": begin,
            "end": end,
            "zone_id": zones[zone]["id"],
            "team_id": teams[team]["id"],
            "min_people": low,
            "max_people": high,
            "active_from": start,
            "active_to": None,
            "skip_dates": [],
            "note": "",
            "archived": False,
        }
        for name, days, begin, end, zone, team, low, high in _TEMPLATES
    ]


def _shifts(
    rng: random.Random,
    teams: list[dict[str, Any]],
    templates: list[dict[str, Any]],
    today: date,
) -> list[dict[str, Any]]:
    """The templates' shifts from two weeks back to two weeks ahead, as generating makes them.

    Past ones are checked in; this week's and later are partly staffed, some below their
    minimum, so the grid always has something to do.
    """
    from store.patrols.model import ShiftTemplate
    from store.patrols.recurrence import occurrences, shift_fields
    from store.patrols.validation import validate_shift

    monday = today - timedelta(days=today.weekday())
    rows = []
    for doc in templates:
        template = ShiftTemplate.from_doc(doc)
        team = next(t for t in teams if t["id"] == template.team_id)
        pool = team["member_ids"]
        for day in occurrences(template, monday - timedelta(weeks=2), monday + timedelta(days=20)):
            fields = shift_fields(template, day)
            count = rng.choice((1, 2, 2, 3, 3, 4)) if day >= today else rng.choice((2, 3, 3))
            people = rng.sample(pool, min(len(pool), count, template.max_people))
            past = day < today
            fields["assignments"] = [
                {
                    "member_id": person,
                    "status": rng.choices(("present", "absent", "excused"), (85, 10, 5))[0]
                    if past
                    else "scheduled",
                }
                for person in people
            ]
            fields["leader_id"] = people[0] if people else ""
            rows.append(validate_shift(fields, today=today))
    return rows


def _trainings(
    rng: random.Random, members: list[dict[str, Any]], today: date
) -> list[dict[str, Any]]:
    """This year's monthly sessions, one per branch (audience: the branch), with attendance.

    Most members keep pace; about one in fifteen is mostly absent or excused and falls behind
    (the hours screen has someone to show). A session lists at most 120 of its branch, so a
    big demo (20,000 members, for benchmarks) stays a realistic file.
    """
    from store.training.validation import validate_training

    branches: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, member in enumerate(members):
        branches.setdefault(str(member.get("branch") or ""), []).append((index, member))
    rows = []
    for month in range(12):
        day = date(today.year, month + 1, 10)
        if day > today:
            break
        for number, (branch, people) in enumerate(sorted(branches.items())):
            title, kind, hours = _TRAININGS[(month + number) % len(_TRAININGS)]
            attendance = [
                _mark(rng, index, member, day, today, hours) for index, member in people[:80]
            ]
            raw = {
                "title": title,
                "kind": kind,
                "date": day.isoformat(),
                "start": "09:00" if hours >= 4 else "14:30",
                "rule": "half_day" if hours == 4 else "given",
                "hours": hours,
                "service_hours": 2 if kind == "theme_day" else 0,
                "trainer": rng.choice(("街道党工委", "社区党委", "区委党校")),
                "place": "社区党群服务中心",
                "audience": "branch" if branch else "all",
                "audience_value": branch,
                "attendance": attendance,
            }
            rows.append(validate_training(raw, today=today))
    return rows


def _mark(
    rng: random.Random, index: int, member: dict[str, Any], day: date, today: date, hours: float
) -> dict[str, Any]:
    """One member's attendance at a demo session (a few members are chronically away)."""
    if index % 15 == 7:
        status = rng.choices(("absent", "excused", "present"), (60, 30, 10))[0]
    else:
        status = rng.choices(("present", "absent", "excused", "make_up"), (85, 6, 5, 4))[0]
    row: dict[str, Any] = {"member_id": member["id"], "status": status}
    if status == "make_up":
        made_up = day + timedelta(days=rng.randint(5, 20))
        if made_up > today:
            row["status"] = "present"
        else:
            row["date"] = made_up.isoformat()
            row["hours"] = hours
    return row


def _certificates(
    rng: random.Random, members: list[dict[str, Any]], today: date
) -> list[dict[str, Any]]:
    """First-aid certificates for 20 members, the first about to expire (the warning shows)."""
    holders = rng.sample(members, min(len(members), 20))
    rows = []
    for number, member in enumerate(holders):
        issued = today - timedelta(days=rng.randint(100, 1000))
        expires = issued + timedelta(days=3 * 365)
        if number == 0:
            expires = today + timedelta(days=12)
            issued = expires - timedelta(days=3 * 365)
        rows.append(
            {
                "member_id": member["id"],
                "kind": "first_aid",
                "name": "红十字救护员证",
                "issuer": "市红十字会",
                "issued": issued.isoformat(),
                "expires": expires.isoformat(),
                "note": "",
            }
        )
    return rows

"""Validation of contacts, patrols, training, settings and users."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.contacts.validation import validate_contact
from store.errors import ValidationError
from store.named import named_sort_key
from store.patrols.validation import (
    validate_shift,
    validate_shift_template,
    validate_team,
    validate_zone,
)
from store.settings.validation import validate_settings
from store.training.validation import validate_certificate, validate_training
from store.users.validation import validate_user, validate_username
from tests.store.validating import errors_of, values

TODAY = dt.date(2025, 6, 1)
ID = "0123456789abcdef0123456789abcdef"
ID2 = "fedcba9876543210fedcba9876543210"


def test_contact() -> None:
    doc = validate_contact(
        {"member_id": ID, "date": "2025-05-30", "method": "上门走访", "by": "王书记", "note": "好"},
        today=TODAY,
    )
    assert doc == {
        "member_id": ID,
        "date": "2025-05-30",
        "method": "visit",
        "by": "王书记",
        "note": "好",
    }
    assert validate_contact({"member_id": ID, "date": "today"}, today=TODAY)["method"] == "phone"
    errors = errors_of(
        validate_contact, {"member_id": "", "date": "2025-06-02", "method": "pigeon"}, today=TODAY
    )
    assert errors.keys() == {"member_id", "date", "method"}
    assert errors_of(
        validate_contact, {"member_id": ID, "date": "2025-05"}, today=TODAY
    ).keys() == {"date"}
    assert errors_of(
        validate_contact, {"member_id": "a b", "date": "今天"}, today=TODAY
    ).keys() == {"member_id"}


def shift(**raw: object) -> dict[str, Any]:
    base = {"date": "2025-06-02", "start": "19:00", "end": "21:00"}
    return validate_shift(base | raw, today=TODAY)


def shift_errors(**raw: object) -> set[str]:
    base = {"date": "2025-06-02", "start": "19:00", "end": "21:00"}
    return set(errors_of(validate_shift, base | raw, today=TODAY))


def test_shift() -> None:
    doc = shift(
        zone_id=ID,
        min_people="2",
        max_people=3,
        assignments=[{"member_id": ID}, {"member_id": ID2, "status": "到岗"}],
        note="路灯坏了",
    )
    assert doc["start"] == "19:00"
    assert doc["assignments"] == [
        {"member_id": ID, "status": "scheduled"},
        {"member_id": ID2, "status": "present"},
    ]
    assert (doc["min_people"], doc["max_people"]) == (2, 3)
    assert shift(start="22:00", end="02:00")["end"] == "02:00"  # overnight is allowed
    assert shift(start="20:00", end="24:00")["end"] == "00:00"
    assert shift_errors(start="19:00", end="19:00") == {"end"}
    assert shift_errors(start="08:00", end="07:00") == {"end"}  # 23 hours: a typo
    assert shift_errors(min_people=3, max_people=2) == {"min_people"}
    assert shift_errors(max_people=0) == {"max_people"}
    assert shift_errors(min_people="two") == {"min_people"}
    assert shift_errors(date="2025年6月") == {"date"}
    assert shift_errors(start="", end="25:00") == {"start", "end"}
    assert shift_errors(max_people=1, assignments=[{"member_id": ID}, {"member_id": ID2}]) == {
        "assignments"
    }
    assert shift_errors(assignments=[{"member_id": ID}, {"member_id": ID}]) == {
        "assignments.1.member_id"
    }
    assert shift_errors(assignments=[{"member_id": ID, "status": "?"}]) == {"assignments.0.status"}
    assert shift_errors(assignments="everyone") == {"assignments"}


def test_shift_template() -> None:
    doc = validate_shift_template(
        {"weekday": "周六", "start": "晚上7点", "end": "21:00", "active_from": "2025-06-01"},
        today=TODAY,
    )
    assert (doc["weekdays"], doc["start"], doc["active_to"]) == ([6], "19:00", None)
    base = {"weekdays": [1], "start": "19:00", "end": "21:00"}
    assert errors_of(validate_shift_template, base | {"weekdays": "周八"}, today=TODAY).keys() == {
        "weekdays"
    }
    assert errors_of(validate_shift_template, base | {"weekdays": None}, today=TODAY).keys() == {
        "weekdays"
    }
    assert validate_shift_template(base | {"weekdays": "周一、周三，5"}, today=TODAY)[
        "weekdays"
    ] == [1, 3, 5]
    assert validate_shift_template(base | {"weekdays": "每天"}, today=TODAY)["weekdays"] == list(
        range(1, 8)
    )
    skipped = validate_shift_template(base | {"skip_dates": "2025-10-01 2025-10-02"}, today=TODAY)
    assert skipped["skip_dates"] == ["2025-10-01", "2025-10-02"]
    assert errors_of(
        validate_shift_template, base | {"skip_dates": "2025-13-01"}, today=TODAY
    ).keys() == {"skip_dates"}
    assert errors_of(
        validate_shift_template,
        base | {"active_from": "2025-06-10", "active_to": "2025-06-01"},
        today=TODAY,
    ).keys() == {"active_to"}


def training(**raw: object) -> dict[str, Any]:
    base = {"title": "消防安全知识培训", "date": "2025-05-10", "hours": "2"}
    return validate_training(base | raw, today=TODAY)


def training_errors(**raw: object) -> set[str]:
    base = {"title": "消防安全知识培训", "date": "2025-05-10", "hours": "2"}
    return set(errors_of(validate_training, base | raw, today=TODAY))


def test_training() -> None:
    doc = training(
        kind="安全培训",
        attendance=[
            {"member_id": ID},
            {"member_id": ID2, "status": "缺席"},
            {"member_id": "c" * 32, "status": "补课", "hours": 1.5, "date": "2025-05-20"},
        ],
    )
    assert doc["kind"] == "safety"
    assert doc["hours"] == 2.0
    assert [(a["status"], a["hours"]) for a in doc["attendance"]] == [
        ("present", 2.0),
        ("absent", 0.0),
        ("make_up", 1.5),
    ]
    assert training(kind="")["kind"] == "other"
    assert training(hours="1.5小时")["hours"] == 1.5
    for bad in ("0", "-1", "24.5", "1.25", "two", 0, True, 10**400, float("nan")):
        assert training_errors(hours=bad) == {"hours"}, bad
    assert training(hours=24)["hours"] == 24
    assert training_errors(title=" ") == {"title"}
    assert training_errors(attendance=[{"member_id": ID, "hours": 3}]) == {"attendance.0.hours"}
    assert training_errors(attendance=[{"member_id": ID, "status": "absent", "hours": 1}]) == {
        "attendance.0.hours"
    }
    assert training_errors(attendance=[{"member_id": ID}, {"member_id": ID}]) == {
        "attendance.1.member_id"
    }


def test_certificate() -> None:
    base = {"member_id": ID, "name": "红十字救护员证", "issued": "2023-05-01"}
    doc = validate_certificate(base | {"expires": "2026-05-01"}, today=TODAY)
    assert (doc["issued"], doc["expires"]) == ("2023-05-01", "2026-05-01")
    assert validate_certificate(base, today=TODAY)["expires"] is None
    assert errors_of(
        validate_certificate, base | {"expires": "2023-05-01"}, today=TODAY
    ).keys() == {"expires"}
    assert errors_of(validate_certificate, base | {"issued": "2026-01-01"}, today=TODAY).keys() == {
        "issued"
    }
    assert errors_of(validate_certificate, {"issued": "x"}, today=TODAY).keys() == {
        "member_id",
        "name",
        "issued",
    }


def test_team_and_zone() -> None:
    doc = validate_team({"name": "巡逻一队", "leader_id": ID, "member_ids": [ID, ID2, ID]})
    assert doc["member_ids"] == [ID, ID2]
    assert errors_of(validate_team, {"name": "", "member_ids": ["bad id"]}).keys() == {
        "name",
        "member_ids.0",
    }
    assert errors_of(validate_team, {"name": "a", "member_ids": "x"}).keys() == {"member_ids"}
    zone = validate_zone({"name": "东区", "description": "东门-花园-车库"})
    assert zone == {
        "name": "东区",
        "description": "东门-花园-车库",
        "archived": False,
        "search_keys": zone["search_keys"],
        "sort_key": named_sort_key("东区"),
    }
    assert {"东区", "dongqu", "dq"} <= set(zone["search_keys"])  # found as the palette finds it
    assert errors_of(validate_zone, {}).keys() == {"name"}


def test_settings() -> None:
    doc = validate_settings(
        {"community_name": "幸福里社区", "yearly_hours": {"retired": "16", "流入": 24}}
    )
    assert doc["yearly_hours"]["retired"] == 16
    assert doc["yearly_hours"]["mobile_in"] == 24
    assert doc["yearly_hours"]["in_service"] == 32
    assert (doc["contact_warn_days"], doc["contact_overdue_days"], doc["idle_lock_minutes"]) == (
        120,
        180,
        5,
    )
    bad = {
        "yearly_hours": {"retired": 201, "nope": 3},
        "contact_warn_days": 200,
        "contact_overdue_days": 180,
        "idle_lock_minutes": 0,
    }
    assert errors_of(validate_settings, bad).keys() == {
        "yearly_hours.retired",
        "yearly_hours.nope",
        "contact_warn_days",
        "idle_lock_minutes",
    }
    assert errors_of(validate_settings, {"contact_warn_days": 0}).keys() == {"contact_warn_days"}
    assert errors_of(validate_settings, {"idle_lock_minutes": 121}).keys() == {"idle_lock_minutes"}
    assert errors_of(validate_settings, {"yearly_hours": [1]}).keys() == {"yearly_hours"}
    assert doc["low_bandwidth"] is False
    for said, meant in (("yes", True), ("是", True), ("否", False), (True, True), ("no", False)):
        assert validate_settings({"low_bandwidth": said})["low_bandwidth"] is meant
    assert errors_of(validate_settings, {"low_bandwidth": "maybe"}).keys() == {"low_bandwidth"}


@pytest.mark.parametrize(
    ("text", "value"), [("alice", "alice"), ("Bob.Li", "bob.li"), ("w_2-x", "w_2-x"), ("ab", "ab")]
)
def test_username(text: str, value: str) -> None:
    assert validate_username(text) == value


@pytest.mark.parametrize("text", ["", "a", "a" * 33, "张三", "a b", ".x", "x/y", None, 5])
def test_bad_username(text: object) -> None:
    assert errors_of(validate_username, text).keys() == {"username"}


def test_user() -> None:
    doc = validate_user({"username": "Alice", "role": "协调员"})
    assert doc == {
        "username": "alice",
        "display_name": "alice",
        "role": "coordinator",
        "member_id": "",
        "disabled": False,
    }
    assert errors_of(validate_user, {"username": "x", "role": "boss"}).keys() == {
        "username",
        "role",
    }


VALIDATORS = [
    lambda raw: validate_contact(raw, today=TODAY),
    lambda raw: validate_shift(raw, today=TODAY),
    lambda raw: validate_shift_template(raw, today=TODAY),
    lambda raw: validate_training(raw, today=TODAY),
    lambda raw: validate_certificate(raw, today=TODAY),
    validate_team,
    validate_zone,
    validate_settings,
    validate_user,
]
KEYS = sorted(
    {
        "member_id",
        "date",
        "method",
        "by",
        "note",
        "start",
        "end",
        "zone_id",
        "team_id",
        "min_people",
        "max_people",
        "assignments",
        "weekday",
        "weekdays",
        "skip_dates",
        "incident",
        "cancelled",
        "archived",
        "patrol_time_zone",
        "patrol_self_check_in",
        "patrol_max_hours_per_day",
        "patrol_senior_max_hours_per_day",
        "active_from",
        "active_to",
        "title",
        "kind",
        "hours",
        "trainer",
        "place",
        "attendance",
        "name",
        "issued",
        "expires",
        "leader_id",
        "member_ids",
        "description",
        "community_name",
        "yearly_hours",
        "contact_warn_days",
        "contact_overdue_days",
        "idle_lock_minutes",
        "username",
        "display_name",
        "role",
        "disabled",
    }
)
nested = st.one_of(
    values,
    st.lists(
        st.dictionaries(st.sampled_from(["member_id", "status", "hours"]), values, max_size=3),
        max_size=3,
    ),
)


@settings(deadline=None)
@given(st.sampled_from(range(len(VALIDATORS))), st.dictionaries(st.sampled_from(KEYS), nested))
def test_random_input_raises_only_validation_error(which: int, raw: Mapping[str, object]) -> None:
    try:
        VALIDATORS[which](raw)
    except ValidationError as error:
        assert error.errors
        assert all(isinstance(m, str) and m for m in error.errors.values())

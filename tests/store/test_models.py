"""Models: JSON-only documents, tolerant loading of old or odd files, labels in any language."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gettext
import json
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store import i18n
from store.contacts.model import Contact
from store.enums import (
    AssignmentStatus,
    AttendanceStatus,
    Category,
    ContactMethod,
    DatePrecision,
    ExemptReason,
    Gender,
    Management,
    MemberStatus,
    TrainingKind,
    UserRole,
    choices,
    coerce,
    label,
    weekday_label,
)
from store.members.model import Member, field_label, format_address
from store.patrols.model import Assignment, Shift, ShiftTemplate, Team, Zone
from store.settings.model import DEFAULT_YEARLY_HOURS, Settings
from store.training.model import Attendance, Certificate, TrainingSession
from store.users.model import User

MODELS = (
    Member,
    Contact,
    Team,
    Zone,
    Shift,
    ShiftTemplate,
    TrainingSession,
    Certificate,
    User,
    Settings,
)
ENUMS: tuple[type[StrEnum], ...] = (
    Gender,
    Category,
    Management,
    MemberStatus,
    ExemptReason,
    ContactMethod,
    AssignmentStatus,
    TrainingKind,
    AttendanceStatus,
    UserRole,
    DatePrecision,
)

texts = st.text(max_size=30)
ids = st.text("0123456789abcdef", min_size=32, max_size=32)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
hours = st.integers(0, 48).map(lambda n: n / 2)
meta = {
    "id": ids,
    "version": st.integers(1, 10**6),
    "created_at": st.just("2025-01-02T03:04:05+00:00"),
    "updated_at": st.just("2025-01-02T03:04:05+00:00"),
}

STRATEGIES: dict[type[Any], st.SearchStrategy[Any]] = {
    Member: st.builds(
        Member,
        name=texts,
        gender=st.none() | st.sampled_from(Gender),
        birth_date=st.none() | dates,
        phone=texts,
        building=texts,
        join_date=st.none() | dates,
        category=st.sampled_from(Category),
        management=st.sampled_from(Management),
        status=st.sampled_from(MemberStatus),
        roles=st.lists(texts, max_size=3),
        tags=st.lists(texts, max_size=3),
        mobile_since=st.none() | dates,
        exempt_hours=st.booleans(),
        exempt_reason=st.none() | st.sampled_from(ExemptReason),
        notes=texts,
        month_only=st.lists(st.sampled_from(["birth_date", "join_date"]), unique=True),
        search_keys=st.lists(texts, max_size=3),
        **meta,
    ),
    Contact: st.builds(
        Contact, member_id=ids, date=dates, method=st.sampled_from(ContactMethod), **meta
    ),
    Team: st.builds(Team, name=texts, leader_id=ids, member_ids=st.lists(ids), **meta),
    Zone: st.builds(Zone, name=texts, description=texts, **meta),
    Shift: st.builds(
        Shift,
        date=dates,
        start=times,
        end=times,
        min_people=st.integers(0, 9),
        max_people=st.integers(1, 9),
        assignments=st.lists(
            st.builds(Assignment, member_id=ids, status=st.sampled_from(AssignmentStatus))
        ),
        **meta,
    ),
    ShiftTemplate: st.builds(
        ShiftTemplate,
        weekdays=st.lists(st.integers(1, 7), min_size=1, max_size=7, unique=True).map(sorted),
        start=times,
        end=times,
        active_from=st.none() | dates,
        active_to=st.none() | dates,
        **meta,
    ),
    TrainingSession: st.builds(
        TrainingSession,
        title=texts,
        kind=st.sampled_from(TrainingKind),
        date=dates,
        hours=hours,
        attendance=st.lists(
            st.builds(
                Attendance,
                member_id=ids,
                status=st.sampled_from(AttendanceStatus),
                hours=hours,
            )
        ),
        **meta,
    ),
    Certificate: st.builds(
        Certificate, member_id=ids, name=texts, issued=dates, expires=st.none() | dates, **meta
    ),
    User: st.builds(
        User,
        username=texts,
        role=st.sampled_from(UserRole),
        failed_attempts=st.integers(0, 99),
        locked_until=st.none() | st.datetimes(),
        disabled=st.booleans(),
        **meta,
    ),
    Settings: st.builds(
        Settings,
        community_name=texts,
        yearly_hours=st.fixed_dictionaries({c: hours for c in Category}),
        contact_warn_days=st.integers(1, 3650),
        **meta,
    ),
}


def only_json_types(value: object) -> bool:
    """True if ``value`` is built from exactly the JSON types (no str/int subclasses)."""
    if value is None or type(value) in (str, int, float, bool):
        return True
    if type(value) is list:
        return all(only_json_types(item) for item in value)  # type: ignore[attr-defined]
    if type(value) is dict:
        return all(
            type(k) is str and only_json_types(v)
            for k, v in value.items()  # type: ignore[attr-defined]
        )
    return False


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@given(data=st.data())
def test_round_trip(model: type[Any], data: st.DataObject) -> None:
    record = data.draw(STRATEGIES[model])
    doc = record.to_doc()
    assert only_json_types(doc)
    json.dumps(doc, ensure_ascii=False, allow_nan=False)
    assert model.from_doc(doc) == record
    assert model.from_doc(json.loads(json.dumps(doc))) == record


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_empty_document_loads_with_defaults(model: type[Any]) -> None:
    record = model.from_doc({})
    assert record == model()
    doc = record.to_doc()
    assert "id" not in doc  # a new record's doc goes straight to tx.insert
    assert only_json_types(doc)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_models_are_slotted(model: type[Any]) -> None:
    assert hasattr(model, "__slots__")
    with pytest.raises(AttributeError):
        model().not_a_field = 1


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@given(
    doc=st.dictionaries(
        st.text(max_size=15),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner),
            max_leaves=8,
        ),
    )
)
def test_any_json_loads(model: type[Any], doc: dict[str, Any]) -> None:
    record = model.from_doc(doc)
    assert only_json_types(record.to_doc())


def test_odd_values_take_defaults() -> None:
    member = Member.from_doc(
        {
            "name": 5,
            "birth_date": "not a date",
            "join_date": "1980-07-01T00:00:00",
            "category": "weird",
            "status": None,
            "roles": "支部委员",
            "tags": ["急救", 3, None],
            "exempt_hours": "yes",
            "version": "3",
            "id": "abc",
        }
    )
    assert member.name == ""
    assert member.birth_date is None
    assert member.join_date == dt.date(1980, 7, 1)
    assert member.category is Category.OTHER
    assert member.status is MemberStatus.ACTIVE
    assert member.roles == []
    assert member.tags == ["急救"]
    assert member.exempt_hours is False
    assert member.version == 0
    shift = Shift.from_doc({"start": "19:00:30", "end": "bad", "min_people": 2.5})
    assert shift.start == dt.time(19, 0)
    assert shift.end is None
    assert shift.min_people == 1
    assert ShiftTemplate.from_doc({"weekday": 9}).weekdays == [1]
    assert ShiftTemplate.from_doc({"weekday": 3}).weekdays == [3]  # an older file's one day
    assert ShiftTemplate.from_doc({"weekdays": [5, 1, 9, True]}).weekdays == [1, 5]
    assert TrainingSession.from_doc({"hours": 10**400}).hours == 0.0
    assert TrainingSession.from_doc({"hours": float("inf")}).hours == 0.0
    settings = Settings.from_doc({"yearly_hours": {"retired": 12, "other": "x", "nope": 3}})
    assert settings.hours_for(Category.RETIRED) == 12
    assert settings.hours_for(Category.OTHER) == DEFAULT_YEARLY_HOURS
    assert settings.to_doc()["yearly_hours"]["in_service"] == 32


def test_member_document_shape() -> None:
    member = Member(
        id="a" * 32,
        version=2,
        name="张三",
        gender=Gender.MALE,
        birth_date=dt.date(1958, 3, 1),
        category=Category.RETIRED,
        month_only=["birth_date"],
    )
    doc = member.to_doc()
    assert doc["birth_date"] == "1958-03-01"
    assert doc["gender"] == "male"
    assert type(doc["category"]) is str
    assert doc["join_date"] is None
    assert doc["id"] == "a" * 32
    assert doc["version"] == 2
    assert member.date_text("birth_date") == "1958-03"
    assert member.date_text("join_date") == ""
    assert {f.name for f in dataclasses.fields(Member)} == set(doc)


def test_member_helpers() -> None:
    member = Member(phone="13800000001", category=Category.MOBILE_OUT, building="3", room="502")
    assert member.masked_phone == "138****0001"
    assert member.is_mobile
    assert member.address_text() == "Building 3 Room 502"
    assert format_address("3", "2", "502") == "Building 3, Unit 2, Room 502"
    assert format_address("", "", "", "幸福里") == "幸福里"


def test_a_complete_address_reads_naturally_in_chinese() -> None:
    from tui.i18n import setup_language

    setup_language("zh")
    try:
        assert format_address("3", "2", "502") == "3栋2单元502室"
    finally:
        setup_language("en")


def test_shift_times() -> None:
    evening = Shift(date=dt.date(2025, 6, 1), start=dt.time(19), end=dt.time(21))
    assert evening.hours == 2
    assert not evening.overnight
    night = Shift(date=dt.date(2025, 6, 1), start=dt.time(22), end=dt.time(2, 30))
    assert night.hours == 4.5
    assert night.overnight
    assert night.bounds() == (dt.datetime(2025, 6, 1, 22), dt.datetime(2025, 6, 2, 2, 30))
    assert Shift().bounds() is None
    assert Shift().to_doc()["start"] is None
    assert Shift(start=dt.time(7, 5)).to_doc()["start"] == "07:05"


def test_template_applies_on_its_weekday_within_its_dates() -> None:
    template = ShiftTemplate(weekdays=[1], active_from=dt.date(2025, 6, 1))
    assert template.applies_on(dt.date(2025, 6, 2))  # a Monday
    assert not template.applies_on(dt.date(2025, 6, 3))
    assert not template.applies_on(dt.date(2025, 5, 26))
    template.active_to = dt.date(2025, 6, 8)
    assert not template.applies_on(dt.date(2025, 6, 9))
    template.skip_dates = [dt.date(2025, 6, 2)]
    assert not template.applies_on(dt.date(2025, 6, 2))


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_value_has_a_label(enum: type[StrEnum]) -> None:
    for member in enum:
        assert label(member)
        assert coerce(enum, member.value) is member
        assert coerce(enum, label(member)) is member
        assert coerce(enum, label(member).upper()) is member
    assert [m for m, _text in choices(enum)] == list(enum)
    assert coerce(enum, "") is None
    assert coerce(enum, None) is None
    assert coerce(enum, "no such thing") is None


class Shouting(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return message.upper() + "!"


@pytest.fixture
def shouting() -> Iterator[None]:
    i18n.use(Shouting())
    try:
        yield
    finally:
        i18n.use(gettext.NullTranslations())


def test_labels_are_translated_when_asked(shouting: None) -> None:
    assert label(Category.RETIRED) == "RETIRED!"
    assert weekday_label(7) == "SUNDAY!"
    assert field_label("birth_date") == "BIRTH DATE!"
    assert field_label("unknown_field") == "unknown_field"
    assert coerce(Category, "retired!") is Category.RETIRED  # the translated label
    assert choices(Gender) == [(Gender.MALE, "MALE!"), (Gender.FEMALE, "FEMALE!")]


def test_weekday_labels() -> None:
    assert [weekday_label(n) for n in (1, 7)] == ["Monday", "Sunday"]


def test_settings_defaults() -> None:
    settings = Settings()
    assert all(settings.hours_for(c) == 32 for c in Category)
    assert (settings.contact_warn_days, settings.contact_overdue_days) == (120, 180)
    assert settings.idle_lock_minutes == 5


def test_age_counts_whole_years_on_the_birthday() -> None:
    from store.members.model import age

    born = dt.date(1958, 3, 12)
    assert age(born, dt.date(2026, 3, 11)) == 67
    assert age(born, dt.date(2026, 3, 12)) == 68
    assert age(dt.date(1960, 2, 29), dt.date(2026, 2, 28)) == 65  # leap day: on 1 March
    assert age(dt.date(1960, 2, 29), dt.date(2026, 3, 1)) == 66

"""The forgiving parsers: every date and phone form in the fixtures, and clear refusals."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.parse import (
    DatePrecision,
    mask_phone,
    parse_date,
    parse_day,
    parse_hours,
    parse_phone,
    parse_time,
    parse_weekday,
    without_year,
)
from tests.paths import FIXTURES

TODAY = dt.date(2025, 6, 1)


def fixture_column(name: str, header: str) -> list[str]:
    path = FIXTURES / name
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row[header] for row in csv.DictReader(handle)]


DAY = DatePrecision.DAY
MONTH = DatePrecision.MONTH


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("1958-03-12", dt.date(1958, 3, 12), DAY),
        ("1958.03.12", dt.date(1958, 3, 12), DAY),
        ("1958/3/8", dt.date(1958, 3, 8), DAY),
        ("1958年3月12日", dt.date(1958, 3, 12), DAY),
        ("1958年3月12号", dt.date(1958, 3, 12), DAY),
        ("1958 年 3 月 12 日", dt.date(1958, 3, 12), DAY),
        ("19580312", dt.date(1958, 3, 12), DAY),
        ("１９５８－０３－１２", dt.date(1958, 3, 12), DAY),
        ("1958-03-12 00:00:00", dt.date(1958, 3, 12), DAY),
        ("1958-03-12T00:00", dt.date(1958, 3, 12), DAY),
        ("  1958-3-8\t", dt.date(1958, 3, 8), DAY),
        ("1956-02-29", dt.date(1956, 2, 29), DAY),
        ("1958年3月", dt.date(1958, 3, 1), MONTH),
        ("1958年03月", dt.date(1958, 3, 1), MONTH),
        ("1958.03", dt.date(1958, 3, 1), MONTH),
        ("1958-03", dt.date(1958, 3, 1), MONTH),
        ("1958/3", dt.date(1958, 3, 1), MONTH),
        ("195803", dt.date(1958, 3, 1), MONTH),
        ("today", TODAY, DAY),
        ("今天", TODAY, DAY),
        ("昨天", TODAY - dt.timedelta(days=1), DAY),
    ],
)
def test_parse_date_forms(text: str, value: dt.date, precision: DatePrecision) -> None:
    parsed = parse_date(text, today=TODAY)
    assert parsed.value == value
    assert parsed.precision is precision
    assert parsed.month_only == (precision is MONTH)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1965-02-30", ["1965-02", "30", "28"]),
        ("1957-02-29", ["29", "28"]),
        ("1990-13-01", ["13"]),
        ("1990.00", ["0"]),
        ("1899-12-31", ["1899"]),
        ("2036-01-01", ["2036"]),
    ],
)
def test_impossible_dates_are_named(text: str, words: list[str]) -> None:
    with pytest.raises(ValueError, match=r".") as caught:
        parse_date(text, today=TODAY)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "1958", "58.3.12", "1958-03-12-01", "3月", "1958年", "=1+1"]
)
def test_non_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text, today=TODAY)


def test_every_fixture_date_parses() -> None:
    for header in ("出生年月", "入党时间"):
        for text in fixture_column("roster-utf8-bom.csv", header):
            assert parse_date(text, today=TODAY).value.year >= 1900


def test_parse_day_wants_the_day() -> None:
    assert parse_day("2024-03-12", today=TODAY) == dt.date(2024, 3, 12)
    with pytest.raises(ValueError, match="day"):
        parse_day("2024年3月", today=TODAY)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("8:00", dt.time(8, 0)),
        ("08:30", dt.time(8, 30)),
        ("8：30", dt.time(8, 30)),
        ("0830", dt.time(8, 30)),
        ("20.30", dt.time(20, 30)),
        ("19", dt.time(19, 0)),
        ("8点", dt.time(8, 0)),
        ("8点半", dt.time(8, 30)),
        ("8点15分", dt.time(8, 15)),
        ("下午3点", dt.time(15, 0)),
        ("晚上8点半", dt.time(20, 30)),
        ("上午12点", dt.time(0, 0)),
        ("8pm", dt.time(20, 0)),
        ("24:00", dt.time(0, 0)),
        ("07:45:00", dt.time(7, 45)),
    ],
)
def test_parse_time(text: str, value: dt.time) -> None:
    assert parse_time(text) == value


@pytest.mark.parametrize("text", ["", "25:00", "8:60", "noon", "8点61分", "12345"])
def test_parse_time_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "value"), [("2", 2.0), ("1.5", 1.5), (".5", 0.5), ("1.5小时", 1.5), ("3 h", 3.0)]
)
def test_parse_hours(text: str, value: float) -> None:
    assert parse_hours(text) == value


@pytest.mark.parametrize("text", ["", "半天", "-1", "two", "1,5"])
def test_parse_hours_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hours(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", 1), ("7", 7), ("周一", 1), ("星期日", 7), ("礼拜天", 7), ("Sat", 6), ("friday", 5)],
)
def test_parse_weekday(text: str, value: int) -> None:
    assert parse_weekday(text) == value


@pytest.mark.parametrize("text", ["", "0", "8", "周八", "someday"])
def test_parse_weekday_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_weekday(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("13800000001", "13800000001"),
        ("170 0949 2913", "17009492913"),
        ("180-9347-1118", "18093471118"),
        ("138.0000.0001", "13800000001"),
        ("+86 138-0000-0005", "13800000005"),
        ("(+86) 138 0000 0005", "13800000005"),
        ("0086 13800000005", "13800000005"),
        ("8613800000005", "13800000005"),
        ("１３８ ００００ ０００１", "13800000001"),
        ("0571-88886666", "0571-88886666"),
        ("057188886666", "0571-88886666"),
        ("(0571) 8888 6666", "0571-88886666"),
        ("0571－88886666", "0571-88886666"),
        ("+86 571 8888 6666", "0571-88886666"),
        ("010-62345678", "010-62345678"),
        ("02162345678", "021-62345678"),
        ("0755-2345678", "0755-2345678"),
        ("88886666", "88886666"),
        ("6234567", "6234567"),
    ],
)
def test_parse_phone(text: str, value: str) -> None:
    assert parse_phone(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1380000001x",
        '=HYPERLINK("http://x","点我")',
        "1380000001",
        "138000000012",
        "12800000001",
        "+1 555 123 4567",
        "0571-1234",
        "0571-123456789",
        "1234567",
        "0123",
        "13800000001/13900000002",
    ],
)
def test_parse_phone_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_phone(text)


def test_every_fixture_phone_parses() -> None:
    for text in fixture_column("roster-utf8-bom.csv", "联系电话"):
        phone = parse_phone(text)
        assert phone.replace("-", "").isdigit()


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13800000001", "138****0001"),
        ("0571-88886666", "0571-****6666"),
        ("010-6234567", "010-***4567"),
        ("88886666", "****6666"),
        ("123", "***"),
        ("", ""),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@given(st.text())
def test_parsers_raise_only_value_error(text: str) -> None:
    for parse in (
        lambda: parse_date(text, today=TODAY),
        lambda: parse_time(text),
        lambda: parse_hours(text),
        lambda: parse_weekday(text),
        lambda: mask_phone(parse_phone(text)),
    ):
        try:
            parse()
        except ValueError as error:
            assert str(error)


@given(st.from_regex(r"[0-9０-９ +()\-.]{0,20}", fullmatch=True))
def test_parse_phone_is_idempotent(text: str) -> None:
    try:
        phone = parse_phone(text)
    except ValueError:
        return
    assert parse_phone(phone) == phone
    assert mask_phone(phone).endswith(phone[-4:])


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2035, 12, 31)))
def test_iso_dates_round_trip(day: dt.date) -> None:
    for text in (day.isoformat(), f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d")):
        assert parse_date(text, today=TODAY) == (day, DAY)


# -- a date without its year -------------------------------------------------------------------


def _spellings(month: int, day: int) -> list[str]:
    """The ways people type a month and day: Chinese, dashes, slashes, dots, full width."""
    plain = [f"{month}月{day}日", f"{month}月{day}号", f"{month}月{day}", f"{month:02d}-{day:02d}"]
    plain += [f"{month}/{day}", f"{month}.{day}", f" {month} 月 {day} 日 "]
    return plain + [text.translate(_FULL_WIDTH) for text in plain]


_FULL_WIDTH = str.maketrans("0123456789-/.", "０１２３４５６７８９－／．")
_TODAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))
_MONTH_DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2000, 12, 31))  # leap


@given(today=_TODAYS, when=_MONTH_DAYS)
def test_a_date_without_its_year_is_the_latest_such_day_not_after_today(
    today: dt.date, when: dt.date
) -> None:
    found = {parse_date(text, today=today) for text in _spellings(when.month, when.day)}
    assert len(found) == 1  # every spelling reads the same
    (parsed,) = found
    assert parsed.precision is DatePrecision.DAY
    value = parsed.value
    assert (value.month, value.day) == (when.month, when.day)
    assert value <= today
    # the latest: no later year gives that day on or before today
    for year in range(value.year + 1, today.year + 1):
        try:
            later = dt.date(year, when.month, when.day)
        except ValueError:  # 29 February in a common year
            continue
        assert later > today


@given(today=_TODAYS, when=_MONTH_DAYS)
def test_a_field_about_days_to_come_reads_it_as_the_next_one(today: dt.date, when: dt.date) -> None:
    value = parse_date(f"{when.month}月{when.day}日", today=today, yearless="next").value
    assert value >= today and (value.month, value.day) == (when.month, when.day)
    assert value == without_year(when.month, when.day, today=today, yearless="next")
    for year in range(today.year, value.year):
        try:
            earlier = dt.date(year, when.month, when.day)
        except ValueError:
            continue
        assert earlier < today


@given(today=_TODAYS, month=st.integers(1, 12), day=st.integers(1, 31))
def test_a_month_day_that_never_exists_is_refused_with_a_reason(
    today: dt.date, month: int, day: int
) -> None:
    try:
        dt.date(2000, month, day)
    except ValueError:
        with pytest.raises(ValueError, match=f"no day {day}"):
            parse_date(f"{month}月{day}日", today=today)
    with pytest.raises(ValueError, match="no month 13"):
        parse_date(f"13月{day}日", today=today)


def test_every_date_field_reads_a_yearless_date_the_same_way() -> None:
    from store.contacts.validation import validate_contact
    from store.members.validation import validate_member

    today = dt.date(2024, 1, 8)
    typed = {"name": "张三", "join_date": "12月20日", "mobile_since": "12-20"}
    member = validate_member({**typed, "category": "mobile_out"}, today=today)
    contact = validate_contact({"member_id": "a" * 32, "date": "１２／２０"}, today=today)
    assert member["join_date"] == member["mobile_since"] == contact["date"] == "2023-12-20"

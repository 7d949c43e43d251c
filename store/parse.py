"""Forgiving parsers for what people type and what office spreadsheets contain.

Each parser accepts the many ways a date, time or phone number is written in Chinese offices
(1958.03, 1958年3月12日, 180-9347-1118, +86 138 0000 0005, full-width digits...) and returns one
canonical value, or raises ``ValueError`` whose text is a translated sentence fit to show the
person who typed it. Validation (store/validation.py) turns those into per-field errors.

Month-only dates (1958年3月, 1958.03) are common in rosters for birth and join dates. They parse to
the first of the month with ``DatePrecision.MONTH`` so the UI can show "1958-03" and comparisons
can be made at month level; :func:`parse_day` refuses them where a real day is needed (shifts).

A date without its year (11月20日, 11-20, １１／２０) is the latest such day not after today, in
every date field: people write down what happened (a call just made, the day someone moved), and
"11月20日" typed in January means last November, never a day ten months ahead. A field about
days to come asks for ``yearless="next"`` (the first such day from today on). 2月29日 is the
latest 29 February.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Literal, NamedTuple

from store.enums import DatePrecision
from store.i18n import _
from store.textsafe import clean_line

__all__ = [
    "DatePrecision",
    "IdNumber",
    "ParsedDate",
    "mask_phone",
    "parse_date",
    "parse_day",
    "parse_hours",
    "parse_id_number",
    "parse_phone",
    "parse_time",
    "parse_weekday",
    "quote",
    "without_year",
]

MIN_YEAR = 1900
MAX_YEARS_AHEAD = 10


class ParsedDate(NamedTuple):
    """A date as given: month-only input has day 1 and ``precision`` MONTH."""

    value: dt.date
    precision: DatePrecision

    @property
    def month_only(self) -> bool:
        return self.precision is DatePrecision.MONTH


def _normalize(text: str) -> str:
    """Fold full-width digits and punctuation to ASCII and drop controls; keep inner spaces."""
    return clean_line(unicodedata.normalize("NFKC", text))


def quote(text: str, limit: int = 24) -> str:
    """``text`` made safe and short enough to repeat inside an error message."""
    text = clean_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_DAY_FORMS = (
    re.compile(r"([0-9]{4})[-./]([0-9]{1,2})[-./]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]?"),
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
)
_MONTH_FORMS = (
    re.compile(r"([0-9]{4})[-./]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月?(?:份)?"),
    re.compile(r"([0-9]{4})([0-9]{2})"),
)
# "1958-03-12 00:00:00" and "1958-03-12T00:00" as written by pandas, openpyxl or ISO tools.
_TIME_SUFFIX = re.compile(r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)$")
_TODAY_WORDS = {"today": 0, "今天": 0, "今日": 0, "yesterday": -1, "昨天": -1}
_YEARLESS_FORMS = (
    re.compile(r"([0-9]{1,2})月([0-9]{1,2})[日号]?"),
    re.compile(r"([0-9]{1,2})[-./]([0-9]{1,2})"),
)
Yearless = Literal["past", "next"]


def _checked(year: int, month: int, day: int, today: dt.date) -> dt.date:
    if not MIN_YEAR <= year <= today.year + MAX_YEARS_AHEAD:
        raise ValueError(_("The year {year} is out of range.").format(year=year))
    if not 1 <= month <= 12:
        raise ValueError(_("There is no month {month}.").format(month=month))
    from calendar import monthrange  # a date being typed; not loaded before the first frame

    days = monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(
            _("{year}-{month:02d} has no day {day}; it has {days} days.").format(
                year=year, month=month, day=day, days=days
            )
        )
    return dt.date(year, month, day)


def without_year(month: int, day: int, *, today: dt.date, yearless: Yearless = "past") -> dt.date:
    """The latest ``month``/``day`` not after ``today`` (``"next"``: the first from today on).

    Raises ValueError (a sentence) for a month or day that never exists, like 2月30日.
    """
    step = -1 if yearless == "past" else 1
    if yearless == "past":
        year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    else:
        year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    if month == 2 and day == 29:  # only leap years have one: the nearest in that direction
        while not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            year += step
    return _checked(year, month, day, today)


def parse_date(text: str, *, today: dt.date, yearless: Yearless = "past") -> ParsedDate:
    """Read a date written the ways rosters write them; month-only forms give day 1.

    Accepted: 1958-03-12, 1958.03.12, 1958/3/8, 1958年3月12日, 19580312 (exact day) and
    1958-03, 1958.03, 1958年3月, 195803 (month only), also "today"/"今天" and a trailing
    " 00:00:00". Years must lie between 1900 and ten years after ``today``. A day without its
    year (11月20日, 11-20) is read by :func:`without_year` (``yearless`` says which way).
    """
    s = _normalize(text)
    if not s:
        raise ValueError(_("Enter a date."))
    relative = _TODAY_WORDS.get(s.casefold())
    if relative is not None:
        return ParsedDate(today + dt.timedelta(days=relative), DatePrecision.DAY)
    s = "".join(_TIME_SUFFIX.sub("", s).split())
    for pattern in _DAY_FORMS:
        m = pattern.fullmatch(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return ParsedDate(_checked(y, mo, d, today), DatePrecision.DAY)
    for pattern in _MONTH_FORMS:
        m = pattern.fullmatch(s)
        if m:
            y, mo = (int(g) for g in m.groups())
            return ParsedDate(_checked(y, mo, 1, today), DatePrecision.MONTH)
    for pattern in _YEARLESS_FORMS:
        m = pattern.fullmatch(s)
        if m:
            mo, d = (int(g) for g in m.groups())
            found = without_year(mo, d, today=today, yearless=yearless)
            return ParsedDate(found, DatePrecision.DAY)
    raise ValueError(
        _("“{text}” is not a date; write it like 1958-03-12 or 1958年3月.").format(text=quote(text))
    )


def parse_day(text: str, *, today: dt.date) -> dt.date:
    """Like :func:`parse_date` but insist on a whole date (shifts, sessions, contacts)."""
    parsed = parse_date(text, today=today)
    if parsed.month_only:
        raise ValueError(_("Give the day as well, like 2024-03-12."))
    return parsed.value


_CLOCK = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?(?:[:.]([0-9]{2}))?")
_COMPACT_CLOCK = re.compile(r"([0-9]{2})([0-9]{2})")
_CHINESE_CLOCK = re.compile(r"([0-9]{1,2})[点时](半|([0-9]{1,2})分?)?")
_MORNING = ("上午", "早上", "早晨", "凌晨", "am")
_AFTERNOON = ("下午", "晚上", "傍晚", "夜里", "夜间", "pm")


def parse_time(text: str) -> dt.time:
    """Read a clock time: 8:00, 08:30, 0830, 20.30, 8点半, 下午3点, 8pm; 24:00 means midnight."""
    s = "".join(_normalize(text).casefold().split())
    if not s:
        raise ValueError(_("Enter a time."))
    shift = 0
    for word in _MORNING + _AFTERNOON:
        if s.startswith(word) or s.endswith(word):
            s = s.removeprefix(word).removesuffix(word)
            shift = 12 if word in _AFTERNOON else -1
            break
    hour = minute = -1
    if m := _CHINESE_CLOCK.fullmatch(s):
        hour = int(m.group(1))
        minute = 30 if m.group(2) == "半" else int(m.group(3) or 0)
    elif m := _COMPACT_CLOCK.fullmatch(s):
        hour, minute = int(m.group(1)), int(m.group(2))
    elif m := _CLOCK.fullmatch(s):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if shift == 12 and 1 <= hour < 12:
        hour += 12
    elif shift == -1 and hour == 12:
        hour = 0
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(
            _("“{text}” is not a time; write it like 08:30 or 20:00.").format(text=quote(text))
        )
    return dt.time(hour, minute)


_WEEKDAY_WORDS = {
    **{name: n for n, name in enumerate("一二三四五六", start=1)},
    "日": 7,
    "天": 7,
    "七": 7,
    **{name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 1)},
    **{
        name: n
        for n, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), 1
        )
    },
    "tues": 2,
    "thur": 4,
    "thurs": 4,
}


def parse_weekday(text: str) -> int:
    """Read a weekday as an ISO number (1 = Monday ... 7 = Sunday): 1-7, 周一, 星期日, Mon."""
    s = "".join(_normalize(text).casefold().split())
    for prefix in ("星期", "礼拜", "周"):
        s = s.removeprefix(prefix)
    if s in {"1", "2", "3", "4", "5", "6", "7"}:
        return int(s)
    found = _WEEKDAY_WORDS.get(s)
    if found is None:
        raise ValueError(_("“{text}” is not a day of the week.").format(text=quote(text)))
    return found


_HOURS = re.compile(r"([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:h|hr|hrs|hours?|小时|学时|个小时)?")


def parse_hours(text: str) -> float:
    """Read a non-negative number of hours: 2, 2.5, .5, 1.5小时, 3h; ranges are checked later."""
    s = "".join(_normalize(text).casefold().split())
    if not s:
        raise ValueError(_("Enter a number of hours."))
    m = _HOURS.fullmatch(s)
    if not m:
        raise ValueError(
            _("“{text}” is not a number of hours; write it like 2 or 1.5.").format(text=quote(text))
        )
    return float(m.group(1))


_PHONE_JUNK = re.compile(r"[\s\-‐‑‒–—―.()\[\]/]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LOCAL = re.compile(r"[2-9][0-9]{6,7}")


def _area_code_length(digits: str) -> int:
    """010 and 020-029 are the three-digit area codes; every other one has four digits."""
    return 3 if digits.startswith(("010", "02")) else 4


def parse_phone(text: str) -> str:
    """Normalise a Chinese phone number or raise ``ValueError``.

    Mobiles become 11 digits (13800000001); landlines become area code, dash, local number
    (0571-88886666); a bare local number (88886666) stays bare. Spaces, dashes, dots, brackets,
    full-width digits and a +86 / 0086 / 86 country prefix are accepted.
    """
    s = _normalize(text)
    if not s:
        raise ValueError(_("Enter a phone number."))
    digits = _PHONE_JUNK.sub("", s)
    international = False
    if digits.startswith("+"):
        if not digits.startswith("+86"):
            raise ValueError(_("Only Chinese numbers (+86) can be stored."))
        digits, international = digits[3:], True
    elif digits.startswith("0086"):
        digits, international = digits[4:], True
    elif len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(
            _("A phone number may hold only digits, spaces and dashes, like 138 0000 0001.")
        )
    if _MOBILE.fullmatch(digits):
        return digits
    if international and not digits.startswith(("0", "1")):
        digits = "0" + digits  # +86 571 8888 6666 drops the trunk 0 of the area code
    if digits.startswith("1"):
        raise ValueError(_("A mobile number has 11 digits and starts with 13 to 19."))
    if digits.startswith("0"):
        cut = _area_code_length(digits)
        area, local = digits[:cut], digits[cut:]
        if len(area) == cut and _LOCAL.fullmatch(local):
            return f"{area}-{local}"
    elif _LOCAL.fullmatch(digits):
        return digits
    raise ValueError(
        _(
            "Not a phone number: a mobile has 11 digits, a landline 7 or 8 digits "
            "after an area code like 0571."
        )
    )


class IdNumber(NamedTuple):
    """A checked resident ID number (居民身份证号码) and what it says about its holder."""

    number: str
    birth: dt.date
    male: bool


_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def parse_id_number(text: str) -> IdNumber:
    """Check an 18-character resident ID number (its check digit, its birth date) and read
    the holder's birth date and sex from it; raise ``ValueError`` saying what is wrong.

    The checksum and the date come from python-stdnum's ``stdnum.cn.ric``; the sex is the
    17th digit (odd for men). Spaces are dropped and a lowercase x is read as X.
    """
    from stdnum.cn import ric
    from stdnum.exceptions import InvalidChecksum, ValidationError

    number = "".join(_normalize(text).split()).upper()
    if not _ID_SHAPE.fullmatch(number):
        raise ValueError(_("An ID number has 18 characters: 17 digits, then a digit or X."))
    try:
        ric.validate(number)
        birth = ric.get_birth_date(number)
    except InvalidChecksum:
        raise ValueError(
            _("The ID number's last character does not match the others: a digit is wrong.")
        ) from None
    except ValidationError:
        raise ValueError(_("The ID number holds no real birth date.")) from None
    return IdNumber(number, birth, int(number[16]) % 2 == 1)


def mask_phone(phone: str) -> str:
    """Hide the middle of a phone number on a shared screen: 138****0001, 0571-****6666."""
    if not phone:
        return ""
    if _MOBILE.fullmatch(phone):
        return f"{phone[:3]}****{phone[-4:]}"
    area, dash, local = phone.rpartition("-")
    if dash and area and local.isdigit() and len(local) > 4:
        return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    if len(phone) > 4:
        return "*" * (len(phone) - 4) + phone[-4:]
    return "*" * len(phone)

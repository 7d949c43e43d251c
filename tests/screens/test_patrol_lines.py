"""Patrol lists whose columns are sized from their cells: the templates line up (seven days
say "every day"), a shift's people show their status whole in zh and en."""

from __future__ import annotations

import datetime as dt
import gettext

import pytest
from rich.cells import cell_len

from screens.patrols.shift import person_line
from screens.patrols.templates import template_lines
from store import i18n
from store.enums import AssignmentStatus, label
from store.patrols.model import Assignment, ShiftTemplate
from tests.screens.helpers import LOCALE


def use(lang: str) -> None:
    if lang == "zh":
        i18n.use(gettext.translation("shequ", LOCALE, languages=["zh_CN"]))
    else:
        i18n.use(gettext.NullTranslations())


def at(line: str, text: str) -> int:
    """The cell where ``text`` starts in ``line``."""
    return cell_len(line[: line.index(text)])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_templates_line_up_and_seven_days_are_every_day(lang: str) -> None:
    use(lang)
    start = dt.date(2026, 11, 23)
    evening = ShiftTemplate(
        name="晚间巡逻",
        weekdays=[1, 2, 3, 4, 5, 6, 7],
        start=dt.time(19),
        end=dt.time(21),
        active_from=start,
    )
    morning = ShiftTemplate(
        name="早间巡逻",
        weekdays=[2, 4, 6],
        start=dt.time(7),
        end=dt.time(9),
        active_from=start,
    )
    first, second = template_lines([evening, morning], {})
    assert ("every day" if lang == "en" else "每天") in first
    assert ("Tue, Thu, Sat" if lang == "en" else "周二、周四、周六") in second
    assert at(first, "19:00-21:00") == at(second, "07:00-09:00")
    assert at(first, "2026-11-23") == at(second, "2026-11-23")
    assert cell_len(second) <= 78


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_persons_status_is_never_cut(lang: str) -> None:
    use(lang)
    for status in AssignmentStatus:
        line = person_line(Assignment(member_id="m1", status=status), {"m1": "欧阳娜娜"})
        assert "…" not in line
        assert label(status) in line
    scheduled = person_line(Assignment(member_id="m1"), {"m1": "张三"})
    assert ("Scheduled" if lang == "en" else "已排班") in scheduled

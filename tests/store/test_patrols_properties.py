"""Recurrence and overlap, checked against plain brute-force oracles with Hypothesis."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from store.patrols.model import Assignment, Shift, ShiftTemplate
from store.patrols.recurrence import missing_dates, occurrences
from store.patrols.rules import clashing, overlaps

days = st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31))
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@st.composite
def templates(draw: st.DrawFn) -> ShiftTemplate:
    start = draw(days)
    return ShiftTemplate(
        id="t" * 32,
        weekdays=sorted(draw(st.sets(st.integers(1, 7), min_size=1))),
        start=dt.time(19),
        end=dt.time(21),
        active_from=start,
        active_to=draw(st.none() | st.dates(start, start + dt.timedelta(days=120))),
        skip_dates=sorted(
            draw(st.sets(st.dates(start, start + dt.timedelta(days=120)), max_size=8))
        ),
    )


@settings(max_examples=200, deadline=None)
@given(templates(), days, st.integers(0, 120))
def test_occurrences_match_a_day_by_day_oracle(
    template: ShiftTemplate, first: dt.date, span: int
) -> None:
    last = first + dt.timedelta(days=span)
    found = occurrences(template, first, last)
    oracle = []
    day = first
    while day <= last:
        if (
            day.isoweekday() in template.weekdays
            and template.active_from is not None
            and day >= template.active_from
            and (template.active_to is None or day <= template.active_to)
            and day not in template.skip_dates
        ):
            oracle.append(day)
        day += dt.timedelta(days=1)
    assert found == oracle
    assert len(set(found)) == len(found)  # no duplicates
    assert not set(found) & set(template.skip_dates)  # holidays skipped
    assert all(type(day) is dt.date for day in found)  # local dates, never datetimes


@settings(max_examples=100, deadline=None)
@given(templates(), days, st.integers(0, 90), st.integers(0, 90))
def test_generating_twice_never_makes_a_date_twice(
    template: ShiftTemplate, first: dt.date, span: int, second_span: int
) -> None:
    last = first + dt.timedelta(days=span)
    made = [
        Shift(date=day, template_id=template.id) for day in missing_dates(template, [], first, last)
    ]
    again = missing_dates(template, made, first, last)
    assert again == []
    longer = missing_dates(template, made, first, last + dt.timedelta(days=second_span))
    assert not {s.date for s in made} & set(longer)


def _shift(day: dt.date, start: dt.time, minutes: int, ident: str, people: list[str]) -> Shift:
    end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)).time()
    return Shift(
        id=ident,
        date=day,
        start=start,
        end=end,
        assignments=[Assignment(member_id=p) for p in people],
    )


def _minutes(shift: Shift) -> set[int]:
    """Every minute the shift covers, counted from 2024-01-01: the oracle's view."""
    bounds = shift.bounds()
    assert bounds is not None
    origin = dt.datetime(2024, 1, 1)
    begin = int((bounds[0] - origin).total_seconds() // 60)
    end = int((bounds[1] - origin).total_seconds() // 60)
    return set(range(begin, end))


shift_specs = st.tuples(
    st.dates(dt.date(2024, 3, 1), dt.date(2024, 3, 4)),
    times,
    st.integers(1, 16 * 60),
    st.lists(st.sampled_from("abc"), min_size=1, max_size=2, unique=True),
)


@settings(max_examples=200, deadline=None)
@given(shift_specs, shift_specs)
def test_overlap_matches_minute_by_minute_oracle(one: tuple, other: tuple) -> None:  # type: ignore[type-arg]
    a = _shift(one[0], one[1], one[2], "a", one[3])
    b = _shift(other[0], other[1], other[2], "b", other[3])
    assert overlaps(a, b) == bool(_minutes(a) & _minutes(b))
    assert overlaps(a, b) == overlaps(b, a)


@settings(max_examples=100, deadline=None)
@given(st.lists(shift_specs, max_size=7))
def test_clashing_matches_pairwise_oracle(specs: list) -> None:  # type: ignore[type-arg]
    shifts = [_shift(d, t, m, f"s{i}", p) for i, (d, t, m, p) in enumerate(specs)]
    oracle = set()
    for i, a in enumerate(shifts):
        for b in shifts[i + 1 :]:
            if _minutes(a) & _minutes(b):
                for person in {x.member_id for x in a.assignments} & {
                    x.member_id for x in b.assignments
                }:
                    oracle |= {(a.id, person), (b.id, person)}
    assert clashing(shifts) == oracle

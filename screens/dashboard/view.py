"""What the dashboard shows, built in a worker from one snapshot: what needs doing now.

The page is one list of lines in groups: contacts due and overdue, the next 7 days' shifts
short of people or with a clash, the past 7 days' no-shows to follow up, members behind pace
on study hours, certificates expired or expiring, sessions held whose attendance is not taken
yet; for a volunteer, their own next shifts and hours instead of what only planners act on.
Each group lists its lines worst first (the oldest contact, the soonest shift, the furthest
behind, the soonest expiry) and records its figures for the to-do line
(:meth:`~screens.dashboard.lines.DashboardView.to_do`), ranked the most pressing first.
Names and places are cleaned user data; phones go through the privacy rule for the actor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from screens.dashboard.lines import (
    GAP,
    MARK,
    SHOWN,
    Count,
    DashboardView,
    Group,
    Line,
    Target,
    columns,
    count,
    day_text,
    times,
)
from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import Category, coerce, label
from store.i18n import N_, _, ngettext
from store.patrols.weeks import monday_of
from store.permissions import Action, allowed
from store.settings.model import Settings
from store.textsafe import clean_line

if TYPE_CHECKING:  # the patrols' modules are imported when a group is built
    from store.patrols.hours import NoShow
    from store.patrols.model import Shift

WEEK = 7
STATES = {"overdue": ("!!", N_("Overdue")), "warn": ("!", N_("Due soon"))}
# Column widths (terminal cells) of a lapsing line: mark, state, name, category, since, phone.
LAPSE_COLUMNS = (MARK, 8, 12, 18, 10, 14)
SHIFT_TABLES = frozenset({"shifts"})


def build_dashboard(
    snapshot: Snapshot, actor: Actor, today: dt.date, between: Callable[[], None] = lambda: None
) -> DashboardView:
    """The page for ``actor`` on ``today``: planners see the community's to-do, a volunteer
    their own shifts and hours first; everything as ``actor`` may see it.

    ``between`` is called before each group: the screen's worker passes one that stops the
    build (raises) when the dashboard was left before it finished.
    """
    from screens.dashboard.tally import roster_count
    from screens.dashboard.training_groups import behind_group, certificates_group, sessions_group

    members, mobile = roster_count(snapshot)
    from store.settings.ops import current

    settings = current(snapshot)
    counts: list[Count] = []
    groups: list[Group] = []
    planner = allowed(actor, Action.EDIT_SCHEDULE)
    if not planner:
        between()
        groups += own_groups(snapshot, actor, today, counts)
    between()
    groups.append(contacts_group(snapshot, actor, today, settings, counts))
    between()
    groups.append(shifts_group(snapshot, today, counts))
    if planner:
        between()
        groups.append(no_shows_group(snapshot, today, counts))
    if allowed(actor, Action.SEE_TRAINING):
        between()
        groups.append(behind_group(snapshot, actor, today, counts))
    between()
    groups.append(certificates_group(snapshot, actor, today, settings, counts))
    if allowed(actor, Action.EDIT_TRAINING):
        between()
        groups.append(sessions_group(snapshot, actor, today, counts))
    lines = tuple(line for group in groups for line in group.render())
    return DashboardView(members, mobile, tuple(counts), tuple(groups), lines)


def warm(snapshot: Snapshot, today: dt.date) -> None:
    """Build what the page reads whoever signs in, before anyone has (see tui/sections.py):
    the member counts and summaries, the contact fold and who is due, the training roll and
    study hours, the week's shifts and the past week's no-shows. The rest of the page (the
    role's own groups and rankings, keyed by who is looking) is assembled from them after the
    PIN in a few ms.

    A model the page reads that is the same whoever looks belongs here:
    tests/screens/test_login_warm.py builds the page for every role after this and fails on
    any such model built then."""
    from screens.dashboard.tally import roster_count
    from store.contacts.lapsing import lapsing_head
    from store.settings.ops import current
    from store.training import index, roll

    roster_count(snapshot)
    lapsing_head(snapshot, today, current(snapshot), SHOWN)
    roll.roll_of(snapshot)
    index.study_index(snapshot)
    week_shifts(snapshot, today)
    recent_no_shows(snapshot, today)


def contacts_group(
    snapshot: Snapshot, actor: Actor, today: dt.date, settings: Settings, counts: list[Count]
) -> Group:
    """Members whose last contact is overdue or due, oldest first (the roster's rule)."""
    from store.contacts.lapsing import lapsing_head
    from store.privacy import phone_for

    overdue, due, lapses = lapsing_head(snapshot, today, settings, SHOWN)
    if overdue:
        counts.append(
            count(0, ngettext("{n} contact overdue", "{n} contacts overdue", overdue), overdue)
        )
    if due:
        counts.append(count(6, ngettext("{n} contact due", "{n} contacts due", due), due))
    lines = []
    for lapse in lapses:
        member = lapse.member
        marker, word = STATES.get(lapse.state, ("", lapse.state))
        category = coerce(Category, member.category)
        if lapse.last is None:
            since = _("never")
        else:
            since = ngettext("{count} day", "{count} days", lapse.days).format(count=lapse.days)
        text = columns(
            (
                marker,
                _(word),
                member.name,
                label(category) if category else "",
                since,
                phone_for(actor, member.id, member.phone) or "—",
            ),
            LAPSE_COLUMNS,
        )
        lines.append(Line(text, Target("member", member.id)))
    rule = _("overdue after {overdue} days, due after {warn}").format(
        overdue=settings.contact_overdue_days, warn=settings.contact_warn_days
    )
    return Group(
        _("Contacts overdue or due"),
        overdue + due,
        tuple(lines),
        Target("lapsing"),
        _("everyone has been in touch recently"),
        note=rule,
    )


def week_shifts(snapshot: Snapshot, today: dt.date) -> tuple[list[Shift], set[tuple[str, str]]]:
    """The shifts from the day before ``today`` to the day after the week's last, and the
    (shift, member) pairs among them that clash; kept through saves that touch no shift (a
    member's, a contact's: most of them)."""
    from store.patrols import reads
    from store.patrols.rules import clashing

    last = today + dt.timedelta(days=WEEK - 1)

    def week(snap: Snapshot) -> tuple[list[Shift], set[tuple[str, str]]]:
        nearby = reads.shifts_between(snap, today - dt.timedelta(days=1), last + dt.timedelta(1))
        return nearby, clashing(nearby)

    return snapshot.kept(f"dashboard.week:{today}", SHIFT_TABLES, week)


def recent_no_shows(snapshot: Snapshot, today: dt.date) -> list[NoShow]:
    """The places marked absent on the shifts of the past 7 days (today's included); kept
    through saves that touch no shift."""
    from store.patrols.hours import no_shows

    first = today - dt.timedelta(days=WEEK - 1)
    return snapshot.kept(
        f"dashboard.no_shows:{today}", SHIFT_TABLES, lambda snap: no_shows(snap, first, today)
    )


def shifts_group(snapshot: Snapshot, today: dt.date, counts: list[Count]) -> Group:
    """The week's shifts, today and the six days after, that are short of people or have a
    clash, soonest first (on a Sunday "this week" is the one coming, not the day that is
    left); a clash is looked for a day either side (a night shift runs into the next day)."""
    from store.members.summary import members_of, roster_order_of
    from store.patrols import reads

    last = today + dt.timedelta(days=WEEK - 1)
    nearby, clashes = week_shifts(snapshot, today)
    places = reads.place_names(snapshot)
    roster = members_of(snapshot)
    found = []
    short = clash = 0
    for shift in nearby:
        if shift.date is None or not today <= shift.date <= last:
            continue
        # Named in the roster's (pinyin) order.
        ours = {m for s, m in clashes if s == shift.id}
        clashed = sorted(ours, key=lambda m: roster_order_of(roster, m))
        if not (shift.understaffed or clashed):
            continue
        short += shift.understaffed
        clash += bool(clashed)
        found.append((shift, clashed))
    if short:
        counts.append(count(2, ngettext("{n} shift short", "{n} shifts short", short), short))
    if clash:
        counts.append(count(3, ngettext("{n} shift clashes", "{n} shifts clash", clash), clash))
    names = reads.member_names(snapshot, {m for _s, ms in found for m in ms})
    lines = []
    for shift, clashed in found[:SHOWN]:
        marks = ("!" if shift.understaffed else "") + ("x" if clashed else "")
        words = []
        if shift.understaffed:
            words.append(
                _("{staffed} of {low} people").format(staffed=shift.staffed, low=shift.min_people)
            )
        if clashed:
            who = "、".join(clean_line(names.get(m, "?")) for m in clashed)
            words.append(_("clash: {names}").format(names=who))
        text = columns(
            (
                marks,
                day_text(shift.date),
                times(shift.start, shift.end),
                places.get(shift.zone_id, ""),
                " · ".join(words),
            ),
            (MARK, 16, 11, 8, 34),
        )
        lines.append(Line(text, Target("shift", shift.id)))
    return Group(
        _("Shifts of the next 7 days short of people or with a clash"),
        len(found),
        tuple(lines),
        Target("week", monday_of(today).isoformat()),
        _("none"),
    )


def no_shows_group(snapshot: Snapshot, today: dt.date, counts: list[Count]) -> Group:
    """Members marked absent on the shifts of the past 7 days (today's included), to call and
    ask why (Enter opens the member, whose page takes the contact)."""
    from store.patrols import reads

    first = today - dt.timedelta(days=WEEK - 1)
    found = recent_no_shows(snapshot, today)
    if found:
        counts.append(count(4, ngettext("{n} no-show", "{n} no-shows", len(found)), len(found)))
    names = reads.member_names(snapshot, {n.member_id for n in found})
    places = reads.place_names(snapshot)
    lines = tuple(
        Line(
            columns(
                (
                    "",
                    names.get(n.member_id, "?"),
                    _("absent"),
                    day_text(n.shift.date),
                    times(n.shift.start, n.shift.end),
                    places.get(n.shift.zone_id, ""),
                ),
                (MARK, 12, 8, 16, 11, 16),
            ),
            Target("member", n.member_id),
        )
        for n in found[:SHOWN]
    )
    return Group(
        _("No-shows of the past 7 days to follow up"),
        len(found),
        lines,
        Target("week", monday_of(first).isoformat()),
        _("none"),
    )


def own_groups(
    snapshot: Snapshot, actor: Actor, today: dt.date, counts: list[Count]
) -> list[Group]:
    """A volunteer's own next shifts, and their hours this year (patrol and study)."""
    me = actor.member_id
    if me is None:
        note = _("Your account is not linked to a member of the roster; ask an admin.")
        return [Group(_("Your shifts and hours"), 0, none=note)]
    from screens.widgets.meter import meter_line, pace_text
    from store.patrols import reads
    from store.patrols.hours import member_hours
    from store.training.hours import meter
    from store.training.service import yearly_service

    places = reads.place_names(snapshot)
    coming = [s for s in reads.member_shifts(snapshot, me) if s.date and s.date >= today]
    if coming:
        counts.append(
            count(
                -1, ngettext("{n} shift of yours", "{n} shifts of yours", len(coming)), len(coming)
            )
        )
    shifts = Group(
        _("Your next shifts"),
        len(coming),
        tuple(
            Line(
                columns(
                    (
                        "",
                        day_text(s.date),
                        times(s.start, s.end),
                        places.get(s.zone_id, ""),
                        places.get(s.team_id, ""),
                    ),
                    (MARK, 16, 11, 16, 16),
                ),
                Target("shift", s.id),
            )
            for s in coming[:SHOWN]
        ),
        Target("week", monday_of(today).isoformat()),
        _("none coming up"),
    )
    patrol = member_hours(snapshot, me, today.year)
    study = meter(snapshot, actor, me, today.year, today)
    hours = [
        Line(
            " " * (MARK + GAP)
            + _("Patrols: {hours} h, {count} shifts present").format(
                hours=f"{patrol.total:g}", count=patrol.shifts
            ),
            Target("member", me),
        )
    ]
    service = yearly_service(snapshot, actor, me, today.year)
    if service.theme_days:  # theme days' service beside the patrols (issue 11)
        hours.append(Line(" " * (MARK + GAP) + service.sentence, Target("member", me)))
    if study is not None:
        if study.pace == "behind":
            counts.append(Count(5, _("your study hours are behind")))
        hours.append(
            Line(
                " " * (MARK + GAP)
                + _("Study: {meter}  {pace}").format(
                    meter=meter_line(study, 12), pace=pace_text(study)
                ),
                Target("member", me),
            )
        )
    return [shifts, Group(_("Your hours this year"), len(hours), tuple(hours), counted=False)]

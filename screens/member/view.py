"""One member as the detail screen shows them, built without widgets so it runs in a worker.

:func:`build_view` reads the member and their contact log as the acting user may see them (the
store's privacy rule, :mod:`store.privacy`: a volunteer gets no address and no notes), their
contact state in words (the rule is :func:`store.contacts.ops.contact_state`, the one
the roster and the dashboard use) and their patrol and training history, and turns all of it
into cleaned lines of plain text; :mod:`screens.member.detail` only puts them in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.cells import set_cell_size
from textual.content import Content

from screens.widgets.text import fit
from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import AssignmentStatus, ContactMethod, MemberStatus, label
from store.i18n import N_, _, join_list, ngettext
from store.members.model import Member, age, field_label
from store.records import enum_or
from store.textsafe import clean_line, clean_text

EMPTY = "—"
STATES = {"overdue": ("!!", N_("Overdue")), "warn": ("!", N_("Due soon"))}
PROFILE_CELLS = 14
MOBILE_CELLS = 2
METHOD_WIDTH = 8
BY_WIDTH = 10


def one_line(text: str) -> str:
    """User text as one line: controls stripped, line breaks and runs of spaces made one space."""
    return " ".join(clean_text(text).split())


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One logged contact as the list shows it."""

    id: str
    version: int
    day: str
    method: str
    by: str
    note: str

    def line(self) -> Content:
        """``2026-11-20  Phone     wang        note…`` (the list cuts it to its width)."""
        cells = (
            set_cell_size(self.day, 10),
            set_cell_size(self.method, METHOD_WIDTH),
            fit(self.by, BY_WIDTH),
            self.note,
        )
        return Content("  ".join(cells).rstrip())


@dataclass(frozen=True, slots=True)
class MemberView:
    """What the screen shows of one member, prepared in a worker; ``found`` False: deleted."""

    found: bool
    name: str = ""
    profile: tuple[str, ...] = ()
    mobile: tuple[str, ...] = ()
    contact_state: str = ""
    lapsing: bool = False
    contacts: tuple[ContactRow, ...] = ()
    patrols: tuple[str, ...] = ()
    patrol_heading: str = ""
    service: str = ""  # this year's volunteer service: patrols + theme days ("" when none)
    trainings: tuple[str, ...] = ()
    meter: str = ""  # this year's study hours: bar, figure and pace, or why it is not shown
    certificates: str = ""  # one line: each certificate and how it stands
    checks: str = ""  # the fields an import left empty, to check ("" when none)


def checks_line(member: Member) -> str:
    """'? Needs checking: Join date (left empty by an import; editing it clears the mark)'."""
    if not member.to_check:
        return ""
    return _(
        "? Needs checking: {fields} (an import left them empty; correcting one clears it)"
    ).format(fields=join_list(field_label(key) for key in member.to_check))


def cell(name: str, value: str) -> str:
    """A ``label: value`` line for the field ``name`` (its translated label)."""
    return _("{label}: {value}").format(label=field_label(name), value=value or EMPTY)


def profile_cells(member: Member, hidden: set[str], today: date) -> tuple[str, ...]:
    """The profile's lines in reading order (two columns, left then right on each row)."""

    def shown(name: str, value: str) -> str:
        return cell(name, _("(hidden)") if name in hidden else clean_line(value))

    born = member.date_text("birth_date")
    if member.birth_date is not None:
        born = _("{date} (age {age})").format(date=born, age=age(member.birth_date, today))
    if member.exempt_hours:
        exempt = _("Yes")
        if member.exempt_reason is not None:
            exempt = _("Yes ({reason})").format(reason=label(member.exempt_reason))
    else:
        exempt = _("No")
    return (
        cell("gender", label(member.gender) if member.gender else ""),
        cell("birth_date", born),
        shown("phone", member.phone),
        shown("address", member.address_text()),
        shown("grid", member.grid),
        shown("branch", member.branch),
        shown("category", _category_text(member)),
        cell("management", label(member.management)),
        cell("join_date", member.date_text("join_date")),
        cell("status", label(member.status)),
        shown("roles", join_list(clean_line(role) for role in member.roles)),
        shown("tags", join_list(clean_line(tag) for tag in member.tags)),
        cell("exempt_hours", exempt),
        shown("notes", one_line(member.notes)),
    )


def _category_text(member: Member) -> str:
    """'In service (幸福里小学)': the category, and the workplace when there is one."""
    if not member.workplace:
        return label(member.category)
    return _("{category} ({workplace})").format(
        category=label(member.category), workplace=clean_line(member.workplace)
    )


def mobile_cells(member: Member, hidden: set[str]) -> tuple[str, ...]:
    """Where a mobile member is, since when, and whom to call; () for anyone else."""
    if not (member.is_mobile or member.whereabouts or "whereabouts" in hidden):
        return ()
    where = _("(hidden)") if "whereabouts" in hidden else clean_line(member.whereabouts)
    since = member.date_text("mobile_since")
    if since:
        where = _("{place}, since {date}").format(place=where or EMPTY, date=since)
    person = _("(hidden)") if "contact_person" in hidden else clean_line(member.contact_person)
    call = " ".join(part for part in (person, clean_line(member.contact_phone)) if part)
    return (
        cell("whereabouts", where),
        _("{label}: {value}").format(label=_("Whom to call"), value=call or EMPTY),
    )


def contact_state_line(
    doc: Mapping[str, Any], log: list[Mapping[str, Any]], snapshot: Snapshot, today: date
) -> tuple[str, bool]:
    """The line about the last contact, and whether it says due or overdue."""
    from store.contacts import ops as contacts
    from store.settings import ops as settings

    rules = settings.current(snapshot)
    state = contacts.contact_state(doc, contacts.last_contact(log), today, rules)
    if state.days <= 0:
        ago = _("today")
    else:
        ago = ngettext("{count} day ago", "{count} days ago", state.days).format(count=state.days)
    if state.last is None:
        line = _("Never contacted; on the roster since {date} ({ago}).").format(
            date=state.since.isoformat(), ago=ago
        )
    else:
        line = _("Last contact: {date} ({ago}).").format(date=state.last.isoformat(), ago=ago)
    if state.state == "overdue":
        marker, word = STATES["overdue"]
        line += " " + _("{marker} {state}: {days} days or more without contact.").format(
            marker=marker, state=_(word), days=rules.contact_overdue_days
        )
    elif state.state == "warn":
        marker, word = STATES["warn"]
        line += " " + _("{marker} {state}: {days} days or more without contact.").format(
            marker=marker, state=_(word), days=rules.contact_warn_days
        )
    return line, state.state is not None


def contact_rows(log: list[Mapping[str, Any]]) -> tuple[ContactRow, ...]:
    """The log as list rows, newest first (as :func:`store.contacts.ops.for_member` gives it);
    a note the acting user may not read is said to be hidden."""
    from store.privacy import hidden_in

    rows = []
    for doc in log:
        note = one_line(str(doc.get("note") or ""))
        if "note" in hidden_in(doc):
            note = _("(note hidden)")
        method = enum_or(ContactMethod, doc, "method", ContactMethod.OTHER)
        version = doc.get("version")
        rows.append(
            ContactRow(
                id=str(doc.get("id") or ""),
                version=version if isinstance(version, int) else 0,
                day=clean_line(str(doc.get("date") or "")),
                method=label(method),
                by=clean_line(str(doc.get("by") or "")),
                note=note,
            )
        )
    return tuple(rows)


def patrol_lines(snapshot: Snapshot, member_id: str) -> tuple[str, ...]:
    """This member's patrol shifts, newest first: date, time, how it went, where."""
    from store.patrols import reads

    places = {key: clean_line(name) for key, name in reads.place_names(snapshot).items()}
    found: list[tuple[str, str]] = []
    for shift in reads.member_shifts(snapshot, member_id):
        place = shift.assignment(member_id)
        if place is None or shift.date is None:
            continue
        hours = ""
        if shift.start is not None and shift.end is not None:
            hours = f"{shift.start:%H:%M}-{shift.end:%H:%M}"
        where = places.get(shift.zone_id) or places.get(shift.team_id) or _("Patrol")
        status: AssignmentStatus = place.status
        # The place last: a narrow column cuts it, never the date or how it went.
        parts = (shift.date.isoformat(), hours, label(status), where)
        key = f"{shift.date.isoformat()} {hours}"
        found.append((key, " ".join(part for part in parts if part)))
    found.sort(reverse=True)
    return tuple(line for _key, line in found)


def patrol_heading(snapshot: Snapshot, member_id: str, today: date) -> str:
    """'Patrols (12) · 18 h in 2026': the count and the hours credited (present only)."""
    from store.patrols import hours

    year = hours.member_hours(snapshot, member_id, today.year)
    heading = (
        _("Patrols ({count})")
        + " · "
        + _("{hours} h in {year}").format(hours=f"{year.total:g}", year=today.year)
    )
    if year.absent:
        heading += " · " + ngettext("{n} absent", "{n} absent", year.absent).format(n=year.absent)
    return heading


def service_line(snapshot: Snapshot, actor: Actor, member_id: str, year: int) -> str:
    """'Volunteer service in 2026: 21 h (patrols 18 h + theme days 3 h)', or "" when the member
    gave none that year or ``actor`` may not see it (the store's rule)."""
    from store.errors import PermissionDenied
    from store.training.service import yearly_service

    try:
        service = yearly_service(snapshot, actor, member_id, year)
    except PermissionDenied:
        return ""
    return service.sentence if service.total else ""


def training_lines(snapshot: Snapshot, actor: Actor, member_id: str) -> tuple[str, ...]:
    """This member's training sessions, newest first: date, attendance, hours, title."""
    from store.training.sessions import attended

    lines = []
    for row in attended(snapshot, actor, member_id):
        session = row.session
        day = session.date.isoformat() if session.date else ""
        title = clean_line(session.title) or label(session.kind)
        status = label(row.status)
        if row.made_up:
            status = _("{status} {date}").format(status=status, date=row.made_up)
        hours = _("{hours} h").format(hours=f"{row.hours:g}") if row.hours else ""
        # The title last: a narrow column cuts it, never the date, attendance or hours.
        lines.append(" ".join(part for part in (day, status, hours, title) if part))
    return tuple(lines)


def training_summary(
    snapshot: Snapshot, actor: Actor, member_id: str, today: date
) -> tuple[str, str, tuple[str, ...]]:
    """The meter line, the certificates line and the history, or "(hidden)" for someone a
    volunteer may not see (the store refuses; this says so instead of failing)."""
    from screens.widgets.meter import meter_line, pace_text
    from store.errors import PermissionDenied
    from store.settings.ops import current
    from store.training.certificates import for_member, state_of
    from store.training.hours import meter

    try:
        found = meter(snapshot, actor, member_id, today.year, today)
        certificates = for_member(snapshot, actor, member_id)
        history = training_lines(snapshot, actor, member_id)
    except PermissionDenied:
        return _("Study hours: (hidden)"), "", ()
    line = ""
    if found is not None:
        line = _("{year}: {meter} · {pace}").format(
            year=today.year, meter=meter_line(found, 8), pace=pace_text(found)
        )
    warn = current(snapshot).certificate_warn_days
    shown = []
    for cert in certificates:
        state = state_of(cert, today, warn)
        name = clean_line(cert.name) or label(cert.kind)
        if cert.expires is None:
            shown.append(name)
        elif state.state == "expired":
            shown.append(_("{name} (!! expired {date})").format(name=name, date=cert.expires))
        elif state.state == "expiring":
            shown.append(_("{name} (! expires {date})").format(name=name, date=cert.expires))
        else:
            shown.append(_("{name} (to {date})").format(name=name, date=cert.expires))
    certs = _("Certificates: {list}").format(list=join_list(shown)) if shown else ""
    return line, certs, history


def build_view(snapshot: Snapshot, member_id: str, actor: Actor, today: date) -> MemberView:
    """Everything the screen shows of member ``member_id``, as ``actor`` may see it."""
    from store.contacts import ops as contacts
    from store.privacy import hidden_in, member_view

    doc = snapshot.get("members", member_id)
    if doc is None:
        return MemberView(found=False)
    shown = member_view(doc, actor)
    hidden = set(hidden_in(shown))
    if hidden & {"building", "unit", "room", "address"}:
        hidden.add("address")
    member = Member.from_doc(shown)
    log = contacts.for_member(snapshot, member_id, actor)
    state_line, lapsing = contact_state_line(doc, log, snapshot, today)
    meter, certificates, trainings = training_summary(snapshot, actor, member_id, today)
    name = clean_line(member.name) or EMPTY
    if member.status is not MemberStatus.ACTIVE:
        name = _("{name} ({status})").format(name=name, status=label(member.status))
    return MemberView(
        found=True,
        name=name,
        profile=profile_cells(member, hidden, today),
        mobile=mobile_cells(member, hidden),
        contact_state=state_line,
        lapsing=lapsing,
        contacts=contact_rows(log),
        patrols=patrol_lines(snapshot, member_id),
        patrol_heading=patrol_heading(snapshot, member_id, today),
        service=service_line(snapshot, actor, member_id, today.year),
        trainings=trainings,
        meter=meter,
        certificates=certificates,
        checks=checks_line(member),
    )

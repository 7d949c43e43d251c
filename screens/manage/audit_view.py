"""The change log as lines people can read, built without Textual so it can run in a worker.

Each change becomes a first line (local time, who, what was done to which record) and one line
per changed field (``phone: 138... -> 139...``). Records are named the way people know them: a
member by their name, a contact by the member it was with, an account by its user name, a shift
by its day and hours, an unnamed template by its days and hours, the settings as "settings";
only a record nobody can name is shown by the start of its id. Ids in a field (a leader, a zone,
a shift's people) are shown by the names they stand for.

A log can hold hundreds of thousands of lines, so nothing here builds them all: the view keeps
the filtered entries and where each one's lines start, and :meth:`AuditView.line` builds one
line when the screen asks for it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from store.engine.database import Snapshot
from store.enums import AssignmentStatus, label, weekday_label
from store.i18n import N_, _, join_list
from store.members.model import field_label
from store.textsafe import clean_line

VALUE_MAX = 40
SHORT_ID = 8
CACHE_LINES = 512
TIMES = ("date", "start", "end")

TABLES = {
    "members": N_("member"),
    "contacts": N_("contact"),
    "users": N_("account"),
    "settings": N_("settings"),
    "teams": N_("team"),
    "zones": N_("zone"),
    "shifts": N_("shift"),
    "shift_templates": N_("shift template"),
    "trainings": N_("training session"),
    "certificates": N_("certificate"),
    "_meta": N_("database"),
}
OPERATIONS = {
    "insert": N_("added"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "restore": N_("restored"),
    "demo": N_("replaced by a demo community"),
}
# Other fields worth knowing by name (members' fields: store.members.model.field_label).
FIELDS = {
    "community_name": N_("Community name"),
    "yearly_hours": N_("Study hours a year"),
    "contact_warn_days": N_("Warn after (days)"),
    "contact_overdue_days": N_("Overdue after (days)"),
    "idle_lock_minutes": N_("Lock after (minutes)"),
    "username": N_("User name"),
    "display_name": N_("Name shown"),
    "failed_attempts": N_("Failed logins"),
    "locked_until": N_("Locked until"),
    "last_login": N_("Last login"),
    "disabled": N_("Disabled"),
    "pin_hash": N_("PIN"),
    "member_id": N_("Member"),
    "title": N_("Title"),
    "date": N_("Date"),
    "method": N_("Method"),
    "by": N_("By"),
    "note": N_("Note"),
    "assignments": N_("On this shift"),
    "leader_id": N_("Leader"),
    "leader_override": N_("Why this leader anyway"),
    "zone_id": N_("Zone or route"),
    "team_id": N_("Team"),
    "member_ids": N_("Team members"),
    "start": N_("Starts"),
    "min_people": N_("People needed"),
    "max_people": N_("At most"),
}
# Fields holding ids, shown by what they name: a member's, or a zone's or team's name.
MEMBER_FIELDS = frozenset({"member_id", "leader_id", "member_ids"})
PLACE_FIELDS = {"zone_id": "zones", "team_id": "teams"}


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the change log is narrowed to; empty means everything."""

    who: str = ""
    record: str = ""
    since: date | None = None
    until: date | None = None

    def __bool__(self) -> bool:
        return bool(self.who or self.record or self.since or self.until)

    def describe(self) -> str:
        """The filter in words, for the line above the log."""
        parts = []
        if self.who:
            parts.append(_("by “{who}”").format(who=self.who))
        if self.record:
            parts.append(_("record “{record}”").format(record=self.record))
        if self.since:
            parts.append(_("from {day}").format(day=self.since.isoformat()))
        if self.until:
            parts.append(_("until {day}").format(day=self.until.isoformat()))
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Line:
    """One line on screen; ``first`` lines start a change (shown bold)."""

    text: str
    first: bool


def local_time(stamp: object) -> str:
    """An audit stamp (ISO, UTC) as local time to the minute: "2026-11-25 20:22"."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return clean_line(str(stamp))[:16]
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def value_text(value: object) -> str:
    """A stored value as short plain text ("—" for nothing)."""
    if value is None or value in ("", [], {}):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        text = join_list(value_text(item) for item in value)
    elif isinstance(value, Mapping):
        text = ", ".join(f"{key}={value_text(item)}" for key, item in value.items())
    else:
        text = str(value)
    text = clean_line(text)
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def field_name(name: str) -> str:
    """A field's label in the current language (the name itself if unknown)."""
    msgid = FIELDS.get(name)
    return _(msgid) if msgid else field_label(name)


@dataclass
class Namer:
    """Names records the way people know them, from the entry itself or the current data."""

    snapshot: Snapshot | None

    def record(self, entry: Mapping[str, Any]) -> str:
        """The record's readable name ("" for the settings, which need none)."""
        table = str(entry.get("table", ""))
        record_id = str(entry.get("id", ""))
        values = _merged(entry)
        if table == "settings":
            return ""
        if table == "users":
            name = values.get("username") or self._field("users", record_id, "username")
        elif table == "contacts":
            member = values.get("member_id") or self._field("contacts", record_id, "member_id")
            name = self._field("members", str(member), "name") if member else ""
            if name:
                return _("with {name}").format(name=clean_line(str(name)))
        elif table == "shifts":  # known by its day and hours: "2026-12-02 19:00-21:00"
            when = [values.get(key) or self._field(table, record_id, key) for key in TIMES]
            name = "{} {}-{}".format(*when) if all(when) else ""
        elif table == "shift_templates" and not self._field(table, record_id, "name"):
            name = values.get("name") or self._template_words(record_id, values)
        else:
            name = (
                values.get("name")
                or values.get("title")
                or self._field(table, record_id, "name")
                or self._field(table, record_id, "title")
            )
        return clean_line(str(name)) if name else record_id[:SHORT_ID]

    def value(self, name: str, value: object) -> str:
        """Field ``name``'s ``value`` as short text, ids shown by what they name (a member, a
        zone, a team) and a shift's people by name and check-in mark."""
        if name in MEMBER_FIELDS and isinstance(value, str | list) and value:
            ids = [value] if isinstance(value, str) else value
            return value_text([self.member(str(i)) for i in ids])
        if name in PLACE_FIELDS and isinstance(value, str) and value:
            return value_text(self._field(PLACE_FIELDS[name], value, "name") or value[:SHORT_ID])
        if name == "assignments" and isinstance(value, list) and value:
            return value_text([self._person(item) for item in value])
        return value_text(value)

    def _template_words(self, record_id: str, values: Mapping[str, Any]) -> str:
        """An unnamed template as its days and hours: "星期六、星期日 08:00-09:30"."""
        stored = self.snapshot.get("shift_templates", record_id) if self.snapshot else None
        doc = {**(stored or {}), **values}
        days = doc.get("weekdays")
        words = join_list(
            weekday_label(d) for d in (days if isinstance(days, list) else []) if d in range(1, 8)
        )
        hours = f"{doc.get('start')}-{doc.get('end')}" if doc.get("start") else ""
        return " ".join(part for part in (words, hours) if part)

    def member(self, member_id: str) -> str:
        """A member's name (the start of the id if they are gone)."""
        return self._field("members", member_id, "name") or member_id[:SHORT_ID]

    def _person(self, item: object) -> str:
        if not isinstance(item, Mapping):
            return value_text(item)
        who = self.member(str(item.get("member_id", "")))
        try:
            mark = label(AssignmentStatus(str(item.get("status"))))
        except ValueError:
            return who
        return f"{who} {mark}"

    def _field(self, table: str, record_id: str, key: str) -> str:
        if self.snapshot is None or not record_id:
            return ""
        if table == "members" and key == "name":  # the compact model: no file read per line
            from store.members.summary import members_of

            member = members_of(self.snapshot).get(record_id)
            return member.name if member is not None else ""
        doc = self.snapshot.get(table, record_id)
        value = doc.get(key) if doc is not None else None
        return str(value) if value else ""


def _merged(entry: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for side in ("before", "after"):
        part = entry.get(side)
        if isinstance(part, Mapping):
            values.update({k: v for k, v in part.items() if v not in (None, "")})
    return values


def _changed_fields(entry: Mapping[str, Any]) -> list[str]:
    """The fields an update changed (inserts and deletes list none: the first line says it)."""
    if entry.get("op") != "update":
        return []
    before, after = entry.get("before"), entry.get("after")
    keys: dict[str, None] = {}
    for part in (before, after):
        if isinstance(part, Mapping):
            keys.update(dict.fromkeys(str(k) for k in part))
    return list(keys)


def first_line(entry: Mapping[str, Any], namer: Namer) -> str:
    """ "2026-11-25 20:22  wangfang  changed member 张三"."""
    table = str(entry.get("table", ""))
    op = str(entry.get("op", ""))
    if op == "import" and isinstance(entry.get("after"), Mapping):
        what = import_text(entry["after"])
    else:
        what = " ".join(
            part
            for part in (
                _(OPERATIONS[op]) if op in OPERATIONS else clean_line(op),
                _(TABLES[table]) if table in TABLES else clean_line(table),
                namer.record(entry),
            )
            if part
        )
    who = clean_line(str(entry.get("who", "?")))
    return f"{local_time(entry.get('at'))}  {who}  {what}"


def import_text(summary: Mapping[str, Any]) -> str:
    """ "imported 花名册.xlsx: 67 added, 0 updated, 0 unchanged, 6 with warnings, 0 refused"."""

    def count(key: str) -> int:
        value = summary.get(key)
        return value if isinstance(value, int) else 0

    return _(
        "imported {file}: {added} added, {updated} updated, {unchanged} unchanged, "
        "{warned} with warnings, {refused} refused"
    ).format(
        file=clean_line(str(summary.get("file") or "?")),
        added=count("added"),
        updated=count("updated"),
        unchanged=count("unchanged"),
        warned=count("warned"),
        refused=count("refused"),
    )


def field_line(entry: Mapping[str, Any], name: str, namer: Namer) -> str:
    """ "    Phone: 138... -> 139..."."""
    before, after = entry.get("before"), entry.get("after")
    old = before.get(name) if isinstance(before, Mapping) else None
    new = after.get(name) if isinstance(after, Mapping) else None
    return f"    {field_name(name)}: {namer.value(name, old)} -> {namer.value(name, new)}"


@dataclass
class AuditView:
    """The filtered change log, newest first, as lines built on demand."""

    entries: list[Mapping[str, Any]]
    namer: Namer
    more: bool = False  # older changes passing the filter were left unread (a page shown)
    starts: list[int] = field(default_factory=list)  # the line each entry starts at
    line_count: int = 0
    _cache: dict[int, Line] = field(default_factory=dict)

    def __post_init__(self) -> None:
        count = 0
        starts = []
        for entry in self.entries:
            starts.append(count)
            count += 1 + len(_changed_fields(entry))
        self.starts = starts
        self.line_count = count

    def place(self, y: int) -> tuple[tuple[object, ...], int] | None:
        """Which change line ``y`` belongs to (a key another view of the log can find) and how
        far into it; None past the end."""
        if not 0 <= y < self.line_count:
            return None
        index = bisect.bisect_right(self.starts, y) - 1
        return _identity(self.entries[index]), y - self.starts[index]

    def line_at(self, place: tuple[tuple[object, ...], int]) -> int | None:
        """The line that ``place`` (from :meth:`place`, maybe of another view) is at here."""
        key, offset = place
        for index, entry in enumerate(self.entries):
            if _identity(entry) == key:
                return self.starts[index] + offset
        return None

    def line(self, y: int) -> Line:
        """Line ``y`` (0 = the newest change's first line); kept for the next repaint."""
        found = self._cache.get(y)
        if found is None:
            if len(self._cache) >= CACHE_LINES:
                self._cache.clear()
            found = self._cache[y] = self._build(y)
        return found

    def _build(self, y: int) -> Line:
        index = bisect.bisect_right(self.starts, y) - 1
        entry = self.entries[index]
        offset = y - self.starts[index]
        if offset == 0:
            return Line(first_line(entry, self.namer), True)
        return Line(field_line(entry, _changed_fields(entry)[offset - 1], self.namer), False)


def _identity(entry: Mapping[str, Any]) -> tuple[object, ...]:
    """What tells one change of the log from every other (a transaction changes a record once)."""
    return (entry.get("tx"), entry.get("table"), entry.get("id"), entry.get("op"))


def build_view(
    entries: Iterable[Mapping[str, Any]],
    snapshot: Snapshot | None,
    audit_filter: AuditFilter,
    limit: int | None = None,
) -> AuditView:
    """The change log, given newest first, narrowed by ``audit_filter``: the first ``limit``
    changes that pass (all when None); ``more`` says whether older ones were left unread."""
    from store.engine import audit

    keep = audit.matcher(
        who=audit_filter.who or None, since=audit_filter.since, until=audit_filter.until
    )
    namer = Namer(snapshot)
    wanted = audit_filter.record.casefold() if audit_filter.record else ""

    def passes(entry: Mapping[str, Any]) -> bool:
        if not keep(entry):
            return False
        return not wanted or (
            str(entry.get("id", "")).startswith(audit_filter.record)
            or wanted in namer.record(entry).casefold()
        )

    found: list[Mapping[str, Any]] = []
    more = False
    for entry in entries:
        if not passes(entry):
            continue
        if limit is not None and len(found) >= limit:
            more = True
            break
        found.append(entry)
    return AuditView(found, namer, more=more)

"""The integrity check behind ``shequ check``: what a person should fix, one line each.

It reads without a lock and changes nothing, so it is safe to run while volunteers work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from store.engine import audit
from store.engine.database import META, Database
from store.engine.migrations import SCHEMA_VERSION, schema_version
from store.engine.record_checks import RECORD_CHECKS
from store.engine.storage import Data
from store.errors import StoreError
from store.i18n import _, ngettext
from store.textsafe import has_controls

_ID = re.compile(r"^[0-9a-f]{32}$")

# (table, field holding an id, or a list field and the id key inside its items ("" for a list
# of ids), the table the id points into). An empty or absent id is no reference: a shift with
# no leader, a place nobody offered to take.
_REFERENCES: tuple[tuple[str, str, str | None, str], ...] = (
    ("contacts", "member_id", None, "members"),
    ("certificates", "member_id", None, "members"),
    ("users", "member_id", None, "members"),
    ("teams", "leader_id", None, "members"),
    ("teams", "member_ids", "", "members"),
    ("shifts", "team_id", None, "teams"),
    ("shifts", "zone_id", None, "zones"),
    ("shifts", "leader_id", None, "members"),
    ("shifts", "template_id", None, "shift_templates"),
    ("shifts", "assignments", "member_id", "members"),
    ("shifts", "assignments", "taker_id", "members"),  # offered to take a place (a swap)
    ("shifts", "assignments", "swapped_from", "members"),  # whom a place was taken over from
    ("shift_templates", "team_id", None, "teams"),
    ("shift_templates", "zone_id", None, "zones"),
    ("trainings", "attendance", "member_id", "members"),
    ("trainings", "audience_ids", "", "members"),
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the file, located by table and record id."""

    table: str
    record_id: str
    message: str

    def __str__(self) -> str:
        where = f"{self.table} {self.record_id}".strip()
        return f"{where}: {self.message}" if where else self.message


def check(db: Database) -> list[Problem]:
    """Every problem found in the database file; an empty list means it is healthy."""
    try:
        data = db.data_for_check()
    except StoreError as error:
        return [Problem("", "", str(error))]
    version = schema_version(data)
    if version > SCHEMA_VERSION:
        return [
            Problem(
                "",
                "",
                _("The file has data format {found}; this shequ understands up to {known}.").format(
                    found=version, known=SCHEMA_VERSION
                ),
            )
        ]
    problems = list(_records(data))
    problems += _references(data)
    problems += _change_log(db)
    return problems


def _change_log(db: Database) -> list[Problem]:
    """Logged transactions that were neither committed nor aborted, and never will be.

    The log's last transaction may be open for a moment (or after a crash, until the next
    save settles it); one followed by others was never settled, so the log cannot say whether
    its changes happened.
    """
    try:
        open_ones = audit.unsettled(db.audit_path)
    except OSError as error:
        return [
            Problem(
                "",
                "",
                _("Cannot read {path}: {reason}.").format(
                    path=db.audit_path, reason=error.strerror or error
                ),
            )
        ]
    return [
        Problem(
            db.audit_path.name,
            tx,
            ngettext(
                "{count} change was logged but never marked committed or aborted.",
                "{count} changes were logged but never marked committed or aborted.",
                count,
            ).format(count=count),
        )
        for tx, count in open_ones
    ]


def _records(data: Data) -> Iterator[Problem]:
    for table, docs in data.items():
        if table == META:
            continue
        seen: set[str] = set()
        for doc_id, doc in docs.items():
            record_id = doc.get("id")
            if not isinstance(record_id, str) or not _ID.match(record_id):
                yield Problem(table, f"#{doc_id}", _("has no valid id."))
                continue
            if record_id in seen:
                yield Problem(table, record_id, _("the same id is used twice."))
            seen.add(record_id)
            version = doc.get("version")
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                yield Problem(table, record_id, _("has no valid version number."))
            for field in _fields_with_controls(doc):
                yield Problem(
                    table,
                    record_id,
                    _("field {field} holds control characters.").format(field=field),
                )
            for test in RECORD_CHECKS.get(table, ()):
                message = test(doc)
                if message:
                    yield Problem(table, record_id, message)


def _fields_with_controls(doc: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in doc.items():
        if isinstance(value, str) and has_controls(value.replace("\n", "").replace("\t", "")):
            yield prefix + key
        elif isinstance(value, Mapping):
            yield from _fields_with_controls(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str) and has_controls(item):
                    yield prefix + key
                elif isinstance(item, Mapping):
                    yield from _fields_with_controls(item, f"{prefix}{key}.")


def _references(data: Data) -> list[Problem]:
    ids = {
        table: {doc.get("id") for doc in data.get(table, {}).values()}
        for table in {target for *_ignored, target in _REFERENCES}
    }
    problems = []
    for table, field, item_key, target in _REFERENCES:
        for doc in data.get(table, {}).values():
            values = doc.get(field)
            if item_key is None:
                refs = [values] if values else []
            elif not item_key:
                refs = [v for v in values if v] if isinstance(values, list) else []
            else:
                refs = [
                    item.get(item_key)
                    for item in (values if isinstance(values, list) else [])
                    if isinstance(item, Mapping) and item.get(item_key)
                ]
            for ref in refs:
                if ref not in ids[target]:
                    problems.append(
                        Problem(
                            table,
                            str(doc.get("id", "")),
                            _("{field} points to a missing {target} record ({ref}).").format(
                                field=field, target=target, ref=ref
                            ),
                        )
                    )
    return problems

"""What the import screen says about a file and a plan, without widgets.

Where a typed path points, why a file can't be read (said at the path field), which
spreadsheets a folder holds, and the preview's lines: the counts, each refused row, the
members that would change, and the result. :mod:`screens.transfer.importing` shows them.
"""

from __future__ import annotations

import os
from pathlib import Path

from store.i18n import N_, _, join_list, ngettext
from store.members.importing import ImportPlan, ImportResult
from store.members.model import field_label
from store.textsafe import clean_line

READABLE = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
SHOWN = (".csv", ".xlsx")  # what the hint lists from the current folder
SHOWN_FILES = 4
MAX_BYTES = 64 * 1024 * 1024  # a 20,000-member roster is about 3 MB

ENCODINGS = {
    "utf-8-sig": N_("UTF-8 with BOM"),
    "utf-8": N_("UTF-8"),
    "gb18030": N_("GBK/GB18030"),
    "xlsx": N_("Excel workbook (XLSX)"),
}

ENTER_READS = N_("Enter reads the file and shows what would change; nothing is written yet.")


def report_path(source: Path) -> Path:
    """Where the import screen writes a file's report: beside it, named after it."""
    return source.with_name(_("{stem}-import-report.csv").format(stem=source.stem))


def file_problem(path: Path) -> str:
    """Why ``path`` can't be read as a roster, found before opening it ("" if it may be)."""
    try:
        problem = _place_problem(path)
        size = 0 if problem else path.stat().st_size
    except OSError as error:
        return _("Can't read {path}: {reason}").format(path=path, reason=error.strerror or error)
    return problem or _kind_problem(clean_line(path.name), path.suffix.lower(), size)


def _place_problem(path: Path) -> str:
    # The field shows the path already: name the file, and the folder only where it was sought.
    name = clean_line(path.name)
    if not path.exists():
        return _("There is no file {name} in {folder}.").format(name=name, folder=path.parent)
    if path.is_dir():
        return _("{name} is a folder: add the file's name after it.").format(name=name)
    if not path.is_file():
        return _("{name} is not a file.").format(name=name)
    if not os.access(path, os.R_OK):
        return _("You may not read {name}.").format(name=name)
    return ""


def _kind_problem(name: str, suffix: str, size: int) -> str:
    if suffix == ".xls":
        return _("{name} is an old Excel workbook: save it as .xlsx or CSV first.").format(
            name=name
        )
    if suffix not in READABLE:
        return _("{name} is not a CSV or XLSX file.").format(name=name)
    if size == 0:
        return _("{name} is empty.").format(name=name)
    if size > MAX_BYTES:
        return _("{name} is too big for a roster (over {size} MB).").format(
            name=name, size=MAX_BYTES // (1024 * 1024)
        )
    return ""


def spreadsheets_in(folder: Path) -> list[str]:
    """The names of the CSV and XLSX files in ``folder``, sorted ([] if it can't be listed)."""
    try:
        return sorted(
            entry.name
            for entry in os.scandir(folder)
            if entry.name.lower().endswith(SHOWN) and not entry.name.startswith(".")
        )
    except OSError:
        return []


def files_hint(names: list[str]) -> str:
    """A line naming a few of ``names``, so a person on a phone knows what to type."""
    if not names:
        return _("No CSV or XLSX files there.")
    shown = join_list(clean_line(name) for name in names[:SHOWN_FILES])
    hidden = len(names) - SHOWN_FILES
    if hidden > 0:
        return ngettext(
            "Spreadsheets there: {names} and {count} more.",
            "Spreadsheets there: {names} and {count} more.",
            hidden,
        ).format(names=shown, count=hidden)
    return _("Spreadsheets there: {names}.").format(names=shown)


def counts_line(plan: ImportPlan) -> str:
    """67 to add · 0 to update · 0 unchanged · 6 with warnings · 0 refused."""
    return _(
        "{added} to add · {updated} to update · {unchanged} unchanged · "
        "{warned} with warnings · {refused} refused"
    ).format(
        added=len(plan.added),
        updated=len(plan.updated),
        unchanged=len(plan.unchanged),
        warned=plan.warned_rows,
        refused=len(plan.refused),
    )


def layout_lines(plan: ImportPlan) -> list[str]:
    """What reading skipped, said once: lines above the header, totals, the end of the table."""
    lines = []
    if len(plan.sheets) > 1:
        lines.append(
            _("Read the sheet “{sheet}”; the workbook has {count}: {sheets}.").format(
                sheet=clean_line(plan.sheet),
                count=len(plan.sheets),
                sheets=join_list(clean_line(name) for name in plan.sheets),
            )
        )
    if plan.id_numbers == "dropped":
        lines.append(
            _(
                "ID numbers are checked and fill a missing birth date and sex; they are not "
                "stored (an admin's setting)."
            )
        )
    if plan.skipped_above:
        lines.append(
            ngettext(
                "Skipped {count} line above the header (row {row}).",
                "Skipped {count} lines above the header (row {row}).",
                plan.skipped_above,
            ).format(count=plan.skipped_above, row=plan.header_row)
        )
    if plan.totals:
        lines.append(
            ngettext(
                "Skipped {count} totals line (row {rows}).",
                "Skipped {count} totals lines (rows {rows}).",
                len(plan.totals),
            ).format(count=len(plan.totals), rows=join_list(str(row) for row in plan.totals))
        )
    if plan.ended_at is not None:
        lines.append(
            _(
                "The table ends at row {row} (a signature or notes line); below it is not read."
            ).format(row=plan.ended_at)
        )
    return lines


def details(plan: ImportPlan) -> str:
    """The refused rows, the fields left empty, then the members that would change, one line
    each (cleaned)."""
    lines: list[str] = layout_lines(plan)
    if plan.refused:
        if lines:
            lines.append("")
        lines.append(_("Refused (fix these rows in the spreadsheet, then import it again):"))
        lines.extend(clean_line(problem.message) for problem in plan.refused)
    if plan.warnings:
        if lines:
            lines.append("")
        lines.append(
            _(
                "Taken in with a field left empty (the member is marked “needs checking”; "
                "fix the spreadsheet and import it again, or correct the member):"
            )
        )
        lines.extend(clean_line(problem.message) for problem in plan.warnings)
    if plan.updated:
        if lines:
            lines.append("")
        lines.append(_("To update:"))
        for row in plan.updated:
            lines.append(
                _("Row {row}: {name}: {fields}").format(
                    row=row.row,
                    name=clean_line(str(row.doc.get("name", ""))),
                    fields=join_list(field_label(key) for key in row.changed),
                )
            )
    return "\n".join(lines)


def result_line(result: ImportResult) -> str:
    """What the import did, in the CLI's words."""
    counts = {
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "warned": result.warned,
        "refused": result.refused,
    }
    if result.stale:
        return _(
            "Imported: {added} added, {updated} updated, {unchanged} unchanged, {warned} with "
            "warnings, {refused} refused, {stale} changed meanwhile (left as they are)."
        ).format(stale=len(result.stale), **counts)
    return _(
        "Imported: {added} added, {updated} updated, {unchanged} unchanged, {warned} with "
        "warnings, {refused} refused."
    ).format(**counts)


def stale_details(result: ImportResult) -> str:
    """The rows left alone because their member changed after the file was read (cleaned)."""
    if not result.stale:
        return ""
    lines = [_("Changed in another session after the file was read, so left as they are:")]
    lines += [
        _("Row {row}: {name}: changed meanwhile: re-read the file").format(
            row=row.row, name=clean_line(row.name)
        )
        for row in result.stale
    ]
    return "\n".join(lines)

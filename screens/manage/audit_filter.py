"""The change log's filter dialog: by user, by record (a name or the start of an id), by dates.

Empty fields mean "any". Dates are read the forgiving way the rest of the app reads them
(2026-03-12, 2026/3/12, 2026年3月12日, today); a date that can't be read is said under its
field and the dialog stays open.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from screens.manage.audit_view import AuditFilter
from screens.widgets.footer import FittingFooter
from screens.widgets.form import (
    ENTER,
    EnterMovesOn,
    FormField,
    clear_errors,
    form_fields,
    show_errors,
)
from screens.widgets.keys import translate_bindings
from store.i18n import N_, _
from store.parse import parse_day
from store.textsafe import clean_line


class AuditFilterDialog(EnterMovesOn, ModalScreen[AuditFilter | None]):
    """Four fields; Enter moves on and, on the last, applies; Esc leaves the filter as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("ctrl+s", "apply", N_("Apply")),
        ENTER,
    ]

    def __init__(self, current: AuditFilter, *, today: date) -> None:
        super().__init__()
        translate_bindings(self)
        self.current = current
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="audit-filter"):
            yield Label(_("Show only changes…"), classes="dialog-question", markup=False)
            yield FormField("who", _("By user"), value=self.current.who, max_length=40)
            yield FormField("record", _("To record"), value=self.current.record, max_length=60)
            yield FormField("since", _("From date"), value=_day(self.current.since), max_length=20)
            yield FormField("until", _("Until date"), value=_day(self.current.until), max_length=20)
            yield Label(
                _("Leave a field empty for any. Enter on the last field applies."),
                classes="dialog-hint",
                markup=False,
            )
        yield FittingFooter()

    def on_mount(self) -> None:
        form_fields(self)[0].input.focus()

    def submit(self) -> None:
        """Enter on the last field: apply the filter."""
        self.action_apply()

    def action_apply(self) -> None:
        """Close with the filter the fields describe, unless a date can't be read."""
        fields = form_fields(self)
        clear_errors(fields)
        values = {field.field: clean_line(field.value).strip() for field in fields}
        errors: dict[str, str] = {}
        days: dict[str, date | None] = {}
        for name in ("since", "until"):
            days[name] = None
            if values[name]:
                try:
                    days[name] = parse_day(values[name], today=self.today)
                except ValueError as problem:
                    errors[name] = str(problem)
        since, until = days["since"], days["until"]
        if not errors and since and until and since > until:
            errors["until"] = _("This is before the first date.")
        if errors:
            show_errors(fields, errors)
            return
        self.dismiss(AuditFilter(values["who"], values["record"], since, until))

    def action_cancel(self) -> None:
        """Close and keep the filter as it was."""
        self.dismiss(None)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""

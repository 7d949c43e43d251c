"""The import screen's w key: every warning and refused row written beside the file, as CSV.

The office fixes its roster in the spreadsheet, so the list of what to fix goes beside it
(``花名册-导入报告.csv``, :func:`~screens.transfer.import_view.report_path`), written by
:func:`store.members.import_report.write_report` like every export (whole or not at all). An
existing report is replaced only when the person says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from screens.shell.dialogs import ConfirmDialog
from screens.transfer.import_view import report_path
from store.errors import StoreError
from store.i18n import _, ngettext

if TYPE_CHECKING:
    from screens.shell.session import Session
    from store.members.importing import ImportPlan


class ReportKey:
    """The w action of :class:`~screens.transfer.importing.ImportScreen` (mixed into it)."""

    plan: ImportPlan | None
    session: Session

    def say_status(self, text: str) -> None:
        raise NotImplementedError

    def action_write_report(self) -> None:
        """Write every warning and refused row beside the file, as CSV for Excel (w)."""
        plan = self.plan
        if plan is None or not (plan.warnings or plan.refused):
            return
        target = report_path(plan.path)

        def answered(replace: bool | None) -> None:
            if replace:
                self._write_report(plan, target)

        if target.exists():
            self.app.push_screen(  # type: ignore[attr-defined]
                ConfirmDialog(
                    _("{path} already exists. Replace it?").format(path=target),
                    yes=_("Replace it"),
                    no=_("Keep it"),
                ),
                answered,
            )
        else:
            self._write_report(plan, target)

    @work(thread=True, exclusive=True, group="import-report")
    def _write_report(self, plan: ImportPlan, target: Path) -> None:
        from store.members.import_report import write_report

        try:
            count = write_report(self.session.db, self.session.acting, plan, target)
        except StoreError as error:  # OutputRefused, WriteFailed, PermissionDenied
            said, failed = str(error), True
        else:
            said = ngettext(
                "Wrote {count} line to {path}: open it in Excel to fix the spreadsheet.",
                "Wrote {count} lines to {path}: open it in Excel to fix the spreadsheet.",
                count,
            ).format(count=count, path=target)
            failed = False
        self.app.call_from_thread(self._report_written, said, failed)  # type: ignore[attr-defined]

    def _report_written(self, text: str, failed: bool) -> None:
        self.say_status(text)
        self.notify(  # type: ignore[attr-defined]
            text, severity="error" if failed else "information", markup=False
        )

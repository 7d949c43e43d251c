"""Certificates: everyone's (a volunteer: their own), expired and expiring first.

A certificate within the warning (the setting "certificate warning days", 30) says
"expires in N days", an expired one "expired" and is bold: in words, so it survives 16 colours
and ``NO_COLOR``. n records one (the member found by name or pinyin), e edits one (a renewal:
new dates), Del deletes one after asking, Enter opens the member. Esc goes back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message

from screens.shell.base import SectionScreen
from screens.shell.dialogs import ConfirmDialog
from screens.shell.session import Session
from screens.training.lines import LineList, widest
from screens.widgets.text import SafeLabel
from store.engine.database import Snapshot
from store.enums import TrainingKind, label
from store.errors import StoreError
from store.i18n import N_, _, ngettext
from store.members.summary import MemberSummary, members_of
from store.permissions import Action
from store.training.certificates import CertificateState

COLUMNS = (N_("Member"), N_("Certificate"), N_("Kind"), N_("Expires"), N_("State"))
CERTIFICATE = 18  # a certificate's name is typed in: the longest common ones fit, others cut


def state_text(state: CertificateState) -> str:
    """valid, expires in N days, expired."""
    if state.state == "expired":
        return _("!! expired")
    if state.state == "expiring" and state.days is not None:
        return ngettext("! in {n} day", "! in {n} days", state.days).format(n=state.days)
    return _("valid")


def holder_name(member: MemberSummary | None) -> str:
    """The certificate holder's name, or "—" when the member is gone from the roster."""
    return member.name if member is not None else "—"


@dataclass(frozen=True, slots=True)
class CertificateRow:
    state: CertificateState
    member: str


def layout(rows: Sequence[CertificateRow]) -> list[tuple[str, int]]:
    """The columns' titles and widths: the kind, the date and the state as wide as the widest
    they can say in the language in use (the days to expiry as they are now); the member's
    name takes what is left."""
    member, name, kind, expires, state = (_(title) for title in COLUMNS)
    states = [_("!! expired"), _("valid"), *(state_text(row.state) for row in rows)]
    return [
        (member, 0),
        (name, max(CERTIFICATE, widest((), name))),
        (kind, widest((label(k) for k in TrainingKind), kind)),
        (expires, widest(["2026-12-31", _("never")], expires)),
        (state, widest(states, state)),
    ]


class CertificateList(LineList[CertificateRow]):
    def values(self, row: CertificateRow) -> tuple[str, ...]:
        cert = row.state.certificate
        return (
            row.member,
            cert.name,
            label(cert.kind),
            cert.expires.isoformat() if cert.expires else _("never"),
            state_text(row.state),
        )

    def emphasis(self, row: CertificateRow) -> bool:
        return row.state.state != "valid"


class CertificatesScreen(SectionScreen):
    """Certificates (from the sessions screen, c)."""

    NEEDS: ClassVar[Mapping[str, Action]] = {
        "new": Action.EDIT_TRAINING,
        "edit": Action.EDIT_TRAINING,
        "delete": Action.EDIT_TRAINING,
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New")),
        Binding("e", "edit", N_("Edit")),
        Binding("delete", "delete", N_("Delete")),
        Binding("escape", "back", N_("Back")),
    ]

    @dataclass
    class Changed(Message):
        """A change went through (or was refused: ``warning``)."""

        message: str
        warning: bool = False

    def __init__(self, session: Session, title: str) -> None:
        super().__init__(session, title, id="certificates")

    def compose_body(self) -> ComposeResult:
        yield SafeLabel(_("Reading the database…"), id="certificates-summary")
        lines = CertificateList(id="certificates-list")
        yield lines.heading(id="certificates-heading")
        yield lines

    @property
    def lines(self) -> CertificateList:
        return self.query_one(CertificateList)

    def on_mount(self) -> None:
        self.lines.set_columns(layout(()))
        self.lines.focus()

    # The certificates, their holders' names and the settings' warning days: kept through
    # saves of anything else. Their state's day and the viewer are in the key already.
    VIEW_TABLES = frozenset({"certificates", "members", "settings"})

    def prepare(self, snapshot: Snapshot) -> list[CertificateRow]:
        from store.settings.ops import current
        from store.training.certificates import listing

        members = members_of(snapshot)  # the shared read model: no member record parsed here
        states = listing(snapshot, self.session.acting, self.session.db.today(), current(snapshot))
        return [
            CertificateRow(state, holder_name(members.get(state.certificate.member_id)))
            for state in states
        ]

    def show(self, view: list[CertificateRow]) -> None:
        self.lines.set_columns(layout(view))
        self.lines.show_rows(view)
        expired = sum(1 for r in view if r.state.state == "expired")
        expiring = sum(1 for r in view if r.state.state == "expiring")
        parts = [ngettext("{n} certificate", "{n} certificates", len(view)).format(n=len(view))]
        if expired:
            parts.append(_("{n} expired (!!)").format(n=expired))
        if expiring:
            parts.append(_("{n} expiring soon (!)").format(n=expiring))
        self.query_one("#certificates-summary", SafeLabel).update(" · ".join(parts))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action in ("edit", "delete"):
            return self.is_mounted and self.lines.current is not None
        return True

    @on(LineList.Opened)
    def _opened(self) -> None:
        row = self.lines.current
        if row is not None:
            self.session.routes.open_member(
                self.app, row.state.certificate.member_id, self.section_title
            )

    def action_new(self) -> None:
        """Record a certificate (n)."""
        self._form(None)

    def action_edit(self) -> None:
        """Edit (renew) the certificate under the cursor (e)."""
        row = self.lines.current
        if row is not None:
            self._form(row)

    def _form(self, row: CertificateRow | None) -> None:
        if not self.permitted(Action.EDIT_TRAINING):
            return
        from screens.training.certificate_form import CertificateForm

        def closed(saved: bool | None) -> None:
            if saved:
                self.reload()

        if row is None:
            self.app.push_screen(CertificateForm(self.session), closed)
        else:
            self.app.push_screen(
                CertificateForm(self.session, row.state.certificate, row.member), closed
            )

    def action_delete(self) -> None:
        """Delete the certificate under the cursor after asking (Del)."""
        row = self.lines.current
        if row is None or not self.permitted(Action.EDIT_TRAINING):
            return
        cert = row.state.certificate

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(cert.id, cert.version, cert.name)

        question = _("Delete {name}'s certificate “{certificate}”?").format(
            name=row.member, certificate=cert.name
        )
        self.app.push_screen(ConfirmDialog(question, yes=_("Delete"), no=_("Keep it")), answered)

    @work(thread=True, exclusive=True, group="change")
    def _delete(self, certificate_id: str, version: int, name: str) -> None:
        from store.training import ops

        try:
            ops.delete_certificate(self.session.db, self.session.acting, certificate_id, version)
        except StoreError as error:
            self.post_message(self.Changed(str(error), warning=True))
        else:
            self.post_message(self.Changed(_("Certificate deleted: {name}.").format(name=name)))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.notify(
            message.message, severity="warning" if message.warning else "information", markup=False
        )
        self.reload()

    def action_back(self) -> None:
        """Back to the sessions (Esc)."""
        self.dismiss(None)

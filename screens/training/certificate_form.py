"""The certificate dialog: whose, what kind, its name, issuer, issue and expiry dates, a note.

A new certificate names its member by what the roster's / search understands (a name, pinyin
initials or full pinyin): one match is taken, several are listed so the person types more.
Opened from a member's detail (``member_id`` given), it is that member's and asks no name.
Enter moves on and, on the last field, saves; Ctrl+S saves from anywhere; each problem is
written under its field and nothing is saved (an expiry before the issue date, a date in the
future...). A change sends only the fields changed; someone else's save meanwhile is met by the
question every form asks (reload theirs, overwrite with mine, keep editing), and a certificate
deleted meanwhile is said. Returns True when saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical

from screens.shell.form_dialog import FormDialog
from screens.shell.session import Session
from screens.widgets.choice import ChoiceField
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FormField, all_fields
from screens.widgets.text import SafeLabel
from store.enums import TrainingKind, choices
from store.errors import StoreError
from store.fields import NOTE_MAX
from store.i18n import _, join_list
from store.training.model import Certificate

SHOWN_MATCHES = 4


class CertificateForm(FormDialog[bool]):
    """A new certificate (``certificate`` None) or changes to one; a new one is
    ``member_id``'s (named ``member``) when given, else the member typed in the form."""

    MESSAGE_ID = "certificate-message"
    CANCELLED = False

    def __init__(
        self,
        session: Session,
        certificate: Certificate | None = None,
        member: str = "",
        member_id: str | None = None,
    ) -> None:
        super().__init__(session, id="certificate-form")
        self.certificate = certificate
        self.member = member
        self.member_id = member_id
        self.version = certificate.version if certificate is not None else 0

    def compose(self) -> ComposeResult:
        cert = self.certificate or Certificate(kind=TrainingKind.FIRST_AID)
        with Vertical(classes="dialog", id="certificate-dialog"):
            if self.certificate is None and self.member_id is not None:
                yield SafeLabel(
                    _("Record a certificate for {name}").format(name=self.member),
                    classes="dialog-question",
                )
            elif self.certificate is None:
                yield SafeLabel(_("Record a certificate"), classes="dialog-question")
                yield FormField("member", _("Member"), max_length=40)
            else:
                yield SafeLabel(
                    _("{name}'s certificate").format(name=self.member), classes="dialog-question"
                )
            yield ChoiceField(
                "kind",
                _("Kind"),
                [(k.value, t) for k, t in choices(TrainingKind)],
                value=cert.kind.value,
            )
            yield FormField("name", _("Certificate"), value=cert.name, max_length=60)
            yield FormField("issuer", _("Issued by"), value=cert.issuer, max_length=60)
            yield FormField("issued", _("Issued on"), value=_date(cert.issued), max_length=20)
            yield FormField("expires", _("Expires on"), value=_date(cert.expires), max_length=20)
            yield FormField("note", _("Note"), value=cert.note, max_length=NOTE_MAX)
            yield SafeLabel("", id="certificate-message", classes="training-message")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.take_baseline()
        all_fields(self)[0].input.focus()

    def action_save(self) -> None:
        """Save (Ctrl+S)."""
        if self.begin_save():
            self._save(self.values(), self.version)

    @work(thread=True, exclusive=True, group="certificate-save")
    def _save(self, raw: dict[str, str], expected_version: int) -> None:
        from store.members.ops import search
        from store.training import ops

        db, actor = self.session.db, self.session.acting
        try:
            if self.certificate is None and self.member_id is not None:
                ops.add_certificate(db, actor, raw | {"member_id": self.member_id})
            elif self.certificate is None:
                typed = raw.pop("member", "").strip()
                found = search(db.snapshot(), typed, actor=actor) if typed else []
                if len(found) != 1:
                    self.post_message(self.Refused({"member": _member_problem(typed, found)}))
                    return
                ops.add_certificate(db, actor, raw | {"member_id": str(found[0]["id"])})
            else:
                cert = self.certificate
                ops.update_certificate(db, actor, cert.id, self.edits(raw), expected_version)
        except StoreError as error:  # bad fields, someone else's save, deleted, busy...
            self.post_message(self.Refused.of(error))
        else:
            self.post_message(self.Saved(True))

    def saved_text(self) -> str:
        return _("Certificate saved.")

    # -- someone else's save -------------------------------------------------------------------

    def record_id(self) -> str | None:
        return self.certificate.id if self.certificate is not None else None

    def conflict_words(self) -> tuple[str, str] | None:
        if self.certificate is None:
            return None
        return (
            _("Someone else saved this certificate while you were editing."),
            _("Not saved: someone else changed this certificate meanwhile."),
        )

    def stored_values(self, doc: Mapping[str, Any]) -> dict[str, str]:
        cert = Certificate.from_doc(doc)
        return {
            "kind": cert.kind.value,
            "name": cert.name,
            "issuer": cert.issuer,
            "issued": _date(cert.issued),
            "expires": _date(cert.expires),
            "note": cert.note,
        }

    def save_over(self, expected_version: int) -> None:
        """Save the fields changed here over ``expected_version`` (overwrite with mine)."""
        if self.begin_save():
            self._save(self.values(), expected_version)

    def record_gone(self, said: str) -> None:
        self.say(_("Someone deleted this certificate meanwhile: nothing was saved. Esc closes."))


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def _member_problem(typed: str, found: Sequence[Mapping[str, Any]]) -> str:
    if not typed:
        return _("Type the member's name or pinyin.")
    if not found:
        return _("No member matches “{typed}”.").format(typed=typed)
    names = [str(doc.get("name", "")) for doc in found[:SHOWN_MATCHES]]
    return _("{count} members match: {names}; type more of the name.").format(
        count=len(found), names=join_list(names)
    )

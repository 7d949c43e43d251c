"""Certificates: whose, which are about to expire, and whether a member holds the one a duty
needs (patrol leaders need first aid), for the certificates screen, the member detail and the
patrol side's assignment warnings.

The settings say how many days before expiry a certificate is warned about
(``certificate_warn_days``, 30) and which kind each duty needs (``duty_certificates``).
Volunteers see only their own certificates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import TrainingKind, coerce, label
from store.i18n import N_, _
from store.members.summary import members_of, roster_order_of
from store.settings.model import Settings
from store.training.access import ALL, own_member, require_member
from store.training.model import Certificate

TABLE = "certificates"
DUTY_LABELS = {"patrol_leader": N_("Patrol leader"), "patrol": N_("Patrol member")}
State = Literal["valid", "expiring", "expired"]


def duty_label(duty: str) -> str:
    """A duty's name in the current language."""
    msgid = DUTY_LABELS.get(duty)
    return _(msgid) if msgid else duty


@dataclass(frozen=True, slots=True)
class CertificateState:
    """A certificate and how it stands on a day: valid, expiring (within the warning) or
    expired; ``days`` to its expiry (negative: since), None when it never expires."""

    certificate: Certificate
    state: State
    days: int | None


def state_of(certificate: Certificate, today: date, warn_days: int) -> CertificateState:
    """How ``certificate`` stands on ``today`` with warnings ``warn_days`` before expiry."""
    if certificate.expires is None:
        return CertificateState(certificate, "valid", None)
    days = (certificate.expires - today).days
    if days <= 0:
        return CertificateState(certificate, "expired", days)
    return CertificateState(certificate, "expiring" if days <= warn_days else "valid", days)


def for_member(snapshot: Snapshot, actor: Actor, member_id: str) -> list[Certificate]:
    """A member's certificates, latest expiry first (never-expiring ones first of all)."""
    require_member(actor, member_id)
    found = [
        Certificate.from_doc(doc)
        for doc in snapshot.all(TABLE)
        if doc.get("member_id") == member_id
    ]
    found.sort(key=lambda c: (c.expires or date.max, c.issued or date.min), reverse=True)
    return found


def listing(
    snapshot: Snapshot, actor: Actor, today: date, settings: Settings
) -> list[CertificateState]:
    """Every certificate the actor may see, expired and expiring first (soonest first); those
    expiring on one day by their holders in the roster's (pinyin) order, then by name (a
    holder gone from the roster last)."""
    own = own_member(actor)
    found = [
        state_of(Certificate.from_doc(doc), today, settings.certificate_warn_days)
        for doc in snapshot.all(TABLE)
        if own is ALL or doc.get("member_id") == own
    ]
    members = members_of(snapshot)  # the shared read model: no member record parsed here
    order = {"expired": 0, "expiring": 1, "valid": 2}
    found.sort(
        key=lambda s: (
            order[s.state],
            s.certificate.expires or date.max,
            *roster_order_of(members, s.certificate.member_id),
            s.certificate.name,
            s.certificate.id,
        )
    )
    return found


def expiring(
    snapshot: Snapshot, actor: Actor, today: date, settings: Settings
) -> list[CertificateState]:
    """Certificates expired or expiring within the warning, soonest first (the dashboard)."""
    return [s for s in listing(snapshot, actor, today, settings) if s.state != "valid"]


def required_kind(settings: Settings, duty: str) -> TrainingKind | None:
    """The certificate kind ``duty`` needs by the settings, or None."""
    return coerce(TrainingKind, settings.duty_certificates.get(duty) or None)


@dataclass(frozen=True, slots=True)
class Missing:
    """A member lacks the certificate a duty needs on a day; ``expired`` is the one that
    lapsed, if they had one; ``not_yet`` the one issued only after the day, if any."""

    member_id: str
    duty: str
    kind: TrainingKind
    on_date: date
    expired: Certificate | None
    not_yet: Certificate | None = None

    @property
    def message(self) -> str:
        """One sentence for a warning (the assigning screen shows it and asks to go on)."""
        if self.not_yet is not None and self.not_yet.issued is not None:
            return _(
                "A {duty} needs a {kind} certificate valid on {date}; theirs is issued only "
                "on {issued}."
            ).format(
                duty=duty_label(self.duty),
                kind=label(self.kind),
                date=self.on_date.isoformat(),
                issued=self.not_yet.issued.isoformat(),
            )
        if self.expired is not None and self.expired.expires is not None:
            return _("A {duty} needs a {kind} certificate; theirs expired on {date}.").format(
                duty=duty_label(self.duty),
                kind=label(self.kind),
                date=self.expired.expires.isoformat(),
            )
        return _("A {duty} needs a {kind} certificate valid on {date}; they have none.").format(
            duty=duty_label(self.duty), kind=label(self.kind), date=self.on_date.isoformat()
        )


def missing_for(snapshot: Snapshot, member_id: str, duty: str, on_date: date) -> Missing | None:
    """What ``member_id`` lacks for ``duty`` on ``on_date``, or None when nothing is needed or
    they hold a valid certificate of the required kind.

    For the patrol side: call it when assigning a member as ``"patrol_leader"`` (or
    ``"patrol"``) to a shift on ``on_date`` and warn with :attr:`Missing.message`, as for a
    clash. It reads certificates for a rule, not to show them, so it takes no actor.

    The settings say which kind each duty needs (``duty_certificates``: patrol leaders first
    aid unless an admin changes it; none for an unknown duty or one set to blank). Only a
    certificate of that kind counts, valid on the day: issued by then (or undated) and
    expiring after it (one expiring on the day itself has lapsed, as
    :func:`state_of` says "expired").
    """
    from store.settings.ops import current

    kind = required_kind(current(snapshot), duty)
    if kind is None:
        return None
    held = [
        Certificate.from_doc(doc)
        for doc in snapshot.all(TABLE)
        if doc.get("member_id") == member_id and doc.get("kind") == kind.value
    ]
    if any(c.valid_on(on_date) for c in held):
        return None
    lapsed = [c for c in held if c.expires is not None and c.expires <= on_date]
    latest = max(lapsed, key=lambda c: c.expires or date.min, default=None)
    coming = [c for c in held if c.issued is not None and c.issued > on_date]
    soonest = min(coming, key=lambda c: c.issued or date.max, default=None)
    return Missing(member_id, duty, kind, on_date, latest, soonest)

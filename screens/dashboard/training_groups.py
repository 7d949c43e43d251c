"""The dashboard's training groups: members behind pace on study hours, certificates expired
or expiring, and sessions held whose attendance is not taken yet.

Built in the dashboard's worker from one snapshot (:func:`screens.dashboard.view.build_dashboard`
puts them in order). The study group comes from a model followed per member through other
sessions' saves (store/training/behind.py); the sessions waiting for attendance are kept
through saves that touch no session (a member's, a contact's: most of them).
"""

from __future__ import annotations

import datetime as dt

from screens.dashboard.lines import MARK, SHOWN, Count, Group, Line, Target, columns, count
from store.actor import Actor
from store.engine.database import Snapshot
from store.enums import label
from store.i18n import _, ngettext
from store.settings.model import Settings

RECENT_SESSION_DAYS = 30
"""A session held this many days ago or less, with no mark at all, is waiting for attendance."""
TRAINING_TABLES = frozenset({"trainings"})


def behind_group(snapshot: Snapshot, actor: Actor, today: dt.date, counts: list[Count]) -> Group:
    """Current members behind pace on this year's study hours, furthest behind first."""
    from screens.widgets.meter import meter_line, pace_text
    from store.training.behind import behind_head

    behind, found = behind_head(snapshot, actor, today.year, today, SHOWN)
    if behind:
        counts.append(
            count(5, ngettext("{n} behind on study", "{n} behind on study", behind), behind)
        )
    lines = tuple(
        Line(
            columns(("", m.name, meter_line(m, 12), pace_text(m)), (MARK, 12, 26, 20)),
            Target("member", m.member_id),
        )
        for m in found
    )
    return Group(
        _("Behind pace on this year's study hours"),
        behind,
        lines,
        Target("hours"),
        _("none"),
    )


def certificates_group(
    snapshot: Snapshot, actor: Actor, today: dt.date, settings: Settings, counts: list[Count]
) -> Group:
    """Certificates expired or expiring within the settings' warning, soonest first."""
    from store.patrols.reads import member_names
    from store.training.certificates import expiring

    found = expiring(snapshot, actor, today, settings)
    expired = sum(1 for s in found if s.state == "expired")
    soon = len(found) - expired
    if expired:
        counts.append(
            count(
                1, ngettext("{n} certificate expired", "{n} certificates expired", expired), expired
            )
        )
    if soon:
        counts.append(
            count(7, ngettext("{n} certificate expiring", "{n} certificates expiring", soon), soon)
        )
    names = member_names(snapshot, {s.certificate.member_id for s in found})
    lines = []
    for state in found[:SHOWN]:
        cert = state.certificate
        when = cert.expires.isoformat() if cert.expires else ""
        if state.state == "expired":
            mark, said = "!!", _("expired {date}").format(date=when)
        else:
            mark = "!"
            said = ngettext(
                "expires {date} (in {days} day)", "expires {date} (in {days} days)", state.days or 0
            ).format(date=when, days=state.days)
        text = columns(
            (mark, names.get(cert.member_id, "?"), cert.name or label(cert.kind), said),
            (MARK, 12, 16, 36),
        )
        lines.append(Line(text, Target("member", cert.member_id)))
    return Group(
        _("Certificates expired or expiring"),
        len(found),
        tuple(lines),
        Target("certificates"),
        _("none"),
        note=_("warned {days} days ahead").format(days=settings.certificate_warn_days),
    )


def sessions_group(snapshot: Snapshot, actor: Actor, today: dt.date, counts: list[Count]) -> Group:
    """Sessions held in the last 30 days with no attendance mark at all, newest first."""
    from store.training.sessions import SessionSummary, list_sessions

    since = today - dt.timedelta(days=RECENT_SESSION_DAYS)

    def waiting(snap: Snapshot) -> list[SessionSummary]:
        found = [
            s
            for year in sorted({since.year, today.year})
            for s in list_sessions(snap, actor, year=year)
            if s.session.date is not None and since <= s.session.date <= today and not s.recorded
        ]
        found.sort(key=lambda s: s.session.date or today, reverse=True)
        return found

    key = f"dashboard.unmarked:{today}:{actor.role}:{actor.member_id!r}"
    found = snapshot.kept(key, TRAINING_TABLES, waiting)
    if found:
        counts.append(
            count(
                8,
                ngettext(
                    "{n} session without attendance", "{n} sessions without attendance", len(found)
                ),
                len(found),
            )
        )
    lines = tuple(
        Line(
            columns(
                (
                    "",
                    s.session.date.isoformat() if s.session.date else "",
                    label(s.session.kind),
                    s.session.title,
                ),
                (MARK, 10, 10, 50),
            ),
            Target("session", s.session.id),
        )
        for s in found[:SHOWN]
    )
    return Group(
        _("Sessions held whose attendance is not taken yet"),
        len(found),
        lines,
        Target("sessions"),
        _("none"),
    )

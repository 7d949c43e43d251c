"""Jump to a training session (Ctrl+P), beside the members (screens/shell/jump.py).

A session is found by its title, the title's pinyin initials or full pinyin (the keys stored
when it was written, store/named.py), its date (``2026-03-10``, ``03-10``) or its kind's name
(急救, "First aid"); Enter opens its attendance checklist. The checklist names who came, so it
is for those who keep the records: a role that may not take attendance (a volunteer, who sees
only their own mark in the sessions list) is offered no session here, as the sessions list
does not open one for them (screens/training/screen.py).
"""

from __future__ import annotations

from screens.shell.jump import JumpProvider, Target, keys_blob
from screens.shell.session import Session
from store.actor import Actor
from store.engine.database import Snapshot
from store.i18n import N_, _
from store.permissions import Action, allowed
from store.textsafe import clean_line


class SessionJump(JumpProvider):
    """Training sessions by title, pinyin, date or kind; Enter opens the checklist."""

    KIND = N_("Training session")

    def targets(self, snapshot: Snapshot, actor: Actor) -> list[Target]:
        if not allowed(actor, Action.EDIT_TRAINING):
            return []
        from store.training.sessions import label_of

        found = []
        for doc in snapshot.all("trainings"):
            title = clean_line(str(doc.get("title") or ""))
            day = str(doc.get("date") or "")[:10]
            kind = label_of(doc)
            found.append(
                Target(
                    id=str(doc.get("id") or ""),
                    title=title,
                    detail="  ".join(part for part in (day, kind) if part),
                    blob=keys_blob(doc.get("search_keys"), title, day, day[5:], kind),
                    order=_newest_first(day),
                )
            )
        return found

    def open(self, session: Session, target: Target) -> None:
        title = getattr(self.screen, "section_title", "") or _("Training")
        session.routes.open_training_session(self.app, target.id, title)


def _newest_first(day: str) -> str:
    """An order key putting later dates first (as the sessions list does), undated last."""
    digits = day.replace("-", "")
    return f"{99_999_999 - int(digits):08d}" if len(digits) == 8 and digits.isdigit() else "~"

"""The lock: covers everything after a few idle minutes or Ctrl+L, until someone logs in.

The App shows this screen in a mode of its own, so the locked user's screens (dialogs and
half-filled forms included) stay exactly as they were, untouched and out of sight; the lock
shows no personal data, only who was working. Their PIN takes them back. Anyone else may log in
instead, after being told that the first user's unsaved edits will be dropped. Every try goes
through the store's login, so wrong PINs count toward the same 5-try lockout as the login screen.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Label

from screens.shell.dialogs import ConfirmDialog
from screens.shell.login import GateScreen, LoginForm
from screens.shell.messages import TakenOver, Unlocked
from screens.shell.session import Session, who
from screens.widgets.text import SafeLabel
from store.actor import Actor
from store.i18n import _


class LockScreen(GateScreen):
    """ "Locked: 王芳 was working here", and a login form with their user name filled in."""

    def __init__(self, session: Session, locked: Actor, display_name: str) -> None:
        super().__init__(session, id="lock")
        self.locked = locked
        self.locked_name = display_name or locked.name

    def compose_box(self) -> ComposeResult:
        yield Label(_("The screen is locked."), classes="gate-heading", markup=False)
        yield SafeLabel(
            _("{who} was working here.").format(who=who(self.locked_name, self.locked.role)),
            id="lock-who",
        )
        yield Label(
            _("Their PIN takes them back to where they were."), classes="gate-hint", markup=False
        )
        yield Label(
            _("Someone else? Shift+Tab to the user name and log in as yourself."),
            classes="gate-hint",
            markup=False,
        )
        yield LoginForm(self.session.db, username=self.locked.name, id="lock-form")

    def is_same_person(self, actor: Actor) -> bool:
        """Whether ``actor`` is the user who was working (the same account)."""
        if self.locked.user_id is not None:
            return actor.user_id == self.locked.user_id
        return actor.name == self.locked.name

    @on(LoginForm.Accepted)
    def _accepted(self, message: LoginForm.Accepted) -> None:
        message.stop()
        if self.is_same_person(message.actor):
            self.post_message(Unlocked())
            return
        question = _(
            "{first} has not logged out: any edits {first} has not saved will be dropped. "
            "Log in as {second}?"
        ).format(first=self.locked_name, second=message.display_name or message.actor.name)

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(TakenOver(message.actor, message.display_name))
            else:
                self.query_one(LoginForm).refuse(
                    _("Still locked for {who}.").format(who=self.locked_name)
                )

        self.app.push_screen(
            ConfirmDialog(question, yes=_("Log in"), no=_("Stay locked")), answered
        )

"""A key the user's role may not use says why, instead of doing nothing.

Keys for what a role can't do are hidden from the footer and help (each screen's
``check_action``), but people press keys they saw on a colleague's screen or in a printed
guide, and Textual then runs nothing and says nothing: the volunteer cannot tell a refusal from
a key that did not arrive. When a key has gone through the whole binding chain unused, the App
asks each place that binds it why (``role_refusal(action, parameters)``: the store's sentence,
or None when the role is not the reason) and shows the first answer. A key refused for another
reason (no row under the cursor, a dialog open) still says nothing, as before; a key that a
text field took never gets here.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.actions import parse
from textual.app import App
from textual.notifications import SeverityLevel

RoleRefusal = Callable[[str, tuple[object, ...]], "str | None"]
"""A node's ``role_refusal(action, parameters)``: the store's sentence if the acting user's role
is why ``action`` can't run, else None (screens/shell/base.py, the App's for section keys)."""


class RefusedKeysApp(App[None]):
    """Says, as a warning, why a key bound to an action the user's role lacks did nothing.

    A warning is not stacked again while the same one is still shown: a key pressed three
    times in doubt (or pressed, then forced from the command palette) gives one toast, not
    three covering the screen.
    """

    def __init__(self) -> None:
        super().__init__()
        self._warnings_shown: dict[str, float] = {}  # each warning on screen, and until when

    async def _check_bindings(self, key: str, priority: bool = False) -> bool:
        # Textual asks twice per key: priority bindings first, then (after the focused widget
        # had its chance) the rest. Only the second "nothing ran" means the key did nothing;
        # its bindings of either kind are then asked why.
        if await super()._check_bindings(key, priority):
            return True
        if not priority:
            reason = self.refusal_for(key)
            if reason is not None:
                self.notify(reason, severity="warning", markup=False)
        return False

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        if severity == "warning":
            now = time.monotonic()
            shown = {text: until for text, until in self._warnings_shown.items() if until > now}
            if message in shown:
                return
            shown[message] = now + (self.NOTIFICATION_TIMEOUT if timeout is None else timeout)
            self._warnings_shown = shown
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def clear_notifications(self) -> None:
        self._warnings_shown = {}
        super().clear_notifications()

    def refusal_for(self, key: str) -> str | None:
        """Why ``key`` did nothing, if the user's role is the reason; else None."""
        for namespace, bindings in self.screen._modal_binding_chain:
            explain: RoleRefusal | None = getattr(namespace, "role_refusal", None)
            if explain is None:
                continue
            for binding in bindings.key_to_bindings.get(key, ()):
                target, action, parameters = parse(binding.action)
                if target:  # "app.x", "screen.x": asked of the node that runs it, if bound there
                    continue
                reason = explain(action, parameters)
                if reason is not None:
                    return reason
        return None

"""One conflict flow for every form: someone else saved the record while it was being edited.

Each form's save carries the version its edits began from; the store refuses it with
:class:`~store.errors.Conflict` (holding the record as it is now) when someone saved in
between. Every form then asks the same question the same way
(:class:`~screens.shell.dialogs.ConflictDialog`): who saved, which of the form's fields their
save changed, and reload theirs / overwrite with mine / cancel. Only what each answer does
differs from form to form, so the form passes that in: how to show their record (``fill``),
how to save again over their version (``save``; a form sends only the fields the person
changed, so overwriting keeps the rest of their save) and how to say a sentence under the
form (``say``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textual.screen import Screen

from screens.shell.dialogs import ConflictDialog, changed_fields, saved_by
from screens.shell.session import Session
from screens.widgets.form import all_fields
from store.errors import Conflict


def resolve_conflict(
    form: Screen[Any],
    session: Session,
    conflict: Conflict,
    *,
    question: str,
    not_saved: str,
    baseline: Mapping[str, str] | None = None,
    theirs: Mapping[str, str] | None = None,
    changed: Sequence[str] | None = None,
    fill: Callable[[], object],
    save: Callable[[int], object],
    say: Callable[[str], object],
) -> None:
    """Ask what to do about ``conflict`` on ``form`` and do it.

    ``baseline`` is what the form's fields showed when the edits began and ``theirs`` what they
    would show for ``conflict.current``: the fields that differ are "their changes". A screen
    that is not a form of fields (the check-in list) names their changes itself in
    ``changed`` instead ("李四: Absent"). The answer
    is "reload" (``fill()``: show theirs, dropping the edits), "overwrite" (``save(version)``
    with the stored version) or "cancel" (also Esc: nothing saved, the edits kept, and
    ``say(not_saved)`` says so).
    """
    current = conflict.current
    version = current.get("version")

    def chosen(answer: str | None) -> None:
        if answer == "reload":
            fill()
        elif answer == "overwrite" and isinstance(version, int):
            save(version)
        else:
            say(not_saved)

    form.app.push_screen(
        ConflictDialog(
            question,
            by=saved_by(session, current),
            changed=(
                changed
                if changed is not None
                else changed_fields(all_fields(form), baseline or {}, theirs or {})
            ),
        ),
        chosen,
    )

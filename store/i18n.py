"""Message translation for the store, with no dependency on the UI.

The store raises errors whose text reaches the user, so its messages are translatable too. The UI
installs the chosen catalog with :func:`use`; until then messages stay in English. ``N_`` marks a
message for extraction where it must be translated later (module-level labels are built before
the language is known).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable

DOMAIN = "shequ"

_translation: gettext.NullTranslations = gettext.NullTranslations()


def use(translation: gettext.NullTranslations) -> None:
    """Make every later message, in the store and the UI, come from ``translation``."""
    global _translation  # noqa: PLW0603 - one process-wide language, set once at start-up
    _translation = translation


def _(message: str) -> str:
    """Translate ``message`` into the language in use."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose wording depends on a count."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` as meant in ``context``: one English word, two Chinese ones
    ("Name" of a person is 姓名, of a team, a zone or a template 名称)."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction without translating it yet."""
    return message


def join_list(items: Iterable[str]) -> str:
    """Items as the language lists them: "a, b" in English, "a、b" in Chinese."""
    return _(", ").join(items)

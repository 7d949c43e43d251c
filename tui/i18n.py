"""Choose the interface language and install its catalog for the store, screens and CLI alike.

Two languages exist: Simplified Chinese (``zh_CN``, the default for Chinese locales) and English
(``en``, the msgids themselves). The choice comes from ``--lang``, else from the locale variables
in POSIX order (``LC_ALL``, ``LC_MESSAGES``, ``LANG``). The Linux text console (``TERM=linux``)
has no CJK glyphs, so there we always use English and the app says how to get Chinese.

Everything translated at run time goes through ``store.i18n``; calling :func:`setup_language`
again (tests start the app in both languages in one process) simply switches the catalog.
This module imports only the standard library and ``store``.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

from store import i18n

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
CHINESE = "zh_CN"
ENGLISH = "en"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def normalize(code: str) -> str:
    """``zh``, ``zh_CN``, ``zh-CN``, ``zh_CN.UTF-8``, ``zh-Hans``... -> ``zh_CN``; else ``en``."""
    return CHINESE if code.strip().lower().startswith("zh") else ENGLISH


def wanted_language(lang: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language the user asked for, by flag or locale, whatever the terminal can show."""
    if lang:
        return normalize(lang)
    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if value:
            return normalize(value)
    return ENGLISH


def terminal_lacks_cjk(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal is the Linux text console, whose fonts have no Chinese glyphs."""
    env = os.environ if environ is None else environ
    return env.get("TERM", "") == "linux"


def setup_language(lang: str | None, environ: Mapping[str, str] | None = None) -> str:
    """Pick the language, install its catalog with ``store.i18n.use`` and return its code.

    Returns ``"zh_CN"`` or ``"en"``. On the Linux console the result is ``"en"`` even when
    Chinese was asked for; compare with :func:`wanted_language` to know whether to tell the user
    (see :func:`chinese_unavailable`). A missing catalog falls back to English msgids.
    """
    code = wanted_language(lang, environ)
    if terminal_lacks_cjk(environ):
        code = ENGLISH
    translation = gettext.translation(
        i18n.DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True
    )
    i18n.use(translation)
    return code


def chinese_unavailable(lang: str | None, environ: Mapping[str, str] | None = None) -> bool:
    """True when Chinese was asked for but the terminal cannot show it (we fall back to English)."""
    return wanted_language(lang, environ) == CHINESE and terminal_lacks_cjk(environ)

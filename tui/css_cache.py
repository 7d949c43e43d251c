"""Parsed CSS kept between runs, so that a start does not parse the same stylesheets again.

Parsing our stylesheet and the CSS of the Textual widgets the login uses was about 16 ms of a
cold start to the login's first frame on a small machine (a bare Textual app parses about 7),
and each start parsed the same text into the same rules. The ``shequ`` command keeps each
source's rules in the user's cache folder (``~/.cache/shequ/css`` on Linux), one file per
source, and a later start reads them back in a fraction of that time.

A file holds its rules beside everything they were made from: the CSS text, where it was read
from and how (Textual's defaults or ours, tie-breaker, scope), the theme's variables, Python's
version and the size and time of Textual's CSS modules (an upgrade of Textual is a new key).
Rules are used only when all of that is equal; the file name is a checksum of it, to find it.

The files are pickles, which run code when read: only files owned by this user and writable by
no one else are read, in a folder made private (what a Python bytecode cache trusts, and a
little more). Anything that cannot be read is parsed as before and written again; a file is
written under a temporary name and renamed, so sessions starting together never read half of
one. A folder that cannot be written (a read-only home, a full disk) means parsing as before:
this is a cache. Pilot tests run without it (``make_app``'s ``css_cache``).

Files an upgrade of Textual or of shequ left behind are never read again: a file read by a
start has its time set to now (at most once a day), and a start that writes files removes
those not read for :data:`UNUSED_DAYS`, so the folder holds about one set of files.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import tempfile
import time
import zlib
from collections.abc import Mapping
from pathlib import Path

import textual.css.model
import textual.css.parse
import textual.css.styles
from textual.css.model import RuleSet

FORMAT = 1
"""Changed when what a file holds changes."""

UNUSED_DAYS = 60
"""A kept file not read by any start for this long is removed by the next start that writes."""
DAY = 24 * 3600

CssKey = tuple[str, tuple[str, str], bool, int, str]
"""What Textual parses a source with: its text, where it was read from, whether it is a
widget's default CSS, its tie-breaker and its scope."""


class CssCache:
    """The rules of each CSS source parsed by an earlier run, kept in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._textual: tuple[tuple[int, int], ...] | None = None
        self._pruned = False  # once a run: a first start writes some 30 files

    def _key(self, key: CssKey, variables: Mapping[str, str]) -> tuple[object, ...]:
        if self._textual is None:
            stats = (
                os.stat(module.__file__ or "")
                for module in (textual.css.model, textual.css.parse, textual.css.styles)
            )
            self._textual = tuple((stat.st_size, stat.st_mtime_ns) for stat in stats)
        return (FORMAT, sys.version_info[:3], self._textual, key, sorted(variables.items()))

    def _path(self, whole_key: tuple[object, ...]) -> Path:
        text = repr(whole_key).encode()
        return self.folder / f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}.pickle"

    def get(self, key: CssKey, variables: Mapping[str, str]) -> list[RuleSet] | None:
        """The rules an earlier run parsed from ``key`` with ``variables``, if kept."""
        whole_key = self._key(key, variables)
        try:
            with open(self._path(whole_key), "rb") as file:
                stat = os.fstat(file.fileno())
                if not _trusted(stat):
                    return None
                kept_key, rules = pickle.load(file)
                if kept_key == whole_key and time.time() - stat.st_mtime > DAY:
                    with contextlib.suppress(OSError):  # still in use: kept from pruning (put)
                        os.utime(file.fileno())
        except FileNotFoundError:
            return None
        # A damaged or foreign file can fail in any way while unpickled: it is parsed again.
        except Exception:
            return None
        if kept_key != whole_key or not isinstance(rules, list):
            return None
        if not all(isinstance(rule, RuleSet) for rule in rules):
            return None
        for rule in rules:
            # Sets come back in the order of the process that wrote them (strings hash
            # differently in each): made again as a parse makes them, the index of the rules by
            # selector name comes out as a parse's would.
            rule.selector_names = set()
            rule.pseudo_classes = set()
            rule._post_parse()
        return rules

    def put(self, key: CssKey, variables: Mapping[str, str], rules: list[RuleSet]) -> None:
        """Keep ``rules``, parsed from ``key`` with ``variables``, for later runs."""
        whole_key = self._key(key, variables)
        temporary = None
        try:
            data = pickle.dumps((whole_key, rules), protocol=pickle.HIGHEST_PROTOCOL)
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, self._path(whole_key))
            temporary = None
            self._prune()
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # not kept: the next run parses it again
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def _prune(self) -> None:
        """Remove the kept files no start has read for :data:`UNUSED_DAYS` (an earlier Textual's
        or stylesheet's); a file another start is renaming into place is never among them."""
        if self._pruned:
            return
        self._pruned = True
        oldest = time.time() - UNUSED_DAYS * DAY
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.endswith(".pickle") and entry.stat().st_mtime < oldest:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _trusted(stat: os.stat_result) -> bool:
    """Whether a file is this user's and nobody else may write it."""
    mine = not hasattr(os, "getuid") or stat.st_uid == os.getuid()
    return mine and not stat.st_mode & 0o022

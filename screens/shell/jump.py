"""Jump to anything (Ctrl+P): the command palette finds records by name or pinyin and opens them.

Typing 张三, ``zs`` or ``zhangsan`` in the palette lists the members of that name beside the
commands; Enter opens the one chosen, through the shell's routes (``session.routes``), so no
section imports another's screens. Each kind of record is a small :class:`JumpProvider`:

* :meth:`JumpProvider.targets` lists what the person at the keyboard may see of a snapshot, each
  with the folded search blob of :func:`store.members.search_keys.search_text` (names, pinyin
  and what else the record is found by). It runs in a thread when the palette opens, so a big
  roster never freezes the screen; a volunteer's list comes through the privacy rule
  (store/privacy.py) and cannot be searched by what it hides.
* :meth:`JumpProvider.open` shows one target.

A provider is registered by one line in ``tui/jump.py`` (docs/INTERFACES.md says how); this
module and its providers import only the store, the shell and Textual.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, ClassVar

from textual.command import Hit, Hits, Provider
from textual.content import Content

from screens.shell.session import Session
from store.actor import Actor
from store.engine.database import Snapshot
from store.errors import StoreError
from store.i18n import N_, _
from store.members.search_keys import SEPARATOR, fold, match_rank, normalize_query
from store.textsafe import clean_line

LIMIT = 20
"""At most this many records of one kind in the list: the palette shows about a screenful."""


_RANK_SCORES = (1.0, 0.9, 0.8, 0.7, 0.5)  # by store.members.search_keys.match_rank


@dataclass(frozen=True, slots=True)
class Target:
    """One record the palette can open: its id, what the line says, and what finds it.

    ``order`` orders targets that a query finds equally well; when it is a member's sort key
    (``ranked``), the name's pinyin is ranked as the roster ranks it (``match_rank``: the whole
    name, then its start in the surname's reading...) over the first ``keys_end`` characters
    of the blob, the name's part.
    """

    id: str
    title: str
    detail: str
    blob: str
    order: str = ""
    ranked: bool = False
    keys_end: int = -1
    weight: float = 1.0
    """Scales the score: a shift found by its team's name lists after the team itself."""

    def score(self, needle: str) -> float:
        """How well ``needle`` (a folded query) finds this record, 0 when it does not."""
        if needle not in self.blob:
            return 0.0
        if self.ranked:
            names = self.blob[: self.keys_end] if self.keys_end >= 0 else self.blob
            return _RANK_SCORES[match_rank(needle, names, self.order)] * self.weight
        parts = self.blob.split(SEPARATOR)
        if needle in parts:
            return self.weight
        if any(part.startswith(needle) for part in parts):
            return 0.8 * self.weight
        return 0.5 * self.weight


class JumpProvider(Provider):
    """Records of one kind, found by name or pinyin; subclasses say which and how to open one."""

    KIND: ClassVar[str] = ""
    """What the records are, as a msgid ("Member"): the line under each hit says it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._targets: list[Target] = []
        self.today = date.today()
        """The session's today (its database's clock), set before :meth:`targets` runs."""

    @property
    def session(self) -> Session | None:
        """The session of the screen the palette was opened on, if someone is logged in."""
        session = getattr(self.screen, "session", None)
        if isinstance(session, Session) and session.actor is not None:
            return session
        return None

    async def startup(self) -> None:
        session = self.session
        if session is not None:
            self._targets = await asyncio.to_thread(self._read, session)

    def _read(self, session: Session) -> list[Target]:
        self.today = session.db.today()
        try:
            return self.targets(session.db.snapshot(), session.acting)
        except StoreError:
            return []  # the palette still offers its commands; the screens say what is wrong

    def targets(self, snapshot: Snapshot, actor: Actor) -> list[Target]:
        """What ``actor`` may open and find (runs in a thread)."""
        raise NotImplementedError

    def open(self, session: Session, target: Target) -> None:
        """Show ``target`` (on the UI thread, once the palette has closed)."""
        raise NotImplementedError

    async def search(self, query: str) -> Hits:
        session = self.session
        needle = normalize_query(query)
        if session is None or not needle:
            return
        scored = [(target.score(needle), target) for target in self._targets]
        found = sorted(
            ((score, target) for score, target in scored if score),
            key=lambda hit: (-hit[0], hit[1].order),
        )
        kind = _(self.KIND)
        for score, target in found[:LIMIT]:
            line = f"{target.title}  {target.detail}" if target.detail else target.title
            yield Hit(
                score,
                Content(line),
                partial(self.open, session, target),
                text=target.title,
                help=kind,
            )


def keys_blob(*keys: object) -> str:
    """A blob for a record found by names other than a member's: each item a name's stored
    ``search_keys`` (a list, store/named.py) or a plain text to fold (a date, a time)."""
    parts: list[str] = []
    for item in keys:
        if isinstance(item, list):
            parts.extend(key for key in item if isinstance(key, str) and key)
        elif isinstance(item, str):
            parts.append(fold(item))
    return SEPARATOR.join(dict.fromkeys(part for part in parts if part))


def member_detail(doc: Mapping[str, Any]) -> str:
    """What tells two members of one name apart on a line: birth year and grid."""
    born = str(doc.get("birth_date") or "")[:4]
    grid = clean_line(str(doc.get("grid") or ""))
    return "  ".join(part for part in (born, grid) if part)


class MemberJump(JumpProvider):
    """Current members, by name, pinyin initials or full pinyin (and what else the roster's
    search finds them by, within what the role may see); Enter opens the member's detail."""

    KIND = N_("Member")

    def targets(self, snapshot: Snapshot, actor: Actor) -> list[Target]:
        from store.members.summary import members_of
        from store.privacy import search_blob

        targets: list[Target] = []
        for member in members_of(snapshot):  # the compact read model the roster searches
            if not member.current:
                continue
            born = member.birth.isoformat()[:4] if member.birth else ""
            targets.append(
                Target(
                    id=member.id,
                    title=member.name,
                    detail="  ".join(part for part in (born, member.grid) if part),
                    blob=search_blob(member, actor),
                    order=member.sort_key,
                    ranked=True,
                    keys_end=member.keys_end,
                )
            )
        return targets

    def open(self, session: Session, target: Target) -> None:
        title = getattr(self.screen, "section_title", "") or _("Roster")
        session.routes.open_member(self.app, target.id, title)

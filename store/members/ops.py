"""The member roster: adding, editing, archiving and finding members.

``shequ members list --search`` finds members through :class:`MemberIndex` and the roster
screen through the compact summaries (store/members/summary.py); both match the same blob
(store/members/search_keys.py, store/privacy.py), so a search typed in one finds exactly what
it finds in the other (tests/store/test_roster_views.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from store.actor import Actor
from store.engine.database import Database, Snapshot
from store.engine.storage import StatKey
from store.enums import MemberStatus
from store.members.search_keys import (
    SEPARATOR,
    doc_keys,
    make_matcher,
    match_rank,
    normalize_query,
    search_text,
)
from store.members.validation import settle_checks, validate_member
from store.permissions import Action, require

if TYPE_CHECKING:
    from store.members.belongings import Belongings

TABLE = "members"
# Fields the database layer owns; a form's copy of them must not overwrite the stored ones.
_BOOKKEEPING = ("id", "version", "created_at", "updated_at")
# The dates that may be known to the month only (store/validation.py).
DATES = ("birth_date", "join_date", "mobile_since")


def add(db: Database, actor: Actor, raw: Mapping[str, object]) -> dict[str, Any]:
    """Validate form/CLI input and add the member; raises ValidationError listing every field."""
    require(actor, Action.EDIT_MEMBERS)
    doc = validate_member(raw, today=db.today())
    with db.transaction(actor) as tx:
        return tx.insert(TABLE, doc)


def update(
    db: Database,
    actor: Actor,
    member_id: str,
    edits: Mapping[str, object],
    expected_version: int,
) -> dict[str, Any]:
    """Apply edits to the member the user opened at ``expected_version``.

    The edits are merged over the stored record and the whole is validated again, so rules
    across fields (joined after birth) hold after every edit. Raises Conflict when someone
    saved the member meanwhile.
    """
    require(actor, Action.EDIT_MEMBERS)
    with db.transaction(actor) as tx:
        current = tx.get(TABLE, member_id)
        doc = validate_member(merge_edits(current, edits), today=db.today())
        doc["to_check"] = settle_checks(current, doc)
        return tx.update(TABLE, member_id, doc, expected_version)


def merge_edits(current: Mapping[str, Any], edits: Mapping[str, object]) -> dict[str, object]:
    """The stored member with ``edits`` over it, ready to validate as a whole (see :func:`update`).

    The database's own fields (id, version, stamps) are left out: an edit never sets them.
    A date's precision (``month_only``) goes with the date: an edited date's comes from the
    edit (its text, or a ``month_only`` the edit gives for it), an untouched date keeps the
    stored one. So an edit saved over someone else's newer save ("overwrite with mine") leaves
    their month-only join date month-only, whatever the editor's form had read.
    """
    merged = {k: v for k, v in current.items() if k not in _BOOKKEEPING} | dict(edits)
    edited = [key for key in DATES if key in edits]
    if edited or "month_only" in edits:
        stored, given = current.get("month_only"), edits.get("month_only")
        merged["month_only"] = [
            *(k for k in (stored if isinstance(stored, list) else []) if k not in edited),
            *(k for k in (given if isinstance(given, list | tuple) else []) if k in edited),
        ]
    return merged


def set_status(
    db: Database, actor: Actor, member_id: str, status: MemberStatus, expected_version: int
) -> dict[str, Any]:
    """Archive a member (hidden by default, never lost) or bring one back."""
    require(actor, Action.EDIT_MEMBERS)
    with db.transaction(actor) as tx:
        return tx.update(TABLE, member_id, {"status": str(status)}, expected_version)


def delete(db: Database, actor: Actor, member_id: str, expected_version: int) -> Belongings:
    """Remove a member for good, with what belongs to them (store/members/belongings.py), at once.

    Admins only, and the UI has them type the name first. Returns what went with them.
    """
    from store.members.belongings import remove_belongings

    require(actor, Action.DELETE_MEMBERS)
    with db.transaction(actor) as tx:
        tx.delete(TABLE, member_id, expected_version)
        return remove_belongings(tx, member_id)


def match_keys(doc: Mapping[str, Any]) -> Iterator[tuple[str, ...]]:
    """What two records of one person share: the same name and birth date, or the same phone.

    The one rule for "is this member already on the roster?": the form warns about a duplicate
    with it and an import updates the matching member instead of adding one (store/importing.py).
    Compare validated documents, so the phone and the date are in their stored form.
    """
    if doc.get("name") and doc.get("birth_date"):
        yield ("nb", str(doc["name"]), str(doc["birth_date"]))
    if doc.get("phone"):
        yield ("p", str(doc["phone"]))


def duplicates(
    snapshot: Snapshot, doc: Mapping[str, Any], exclude_id: str | None = None
) -> list[Mapping[str, Any]]:
    """Members of ``snapshot`` that look like the same person as ``doc`` (see :func:`match_keys`).

    ``doc`` is a validated member document (a new one, or an edit merged over the stored one,
    whose own record is left out with ``exclude_id``). Archived and other inactive members are
    included: re-adding someone who was archived is better done by restoring them.
    """
    from store.members.summary import members_of

    keys = set(match_keys(doc))
    if not keys:
        return []
    found = []
    for member in members_of(snapshot):  # the compact model; whole records only for matches
        if member.id == exclude_id:
            continue
        theirs: set[tuple[str, ...]] = {("p", member.phone)} if member.phone else set()
        if member.name and member.birth is not None:
            theirs.add(("nb", member.name, member.birth.isoformat()))
        if not keys.isdisjoint(theirs):
            other = snapshot.get(TABLE, member.id)
            if other is not None:
                found.append(other)
    return found


def is_current(doc: Mapping[str, Any]) -> bool:
    """Active members; archived, transferred-out and deceased ones are hidden by default."""
    return bool(doc.get("status", MemberStatus.ACTIVE) == MemberStatus.ACTIVE)


class MemberIndex:
    """Search blobs for every member of one snapshot, built once and reused per search.

    Building costs one pass over the whole documents (for a command that prints them; the
    roster screen searches the compact summaries instead); a search is then one substring
    test per member. The members are kept in roster order (the pinyin sort key, then the name)
    with their name keys, each as the roster's summaries have them
    (:func:`~store.members.search_keys.doc_keys`: computed once here for a member stored
    without them, never per keystroke). Given an ``actor``, it indexes and returns what that
    actor may see (store/privacy.py): a volunteer can neither see a hidden phone or address
    nor find a member by typing its digits.
    """

    def __init__(self, snapshot: Snapshot, actor: Actor | None = None) -> None:
        from store.privacy import member_view

        self.token: StatKey | None = snapshot.token
        docs = snapshot.all(TABLE)
        if actor is not None:
            docs = [member_view(doc, actor) for doc in docs]
        self._rows = roster_rows(docs)
        self._by_id = {str(row.doc.get("id")): row.doc for row in self._rows}

    def __len__(self) -> int:
        return len(self._rows)

    def member(self, member_id: str) -> Mapping[str, Any] | None:
        """Member ``member_id`` as indexed (archived ones too), or None when this snapshot has
        no such member: a form's linked member is shown by id, never by a name it shares."""
        return self._by_id.get(member_id)

    def search(
        self,
        query: str = "",
        *,
        include_inactive: bool = False,
        keep: Callable[[Mapping[str, Any]], bool] | None = None,
    ) -> list[Mapping[str, Any]]:
        """Members matching what was typed (all when empty), the best matches first as the
        roster ranks them (the whole name, then its start in the surname's reading...:
        :func:`~store.members.search_keys.match_rank`), each rank in roster order."""
        match = make_matcher(query)
        found = [
            row
            for row in self._rows
            if match(row.blob)
            and (include_inactive or is_current(row.doc))
            and (keep is None or keep(row.doc))
        ]
        needle = normalize_query(query)
        if needle:  # stable: roster order within a rank
            found.sort(key=lambda row: match_rank(needle, row.names, row.order))
        return [row.doc for row in found]


class RosterRow(NamedTuple):
    """A member document with what a search and the roster's order need of it."""

    blob: str  # :func:`~store.members.search_keys.search_text`
    names: str  # its search keys, joined: what :func:`match_rank` looks at
    order: str  # its sort key
    doc: Mapping[str, Any]


def roster_rows(
    docs: Iterable[Mapping[str, Any]],
    shown: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
) -> list[RosterRow]:
    """``docs`` (stored members, or as someone may see them) with their search blobs and
    keys, in roster order: the sort key, then the name, then the id. ``shown`` gives what a
    search may look at of a document (store/privacy.py ``member_view``), the document itself
    by default."""
    rows = []
    for doc in docs:
        keys, order = doc_keys(doc)
        blob = search_text(doc if shown is None else shown(doc), keys)
        rows.append(RosterRow(blob, SEPARATOR.join(keys), order, doc))
    rows.sort(key=lambda row: (row.order, str(row.doc.get("name") or ""), str(row.doc.get("id"))))
    return rows


def search(
    snapshot: Snapshot,
    query: str = "",
    *,
    include_inactive: bool = False,
    actor: Actor | None = None,
) -> list[Mapping[str, Any]]:
    """One-off search (the CLI); screens keep a :class:`MemberIndex` instead."""
    return MemberIndex(snapshot, actor).search(query, include_inactive=include_inactive)

"""Who may see whose training records: coordinators and admins everyone's, volunteers their own.

Enforced here, in the store's read functions, not only by what screens show: a volunteer's
meter, certificates and attendance rows are filtered (or refused) whatever asks for them.
"""

from __future__ import annotations

from store.actor import Actor
from store.permissions import Action, allowed, require

ALL = None


def own_member(actor: Actor) -> str | None:
    """None when ``actor`` may see everyone's records, else the one member they may see
    ("" for a volunteer whose account is linked to no member: nobody)."""
    if allowed(actor, Action.SEE_TRAINING):
        return ALL
    return actor.member_id or ""


def may_see(actor: Actor, member_id: str) -> bool:
    """Whether ``actor`` may see ``member_id``'s hours, attendance and certificates."""
    own = own_member(actor)
    return own is ALL or (bool(own) and own == member_id)


def require_member(actor: Actor, member_id: str) -> None:
    """Refuse with PermissionDenied unless ``actor`` may see ``member_id``'s records."""
    if not may_see(actor, member_id):
        require(actor, Action.SEE_TRAINING)  # refuses, with the role matrix's sentence

"""Swaps: a volunteer who can't come offers their place; another eligible member takes it.

The state lives on the place itself (store/patrols/model.py, :class:`Assignment`): ``offered``
while it waits for someone, ``taker_id`` while a taker waits for a coordinator's approval
(when the settings ask for one), and ``swapped_from`` once it changed hands, so both members
see the swap in "my shifts" and it can be undone. Taking applies the same rules as assigning
(store/patrols/rules.py), with no override: a coordinator who wants one assigns instead.

Volunteers act only as themselves (their account's linked member); coordinators and admins
may act for anyone. Past shifts and places already checked in don't change hands.
"""

from __future__ import annotations

from typing import Any

from store.actor import Actor
from store.engine.database import Database
from store.enums import AssignmentStatus
from store.errors import NotFound, PermissionDenied, ValidationError
from store.i18n import _
from store.patrols.assign import (
    RuleBroken,
    rule_problems,
    save_shift,
    settings_in,
    shift_from_tx,
)
from store.patrols.model import Assignment, Shift
from store.permissions import Action, allowed, require


def _as(actor: Actor, member_id: str | None) -> str:
    """The member ``actor`` acts for: themselves, or (coordinators) the one named."""
    require(actor, Action.SWAP_SHIFTS)
    if member_id is None or member_id == actor.member_id:
        if actor.member_id is None:
            raise PermissionDenied(
                _("Your account is not linked to a member of the roster; ask an admin.")
            )
        return actor.member_id
    if not allowed(actor, Action.EDIT_SCHEDULE):
        raise PermissionDenied(_("You can only offer or take shifts as yourself."))
    return member_id


def _open_place(target: Shift, member_id: str, today: Any) -> Assignment:
    place = target.assignment(member_id)
    if place is None:
        raise NotFound(_("That member is no longer on this shift."))
    if target.date is not None and target.date < today:
        raise ValidationError({"date": _("This shift is over; it can't change hands now.")})
    if place.status is not AssignmentStatus.SCHEDULED:
        raise ValidationError({"status": _("This place is already checked in.")})
    return place


def offer(
    db: Database,
    actor: Actor,
    shift_id: str,
    member_id: str | None = None,
    *,
    withdraw: bool = False,
) -> dict[str, Any]:
    """Offer one's place on a shift to whoever can take it (or ``withdraw`` the offer)."""
    giver = _as(actor, member_id)
    with db.transaction(actor) as tx:
        target = shift_from_tx(tx, shift_id)
        place = _open_place(target, giver, db.today())
        place.offered = not withdraw
        place.taker_id = ""
        return save_shift(tx, target, db.today())


def take(
    db: Database, actor: Actor, shift_id: str, giver_id: str, taker_id: str | None = None
) -> dict[str, Any]:
    """Take the place ``giver_id`` offered; with approval on, it waits for a coordinator.

    A coordinator taking on someone's behalf needs no approval. RuleBroken when the taker
    may not go on the shift (a clash, too many days...), exactly as for an assignment.
    """
    taker = _as(actor, taker_id)
    with db.transaction(actor) as tx:
        target = shift_from_tx(tx, shift_id)
        place = _open_place(target, giver_id, db.today())
        if not place.offered:
            raise ValidationError({"offered": _("This place is not offered any more.")})
        if place.taker_id and place.taker_id != taker:
            raise ValidationError({"offered": _("Someone else is already taking this place.")})
        _check_taker(tx, target, giver_id, taker)
        if settings_in(tx).patrol_swaps_need_approval and not allowed(actor, Action.EDIT_SCHEDULE):
            place.taker_id = taker
        else:
            _hand_over(place, taker)
        return save_shift(tx, target, db.today())


def approve(
    db: Database, actor: Actor, shift_id: str, giver_id: str, *, refuse: bool = False
) -> dict[str, Any]:
    """A coordinator approves (or ``refuse``s) a swap waiting for approval."""
    require(actor, Action.EDIT_SCHEDULE)
    with db.transaction(actor) as tx:
        target = shift_from_tx(tx, shift_id)
        place = _open_place(target, giver_id, db.today())
        if not place.taker_id:
            raise ValidationError({"offered": _("No swap is waiting for approval here.")})
        if refuse:
            place.taker_id = ""
        else:
            _check_taker(tx, target, giver_id, place.taker_id)
            _hand_over(place, place.taker_id)
        return save_shift(tx, target, db.today())


def undo(db: Database, actor: Actor, shift_id: str, holder_id: str) -> dict[str, Any]:
    """Give a swapped place back to the member who offered it (a swap taken by mistake).

    The taker, the giver or a coordinator may; before the shift, and before check-in.
    """
    require(actor, Action.SWAP_SHIFTS)
    with db.transaction(actor) as tx:
        target = shift_from_tx(tx, shift_id)
        place = _open_place(target, holder_id, db.today())
        giver = place.swapped_from
        if not giver:
            raise ValidationError({"swapped_from": _("This place was not taken by a swap.")})
        if actor.member_id not in (holder_id, giver) and not allowed(actor, Action.EDIT_SCHEDULE):
            raise PermissionDenied(_("Only the two members or a coordinator can undo a swap."))
        if target.assignment(giver) is not None:
            raise ValidationError({"swapped_from": _("They are on this shift again already.")})
        place.member_id, place.swapped_from = giver, ""
        place.offered, place.taker_id = False, ""
        return save_shift(tx, target, db.today())


def _check_taker(tx: Any, target: Shift, giver_id: str, taker: str) -> None:
    if taker == giver_id:
        raise ValidationError({"taker_id": _("You can't take your own place.")})
    # The giver's place is counted: a swap never fills a shift.
    without_giver = Shift.from_doc(target.to_doc())
    without_giver.assignments = [a for a in target.assignments if a.member_id != giver_id]
    problems = rule_problems(tx, without_giver, taker)
    if problems:
        raise RuleBroken(problems)


def _hand_over(place: Assignment, taker: str) -> None:
    place.swapped_from = place.member_id
    place.member_id = taker
    place.offered, place.taker_id, place.override = False, "", ""

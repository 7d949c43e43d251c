"""A study-hour meter drawn with plain block characters, its figure always printed beside it.

``████████░░░░░░░░ 12/32 h`` means the same in 16 colours, with ``NO_COLOR`` and on a
monochrome terminal: the bar is made of glyphs (full and light shade blocks), not of colour,
and the numbers say it again. Used by the training section and the member detail alike.
"""

from __future__ import annotations

from store.enums import label
from store.i18n import _
from store.training.hours import Meter

FULL = "█"
EMPTY = "░"


def bar(done: float, required: float, width: int) -> str:
    """``width`` cells: the done share of ``required`` in full blocks, the rest light shade.

    Nothing required (exempt, or a requirement of 0) draws a full bar only when something was
    done; a bar is never more than full.
    """
    if width <= 0:
        return ""
    share = 1.0 if required <= 0 else min(1.0, max(0.0, done / required))
    if required <= 0 and done <= 0:
        share = 0.0
    filled = int(share * width + 0.5) if share < 1.0 else width
    if done > 0 and filled == 0:
        filled = 1  # something done shows
    if done < required and filled == width:
        filled = width - 1  # not done does not look done
    return FULL * filled + EMPTY * (width - filled)


def figure(meter: Meter) -> str:
    """ "12/32 h" (done of required), or "12 h" for an exempt member."""
    if meter.exempt:
        return _("{hours} h").format(hours=f"{meter.done:g}")
    return _("{done}/{required} h").format(done=f"{meter.done:g}", required=f"{meter.required:g}")


def pace_text(meter: Meter) -> str:
    """The pace in words: done, on track, behind by N h, exempt (reason)."""
    if meter.pace == "exempt":
        if meter.exempt_reason is not None:
            return _("exempt ({reason})").format(reason=label(meter.exempt_reason))
        return _("exempt")
    if meter.pace == "done":
        return _("done")
    if meter.pace == "behind":
        return _("behind by {hours} h").format(hours=f"{meter.shortfall:g}")
    return _("on track")


def meter_line(meter: Meter, width: int = 16) -> str:
    """The bar and the figure: ``████░░░░ 12/32 h`` (an exempt member: the figure alone)."""
    if meter.exempt:
        return figure(meter)
    return f"{bar(meter.done, meter.required, width)} {figure(meter)}"

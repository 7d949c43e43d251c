"""Which kinds of records the command palette (Ctrl+P) can jump to: one line each.

Each entry names a :class:`screens.shell.jump.JumpProvider` subclass as ``"module:Class"``; it
is imported only when the palette first opens, so none of them costs anything at start-up.
Adding a kind (shifts, teams, training sessions) is a provider class in its section's package
(or in ``screens/shell/jump.py``) and one more line here; docs/INTERFACES.md has the recipe.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module

from textual.command import Provider

JUMPS: tuple[str, ...] = (
    "screens.shell.jump:MemberJump",
    "screens.patrols.jump:ShiftJump",
    "screens.patrols.jump:TeamJump",
    "screens.patrols.jump:ZoneJump",
    "screens.patrols.jump:TemplateJump",
    "screens.training.jump:SessionJump",
)


def load(path: str) -> type[Provider]:
    """The provider class ``path`` ("module:Class") names."""
    module, _sep, name = path.partition(":")
    provider = getattr(import_module(module), name)
    if not (isinstance(provider, type) and issubclass(provider, Provider)):
        raise TypeError(f"{path} is not a command palette provider")
    return provider


def jump_providers() -> set[Callable[[], type[Provider]]]:
    """The registered providers as the lazy loaders ``App.COMMANDS`` takes."""
    return {partial(load, path) for path in JUMPS}

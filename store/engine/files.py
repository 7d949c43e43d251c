"""Who may read the data files: private to one user, or shared with one group.

A single-user install keeps everything 0600 (folders 0700). A shared install, where each
volunteer's SSH account runs shequ against one data folder, names a group in ``SHEQU_GROUP``:
every file the store makes is then 0660 and belongs to that group (folders 0770), so every
member of the group can save while other users of the computer cannot even read.

Modes are always set explicitly: ``mkstemp`` makes 0600 files and the umask trims what
``os.open`` and ``mkdir`` are asked for, so neither says what the file ends up with.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

from store.errors import StoreError
from store.i18n import _

PRIVATE_FILE, SHARED_FILE = 0o600, 0o660
GROUP_VARIABLE = "SHEQU_GROUP"


class UnknownGroup(StoreError):
    """``SHEQU_GROUP`` names a group this computer does not have."""


def group_from_env(environ: Mapping[str, str] | None = None) -> int | None:
    """The group id named by ``$SHEQU_GROUP`` (a name, or a number), or None when unset."""
    import grp

    env = os.environ if environ is None else environ
    name = env.get(GROUP_VARIABLE, "").strip()
    if not name:
        return None
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        pass
    if name.isdigit():
        with contextlib.suppress(KeyError):
            return grp.getgrgid(int(name)).gr_gid
    raise UnknownGroup(
        _(
            "{variable} names the group {group}, which this computer does not have; "
            "create it (groupadd {group}) or fix {variable}."
        ).format(variable=GROUP_VARIABLE, group=name)
    )


def file_mode_for(group: int | None) -> int:
    """0660 for a shared install (a group is given), else 0600."""
    return SHARED_FILE if group is not None else PRIVATE_FILE


def folder_mode_for(file_mode: int) -> int:
    """The mode of a folder holding files of ``file_mode``: 0770 if the group shares, else 0700."""
    return 0o770 if file_mode & 0o070 else 0o700


def settle(target: Path | int, mode: int, group: int | None) -> None:
    """Give ``target`` (a path or an open descriptor) ``mode`` and ``group`` if it is ours.

    Only the owner may change a file's mode, so a file another group member created is left
    as it is (it was settled when they created it). Failures are ignored: a file that keeps a
    stricter mode still works for its owner, and :meth:`Database.check_permissions` reports
    anything too open.
    """
    with contextlib.suppress(OSError):
        st = os.fstat(target) if isinstance(target, int) else os.stat(target)
        if st.st_uid != os.geteuid():
            return
        if group is not None and st.st_gid != group:
            if isinstance(target, int):
                os.fchown(target, -1, group)
            else:
                os.chown(target, -1, group)
        if st.st_mode & 0o7777 != mode:
            if isinstance(target, int):
                os.fchmod(target, mode)
            else:
                os.chmod(target, mode)


def make_folder(folder: Path, file_mode: int, group: int | None) -> None:
    """Create ``folder`` (and any missing parents) for files of ``file_mode``.

    Only a folder we create is given its mode and group: an existing one may be an admin's
    choice (a setgid folder, a home directory) that is not ours to change.
    """
    if folder.is_dir():
        return
    mode = folder_mode_for(file_mode)
    folder.mkdir(mode=mode, parents=True, exist_ok=True)
    settle(folder, mode, group)

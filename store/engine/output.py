"""Where an export or a report goes, and where an import comes from: one rule for every one.

Every export (the roster now; the patrol sheets, training records and reports to come) makes
its bytes in memory first and hands them to :func:`write_output`, from the CLI and from the
screens alike, so every one of them treats a target the same way. What happens depends on what
the target finally is, links followed:

* ``"-"`` (exactly that string, as the CLI passes it): standard output, written straight.
  A :class:`~pathlib.Path` is always a file, so ``./-`` is a file named ``-``.
* a regular file, or nothing yet: written whole or not at all (a temp file in the same folder,
  fsync, rename; :func:`~store.engine.atomic.write_atomic`). A link to a regular file has the
  file it leads to replaced, in that file's own folder, keeping its mode; the link stays a link.
  A new file is private to its owner (0600): a roster holds phones and addresses.
* a FIFO or a character device (``/dev/stdout``, a terminal, a pipe a script reads from):
  written straight, with no temp file and no rename, which would replace the FIFO or the device
  with a plain file (as root, ``/dev/full`` for the whole machine).
* a folder, a socket or a block device: refused.
* shequ's own files, however they are named (a link, a relative path, a hard link): the
  database, its change log, its lock and anything in its backups folder are refused, saying
  which file it is. A slip of the keyboard must not replace every member with a CSV.

Refusals raise :class:`OutputRefused` and write nothing; a failed write raises
:class:`~store.errors.WriteFailed` (one sentence). Errors writing standard output are left to
the caller, which knows whether it is a closed pipe or a full disk and what to say.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from store.engine.atomic import describe_os_error, write_atomic
from store.engine.files import PRIVATE_FILE
from store.errors import StoreError, WriteFailed
from store.i18n import _

if TYPE_CHECKING:
    from store.engine.database import Database

STANDARD_STREAM = "-"
"""The target meaning standard output (for an export) or standard input (for an import)."""


class OutputRefused(StoreError):
    """Nothing was written: the target is no place for an export (shequ's own file, a folder)."""


def is_standard_stream(target: Path | str) -> bool:
    """Whether ``target`` means standard output or input: the string ``-``, never a Path."""
    return isinstance(target, str) and target == STANDARD_STREAM


def read_input(source: Path | str) -> bytes:
    """The bytes of ``source``: standard input for ``-``, else the file (OSError as raised)."""
    if is_standard_stream(source):
        return sys.stdin.buffer.read()
    return Path(source).read_bytes()


def source_name(source: Path | str) -> str:
    """How messages name a file to read: its name, or "standard input" for ``-``."""
    return _("standard input") if is_standard_stream(source) else Path(source).name


def write_output(
    target: Path | str, payload: bytes, db: Database, *, stdout: BinaryIO | None = None
) -> bool:
    """Put ``payload`` at ``target`` by the rules above; True when it was written straight.

    ``stdout`` is where ``-`` goes (default: this process's standard output); a path that is
    that very file (``/dev/stdout`` redirected ``>> log``) is written there too, so the shell's
    append or pipe is kept. Raises :class:`OutputRefused` or :class:`~store.errors.WriteFailed`;
    whatever was at the target is then untouched (a FIFO or a device may have had some bytes).
    """
    if is_standard_stream(target):
        _write_stream(stdout, payload, db)
        return True
    path = Path(target)
    real, st = check_target(path, db)
    if st is not None and (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)):
        _write_straight(path, payload)
        return True
    if st is not None and _is_stream(st, stdout):
        _write_stream(stdout, payload, db)
        return True
    if st is not None and not _same_file(st, real):  # a /proc link to a deleted file
        raise OutputRefused(
            _("Can't tell which file {path} leads to: nothing was written.").format(path=path)
        )
    mode = stat.S_IMODE(st.st_mode) if st is not None else PRIVATE_FILE
    try:
        write_atomic(real, payload, mode)
    except OSError as error:
        raise WriteFailed(describe_os_error(error, path)) from error
    return False


def check_target(path: Path, db: Database) -> tuple[Path, os.stat_result | None]:
    """Where writing ``path`` would land (links followed) and what is there now (None: nothing).

    Raises :class:`OutputRefused` for shequ's own files, folders, sockets and block devices, so
    a screen can say so before asking whether to replace a file.
    """
    try:
        # The path itself, not its realpath: /dev/stdout's link into /proc names no real file.
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:  # nothing there yet (or a link to nothing yet)
        st = None
    except OSError as error:  # a loop of links, a folder we may not look into
        raise OutputRefused(
            _("Can't write to {path}: {reason}.").format(path=path, reason=_reason(error))
        ) from None
    real = Path(os.path.realpath(path))
    # Say where a link led: "out.csv → /srv/shequ/shequ.json".
    shown = str(path) if real == Path(os.path.abspath(path)) else f"{path} → {real}"
    own = own_file(real, st, db)
    if own:
        raise OutputRefused(own.format(path=shown))
    if st is not None:
        kind = _refused_kind(st.st_mode)
        if kind:
            raise OutputRefused(kind.format(path=shown))
    return real, st


def own_file(real: Path | None, st: os.stat_result | None, db: Database) -> str:
    """The refusal (a ``{path}`` template) if ``real`` is one of ``db``'s own files, else "".

    ``real`` has its links resolved already (None: no name, only ``st``); ``st`` (when the file
    exists) also catches a hard link to the database from another folder.
    """
    own = (
        (db.path, _("{path} is shequ's database: writing there would replace every record.")),
        (db.audit_path, _("{path} is the database's change log: it must not be overwritten.")),
        (db.lock_path, _("{path} is the database's lock file: it must not be overwritten.")),
    )
    for path, refusal in own:
        if real == Path(os.path.realpath(path)) or _same_file(st, path):
            return refusal
    backups = Path(os.path.realpath(db.backup_dir))
    in_backups = _("{path} is in the database's backups folder: backups must not be overwritten.")
    if real is not None and real.is_relative_to(backups):
        return in_backups
    if st is not None and stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
        with contextlib.suppress(OSError):
            if any(_same_file(st, backup) for backup in backups.iterdir()):
                return in_backups
    return ""


def _same_file(st: os.stat_result | None, path: Path) -> bool:
    if st is None:
        return False
    try:
        return os.path.samestat(st, os.stat(path))
    except OSError:
        return False


def _refused_kind(mode: int) -> str:
    """Why a target of this type is refused (a ``{path}`` template), or "" when it is fine."""
    if stat.S_ISDIR(mode):
        return _("{path} is a folder: add a file name after it.")
    if stat.S_ISSOCK(mode):
        return _("{path} is a socket, not a file: nothing was written.")
    if stat.S_ISBLK(mode):
        return _("{path} is a disk device, not a file: nothing was written.")
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        return _("{path} is not a file: nothing was written.")
    return ""


def _stream_of(stdout: BinaryIO | None) -> BinaryIO:
    return stdout if stdout is not None else sys.stdout.buffer


def _is_stream(st: os.stat_result, stdout: BinaryIO | None) -> bool:
    """Whether ``st`` is the file standard output already writes to."""
    try:
        return os.path.samestat(st, os.fstat(_stream_of(stdout).fileno()))
    except (OSError, ValueError, AttributeError):  # not a real file (a test's BytesIO)
        return False


def _write_stream(stdout: BinaryIO | None, payload: bytes, db: Database) -> None:
    """Write to standard output, unless it was sent into the database (``> shequ.json``)."""
    stream = _stream_of(stdout)
    try:
        st: os.stat_result | None = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        st = None
    own = own_file(None, st, db) if st is not None and stat.S_ISREG(st.st_mode) else ""
    if own:
        raise OutputRefused(own.format(path=_("standard output")))
    stream.write(payload)
    stream.flush()


def _write_straight(path: Path, payload: bytes) -> None:
    """Write to a FIFO or a character device as it is: no temp file, no rename.

    Opened by the name given (``/dev/stdout`` reaches the pipe through /proc; its realpath
    would not), and checked again once open, in case it was swapped for a file meanwhile.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        raise WriteFailed(_write_problem(path, error)) from error
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):  # replaced since it was looked at
            raise OutputRefused(
                _("{path} changed while it was being written; try again.").format(path=path)
            )
        view = memoryview(payload)
        while view:  # a device may take part of it at a time
            view = view[os.write(fd, view) :]
    except OSError as error:
        raise WriteFailed(_write_problem(path, error)) from error
    finally:
        os.close(fd)


def _write_problem(path: Path, error: OSError) -> str:
    return _("Could not write to {path}: {reason}.").format(path=path, reason=_reason(error))


def _reason(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("the disk is full")
    return error.strerror or str(error)

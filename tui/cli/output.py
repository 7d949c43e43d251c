"""What the ``shequ`` command does when its own output cannot be written: never a traceback.

Scripts pipe shequ into ``head``, redirect it onto full disks and run it with closed terminals.
Every write to standard output and standard error goes through :class:`_GuardedWriter`, which
turns an ``OSError`` into :class:`OutputFailed` (naming the stream) and drops whatever is written
after it, so that Python's final flush at exit cannot print "Exception ignored" either. The
command's main (:func:`run`) ends in one place with one of these exit codes:

- :data:`EXIT_PIPE_CLOSED` (141, as git and coreutils when ``| head`` stops reading: 128 plus
  SIGPIPE): the reader went away; nothing is said.
- :data:`EXIT_FAILED` (1): a full disk or an I/O error on the output; one line on standard
  error, if that can still be written.
- :data:`EXIT_SAVED_OUTPUT_LOST` (3): the change was saved, but what was to be printed about it
  could not be. A command calls :func:`saved` as soon as its change is committed, so the line
  names it ("saved 张三, but could not print the confirmation: the disk is full") and a script
  does not do it again.

This module imports only the standard library and ``store.i18n``: it runs before anything else.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO, cast

from store.i18n import _

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SAVED_OUTPUT_LOST = 0, 1, 2, 3
EXIT_PIPE_CLOSED = 141

_done: list[str] = []
_guarded_streams: list[TextIO] = []


class OutputFailed(Exception):
    """Writing to standard output or standard error failed (not an OSError, so nothing swallows
    it on the way up as "a file could not be read")."""

    def __init__(self, stream: str, error: OSError) -> None:
        super().__init__(f"{stream}: {error}")
        self.stream = stream
        self.error = error


class _GuardedWriter(io.RawIOBase):
    """Standard output or error at the lowest level: one ``os.write`` per chunk, failures named.

    After the first failure the stream is pointed at ``/dev/null`` (as the Python docs advise
    for a broken pipe) and further writes are dropped: the command is ending, and the buffered
    rest must not fail again when Python flushes at exit.
    """

    def __init__(self, fd: int, name: str, closed: bool = False) -> None:
        super().__init__()
        self.fd = fd
        self.name = name
        self.lost: OSError | None = None
        # Started with the descriptor closed (``>&-``): the first write fails, as it would have.
        self.closed_at_start = closed

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def isatty(self) -> bool:
        return os.isatty(self.fd)

    def write(self, data: ReadableBuffer, /) -> int:
        size = len(memoryview(data))
        if self.lost is not None:
            return size
        try:
            if self.closed_at_start:
                raise OSError(errno.EBADF, os.strerror(errno.EBADF))
            return os.write(self.fd, data)
        except OSError as error:
            self.lost = error
            _to_null(self.fd)
            raise OutputFailed(self.name, error) from error


def _to_null(fd: int) -> None:
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


def _guarded(stream: TextIO | None, fd: int, name: str, *, line_buffering: bool) -> TextIO:
    closed = stream is None
    try:
        os.fstat(fd)
    except OSError:
        closed = True
    if closed:
        # Hold the number with /dev/null, or the next file opened (the lock, a temp file of the
        # database) would get it and every print would be written into it.
        _to_null(fd)
    buffered = io.BufferedWriter(_GuardedWriter(fd, name, closed))
    # UTF-8 whatever the locale (under LANG=C Python picks ASCII, and names must still print).
    text = io.TextIOWrapper(
        buffered, encoding="utf-8", errors="replace", line_buffering=line_buffering
    )
    return cast(TextIO, text)


def guard_streams() -> None:
    """Put standard output and error behind :class:`_GuardedWriter` (first thing in main).

    Only the real streams 1 and 2 are guarded, and only once per process.
    """
    if _guarded_streams and sys.stdout is _guarded_streams[0]:
        return
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    interactive = sys.stdout is not None and sys.stdout.isatty()
    sys.stdout = _guarded(sys.stdout, 1, "stdout", line_buffering=interactive)
    sys.stderr = _guarded(sys.stderr, 2, "stderr", line_buffering=True)
    _guarded_streams[:] = [sys.stdout, sys.stderr]


def saved(what: str) -> None:
    """Record that ``what`` ("saved 张三") is committed: output lost after this is exit 3."""
    _done.append(what)


def run(body: Callable[[], int]) -> int:
    """Run a command and flush its output; a failed write ends it as the module says."""
    _done.clear()
    try:
        try:
            code = body()
        except SystemExit as leaving:  # argparse's --help, --version and usage errors
            code = leaving.code if isinstance(leaving.code, int) else EXIT_FAILED
            if leaving.code is None:
                code = EXIT_OK
        sys.stdout.flush()
        sys.stderr.flush()
    except OutputFailed as failure:
        return _output_lost(failure)
    return code


def _output_lost(failure: OutputFailed) -> int:
    """Say (on standard error, if it still works) what happened, and choose the exit code."""
    error = failure.error
    if error.errno == errno.EPIPE and not _done:
        return EXIT_PIPE_CLOSED
    reason = describe(error)
    if _done:
        line = _("shequ: {done}, but could not print the confirmation: {reason}.").format(
            done=_done[-1], reason=reason
        )
        code = EXIT_SAVED_OUTPUT_LOST
    else:
        line = _("shequ: could not write the output: {reason}.").format(reason=reason)
        code = EXIT_FAILED
    if failure.stream != "stderr":
        try:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
        except OutputFailed:
            pass
    return code


def describe(error: OSError) -> str:
    """Why the output could not be written, in a few words."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("the disk is full")
    if error.errno == errno.EPIPE:
        return _("the reader closed the pipe")
    if error.errno == errno.EIO:
        return _("an input/output error")
    return error.strerror or str(error)

"""The ``shequ`` command with a failure injected: ``python -m tests.e2e.faulty ARGS...``.

``SHEQU_FAULT`` says what fails, as ``WHAT:ERRNO`` items separated by commas:

- ``stdout:ENOSPC`` / ``stderr:EIO``: every write to that stream fails (a full disk under
  ``>out.txt``, a dead terminal), without writing to ``/dev/full``: before the fix, run as
  root, ``--out /dev/full`` replaced the device itself.
- ``fsync:ENOSPC``: every fsync fails (the disk fills while a file is being saved).

Only the process under test is affected; the test reads what it printed and its exit status.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable

STREAMS = {"stdout": 1, "stderr": 2}


def _failing_write(fd: int, code: int, real: Callable[[int, bytes], int]) -> Callable[..., int]:
    def write(target: int, data: bytes) -> int:
        if target == fd:
            raise OSError(code, os.strerror(code))
        return real(target, data)

    return write


def _failing_fsync(code: int) -> Callable[[int], None]:
    def fsync(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    return fsync


def install(spec: str) -> None:
    """Patch ``os`` so that what ``spec`` names fails with its errno."""
    for item in filter(None, spec.split(",")):
        what, _, name = item.partition(":")
        code = getattr(errno, name)
        if what in STREAMS:
            os.write = _failing_write(STREAMS[what], code, os.write)
        elif what == "fsync":
            os.fsync = _failing_fsync(code)
        else:
            raise SystemExit(f"unknown fault {item!r}")


if __name__ == "__main__":
    install(os.environ.get("SHEQU_FAULT", ""))
    from tui.cli.main import main

    sys.exit(main())

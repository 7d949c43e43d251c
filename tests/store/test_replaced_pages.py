"""A save drops the replaced file's pages from the page cache itself (issue 23).

Otherwise the last session to let go of the old version frees them when it closes it: about
2 ms of system time per save at 20,000 members (28 MB), paid by an open session rather than
by the writer, which spent the file's size on the save anyway (docs/FOLLOW.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store.actor import Actor, Role
from store.engine.database import Database
from store.members import ops as members

ADMIN = Actor("root", Role.ADMIN)


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="no posix_fadvise here")
def test_a_save_drops_the_replaced_files_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.json"
    db = Database(path)
    first = members.add(db, ADMIN, {"name": "甲"})
    reader = Database(path)
    held = reader.snapshot()  # a session still holding the version about to be replaced
    old_inode = path.stat().st_ino
    advised: list[tuple[int, int]] = []
    real = os.posix_fadvise

    def recording(fd: int, offset: int, length: int, advice: int) -> None:
        advised.append((os.fstat(fd).st_ino, advice))
        real(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", recording)
    members.update(db, ADMIN, str(first["id"]), {"phone": "13800000000"}, 1)

    assert (old_inode, os.POSIX_FADV_DONTNEED) in advised
    assert path.stat().st_ino != old_inode
    # Both versions still read whole: the session's old one, and the new one.
    assert held.get("members", str(first["id"]))["version"] == 1  # type: ignore[index]
    assert reader.snapshot().get("members", str(first["id"]))["phone"] == "13800000000"  # type: ignore[index]

"""Dated copies of the data file: before a migration or a restore, and daily on first write.

Backups live in ``backups/`` beside the data file, named ``<stem>-YYYYMMDD-HHMMSS-<reason>.json``
so they sort by time and say why they were taken. The newest ``KEEP`` are kept, and pruning
never removes two more: the newest safety copy taken before a restore (the way back from
restoring the wrong file, however many daily copies follow) and, during a restore, the backup
being restored (it may be the oldest, and its own safety copy would push it out).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from datetime import date, datetime
from pathlib import Path

from store.engine.atomic import fsync_folder
from store.engine.files import make_folder, settle
from store.engine.storage import FileProblem, read_file

KEEP = 14
RESTORE = "restore"  # the reason of the safety copy a restore takes first


def _prefix(db_path: Path) -> str:
    return f"{db_path.stem}-"


def _name_pattern(db_path: Path) -> re.Pattern[str]:
    # Exactly <stem>-YYYYMMDD-HHMMSS-<reason>[-n].json: a bare prefix match would take the
    # backups of "shequ-demo.json" for those of "shequ.json" (and prune them, or name one in
    # "restore this backup").
    return re.compile(re.escape(_prefix(db_path)) + r"(\d{8}-\d{6})-([\w-]+?)(?:-(\d+))?\.json")


def list_backups(backup_dir: Path, db_path: Path) -> list[Path]:
    """This database's backups, oldest first."""
    if not backup_dir.is_dir():
        return []
    pattern = _name_pattern(db_path)
    found = [(m, p) for p in backup_dir.iterdir() if (m := pattern.fullmatch(p.name))]
    found.sort(key=lambda mp: (mp[0][1], int(mp[0][3] or 1), mp[1].name))
    return [p for _m, p in found]


def temp_files(backup_dir: Path, db_path: Path) -> list[Path]:
    """Temp copies :func:`make` left behind (a writer killed mid-backup)."""
    pattern = _name_pattern(db_path)
    try:
        names = [p for p in backup_dir.iterdir() if p.name.startswith(".")]
    except OSError:  # no backups folder (yet), or one we may not list
        return []
    return [p for p in names if p.name.endswith(".tmp") and pattern.fullmatch(p.name[1:-4])]


def newest(backup_dir: Path, db_path: Path) -> Path | None:
    """The most recent backup that reads, to name in an error about a damaged file.

    A restore keeps the damaged file it replaced as a backup; that one must not be offered.
    """
    for candidate in reversed(list_backups(backup_dir, db_path)):
        try:
            if read_file(candidate) is not None:
                return candidate
        except FileProblem:
            continue
    return None


def has_daily(backup_dir: Path, db_path: Path, day: date) -> bool:
    """Whether a backup was already taken on ``day`` (any reason counts)."""
    stamp = f"{_prefix(db_path)}{day:%Y%m%d}-"
    return any(p.name.startswith(stamp) for p in list_backups(backup_dir, db_path))


def make(
    db_path: Path,
    backup_dir: Path,
    reason: str,
    now: datetime,
    mode: int,
    keep: int = KEEP,
    group: int | None = None,
    *,
    keep_also: Path | None = None,
) -> Path:
    """Copy the data file into ``backup_dir`` whole (temp file, fsync, rename), then prune.

    ``keep_also`` is a backup pruning must not remove this time (the one being restored).
    """
    make_folder(backup_dir, mode, group)
    target = backup_dir / _new_name(backup_dir, db_path, now, reason)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with open(db_path, "rb") as source, open(tmp, "wb") as copy:
            settle(copy.fileno(), mode, group)
            shutil.copyfileobj(source, copy)
            copy.flush()
            os.fsync(copy.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_folder(backup_dir)
    _prune(backup_dir, db_path, keep, {target, *([keep_also] if keep_also else [])})
    return target


def _new_name(backup_dir: Path, db_path: Path, now: datetime, reason: str) -> str:
    """``<stem>-YYYYMMDD-HHMMSS-<reason>.json``, numbered after the second's others of
    ``reason`` (``-2``, ``-3``...).

    Numbered past the highest number, not into the first free name: once pruning removed a
    second's first backups, the next would have taken a pruned name and sorted as the oldest
    (pruned next, or restored as if it were an old copy).
    """
    when = f"{now.astimezone():%Y%m%d-%H%M%S}"  # local time, as people read it
    pattern = _name_pattern(db_path)
    numbers = [
        int(m[3] or 1)
        for p in list_backups(backup_dir, db_path)
        if (m := pattern.fullmatch(p.name)) and m[1] == when and m[2] == reason
    ]
    counter = max(numbers, default=0) + 1
    suffix = f"-{counter}" if counter > 1 else ""
    return f"{_prefix(db_path)}{when}-{reason}{suffix}.json"


def _prune(backup_dir: Path, db_path: Path, keep: int, spared: set[Path]) -> None:
    """Remove all but the newest ``keep`` backups, the ``spared`` ones and the newest safety
    copy taken before a restore."""
    found = list_backups(backup_dir, db_path)
    pattern = _name_pattern(db_path)
    safety = [p for p in found if (m := pattern.fullmatch(p.name)) and m[2] == RESTORE]
    if safety:
        spared = spared | {safety[-1]}
    spared_files = {p.resolve() for p in spared}
    for old in found[: max(len(found) - keep, 0)]:
        if old.resolve() not in spared_files:
            with contextlib.suppress(OSError):
                old.unlink()

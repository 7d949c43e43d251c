"""Dated copies of the data file: before a migration or a restore, and daily on first write.

Backups live in ``backups/`` beside the data file, named ``<stem>-YYYYMMDD-HHMMSS-<reason>.json``
so they sort by time and say why they were taken. Only the newest ``KEEP`` are kept.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from datetime import date, datetime
from pathlib import Path

from store.engine.files import make_folder, settle
from store.engine.storage import FileProblem, fsync_folder, read_file

KEEP = 14


def _prefix(db_path: Path) -> str:
    return f"{db_path.stem}-"


def _name_pattern(db_path: Path) -> re.Pattern[str]:
    # Exactly <stem>-YYYYMMDD-HHMMSS-<reason>[-n].json: a bare prefix match would take the
    # backups of "shequ-demo.json" for those of "shequ.json" (and prune them, or name one in
    # "restore this backup").
    return re.compile(re.escape(_prefix(db_path)) + r"(\d{8}-\d{6})-[\w-]+?(?:-(\d+))?\.json")


def list_backups(backup_dir: Path, db_path: Path) -> list[Path]:
    """This database's backups, oldest first."""
    if not backup_dir.is_dir():
        return []
    pattern = _name_pattern(db_path)
    found = [(m, p) for p in backup_dir.iterdir() if (m := pattern.fullmatch(p.name))]
    found.sort(key=lambda mp: (mp[0][1], int(mp[0][2] or 1), mp[1].name))
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
) -> Path:
    """Copy the data file into ``backup_dir`` whole (temp file, fsync, rename), then prune."""
    make_folder(backup_dir, mode, group)
    stamp = f"{_prefix(db_path)}{now.astimezone():%Y%m%d-%H%M%S}"  # local time, as people read it
    target = backup_dir / f"{stamp}-{reason}.json"
    counter = 1
    while target.exists():  # two backups in one second: keep both
        counter += 1
        target = backup_dir / f"{stamp}-{reason}-{counter}.json"
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
    for old in list_backups(backup_dir, db_path)[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target

"""The low-bandwidth setting the ``shequ`` command reads before Textual starts (tui/cli/main.py
``_low_bandwidth_setting``, store/settings/early.py): the raw stored value, read as the settings
model reads it, without importing that model. Real files in tmp; the imports in a fresh
process (the test runner has every module loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

import tui.cli.main as cli
from store.actor import Actor, Role
from store.engine.database import Database
from store.settings import ops as settings
from tests.fresh import run_fresh
from tui.env import LOW_BANDWIDTH_VARIABLE, apply_terminal_defaults

ADMIN = Actor("root", Role.ADMIN, user_id="u-root")
MISSING = object()


def _stored(path: Path, value: object) -> Database:
    """A file whose settings record holds ``low_bandwidth: value`` (none when MISSING), after
    a member, as a real file has."""
    db = Database(path)
    with db.transaction(ADMIN) as tx:
        tx.insert("members", {"name": "张三"})
        tx.insert("settings", {} if value is MISSING else {"low_bandwidth": value})
    return db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        (MISSING, False),
        ("true", False),  # hand-edited: only a JSON true counts, as Settings.from_doc reads it
        (1, False),
        (None, False),
        ({"on": True}, False),
    ],
)
def test_the_pre_read_reads_the_setting_as_the_settings_model_does(
    tmp_path: Path, value: object, expected: bool
) -> None:
    db = _stored(tmp_path / "shequ.json", value)
    assert cli._low_bandwidth_setting(db) is expected
    assert settings.current(Database(db.path).snapshot()).low_bandwidth is expected


def test_no_file_no_settings_table_and_an_unreadable_file_give_false(tmp_path: Path) -> None:
    assert cli._low_bandwidth_setting(None) is False
    assert cli._low_bandwidth_setting(Database(tmp_path / "none.json")) is False
    db = Database(tmp_path / "no_settings.json")
    with db.transaction(ADMIN) as tx:
        tx.insert("members", {"name": "张三"})
    assert cli._low_bandwidth_setting(db) is False
    damaged = tmp_path / "damaged.json"
    damaged.write_bytes(b'{"settings": {"1": {"low_bandwidth": tr')
    assert cli._low_bandwidth_setting(Database(damaged)) is False


@pytest.mark.parametrize(("stored", "variable"), [(False, "1"), (True, "1"), (False, "yes")])
def test_the_environment_variable_still_wins(tmp_path: Path, stored: bool, variable: str) -> None:
    db = _stored(tmp_path / "shequ.json", stored)
    environ = {LOW_BANDWIDTH_VARIABLE: variable}
    # what tui/cli/main.py _run_tui does with them, before Textual is imported
    assert apply_terminal_defaults(environ, low_bandwidth=cli._low_bandwidth_setting(db))
    assert environ["TEXTUAL_COLOR_SYSTEM"] == "standard"


SETTINGS_MODEL = ("store.settings.ops", "store.settings.model", "store.settings.validation")

PRE_READ = r"""
import sys
from pathlib import Path
from tui.env import skip_tls

skip_tls()
import tui.cli.main as cli

db = cli._opened(Path(sys.argv[1]))
print(cli._low_bandwidth_setting(db))
print(*[name for name in %r if name in sys.modules])
"""


def test_the_pre_read_does_not_import_the_settings_model(tmp_path: Path) -> None:
    db = _stored(tmp_path / "shequ.json", True)
    lines = run_fresh(PRE_READ % (SETTINGS_MODEL,), str(db.path)).splitlines()
    assert lines == ["True"]  # and no module of the settings model

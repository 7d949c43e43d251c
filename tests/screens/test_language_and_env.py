"""Choosing the language and the terminal defaults, without starting the app."""

from __future__ import annotations

import pytest

from store.i18n import _
from tui.env import apply_terminal_defaults
from tui.i18n import chinese_unavailable, setup_language, wanted_language


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("zh", "zh_CN"),
        ("zh_CN", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("ZH_cn.UTF-8", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("en", "en"),
        ("en_US", "en"),
        ("fr", "en"),
    ],
)
def test_flag_decides(flag: str, expected: str) -> None:
    assert wanted_language(flag, {"LANG": "zh_CN.UTF-8" if expected == "en" else "C"}) == expected


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LC_ALL": "", "LC_MESSAGES": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
    ],
)
def test_locale_variables_decide_in_posix_order(environ: dict[str, str], expected: str) -> None:
    assert setup_language(None, environ) == expected


def test_linux_console_forces_english_and_says_so() -> None:
    console = {"LANG": "zh_CN.UTF-8", "TERM": "linux"}
    assert setup_language(None, console) == "en"
    assert setup_language("zh", console) == "en"
    assert chinese_unavailable(None, console)
    assert not chinese_unavailable("en", console)
    assert not chinese_unavailable(None, {"LANG": "zh_CN.UTF-8", "TERM": "xterm-256color"})


def test_missing_catalog_falls_back_to_english() -> None:
    setup_language("en", {})
    assert _("Dashboard") == "Dashboard"
    setup_language("zh", {})  # catalog may not exist yet: must not raise
    assert _("Dashboard")


def test_terminal_defaults_are_only_defaults() -> None:
    environ = {"ESCDELAY": "50"}
    assert not apply_terminal_defaults(environ)
    assert environ["TEXTUAL_ANIMATIONS"] == "none"
    assert environ["TEXTUAL_SMOOTH_SCROLL"] == "0"
    assert environ["ESCDELAY"] == "50"  # the user's own setting wins
    assert "TEXTUAL_COLOR_SYSTEM" not in environ
    assert "TEXTUAL_FPS" not in environ


@pytest.mark.parametrize(
    ("flag", "environ"),
    [(True, {}), (False, {"SHEQU_LOW_BANDWIDTH": "1"}), (False, {"SHEQU_LOW_BANDWIDTH": "yes"})],
)
def test_low_bandwidth_mode(flag: bool, environ: dict[str, str]) -> None:
    assert apply_terminal_defaults(environ, low_bandwidth=flag)
    assert environ["TEXTUAL_COLOR_SYSTEM"] == "standard"
    assert int(environ["TEXTUAL_FPS"]) < 60
    assert environ["SHEQU_LOW_BANDWIDTH"] == "1"


def test_low_bandwidth_respects_user_colours() -> None:
    environ = {"TEXTUAL_COLOR_SYSTEM": "256"}
    apply_terminal_defaults(environ, low_bandwidth=True)
    assert environ["TEXTUAL_COLOR_SYSTEM"] == "256"


def test_env_module_does_not_import_textual() -> None:
    import ast
    from pathlib import Path

    import tui.env

    tree = ast.parse(Path(tui.env.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name and name.startswith("textual") for name in imported)

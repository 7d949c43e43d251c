"""The options of a line that starts the TUI are read without building every command's parser
(tui/cli/main.py ``_options_alone``): they must come out exactly as the whole parser reads them,
and anything else must be left to the whole parser, with its help and its messages."""

from __future__ import annotations

import argparse

import pytest

from tui.cli.main import _options_alone, build_parser

TOP = ("db", "lang", "low_bandwidth", "command")


def _top(args: argparse.Namespace) -> dict[str, object]:
    return {name: getattr(args, name) for name in TOP}


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "x.json"],
        ["--db=x.json", "--lang=en"],
        ["--lang", "zh", "--low-bandwidth"],
        ["--low", "--la", "en"],  # abbreviations, as argparse takes them
    ],
)
def test_a_line_without_a_command_reads_as_the_whole_parser_reads_it(argv: list[str]) -> None:
    alone = _options_alone(argv)
    assert alone is not None
    assert _top(alone) == _top(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["members", "list"],
        ["--db", "x.json", "check"],
        ["-h"],
        ["--help"],
        ["--lang", "fr"],  # a wrong choice
        ["--db"],  # a value missing
        ["--l"],  # ambiguous: --lang or --low-bandwidth
        ["--bogus"],
    ],
)
def test_anything_else_is_left_to_the_whole_parser(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _options_alone(argv) is None
    assert capsys.readouterr() == ("", "")  # it said nothing: the whole parser will


def test_the_whole_parser_still_answers_a_wrong_option_with_the_commands_in_its_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["--lang", "fr"])
    assert stopped.value.code == 2
    assert "COMMAND" in capsys.readouterr().err

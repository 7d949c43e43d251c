"""The App's stylesheet takes each new widget's CSS alone (tui/stylesheet.py) and ends with the
rules and index a whole parse of the same sources gives, after every section, dialog and theme
change; a change it cannot add alone is parsed whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.css.stylesheet import StylesheetParseError

from tests.screens.helpers import enter_as, settle
from tests.screens.stylesheet_checks import assert_same_as_whole, described
from tui.factory import make_app
from tui.keymap import SECTIONS
from tui.stylesheet import GrowingStylesheet


async def test_every_section_ends_with_the_rules_of_a_whole_parse(db_path: Path) -> None:
    app = make_app(db_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        stylesheet = app.stylesheet
        assert isinstance(stylesheet, GrowingStylesheet)
        assert_same_as_whole(stylesheet)
        at_login = stylesheet.whole_parses
        await enter_as(pilot)
        await settle(pilot)
        sources = len(stylesheet.source)
        for section in SECTIONS:
            await app.action_section(section.mode)
            await settle(pilot)
            assert_same_as_whole(stylesheet)
        await pilot.press("f1")  # a dialog of its own widgets
        await settle(pilot)
        assert_same_as_whole(stylesheet)
        assert len(stylesheet.source) > sources  # new widgets' CSS came in on the way...
        # ...each parsed alone, a class's CSS given a subclass's lower tie-breaker too.
        assert stylesheet.added_alone >= 5
        assert stylesheet.whole_parses == at_login
        # A theme change parses everything whole with the new variables.
        before = stylesheet.whole_parses
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)
        assert stylesheet.whole_parses == before + 1
        assert_same_as_whole(stylesheet)


def test_a_replaced_source_is_parsed_whole() -> None:
    stylesheet = GrowingStylesheet()
    stylesheet.add_source("Label { color: red; }", read_from=("a.tcss", ""))
    stylesheet.parse()
    stylesheet.add_source("Button { color: blue; }", read_from=("b.tcss", ""))
    assert [rule.selectors for rule in stylesheet.rules_map["Button"]] == ["Button"]
    assert stylesheet.whole_parses == 1
    stylesheet.add_source("Label { color: green; }", read_from=("a.tcss", ""))
    stylesheet.parse()
    assert stylesheet.whole_parses == 2
    assert_same_as_whole(stylesheet)
    assert "0, 128, 0" in described(stylesheet.rules_map["Label"])[0][1]  # green


def test_a_source_given_a_lower_tie_breaker_has_its_rules_parsed_again_in_place() -> None:
    stylesheet = GrowingStylesheet()
    stylesheet.add_source("Label { color: red; }", read_from=("a.tcss", ""), is_default_css=True)
    stylesheet.add_source("Button { color: blue; }", read_from=("b.tcss", ""))
    stylesheet.parse()
    stylesheet.add_source(
        "Label { color: red; }", read_from=("a.tcss", ""), is_default_css=True, tie_breaker=-1
    )
    stylesheet.add_source("Input { color: blue; }", read_from=("c.tcss", ""))
    stylesheet.parse()
    assert stylesheet.whole_parses == 1
    assert [rule.tie_breaker for rule in stylesheet.rules_map["Label"]] == [-1]
    assert_same_as_whole(stylesheet)


def test_bad_css_added_later_is_refused_as_textual_refuses_it() -> None:
    stylesheet = GrowingStylesheet()
    stylesheet.add_source("Label { color: red; }", read_from=("a.tcss", ""))
    stylesheet.parse()
    stylesheet.add_source("Button { colour: blue; }", read_from=("b.tcss", ""))
    with pytest.raises(StylesheetParseError):
        stylesheet.parse()

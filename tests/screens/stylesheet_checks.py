"""What the stylesheet tests compare: the rules and index a whole parse of the same sources
gives (tests/screens/test_stylesheet.py, test_css_cache.py)."""

from __future__ import annotations

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet


def whole(stylesheet: Stylesheet) -> Stylesheet:
    """The same sources and variables parsed whole by Textual's own Stylesheet."""
    fresh = Stylesheet(variables=dict(stylesheet._variables))
    for location, (css, is_defaults, tie_breaker, scope) in stylesheet.source.items():
        fresh.add_source(
            css,
            read_from=location,
            is_default_css=is_defaults,
            tie_breaker=tie_breaker,
            scope=scope,
        )
    fresh.parse()
    return fresh


def described(rules: list[RuleSet]) -> list[tuple[str, str, bool, int, list[str]]]:
    """Each rule's selectors, declarations (as parsed), origin and tie-breaker, in order."""
    return [
        (
            rule.selectors,
            repr(sorted(rule.styles.get_rules().items())),
            rule.is_default_rules,
            rule.tie_breaker,
            sorted(rule.pseudo_classes),
        )
        for rule in rules
    ]


def assert_same_as_whole(stylesheet: Stylesheet) -> None:
    fresh = whole(stylesheet)
    assert described(stylesheet.rules) == described(fresh.rules)
    ours = {name: described(rules) for name, rules in stylesheet.rules_map.items()}
    theirs = {name: described(rules) for name, rules in fresh.rules_map.items()}
    assert ours == theirs
    assert list(ours) == list(theirs)

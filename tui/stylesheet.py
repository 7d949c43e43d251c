"""The App's stylesheet, taking each new widget's CSS without parsing and indexing all again.

Textual adds a widget class's DEFAULT_CSS to the App's stylesheet when the first widget of
that class mounts; the next styling then parses every source again (from a cache) and rebuilds
the index of every rule by selector name (``rules_map``): eight times before the login screen
is painted and ten by the roster, about 30 ms of a cold start on a small machine. New sources
are always added after the ones already parsed, so their rules go after the others, and
adding just those to the rules and the index gives the same lists in the same order as a whole
parse would; that is what :class:`GrowingStylesheet` does. Anything else (a source replaced, a
source's tie-breaker changed, new variables, an error in the new CSS) is parsed whole as before.

A re-parse (``reparse``: a theme change, and once at start, when the theme's variables are
applied) with the same variables and sources as the last parse would make the same rules
again: it is skipped.

Private Textual state (``Stylesheet`` internals), pinned below 9 (pyproject.toml);
tests/screens/test_stylesheet.py compares the result with a whole parse after every section.
"""

from __future__ import annotations

from textual.css.model import RuleSet
from textual.css.stylesheet import CssSource, Stylesheet
from textual.css.types import CSSLocation


class GrowingStylesheet(Stylesheet):
    """A :class:`~textual.css.stylesheet.Stylesheet` that parses only the sources added since
    its last parse, when that gives the same rules (see the module)."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parsed: dict[CSSLocation, CssSource] = {}  # what self._rules were made from
        self._parsed_with: dict[str, str] | None = None  # ... with these variables
        self._index: dict[str, list[RuleSet]] | None = None  # rules_map of self._rules
        self.whole_parses = 0  # how often every source was parsed, and how often only the new
        self.added_alone = 0  # ones (tests look)

    def _new_sources(self) -> list[tuple[CSSLocation, CssSource]] | None:
        """The sources added since the last parse, if that is all that changed; else None."""
        parsed, sources = self._parsed, self.source
        if self._parsed_with != self._variables or len(sources) < len(parsed):
            return None
        kept = iter(sources.items())
        # parsed first: zip stops there without taking a new source from ``kept``.
        for (was_location, was), (location, source) in zip(parsed.items(), kept, strict=False):
            if location != was_location or source != was:
                return None
        return list(kept)

    def parse(self) -> None:
        new = self._new_sources() if self._parsed_with is not None else None
        if new is None:
            self._parse_whole()
            return
        rules: list[RuleSet] = []
        for location, (css, is_defaults, tie_breaker, scope) in new:
            if css in self._invalid_css:
                continue
            found = self._parse_rules(
                css,
                read_from=location,
                is_default_rules=is_defaults,
                tie_breaker=tie_breaker,
                scope=scope,
            )
            if any(rule.errors for rule in found):
                self._parse_whole()  # raises as a whole parse does
                return
            rules += found
        index = self._index
        if index is not None:
            for rule in rules:
                for name in rule.selector_names:
                    index.setdefault(name, []).append(rule)
        self._rules = [*self._rules, *rules]
        self._rules_map = index
        self._parsed = dict(self.source)
        self._require_parse = False
        self.added_alone += 1

    def _parse_whole(self) -> None:
        self.whole_parses += 1
        self._index = None
        super().parse()
        self._parsed = dict(self.source)
        self._parsed_with = self._variables

    @property
    def rules_map(self) -> dict[str, list[RuleSet]]:
        """Selector name -> the rules naming it, in order (Textual's index of the rules)."""
        if self._require_parse:
            self.parse()
        if self._rules_map is None:
            self._rules_map = Stylesheet.rules_map.fget(self)  # type: ignore[attr-defined]
        self._index = self._rules_map
        return self._rules_map

    def reparse(self) -> None:
        if (
            self._parsed_with is not None
            and self._parsed_with == self._variables
            and not self._require_parse
            and self._parsed == self.source
        ):
            return  # the same sources with the same variables: the same rules
        super().reparse()
        self.whole_parses += 1
        self._index = None
        self._parsed = dict(self.source)
        self._parsed_with = self._variables

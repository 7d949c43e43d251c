"""The App's stylesheet, taking each new widget's CSS without parsing and indexing all again.

Textual adds a widget class's DEFAULT_CSS to the App's stylesheet when the first widget of
that class mounts; the next styling then parses every source again (from a cache) and rebuilds
the index of every rule by selector name (``rules_map``): eight times before the login screen
is painted and ten by the roster, about 30 ms of a cold start on a small machine. New sources
are always added after the ones already parsed, so their rules go after the others, and
adding just those to the rules and the index gives the same lists in the same order as a whole
parse would; that is what :class:`GrowingStylesheet` does. A class's CSS first added for one of
its own widgets and then for a subclass's gets a lower tie-breaker (Textual keeps the lowest):
its rules are parsed again and take the old ones' places. Anything else (a source replaced, new
variables, an error in the new CSS) is parsed whole as before.

A re-parse (``reparse``: a theme change, and once at start, when the theme's variables are
applied) with the same variables and sources as the last parse would make the same rules
again: it is skipped.

Given a :class:`~tui.css_cache.CssCache` (the ``shequ`` command gives one), a source an earlier
run parsed is read back from it rather than parsed.

Private Textual state (``Stylesheet`` internals), pinned below 9 (pyproject.toml);
tests/screens/test_stylesheet.py compares the result with a whole parse after every section.
"""

from __future__ import annotations

from textual.css.model import RuleSet
from textual.css.stylesheet import CssSource, Stylesheet
from textual.css.types import CSSLocation

from tui.css_cache import CssCache


class GrowingStylesheet(Stylesheet):
    """A :class:`~textual.css.stylesheet.Stylesheet` that parses only the sources added (or
    given a new tie-breaker) since its last parse, when that gives the same rules (see the
    module)."""

    def __init__(
        self, *, variables: dict[str, str] | None = None, cache: CssCache | None = None
    ) -> None:
        super().__init__(variables=variables)
        self.cache = cache
        self._parsed: dict[CSSLocation, CssSource] = {}  # what self._rules were made from
        self._parsed_with: dict[str, str] | None = None  # ... with these variables
        self._spans: dict[CSSLocation, list[RuleSet]] | None = None  # each source's rules
        self._index: dict[str, list[RuleSet]] | None = None  # rules_map of self._rules
        self.whole_parses = 0  # how often every source was parsed, and how often only what
        self.added_alone = 0  # changed (tests look)

    def _changes(self) -> tuple[list[CSSLocation], list[CSSLocation]] | None:
        """The sources given a new tie-breaker, and those added, since the last parse, if that
        is all that changed; else None."""
        parsed, sources = self._parsed, self.source
        if self._spans is None or self._parsed_with != self._variables:
            return None
        if len(sources) < len(parsed):
            return None
        kept = iter(sources.items())
        retied = []
        # parsed first: zip stops there without taking a new source from ``kept``.
        for (was_location, was), (location, source) in zip(parsed.items(), kept, strict=False):
            if location != was_location:
                return None
            if source != was:
                if source._replace(tie_breaker=was.tie_breaker) != was:
                    return None  # other CSS at the same place
                retied.append(location)
        return retied, [location for location, _source in kept]

    def _rules_of(self, location: CSSLocation) -> list[RuleSet] | None:
        """The rules of one source (None if it is refused: a whole parse says why)."""
        css, is_defaults, tie_breaker, scope = self.source[location]
        if css in self._invalid_css:
            return []
        found = self._parse_rules(
            css,
            read_from=location,
            is_default_rules=is_defaults,
            tie_breaker=tie_breaker,
            scope=scope,
        )
        return None if any(rule.errors for rule in found) else found

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        if self.cache is None or key in self._parse_cache:
            return super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
        rules = self.cache.get(key, self._variables)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            if not any(rule.errors for rule in rules):
                self.cache.put(key, self._variables, rules)
        self._parse_cache[key] = rules
        return rules

    def parse(self) -> None:
        changes = self._changes()
        spans = self._spans
        if changes is None or spans is None:
            self._parse_whole()
            return
        retied, added = changes
        index = self._index
        rules = self._rules
        swapped: dict[int, RuleSet] = {}
        for location in retied:
            old, new = spans[location], self._rules_of(location)
            if new is None or len(new) != len(old):
                self._parse_whole()
                return
            swapped.update((id(was), now) for was, now in zip(old, new, strict=True))
            spans[location] = new
        if swapped:
            rules = [swapped.get(id(rule), rule) for rule in rules]
            if index is not None:
                for name, named in index.items():
                    index[name] = [swapped.get(id(rule), rule) for rule in named]
        appended: list[RuleSet] = []
        for location in added:
            found = self._rules_of(location)
            if found is None:
                self._parse_whole()  # raises as Textual's parse does
                return
            spans[location] = found
            appended += found
        if index is not None:
            for rule in appended:
                for name in rule.selector_names:
                    index.setdefault(name, []).append(rule)
        self._rules = [*rules, *appended]
        self._rules_map = index
        self._parsed = dict(self.source)
        self._require_parse = False
        self.added_alone += 1

    def _parse_whole(self) -> None:
        self.whole_parses += 1
        self._index = self._spans = None
        super().parse()
        self._parsed = dict(self.source)
        self._parsed_with = self._variables
        # Each source's share of the rules, in order (its list is in Textual's parse cache).
        spans, at = {}, 0
        for location, (css, *_rest) in self.source.items():
            found = [] if css in self._invalid_css else self._rules_of(location) or []
            spans[location] = self._rules[at : at + len(found)]
            at += len(found)
        if at == len(self._rules):
            self._spans = spans

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
        self._index = self._spans = None  # the next parse is whole, and records them
        self._parsed = dict(self.source)
        self._parsed_with = self._variables

# Everything a fresh machine needs: `make run` and `make test` build their own .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# A stamp per extra, so pyproject.toml changes reinstall and nothing else does.
RUN_STAMP := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
PO := tui/locale/zh_CN/LC_MESSAGES/shequ.po

.PHONY: run test lint typecheck imports pytest bench i18n clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/shequ demo --if-missing
	$(BIN)/shequ

test: $(TEST_STAMP) lint typecheck imports pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

imports: $(TEST_STAMP)
	$(BIN)/lint-imports

pytest: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

bench: $(TEST_STAMP)
	$(BIN)/python -m tests.bench

# Re-extract messages, merge them into the zh_CN catalog and compile it.
i18n: $(TEST_STAMP)
	$(BIN)/pybabel extract --no-location --omit-header -k _ -k N_ -k ngettext:1,2 \
		-o tui/locale/shequ.pot tui screens store
	test -f $(PO) || $(BIN)/pybabel init -D shequ -l zh_CN -i tui/locale/shequ.pot -d tui/locale
	$(BIN)/pybabel update --no-fuzzy-matching --init-missing --ignore-obsolete -D shequ -l zh_CN \
		-i tui/locale/shequ.pot -d tui/locale
	$(BIN)/pybabel compile -D shequ -l zh_CN -d tui/locale

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

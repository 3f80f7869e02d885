# Two commands: `make run` sets up and serves the demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MO_FILES := $(patsubst %.po,%.mo,$(wildcard elearn/translations/*/LC_MESSAGES/messages.po))
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format clean translations bench-content

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[dev,server,postgres]'
	@touch $(STAMP)

# Compiled message catalogues are build output, made from the .po files.
$(MO_FILES): %.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

run: $(STAMP) $(MO_FILES)
	$(BIN)/elearn db upgrade
	$(BIN)/elearn content sync
	$(BIN)/elearn demo --if-empty
	$(BIN)/elearn run --host $(HOST) --port $(PORT)

test: $(STAMP) $(MO_FILES)
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/elearn content check

# A benchmark, not a test: check and sync 1,000 generated scenarios (target: under 2 seconds).
bench-content: $(STAMP)
	$(BIN)/python bench/content_bench.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Refresh the catalogues after changing UI text: extract, then merge into each language.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o elearn/translations/messages.pot .
	$(BIN)/pybabel update -i elearn/translations/messages.pot -d elearn/translations --no-fuzzy-matching

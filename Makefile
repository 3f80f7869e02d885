# Two commands: `make run` sets up and serves the demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MO_FILES := $(patsubst %.po,%.mo,$(wildcard elearn/translations/*/LC_MESSAGES/messages.po))
HOST ?= 127.0.0.1
PORT ?= 5000
CHROMIUM := /usr/bin/chromium
AXE_FOLDER := .cache/axe
AXE := $(AXE_FOLDER)/node_modules/axe-core/axe.min.js
SCORM_AGAIN_FOLDER := .cache/scorm-again
SCORM_AGAIN := $(SCORM_AGAIN_FOLDER)/node_modules/scorm-again/dist/scorm12.js

.PHONY: venv run test screenshots lint format clean translations bench bench-smoke bench-content bench-remind bundle

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[dev,server,postgres]'
	@touch $(STAMP)

# Compiled message catalogues are build output, made from the .po files.
$(MO_FILES): %.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

# The Python side of the setup alone: .ci/run makes it while apt installs the Debian packages.
venv: $(STAMP) $(MO_FILES)

run: $(STAMP) $(MO_FILES)
	$(BIN)/elearn db upgrade
	$(BIN)/elearn content sync --keep-web
	$(BIN)/elearn demo --if-empty
	$(BIN)/elearn run --host $(HOST) --port $(PORT)

# The tests run in parallel, one process per core (pytest-xdist); tests that share a server or a fixture
# built for several of them stay in one process (their xdist_group). PYTEST_ARGS adds options, e.g.
# PYTEST_ARGS="-n 0" for one process.
test: $(STAMP) $(MO_FILES) $(CHROMIUM) $(AXE) $(SCORM_AGAIN)
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# The README's pictures (docs/screenshots/), taken in chromium from the tour's demo organisation:
# run it and commit them when the pages change. Not part of make test (tests/e2e/screenshots.py).
screenshots: $(STAMP) $(MO_FILES) $(CHROMIUM) $(AXE)
	CI=true $(BIN)/pytest -n 0 tests/e2e/screenshots.py

# What the browser tests (tests/e2e) need besides Python: Debian's chromium with Japanese fonts,
# installed through apt when missing (as root), and axe-core and scorm-again from the npm registry.
# Without them the browser tests are skipped on a workstation, and fail in CI (CI=true).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	else \
	  echo "$(CHROMIUM) is missing: the browser tests will be skipped (apt-get install chromium fonts-noto-cjk)"; \
	fi

$(AXE):
	@if command -v npm >/dev/null; then \
	  npm install --prefix $(AXE_FOLDER) --no-audit --no-fund axe-core@4; \
	else \
	  echo "npm is missing: the accessibility scan will be skipped (apt-get install npm)"; \
	fi

# scorm-again, a SCORM 1.2 runtime from the npm registry: the stand-in LMS of the exported package's
# browser test (tests/e2e/scorm). Only the tests use it; the package itself carries no third-party code.
$(SCORM_AGAIN):
	@if command -v npm >/dev/null; then \
	  npm install --prefix $(SCORM_AGAIN_FOLDER) --no-audit --no-fund scorm-again@2; \
	else \
	  echo "npm is missing: the SCORM runtime test will be skipped (apt-get install npm)"; \
	fi
# The offline install bundle (deploy/INSTALL.ja.md): dist/elearn-offline-<version>-linux_x86_64.tar.gz
# with every wheel for CPython 3.11 and 3.12. Needs the package registry once, at build time.
bundle: $(STAMP)
	$(BIN)/python deploy/build_bundle.py --out dist

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/elearn content check

# Benchmarks, not tests (docs/benchmarks.md). The whole suite takes about ten minutes: generated
# organisations of 1,000 to 100,000 employees, server throughput under wrk against a plain-Flask
# baseline, reports at scale, content sync; it writes bench/results/latest.md and docs/benchmarks.md.
# Take the figures on a quiet machine (1-minute load under 0.5). bench-smoke runs it all at a tiny size.
bench: $(STAMP)
	@command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
	$(BIN)/python -m bench.run

bench-smoke: $(STAMP)
	@command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
	$(BIN)/python -m bench.run --smoke --out bench/results/smoke

# Check and sync 1,000 generated scenarios alone (target: under 2 seconds).
bench-content: $(STAMP)
	$(BIN)/python bench/content_bench.py

# elearn remind send for 10,000 due reminders against a local SMTP sink, and a bare smtplib loop.
bench-remind: $(STAMP)
	$(BIN)/python bench/remind_bench.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Refresh the catalogues after changing UI text: extract, then merge into each language.
# Sorted by message and without line numbers, so that branches adding messages seldom conflict.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output -o elearn/translations/messages.pot .
	$(BIN)/pybabel update -i elearn/translations/messages.pot -d elearn/translations --no-fuzzy-matching \
	  --ignore-pot-creation-date

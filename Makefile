# Crowdline: `make run` installs and starts the living demo (seeded, simulated carrier);
# `make serve` the plain app; `make test` installs and runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium

AUDIT_VENV ?= .venv-audit

.PHONY: run demo serve install install-test browser lint test test-sqlite test-postgres bench audit clean

run: demo

demo: install
	$(BIN)/crowdline demo --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/crowdline run --host $(HOST) --port $(PORT)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Crowdline needs Python 3.11 or newer")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@# Front-end libraries (socket.io-client) pinned by package-lock.json, served from node_modules.
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# Page tests drive the system Chromium; browsers are never downloaded by Playwright.
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium not found at $(CHROMIUM): install it (e.g. apt-get install chromium) or browser tests are skipped"; fi

# ruff, then the import contracts of pyproject.toml (layers import downward, pure routing core).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: install-test browser lint test-sqlite test-postgres

test-sqlite: install-test
	CROWDLINE_TEST_DATABASE=sqlite $(BIN)/python -m pytest

test-postgres: install-test
	CROWDLINE_TEST_DATABASE=postgresql $(BIN)/python -m pytest

bench: install
	$(BIN)/crowdline bench

# Known vulnerabilities in the installed Python packages (pip-audit, from a tool venv of its own
# so it audits only what Crowdline installs; --strict fails when a package could not be checked)
# and in the npm packages (npm audit). Needs the vulnerability services on the network; not part
# of `make test` or CI.
audit: install
	test -d $(AUDIT_VENV) || $(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet "pip-audit>=2.7,<3"
	$(AUDIT_VENV)/bin/pip-audit --strict --skip-editable --progress-spinner off --desc on \
		--path "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
	npm audit --omit=dev

clean:
	rm -rf $(VENV) $(AUDIT_VENV) build *.egg-info test-artifacts .pytest_cache .ruff_cache

# Two commands: `make run` (install, migrate, demo data, serve) and `make test` (install, every test);
# `make screenshot` regenerates the README's picture, docs/screenshot.png.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app

.PHONY: run test screenshot inbox-screenshot install vendor clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# npm packages: htmx (copied into static/vendor, served) and, for the tests only, axe-core (the browser
# tests read node_modules/axe-core/axe.min.js and run it in Chromium; it is never served).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/vendor/htmx.min.js: node_modules/.installed
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

install: $(VENV)/.installed node_modules/.installed static/vendor/htmx.min.js

vendor: static/vendor/htmx.min.js

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed
	SESSION_COOKIE_SECURE=0 $(BIN)/flask run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest

# The registration-and-review browser test takes the picture; the suite writes it to a tmp folder,
# this target points it at docs/.
screenshot: install
	FENGQIAO_SCREENSHOT=$(CURDIR)/docs/screenshot.png $(BIN)/python -m pytest -q \
		tests/browser/test_review_flow.py::test_contractor_registers_is_rejected_fixes_condition_and_is_approved

# docs/inbox.png for the README: the demo's work inbox in Chromium (a temporary database; a few minutes)
inbox-screenshot: install
	$(BIN)/python docs/inbox_screenshot.py

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache

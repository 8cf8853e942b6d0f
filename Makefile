# Quick start: `make run` then open the printed address (the task worker runs beside the web server);
# `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The development server and demo data run with DEBUG on (demo users exist only then); the tests
# use citiesalliance.settings_test and production uses the environment.
DEV := DEBUG=$${DEBUG:-1}

.PHONY: run install messages messages-update migrate demo test test-browser check bench clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(BIN)/activate

install: $(BIN)/activate

# The translation catalogues (locale/ and each app's locale/) compiled to .mo files, which git does
# not keep: with GNU gettext's msgfmt when the machine has it, else in Python (polib).
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
	  $(DEV) $(PY) manage.py compilemessages --ignore=.venv --ignore=static --verbosity 0; \
	else \
	  $(DEV) $(PY) manage.py catalogues_compile; \
	fi

migrate: messages
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) $(PY) manage.py load_chains
	$(DEV) $(PY) manage.py create_demo_users
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py load_translations  # the chains in French: illustrative translations

run: demo
	@echo ""
	@echo "  Cities Alliance results management is starting at http://$(HOST):$(PORT)/"
	@echo "  Log in with one of the demo users above (demo figures are illustrative)."
	@echo "  The task worker (reminders, large imports, edition PDFs) runs beside it and stops with it."
	@echo ""
	@$(DEV) $(PY) manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

test: messages
	$(PY) -m pytest

# Static checks (CI runs them too): the ruff rule set in pyproject.toml, and no model change without
# its migration.
check: install
	$(BIN)/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=citiesalliance.settings_test

test-browser: messages
	$(PY) -m pytest -m browser

bench: install
	$(PY) bench/scorecard.py
	$(PY) bench/import_measurements.py
	$(PY) bench/iati.py
	$(PY) bench/pages.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache

# Refresh the project catalogue (locale/: the templates/ directory and the citiesalliance package)
# after changing their text; each app's own catalogue (<app>/locale/) is refreshed from inside the app.
LANGS := -l fr -l es -l pt
messages-update: install
	$(DEV) $(PY) manage.py makemessages $(LANGS) --no-obsolete --ignore='.venv' --ignore='static' \
	  --ignore='tests' --ignore='bench' --ignore='docs' \
	  $(foreach app,results indicators scorecard spreadsheets api reminders,--ignore='$(app)/*.py' --ignore='$(app)/*.html' --ignore='$(app)/*.txt')

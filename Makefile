# museumai: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?=
# Generated museums, each with three yearly submitted assessments, so that NEMO's sector figures have groups to show.
DEMO_MUSEUMS ?= 120
# Local development runs with DEBUG on; production sets its own environment.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: help install install-dev chromium pdf gettext messages run serve migrate framework demo lint test test-fast clean

help:
	@echo "make run     set up, migrate, load the framework, seed a demo and serve on http://$(HOST):$(PORT)"
	@echo "make test    install test tools, Chromium and the PDF libraries, then lint and run the whole test suite"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Browser tests need Debian's Chromium (Playwright's own download does not work offline).
chromium:
	@if command -v chromium >/dev/null 2>&1; then \
		echo "Chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing and this is not root: run 'sudo apt-get install -y chromium'; browser tests will be skipped."; \
	fi

# The PDF report is drawn by WeasyPrint, which needs Pango and HarfBuzz from the system, and fonts
# (DejaVu); the tests read the PDFs back with poppler's pdftotext.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
pdf:
	@if ldconfig -p | grep -q libpango-1.0 && ldconfig -p | grep -q libharfbuzz-subset \
			&& fc-list 2>/dev/null | grep -qi dejavu && command -v pdftotext >/dev/null 2>&1; then \
		echo "PDF libraries: Pango, HarfBuzz, DejaVu fonts and pdftotext are installed"; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Pango, fonts and poppler for the PDF report…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	else \
		echo "The PDF report needs system libraries and this is not root: run 'sudo apt-get install -y $(PDF_PACKAGES)'."; \
	fi

# GNU gettext compiles the interface's translations (and makemessages needs it to extract them).
gettext:
	@if command -v msgfmt >/dev/null 2>&1; then \
		echo "GNU gettext: $$(command -v msgfmt)"; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing GNU gettext for the translations…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	else \
		echo "GNU gettext is missing and this is not root: run 'sudo apt-get install -y gettext'."; exit 1; \
	fi

# The compiled catalogues (.mo) are built here, not committed: always current with the .po files.
messages: install gettext
	$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv -v0

migrate: install messages
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py rebuild_sector_results

framework: migrate
	$(RUN_ENV) $(BIN)/python manage.py load_framework

demo: framework
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --museums $(DEMO_MUSEUMS) --assessments-per-museum 3 $(if $(DEMO_PASSWORD),--password "$(DEMO_PASSWORD)")

run: pdf demo
	@echo "Serving on http://$(HOST):$(PORT)/ — log in with a demo login above. Ctrl+C stops."
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# mypy's Django plugin imports the settings, which need DJANGO_DEBUG=1 (or a secret key).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/mypy
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(BIN)/python manage.py check

test: install-dev chromium pdf messages lint
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

# Everything but the browser tests, for a quick loop while coding.
test-fast: install-dev pdf messages
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .test-db.sqlite3* .mypy_cache

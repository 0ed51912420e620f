# kiemdinh: two commands on a fresh machine.
#   make run   installs everything, prepares the embedded database and demo data, serves :8000
#   make test  installs what the tests need and runs the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults for `make run` only; production reads its settings from the environment.
# Links in e-mails and on the PDF's verification line follow HOST and PORT (`make run PORT=8080`);
# the demo's e-mails go to files under var/mail instead of flooding the console.
RUN_ENV := DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} \
  EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}

# The suite runs on two processes (pytest-xdist), a test file per process at a time (a module's shared
# world is built once), in the collected order: the root conftest puts the files that take minutes
# first (HEAVY_FILES); `make test PYTEST_WORKERS=` runs it in one process.
PYTEST_WORKERS ?= -n 2 --dist loadfile --no-loadscope-reorder

# Python caches the bytecode of what it imports (__pycache__, ignored by git) unless the environment says
# not to, as container images often do. Without the cache every process compiles Django and the project
# again: ~2.5 s of CPU per manage.py, and the suite starts many (the two processes, dev servers, workers,
# gunicorn, the migrations of make run). The recipes here always keep it.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test install lint checkmigrations checks check-imports check-types check-security browser bench clean demo worker beat s3 twonode

# uv (Astral's installer, pinned here) installs the same pinned requirements as pip would, in parallel
# and from its cache: ~6 s on a fresh clone instead of pip's ~17 s. Where uv cannot be had, pip does it.
# Neither byte-compiles every file of every package (pip's --no-compile; uv's default): Python compiles
# and caches the modules actually imported on first use.
UV_VERSION := 0.13.10
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --quiet uv==$(UV_VERSION) 2>/dev/null || true
	@if [ -x $(VENV)/bin/uv ]; then \
	  echo "uv pip install -r requirements-dev.txt"; \
	  VIRTUAL_ENV=$(VENV) $(VENV)/bin/uv pip install --quiet -r requirements-dev.txt; \
	else \
	  echo "pip install -r requirements-dev.txt"; \
	  $(PIP) install --quiet --upgrade pip && $(PIP) install --quiet --no-compile -r requirements-dev.txt; \
	fi
	@touch $(STAMP)

install: $(STAMP)
	@mkdir -p var

demo: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	@if $(RUN_ENV) $(PY) manage.py help load_standards >/dev/null 2>&1; then $(RUN_ENV) $(PY) manage.py load_standards; fi
	$(RUN_ENV) $(PY) manage.py seed_demo --quiet-accounts

run: demo
	@echo ""
	@echo "  E-mails of the demo are written to var/mail/ (one file each)."
	@$(RUN_ENV) $(PY) manage.py seed_demo --accounts-only
	@echo ""
	@echo "  kiemdinh is starting on http://$(HOST):$(PORT)/  (Ctrl+C to stop; another port: make run PORT=8080)"
	@echo ""
	@# The daily jobs of the beat schedule run in-process beside the dev server (no broker needed).
	@$(RUN_ENV) $(PY) manage.py run_scheduler >>var/run_scheduler.log 2>&1 & SCHED=$$!; trap "kill $$SCHED 2>/dev/null" EXIT INT TERM; \
	  $(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# Debian's chromium drives the end-to-end tests; install it when missing and possible.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian chromium for the browser tests..."; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)) || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium is missing and cannot be installed here: browser tests will be skipped"; fi; \
	fi
	@command -v pdftoppm >/dev/null 2>&1 || ([ "$$(id -u)" = "0" ] && apt-get install -y -qq poppler-utils >/dev/null 2>&1) || true
	@# LibreOffice renders the Word exports in the tests (exports/tests/test_word_office.py); Liberation
	@# Serif 2 (the font vendored for the PDF) is what it uses for "Times New Roman", with Vietnamese glyphs.
	@if ! command -v soffice >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "liberation2/LiberationSerif"; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing LibreOffice Writer and Liberation fonts for the Word export tests..."; \
	    pkgs="libreoffice-writer-nogui fonts-liberation2"; \
	    (apt-get install -y -qq --no-install-recommends $$pkgs >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq --no-install-recommends $$pkgs >/dev/null)) || echo "LibreOffice could not be installed: the Word rendering tests will be skipped"; \
	  else echo "LibreOffice is missing and cannot be installed here: the Word rendering tests will be skipped"; fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .

checkmigrations: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# The static checks of `make test`, run side by side (make -j, each one's output kept together).
CHECKS := lint check-imports check-types check-security checkmigrations
checks: $(CHECKS)

check-imports: install
	$(VENV)/bin/lint-imports

check-types: install
	$(VENV)/bin/mypy

check-security: install
	$(VENV)/bin/bandit -q -c pyproject.toml -r .

test: install browser
	@$(MAKE) --no-print-directory -j 5 --output-sync=target checks
	$(PY) -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: install
	$(PIP) install --quiet -r bench/load/requirements.txt
	@for script in bench/bench_*.py; do \
	  module=$$(echo $${script%.py} | tr / .); echo "== $$module"; $(PY) -m $$module || exit 1; \
	done
	@echo "== bench.load.run"; $(PY) -m bench.load.run

worker: install
	$(PY) -m celery -A kiemdinh worker --loglevel=info

beat: install
	$(PY) -m celery -A kiemdinh beat --loglevel=info

# The S3-protocol server the object-storage tests use (moto's server mode, loopback only);
# `bash .ci/run` starts it by itself. Tests marked s3 skip without it, and fail in CI.
S3_PORT ?= 5555
s3: install
	$(VENV)/bin/moto_server -H 127.0.0.1 -p $(S3_PORT)

# The two-node proof alone (ops/tests/test_two_nodes.py, also part of `make test`): two gunicorn
# nodes, a Celery worker and beat against PostgreSQL, Redis and the S3 test server (`make s3`).
twonode: install
	$(PY) -m pytest ops/tests/test_two_nodes.py -s $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/kiemdinh.sqlite3

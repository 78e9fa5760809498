# The two commands: `make run` (demo on SQLite, tasks in-process) and `make test` (the whole
# suite against real PostgreSQL and Redis, browser journeys in Debian's Chromium).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv sysdeps services migrate seed worker beat lint format bench clean schema messages compilemessages backup restore faults

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# Demo: SQLite, no broker (Celery tasks run eagerly in-process), console e-mail.
run: $(STAMP) compilemessages
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	@echo "Портал: http://$(HOST):$(PORT)/"
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

sysdeps:
	@bash scripts/system_deps.sh

test: $(STAMP) sysdeps compilemessages
	@set -euo pipefail; \
	urls="$$(bash scripts/ensure_services.sh)"; \
	export $$(echo "$$urls" | xargs); \
	export CELERY_BROKER_URL="$${REDIS_URL}"; \
	export DJANGO_SETTINGS_MODULE=config.settings_test; \
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "Модели изменены без миграции: выполните manage.py makemigrations"; exit 1; }; \
	$(PY) -m pytest $(PYTEST_ARGS)

# The Russian catalog: locale/ru/LC_MESSAGES/django.po is in git, the .mo is built here (needs
# Debian's gettext). `make messages` refreshes the .po after strings change; plural entries are
# then filled by hand (three forms) — tests/test_translation.py fails until they are.
compilemessages: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --verbosity 0

messages: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l ru --ignore=.venv --ignore=tests --ignore=bench --ignore=scripts --no-location --no-obsolete
	@# The source texts are Russian: a «fuzzy» guess from a similar message is never right here.
	msgattrib --clear-fuzzy --empty --no-wrap -o locale/ru/LC_MESSAGES/django.po locale/ru/LC_MESSAGES/django.po

# Production-shaped Celery processes for a local broker (REDIS_URL must be set).
worker: $(STAMP)
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: $(STAMP)
	$(VENV)/bin/celery -A config beat --loglevel=INFO

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP)
	@set -euo pipefail; urls="$$(bash scripts/ensure_services.sh)"; export $$(echo "$$urls" | xargs); \
	export DJANGO_SETTINGS_MODULE=config.settings_test; \
	$(PY) bench/bench_national.py; $(PY) bench/bench_load.py; \
	for b in bench/*.py; do case $$b in bench/bench_national.py|bench/bench_load.py) ;; *) $(PY) $$b;; esac; done

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 *.egg-info

# The OpenAPI description checked in as docs/openapi.yaml (tests/api/test_schema.py compares).
# Integer limits in it come from the database backend: describe production's PostgreSQL (only
# the backend's rules are read; no connection is made).
schema: $(STAMP)
	DATABASE_URL=postgres://schema@127.0.0.1:5432/schema DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

# Backup and restore (README «Резервные копии»): the database named by DATABASE_URL plus MEDIA_ROOT.
# `make backup [OUT=backups/2026-12-01]`, `make restore BACKUP=backups/… [TARGET_URL=postgres://…] [REPLACE=1]`.
backup: $(STAMP)
	$(PY) manage.py backup $(if $(OUT),--out $(OUT))

restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "Укажите папку копии: make restore BACKUP=backups/…"; exit 1; }
	$(PY) manage.py restore $(BACKUP) $(if $(TARGET_URL),--database-url $(TARGET_URL)) $(if $(REPLACE),--replace)

# Fault scenarios (README «Сценарии отказов»): a whole throwaway stack on loopback — its own
# PostgreSQL cluster and redis-server on their own ports, gunicorn, worker, beat — then worker
# kill, broker down, database restart under load, concurrent edits, killed upload. Prints a table.
faults: $(STAMP)
	$(PY) bench/faults/run.py $(FAULTS_ARGS)

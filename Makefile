# Connect: `make run` serves the site with worker and beat; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DEBUG ?= true

.PHONY: run test lint check-deploy clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

# Where `make run` serves: RUN_ADDR=127.0.0.1:8001 make run for another port.
RUN_ADDR ?= 127.0.0.1:8000

# The worker and the server run in the background of one shell, which waits for the server.
# Ctrl-C, SIGTERM or SIGHUP (a closed terminal, `kill`) run `stop` once: its first step clears
# the traps, so stopping never re-enters itself, and it signals only the two children it
# started (never the whole process group, which may hold whoever called make), then waits
# for the worker's warm shutdown. The worker runs in a session of its own, so only `stop`
# signals it: a hang-up sent to the whole group would otherwise make Celery (writing to a file,
# not a terminal) restart itself in place and outlive make.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving http://$(RUN_ADDR) with a Celery worker and beat (Ctrl-C stops all three)."
	@$(PY) -c 'import os, sys; os.setsid(); os.execv(sys.argv[1], sys.argv[1:])' \
		$(VENV)/bin/celery -A connect_site worker --beat --loglevel=info --concurrency=2 \
		--schedule=var/celerybeat-schedule & worker=$$!; \
	$(PY) manage.py runserver $(RUN_ADDR) & server=$$!; \
	stop() { trap - INT TERM HUP EXIT; kill $$server $$worker 2>/dev/null; wait $$server $$worker; }; \
	trap 'stop; exit 130' INT; trap 'stop; exit 143' TERM HUP; trap stop EXIT; \
	wait $$server

# The suite runs in parallel worker processes (pytest-xdist), each with its own database, Redis
# database and temporary folders: PYTEST_WORKERS=auto is one per CPU, a number sets it, 0 runs
# everything in one process. --dist loadfile keeps a file's tests on one worker, so a fixture a
# module shares (one Chromium per browser-test module, the demo seeded once) is set up once and
# the integration tests' Celery processes never overlap. (Not loadgroup: xdist 3.8 cannot rename
# the tests it groups under pytest 9.2, and its xdist_group marks are silently ignored.)
# --no-loadscope-reorder hands the files out in collection order, which tests/conftest.py starts
# with the long ones (integration, browser); xdist's own order, most tests first, left those few-
# test files to the end, where one worker ran them alone.
PYTEST_WORKERS ?= auto
test: $(STAMP)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf $(VENV) var db.sqlite3*

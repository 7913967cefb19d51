# The two commands a newcomer needs: `make run` and `make test`. Everything else is for developers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN = $(VENV)/bin
PYTEST_ARGS ?=
# One pytest process per core (pytest-xdist); each has its own database, Celery queue and live server.
PYTEST_WORKERS ?= auto
# Each process starts with half of the tests in their order (a module's shared world is built once
# per process) and an idle one takes half of what another has left, so neither waits at the end.
PYTEST_DIST ?= worksteal

.PHONY: run test test-fast install lint format messages worker bench bench-reports bench-report-limits bench-upload bench-export clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The single sign-on tests' OpenID provider (Node.js, tests/oidc_provider): installed where Node is.
OIDC_TEST_PROVIDER = tests/oidc_provider/node_modules/.installed
$(OIDC_TEST_PROVIDER): tests/oidc_provider/package-lock.json
	@if ! command -v npm >/dev/null; then \
		echo "Node.js/npm not found: the single sign-on tests need them (apt-get install nodejs npm)."; \
	elif (cd tests/oidc_provider && npm ci --no-audit --no-fund --silent); then touch $@; \
	else echo "npm ci in tests/oidc_provider failed: the single sign-on tests will say so."; fi

install: $(BIN)/.installed $(OIDC_TEST_PROVIDER)

## Run the portal with demo data on SQLite and a file-system Celery broker (Ctrl-C stops it all).
run: install
	bash scripts/run.sh

## Run the whole test suite (PostgreSQL and Redis on localhost by default; see README).
test: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist $(PYTEST_DIST) $(PYTEST_ARGS)

## The quick part for the edit-test loop: no browsers, fault injection, fuzzing, real worker, URL walks or demo loads.
FAST_MARKERS = not browser and not faults and not fuzz and not celery_worker and not walk and not demo
test-fast: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist $(PYTEST_DIST) -m "$(FAST_MARKERS)" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates */templates --lint
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates */templates --reformat --quiet || true

## Collect new strings into the Swedish catalogues, then translate them and compile.
messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages --locale sv --no-location --no-obsolete
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --locale sv --ignore .venv
	$(BIN)/python scripts/check_translations.py

worker: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/celery -A config worker --loglevel INFO

clean:
	rm -rf var staticfiles .pytest_cache

## Measure the main pages under load (gunicorn + PostgreSQL + Redis + wrk); see README "Performance".
bench: install
	$(BIN)/python bench/run.py

## Benchmark the feedback reports of a round: phases in-process, then 1 and 2 Celery workers.
bench-reports: install
	$(BIN)/python bench/reports.py

## A feedback report whose texts sit at the forms' limits (core/limits.py): pages, size and time.
bench-report-limits: install
	$(BIN)/python bench/report_limits.py

## Peak memory of reading the worst spreadsheets within the upload limit; see README "Security and reliability".
bench-upload: install
	$(BIN)/python bench/upload_memory.py

## Peak memory and time of the national all-years 1:1 export (1× and 100× data) and of the largest import.
bench-export: install
	$(BIN)/python bench/export_import.py

# Nhà trọ số: `make run` serves the app with a demo, `make test` runs every test.
# Only Python 3.11+ and make are needed; everything else installs into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export PYTHONPATH := $(CURDIR)
export PICCOLO_CONF := app.piccolo_conf
WEB_CONCURRENCY ?= 4

.PHONY: run test install install-test migrate demo messages lint lint-check bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/litestar --app app.asgi:create_app db migrate

demo: migrate
	$(BIN)/litestar --app app.asgi:create_app demo load --if-empty

# SQLite allows one writer process: one worker. PostgreSQL (DATABASE_URL set): WEB_CONCURRENCY workers.
# A TV board's live stream never ends by itself: on a restart uvicorn would wait for it forever, so it closes
# what is still open after 5 s (the board reconnects to the new process).
run: demo
	@if [ -n "$$DATABASE_URL" ]; then workers=$(WEB_CONCURRENCY); else workers=1; fi; \
	echo "Serving on http://127.0.0.1:8000 with $$workers worker(s)"; \
	$(BIN)/uvicorn --factory app.asgi:create_app --host 127.0.0.1 --port 8000 --workers $$workers --proxy-headers \
		--timeout-graceful-shutdown 5

test: install-test
	@bash tests/ensure_system.sh
	$(PY) -m tests.run

messages: install-test
	$(BIN)/pybabel extract -F babel.cfg -k _l -k gettext -k ngettext:1,2 -o locale/messages.pot \
		--no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i locale/messages.pot -d locale -l vi --no-fuzzy-matching --ignore-obsolete

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-check: install-test
	$(BIN)/ruff check .

bench: install-test
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) data/nhatro.sqlite3* .pytest_cache

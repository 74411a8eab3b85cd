# Two commands do all set-up on a fresh Debian machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: run test install install-test lint bench clean

$(BIN)/python:
	@# A bare Debian has python3 without venv/ensurepip: bring python3-venv when it is missing (as root).
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "installing python3-venv"; \
	  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >/dev/null; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-scanners.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	./scripts/install-system-packages.sh

## make run: install, migrate, seed a demo if empty, print URL and admin token, serve with gunicorn.
run: install
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo
	@echo "Inventory is at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs)"
	@echo "Admin API token (Authorization: Bearer ...):"
	@$(FLASK) tokens create --name "make-run-$$(date +%Y%m%d%H%M%S)" --role admin 2>/dev/null | tail -n 1
	@$(FLASK) users ensure-admin --url http://$(HOST):$(PORT)/ 2>/dev/null | tail -n 1
	@echo
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

## make test: install what the tests need (system packages included) and run the whole suite.
test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make bench: the figures (list pages, ingest, load, backups, scanners) next to their raw floors.
bench: install-test
	$(BIN)/python bench/list_assets.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/backup.py
	$(BIN)/python bench/scanners.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# garant — set-up, demo, tests. Every target creates .venv and installs into it if needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check lint typecheck system-deps benchmarks clean-demo templates

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,transcription]"
	@touch $(STAMP)

# Debian packages the tests and the demo use: PostgreSQL (store tests), espeak-ng + sox
# (generated audio), poppler-utils (PDF text extraction), DejaVu fonts (PDF glyphs).
system-deps:
	@bash scripts/system-deps.sh

demo: $(STAMP) system-deps
	@bash scripts/demo.sh

test: $(STAMP) system-deps
	@GARANT_PYTHON=$(BIN)/python bash scripts/with-postgres.sh bash scripts/with-mlflow.sh $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

# Built-in document templates compiled ahead of time (docs/adr-0020, Session 4, audit report);
# a test fails when a template changed without this.
templates: $(STAMP)
	$(BIN)/python -c "from garant.documents.precompiled import main; main()"

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

benchmarks: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean-demo:
	rm -rf demo-workspace

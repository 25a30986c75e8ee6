# `make run` and `make test` set everything up themselves (README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ADDRESS ?= localhost
PORT ?= 8501
DEMO_DB := data/demo.db

.PHONY: run test bench lint demo-reset mutation

run: $(VENV)/.runtime-installed $(DEMO_DB)
	WORKBENCH_DB=$(DEMO_DB) $(PY) -m workbench.ui.serve \
		--server.address $(ADDRESS) --server.port $(PORT)

test: $(VENV)/.dev-installed
	$(PY) -m pytest

bench: $(VENV)/.dev-installed
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) -m bench

# Mutation testing of the rule modules (setup.cfg [mutmut]); MODULE=pipeline for one.
# Not part of `make test`: a whole run takes about an hour (README "Mutation testing").
mutation: $(VENV)/.dev-installed
	mkdir -p mutants
	$(PY) -m tests.mutation template mutants/template.db
	WORKBENCH_TEST_TEMPLATE=$(CURDIR)/mutants/template.db HYPOTHESIS_PROFILE=mutation \
		$(PY) -m tests.mutation run "workbench.$(or $(MODULE),*).*"
	$(PY) -m tests.mutation scores $(MODULE)

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .

# Seeded only when missing: a trainer's changes to the demo survive `make run`.
$(DEMO_DB): | $(VENV)/.runtime-installed
	$(PY) -m seed --db $(DEMO_DB)

demo-reset: $(VENV)/.runtime-installed
	$(PY) -m seed --db $(DEMO_DB)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

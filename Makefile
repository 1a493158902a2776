# Every target that needs Python depends on $(ENV_STAMP), so a fresh machine with only python3,
# pip and make installs uv and the locked environment on first use.

.DEFAULT_GOAL := help
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
MAKEFLAGS += --no-builtin-rules

# ---- knobs (override on the command line: `make run FIRMS=1000`) ----------------------------
FIRMS ?= 140000
SEED ?= 42
LANDING_DIR ?= landing
TRUTH_DIR ?= truth
PYTEST_ARGS ?=

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS_DIR := .tools

# One warehouse path for Dagster, dbt and GX. Absolute, because dbt-duckdb resolves a relative
# path against dbt's working directory while pipelines.lib.paths resolves it against the repo.
export DUCKDB_DATABASE ?= $(CURDIR)/warehouse/credit.duckdb
export LANDING_DIR
# Only `make ui` uses it: exporting it everywhere would make other Dagster commands require it.
DAGSTER_HOME_DIR := $(CURDIR)/.dagster_home
# uv must use the machine's interpreter: there is no internet to download a managed Python.
export UV_PYTHON ?= $(PYTHON)
export UV_PYTHON_DOWNLOADS := never

# Use uv from PATH when there is one; otherwise a pinned copy in a private venv under .tools/
# (works as root with no prior setup and touches neither the system nor ~/.local).
SYSTEM_UV := $(shell command -v uv 2>/dev/null)
ifeq ($(SYSTEM_UV),)
UV := $(TOOLS_DIR)/bin/uv
UV_DEP := $(UV)
else
UV := $(SYSTEM_UV)
UV_DEP :=
endif

ENV_STAMP := .venv/.synced
# --frozen: install exactly what uv.lock says; never re-resolve behind the caller's back.
RUN := $(UV) run --frozen
GENERATE := $(RUN) python -m sources.cli generate \
	--firms $(FIRMS) --seed $(SEED) --landing $(LANDING_DIR) --truth $(TRUTH_DIR)

.PHONY: help install lock run generate test lint fmt bench verify docs ui dev check-defs manifest clean distclean

help: ## Show this help (default goal)
	@echo "Usage: make <target> [FIRMS=$(FIRMS)] [SEED=$(SEED)] [LANDING_DIR=$(LANDING_DIR)] [TRUTH_DIR=$(TRUTH_DIR)]"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# ---- environment ------------------------------------------------------------------------------
$(TOOLS_DIR)/bin/uv:
	$(PYTHON) -m venv $(TOOLS_DIR)
	$(TOOLS_DIR)/bin/python -m pip install --quiet uv==$(UV_VERSION)

# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set, Python would otherwise
# recompile every imported module (about 5,000, some 10 s) in each process it starts.
$(ENV_STAMP): pyproject.toml uv.lock $(UV_DEP)
	$(UV) sync --frozen --compile-bytecode
	@touch $@

install: $(ENV_STAMP) ## Create .venv from uv.lock (runtime + dev groups)

lock: $(UV_DEP) ## Re-resolve dependencies into uv.lock after editing pyproject.toml
	$(UV) lock

# ---- data -------------------------------------------------------------------------------------
run: $(ENV_STAMP) ## Run the platform end to end: generate feeds (if new), load, stage, summarise
	$(GENERATE)
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(RUN) python -m pipelines.run

generate: $(ENV_STAMP) ## Generate seeded source feeds into LANDING_DIR and ground truth into TRUTH_DIR
	$(GENERATE)

bench: $(ENV_STAMP) ## Benchmark generation, ingestion and staging, entity resolution, at FIRMS firms (bench/results/)
	@work=$$(mktemp -d); \
	$(RUN) python -m bench.generate --firms $(FIRMS) --seed $(SEED) --keep $$work \
	&& $(RUN) python -m bench.ingest --landing $$work/landing --keep-warehouse $$work/w.duckdb \
	&& $(RUN) python -m bench.resolution --warehouse $$work/w.duckdb --truth $$work/truth; \
	status=$$?; rm -rf -- "$$work"; exit $$status

verify: $(ENV_STAMP) ## Compare the warehouse's Haifan list with the ground truth, firm by firm, every quarter
	$(RUN) python -m bench.verify_haifan --warehouse $(DUCKDB_DATABASE) --truth $(TRUTH_DIR)

# ---- quality ----------------------------------------------------------------------------------
test: $(ENV_STAMP) ## Run the whole pytest suite (extra flags via PYTEST_ARGS=...)
	$(RUN) pytest $(PYTEST_ARGS)

lint: $(ENV_STAMP) ## Lint Python (ruff check + format check) and SQL (sqlfluff)
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) sqlfluff lint dbt_project

fmt: $(ENV_STAMP) ## Format Python and apply ruff's safe fixes
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

# ---- dagster / dbt ----------------------------------------------------------------------------
# pipelines.lib.instance writes the instance's dagster.yaml (telemetry off, pooled event log).
ui: $(ENV_STAMP) ## Start the Dagster UI (dg dev) with DAGSTER_HOME=.dagster_home/
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(RUN) python -m pipelines.lib.instance > /dev/null
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(RUN) dg dev

dev: ui ## Alias of ui

check-defs: $(ENV_STAMP) ## Check that the Dagster definitions load (dg check defs)
	$(RUN) dg check defs

docs: $(ENV_STAMP) ## Generate the dbt docs of the models (from the warehouse) into dbt_project/target/
	$(RUN) python -c "from pipelines.lib.dbt_manifest import generate_docs; generate_docs()"
	@echo "Open dbt_project/target/index.html (or: cd dbt_project && uv run dbt docs serve --profiles-dir .)"

manifest: $(ENV_STAMP) ## Parse the dbt project into dbt_project/target/manifest.json
	$(RUN) python -c "from pipelines.lib.dbt_manifest import ensure_manifest; ensure_manifest()"

# ---- housekeeping -----------------------------------------------------------------------------
clean: ## Remove generated feeds, ground truth, warehouse files and the Dagster home
	rm -rf -- $(LANDING_DIR) $(TRUTH_DIR) $(DAGSTER_HOME_DIR)
	rm -f -- warehouse/*.duckdb warehouse/*.duckdb.wal

distclean: clean ## Also remove .venv, the bootstrapped uv in .tools/ and build artefacts
	rm -rf -- .venv $(TOOLS_DIR) dbt_project/target dbt_project/logs .pytest_cache .ruff_cache

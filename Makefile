# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Installs come from uv.lock (every package pinned, with hashes), through uv, itself pinned
# and kept in .uv/ so that nothing outside the project is touched.
UV_VERSION := 0.13.8
UV     := .uv/bin/uv
export UV_PYTHON_DOWNLOADS := never
# The tests on three processes (pytest-xdist), on two cores: the bot-process tests spend
# most of their time waiting on a bot, and a third worker fills that (make tests, quiet
# machine: 150-172 s with three, 177-204 s with two). WORKERS=1 for one, 0 for none.
WORKERS ?= 3
# The test layers to run (tests/support/layers.py): make test LAYERS="unit integration".
LAYERS  ?= unit integration e2e chaos
# What make test leaves out: the fault scenarios at full scale (make chaos; their short forms
# stay in, one at least of each class: tests/support/faults.py) and the other long checks.
LONG    := chaos_full or slow
# More for pytest: make tests PYTEST_ARGS="--durations=20 -x".
PYTEST_ARGS ?=
empty   :=
space   := $(empty) $(empty)

.PHONY: run test lint typecheck tests unit integration e2e slow docs messages bench chaos migrate lock clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet uv==$(UV_VERSION)

# --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set (as on CI's machine) no import
# would ever be cached, and every process the tests start (about 70 bots and CLIs, each xdist
# worker) would compile SQLAlchemy, PTB and the rest from source again: 3 s of CPU each.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --extra dev --compile-bytecode --python $(PYTHON) --quiet
	touch $(STAMP)

# After changing the dependencies in pyproject.toml (or to take newer releases within its
# ranges: make lock ARGS=--upgrade), then commit uv.lock with it.
lock: $(UV)
	$(UV) lock $(ARGS)

run: $(STAMP)
	$(BIN)/backcare run

migrate: $(STAMP)
	$(BIN)/backcare migrate

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Every layer named in LAYERS, on WORKERS processes, but for what LONG names. The project's
# own bytecode is written first, for the same reason as --compile-bytecode above (only what
# changed is compiled). CHECKS: make test adds --each-fault-class.
tests: $(STAMP)
	@$(BIN)/python -m compileall -q bot jobs guidance storage tests
	$(BIN)/pytest -n $(WORKERS) --dist worksteal \
	  -m "($(subst $(space), or ,$(strip $(LAYERS)))) and not ($(LONG))" $(CHECKS) $(PYTEST_ARGS)

# What make test leaves out: the full-scale fault scenarios and the other long checks. On
# two processes: the full scenarios' timing checks (the busiest second, the takeover) hold
# on two cores with two.
LONG_WORKERS ?= 2
slow: $(STAMP)
	$(BIN)/pytest -n $(LONG_WORKERS) --dist worksteal -m "$(LONG)" $(PYTEST_ARGS)

# One layer each: pure code; databases, the stand-in and in-process bots; the real process.
unit integration e2e: $(STAMP)
	@$(MAKE) --no-print-directory tests LAYERS=$@

# The docs site (mkdocs.yml, docs/), built strictly: a broken link or anchor fails it. Quiet
# when it passes; when it fails, everything MkDocs said.
docs: $(STAMP)
	@out=$$(NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict 2>&1) || { echo "$$out"; exit 1; }

# Every string a person sees, for translators: bot/wording/locale/messages.pot (commit it).
# A language from it: docs/architecture/wording.md (pybabel init, then compile).
messages: $(STAMP)
	$(BIN)/pybabel --quiet extract --mapping-file babel.cfg --project BackCare \
		--copyright-holder BackCare --width 99 --sort-by-file \
		--output-file bot/wording/locale/messages.pot bot jobs guidance

# The linters and the docs first (seconds), then the type checker beside the tests: on two
# cores it takes what the tests leave idle while they wait on bot processes (a cold mypy is
# 15 s of one core). With the chaos layer, the run fails unless each class of fault keeps
# a short test in it (tests/support/faults.py).
test: lint docs
	@$(MAKE) --no-print-directory -j2 --output-sync=line typecheck tests \
	  CHECKS=$(if $(filter chaos,$(LAYERS)),--each-fault-class)

bench: $(STAMP)
	$(BIN)/python -m bench

# The fault scenarios at full scale (tests marked chaos_full), then at 10,000 due nudges
# (kill -9, a silent database, a Bot API outage, late answers: bench/chaos.py).
chaos: $(STAMP)
	$(BIN)/pytest -n $(LONG_WORKERS) --dist worksteal -m chaos_full $(PYTEST_ARGS)
	$(BIN)/python -m bench chaos

clean:
	rm -rf $(VENV) .uv .mypy_cache .pytest_cache .ruff_cache site

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

.PHONY: run test lint typecheck unit docs bench chaos migrate lock clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --extra dev --python $(PYTHON) --quiet
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

unit: $(STAMP)
	$(BIN)/pytest

# The docs site (mkdocs.yml, docs/), built strictly: a broken link or anchor fails it. Quiet
# when it passes; when it fails, everything MkDocs said.
docs: $(STAMP)
	@out=$$(NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict 2>&1) || { echo "$$out"; exit 1; }

test: lint typecheck docs unit

bench: $(STAMP)
	$(BIN)/python -m bench

# Faults at 10,000 due nudges (kill -9, a silent database, a Bot API outage, late answers).
chaos: $(STAMP)
	$(BIN)/python -m bench chaos

clean:
	rm -rf $(VENV) .uv .mypy_cache .pytest_cache .ruff_cache site

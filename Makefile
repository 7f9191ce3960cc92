# Two commands matter: `make serve` and `make test`. Each installs what it needs from the lock file.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1700000000)
# Bytecode caching saves 2-3 s a build; some machines switch it off in the environment.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install serve build tree check test test-fast bench derive clean

help:
	@echo "make serve   install, build and serve the site at http://127.0.0.1:8000 (live reload)"
	@echo "make test    install and run every test (unit, build, browser)"
	@echo "make build   build the static site into site/ with --strict (ENGINE=zensical: with Zensical)"
	@echo "make tree    write the generated page tree into .cache/landscape/tree (any engine can build it)"
	@echo "make check   validate notes, datasets, charts and tables without building"
	@echo "make bench   run the performance benchmark"
	@echo "make derive  re-derive charts/data/*.yaml from ../shared/data/epoch"

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Zensical, the second engine: its own venv, installed only when asked for.
ZENSICAL_STAMP := .venv-zensical/.installed
$(ZENSICAL_STAMP): requirements-zensical.lock
	test -x .venv-zensical/bin/python || $(PYTHON) -m venv .venv-zensical
	.venv-zensical/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-zensical.lock
	touch $(ZENSICAL_STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

# Build into a temporary folder, then swap: a failed build leaves the previous site/ intact.
# ENGINE=zensical builds the folder emitter's page tree (.cache/landscape/tree) with Zensical instead.
ENGINE ?= mkdocs
build: $(STAMP)
ifeq ($(ENGINE),zensical)
	$(MAKE) --no-print-directory $(ZENSICAL_STAMP)
	$(BIN)/landscape build --out .cache/landscape/tree --engine zensical --site site
else ifeq ($(ENGINE),mkdocs)
	rm -rf site.partial
	$(BIN)/mkdocs build --strict --site-dir site.partial
	rm -rf site.previous && if [ -d site ]; then mv site site.previous; fi
	mv site.partial site && rm -rf site.previous
else
	@echo "make build: unknown ENGINE=$(ENGINE) (mkdocs or zensical)" >&2; exit 2
endif

# The page tree alone, for another engine or for inspection.
tree: $(STAMP)
	$(BIN)/landscape build --out .cache/landscape/tree

check: $(STAMP)
	$(BIN)/landscape check

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

derive: $(STAMP)
	$(BIN)/python scripts/derive_epoch.py

clean:
	rm -rf site site.partial site.previous .cache .pytest_cache .venv-zensical

# Two commands matter: `make serve` and `make test`. Each installs what it needs from the lock file.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1700000000)
# Bytecode caching saves 2-3 s a build; some machines switch it off in the environment.
unexport PYTHONDONTWRITEBYTECODE

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
CHROMIUM ?= /usr/bin/chromium
FONT ?= /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
BROWSER_PACKAGES := chromium fonts-dejavu-core
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES)
export CHROMIUM

.PHONY: help install browser serve build build-mkdocs build-zensical tree check test test-fast bench derive clean

help:
	@echo "make serve   install, build and serve the site at http://127.0.0.1:8000 (live reload; ENGINE=zensical: with Zensical)"
	@echo "make test    install (Debian's chromium included) and run every test (unit, build, browser)"
	@echo "make build   build the static site into site/ with --strict (ENGINE=zensical: with Zensical)"
	@echo "make tree    write the generated page tree into .cache/landscape/tree (any engine can build it)"
	@echo "make check   validate notes, datasets, charts and tables without building"
	@echo "make bench   run the performance benchmark (BENCH_SIZES=100,1000 for a shorter run)"
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

# ENGINE=zensical: the page tree under `zensical serve`, rewritten on each save (landscape serve).
ENGINE ?= mkdocs
serve: $(STAMP) $(if $(filter zensical,$(ENGINE)),$(ZENSICAL_STAMP))
	$(BIN)/landscape serve --engine $(ENGINE) --dev-addr 127.0.0.1:8000

# Build into a temporary folder of its own, then swap under a lock: a failed build leaves the previous
# site/ intact, and builds run side by side (or beside `make serve`) never share a folder.
# ENGINE=zensical builds the folder emitter's page tree (.cache/landscape/tree) with Zensical instead.
build: $(STAMP)
	@case "$(ENGINE)" in mkdocs|zensical) ;; *) echo "make build: unknown ENGINE=$(ENGINE) (mkdocs or zensical)" >&2; exit 2;; esac
	$(MAKE) --no-print-directory build-$(ENGINE)

build-mkdocs: $(STAMP)
	partial="$$(mktemp -d site.partial.XXXXXX)" && trap 'rm -rf "$$partial"' EXIT && \
	$(BIN)/mkdocs build --strict --site-dir "$$partial" && \
	flock .site.lock sh -c 'rm -rf site.previous && if [ -d site ]; then mv site site.previous; fi && mv "$$1" site && rm -rf site.previous' sh "$$partial"

build-zensical: $(STAMP) $(ZENSICAL_STAMP)
	$(BIN)/landscape build --out .cache/landscape/tree --engine zensical --site site

# The page tree alone, for another engine or for inspection.
tree: $(STAMP)
	$(BIN)/landscape build --out .cache/landscape/tree

check: $(STAMP)
	$(BIN)/landscape check

# Installs Debian's chromium and fonts when they are missing (as root), or stops with the command to run.
browser:
	@if [ ! -x "$(CHROMIUM)" ] || [ ! -f "$(FONT)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's $(BROWSER_PACKAGES) for the browser tests"; \
	    apt-get update -qq && $(APT_INSTALL) >/dev/null || exit 1; \
	    test -x "$(CHROMIUM)" || { echo "$(CHROMIUM) is still missing after apt-get install chromium"; exit 1; }; \
	  else \
	    echo "The browser tests need Debian's chromium at $(CHROMIUM) and fonts-dejavu-core. Run:"; \
	    echo "  sudo apt-get update && sudo $(APT_INSTALL)"; \
	    echo "then make test again."; \
	    exit 1; \
	  fi; \
	fi

test: $(STAMP) browser
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

# The tools and pipelines run as modules from the repository root (python -m tools.bench --help).
BENCH_SIZES ?= 100,1000,5000
bench: $(STAMP)
	$(BIN)/python -m tools.bench --sizes $(BENCH_SIZES)

derive: $(STAMP)
	$(BIN)/python -m pipelines.epoch

clean:
	rm -rf site site.partial site.partial.* site.previous .site.lock .cache .pytest_cache .venv-zensical

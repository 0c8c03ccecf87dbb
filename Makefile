# Left Behind — every set-up step lives here so a fresh machine needs only Python 3.11, make and apt.
#   make book        build the HTML book, English in _build/html and Chinese in _build/html/zh (cached, strict)
#                    EDITIONS=en (or zh) builds one edition
#   make test        run every check: unit tests, nbval, built-site checks in a real Chromium
#   make book-fresh  re-execute every notebook from scratch, then build (reviewers; CI)
#   make notebooks   re-execute the stored .ipynb twins that nbval compares against
#   make translations  bring the Chinese edition's catalogues up to date with the English (then translate)
#   make bench       run the benchmark scripts and print times
#   make mutation    mutation testing: would the tests notice a subtly wrong module? [MODULE=x] [ARGS="--sample 20"]
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
EDITIONS ?= en zh
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Notebooks write every table, figure and glued phrase for both editions (leftbehind.presentation.i18n)
export LEFTBEHIND_EDITIONS := en zh_CN
# The chapters and tests multiply small matrices, two notebooks or test workers at a time: OpenBLAS's own
# threads only fight over the cores (a logistic fit ran 23 times slower that way while the other core was busy).
# One thread each; results do not depend on the thread count either. `make bench` keeps a thread per core.
export OPENBLAS_NUM_THREADS := 1
bench: export OPENBLAS_NUM_THREADS := $(shell nproc)

PYTEST := $(BIN)/python -m pytest -p no:cacheprovider
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: env book book-fresh test test-code test-site notebooks chromium fonts translations bench mutation clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	touch $@

env: $(VENV)/.synced

# Each edition is a strict Sphinx build (-W -n --keep-going) reading the one execution cache.
book: env fonts
	$(BIN)/python scripts/cache_guard.py
	$(BIN)/python scripts/prefill_cache.py
	$(BIN)/python scripts/build_edition.py $(EDITIONS)

book-fresh: env fonts
	rm -rf _build/.jupyter_cache _build/html _build/jupyter_execute _build/jupyter_execute-zh_CN _build/.doctrees \
	  _build/.doctrees-zh
	$(BIN)/python scripts/prefill_cache.py
	$(BIN)/python scripts/build_edition.py $(EDITIONS)

notebooks: env fonts
	$(BIN)/python scripts/execute_notebooks.py $(NB)

translations: env
	$(BIN)/python scripts/translations.py update
	$(BIN)/python scripts/translations.py status

# The Chinese edition's figures need a CJK font (Debian's Noto Sans CJK, which Chromium uses too);
# figures fail to draw rather than show empty boxes without it (leftbehind.plots.figures.require_cjk_font).
fonts:
	@if fc-list 2>/dev/null | grep -q "Noto Sans CJK SC"; then \
	  echo "fonts: Noto Sans CJK SC installed"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's fonts-noto-cjk for the Chinese edition's figures"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	  rm -f $${XDG_CACHE_HOME:-$$HOME/.cache}/matplotlib/fontlist-*.json; \
	else \
	  echo "The Chinese edition's figures need the Noto Sans CJK font. Install it with:  sudo apt-get install fonts-noto-cjk"; exit 1; \
	fi

chromium:
	@if command -v chromium >/dev/null 2>&1; then \
	  echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The browser tests need Chromium. Install it with:  sudo apt-get install chromium"; exit 1; \
	fi

# The from-scratch book build and the code checks (unit tests + nbval) run side by side on the two cores;
# the built-site and browser checks run once the build has finished.
test: env chromium
	$(MAKE) --no-print-directory --output-sync=target -j2 book-fresh test-code
	$(MAKE) --no-print-directory test-site

test-code: env fonts
	$(PYTEST) -n 2 --dist loadfile -m "not site and not browser" $(NBVAL) --ignore=notebooks/robustness.ipynb tests notebooks

test-site: env
	$(PYTEST) -n 2 -m "site or browser" tests

bench: env
	$(BIN)/python benchmarks/run_all.py

# Mutation score per module (slow: one test run per mutant; runs niced). MODULE=stats.prevalence for one module.
mutation: env
	nice -n 10 $(BIN)/python scripts/mutation.py $(if $(MODULE),--module $(MODULE)) $(ARGS)

clean:
	rm -rf _build

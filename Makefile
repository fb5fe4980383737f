# mynacheck: `make demo` runs the main job, `make test` runs every test.
# Both install what they need: Debian packages (when run as root) and a .venv with pip.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEBS_STAMP := $(VENV)/.debs

.PHONY: all deps debs demo test lint typecheck pytest coverage bench screenshots clean

all: test

debs: $(DEBS_STAMP)
$(DEBS_STAMP): scripts/install-debs.sh
	@mkdir -p $(VENV)
	scripts/install-debs.sh
	@touch $@

deps: debs $(STAMP)
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[gui,dev]'
	@touch $@

demo: deps
	$(BIN)/mynacheck demo

lint: deps
	$(BIN)/ruff check .

typecheck: deps
	$(BIN)/mypy

pytest: deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

test: lint typecheck pytest

# The whole suite with line and branch coverage of the four packages (pytest-cov, dev extra).
coverage: deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider --cov=apdu \
		--cov=verifier --cov=gui --cov=testcards --cov-branch --cov-report=term

bench: deps
	$(BIN)/python -m bench

screenshots: deps
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis .coverage *.egg-info

# mynacheck: `make demo` runs the main job, `make test` runs every test.
# Both install what they need: Debian packages (when run as root) and a .venv with pip.
# `demo` installs the product's packages only; `test` adds vsmartcard-vpcd and the test
# pcscd's loopback-only set-up (scripts/install-debs.sh --test, docs/threat-model.md).
#
# Without root nothing is installed with apt-get: scripts/install-debs.sh names the missing
# packages and prints the `sudo apt-get install` line. What each target needs:
#   lint, typecheck   the .venv only (pip, no root; building pyscard needs the --venv packages)
#   pytest            also the product's packages (Qt's libraries and the font for the GUI
#                     tests); it stops when they are missing. The pcscd tier (tests through
#                     pcscd, tests/conftest.py) needs root: pcscd runs in a network namespace.
#                     Without root it is skipped with one line, and its missing packages do
#                     not stop make; `sudo make test` runs it.
# Under CI (the variable CI set) nothing is skipped: a missing part fails, saying what to
# install. As root everything is installed and everything runs.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all venv deps test-deps debs test-debs demo test lint typecheck pytest coverage bench screenshots clean

all: test

# Checked on every run (dpkg-query, quick): without root a missing package is reported each
# time, never remembered as done.
debs:
	scripts/install-debs.sh
test-debs:
	scripts/install-debs.sh --test

venv: $(STAMP)
deps: debs venv
test-deps: test-debs venv
$(STAMP): pyproject.toml scripts/install-ocr.sh
	scripts/install-debs.sh --venv
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[gui,dev,ocr]'
	scripts/install-ocr.sh $(BIN)/python
	@touch $@

demo: deps
	$(BIN)/mynacheck demo

lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy

pytest: test-deps
	scripts/run-tests.sh $(BIN)/python

test: lint typecheck pytest

# The whole suite with line and branch coverage of the four packages (pytest-cov, dev extra).
coverage: test-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider --cov=apdu \
		--cov=verifier --cov=gui --cov=testcards --cov-branch --cov-report=term

bench: test-deps
	$(BIN)/python -m compileall -q apdu verifier gui testcards bench
	$(BIN)/python -m bench
	$(BIN)/python -m bench.ocr

screenshots: test-deps
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis .coverage *.egg-info

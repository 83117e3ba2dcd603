# `make run` and `make test` are the two commands a newcomer needs: both create .venv with
# Python 3.12 or newer when it is missing and install the project into it first.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-quick browser clean

run: $(STAMP)
	$(BIN)/seta solve kempen

# The suite runs on two worker processes (pytest-xdist): the brute-force property test alone takes
# two and a half minutes of one core, the rest shares the other.
test: $(STAMP) browser
	$(BIN)/ruff check optimizer inputs cli visuals benchmarks tests tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2

lint: $(STAMP)
	$(BIN)/ruff check optimizer inputs cli visuals benchmarks tests tools
	$(BIN)/mypy

# The report test opens the report in real headless Chromium (Debian's package; as root, as in CI).
browser:
	@{ command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } && \
	  command -v chromedriver >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || sh tools/make-venv.sh $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# Every benchmark figure (hours: OR-Library instances get 300 s each, peers too); tables and charts
# go to benchmarks/results/.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench

bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.bench --quick

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis

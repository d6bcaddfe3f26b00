# Two commands for a fresh Debian/Ubuntu machine with Python 3.11:
#   make demo   installs what it needs, then builds every example meeting into out/
#   make test   installs what it needs, then runs lint, type check and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck pytest system bench bench-smoke templates golden clean

demo: $(VENV)/.installed
	$(BIN)/dagsorden tjek
	$(BIN)/dagsorden byg

test: $(VENV)/.installed lint typecheck pytest bench-smoke

system: .system-installed
.system-installed: scripts/install-system-packages.sh
	bash scripts/install-system-packages.sh
	@touch $@

$(VENV)/.installed: pyproject.toml .system-installed
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

pytest: $(VENV)/.installed
	$(BIN)/pytest -q

# Regenerate the golden document dumps after a deliberate change; review the diff like code.
golden: $(VENV)/.installed
	$(BIN)/pytest -q tests/test_golden.py tests/test_layouts.py --update-golden

# Rebuild the built-in Word templates, the example project's copies and the example layouts
# (examples/*/templates/skabelon.docx) from the builder.
templates: $(VENV)/.installed
	$(BIN)/python scripts/build_templates.py

bench: $(VENV)/.installed
	$(BIN)/python bench/benchmark.py

# Every benchmark script in its smallest mode, no figures judged: do they still run?
# Part of 'make test', so CI sees a benchmark that no longer runs. benchmark.py compares with
# pandoc, which scripts/install-system-packages.sh installs.
bench-smoke: $(VENV)/.installed
	$(BIN)/python bench/benchmark.py --quick --workdir /tmp/dagsorden-smoke/bench
	$(BIN)/python bench/pdf_benchmark.py --quick --workdir /tmp/dagsorden-smoke/pdf
	$(BIN)/python bench/packet_benchmark.py --quick
	$(BIN)/python bench/archive_benchmark.py --quick --workdir /tmp/dagsorden-smoke/arkiv
	$(BIN)/python bench/incremental_benchmark.py --quick --workdir /tmp/dagsorden-smoke/byg
	$(BIN)/python bench/web_benchmark.py --quick --workdir /tmp/dagsorden-smoke/web
	$(BIN)/python bench/publish_benchmark.py --quick --workdir /tmp/dagsorden-smoke/udgiv
	$(BIN)/python bench/markdown_benchmark.py --quick

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache

# ipsreport — run `make help` for the list of targets.
#
# Every target sets up .venv from the lock file first, so a fresh clone needs
# only Python >= 3.11 and make. The lock (requirements.lock) pins exact library
# versions, so two renders a year apart use the same libraries.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
DATA   ?= data/synthetic
ARGS   ?=

.DEFAULT_GOAL := help
.PHONY: help install report html pdf test test-fast test-unit test-twin test-render test-browser test-update lint validate synth notebooks bench lock clean

help: ## Show this list of targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "  Variables: DATA=dir (data folder, default $(DATA)), ARGS='...' (extra CLI/pytest args)"

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@# Kernels Quarto starts (quarto render) talk over local TCP without CurveZMQ keys; ipykernel 7 logs a warning for each.
	@mkdir -p $(VENV)/etc/ipython && echo "c.IPKernelApp.log_level = 'ERROR'" > $(VENV)/etc/ipython/ipython_kernel_config.py
	@touch $@

install: $(STAMP) ## Create .venv and install the locked dependencies

report: $(STAMP) ## Render the report to _book/ (HTML + PDF) from DATA
	$(BIN)/ipsreport render --data $(DATA) $(ARGS)

html: $(STAMP) ## Render only the HTML version
	$(BIN)/ipsreport render --data $(DATA) --to html $(ARGS)

pdf: $(STAMP) ## Render only the PDF version
	$(BIN)/ipsreport render --data $(DATA) --to pdf $(ARGS)

validate: $(STAMP) ## Check the data in DATA against the codebook
	$(BIN)/ipsreport validate --data $(DATA)

test: $(STAMP) ## Lint the code (ruff), then run the whole test suite (includes an end-to-end render)
	$(BIN)/ruff check ipsreport tests benchmarks
	$(BIN)/pytest $(ARGS)

test-fast: $(STAMP) ## Run the tests that do not render the full report (unit + twin lanes)
	$(BIN)/pytest -m "not render and not browser" $(ARGS)

test-unit: $(STAMP) ## Unit lane: no twin, no render; under a minute
	$(BIN)/pytest -m "not twin and not render and not browser" $(ARGS)

test-twin: $(STAMP) ## Twin lane: computations on the synthetic twin and sampled cohorts
	$(BIN)/pytest -m "twin and not render and not browser" $(ARGS)

test-render: $(STAMP) ## Render lane: full renders checked as PDF, HTML and prose
	$(BIN)/pytest -m "render and not browser" $(ARGS)

test-browser: $(STAMP) ## Browser lane: the rendered HTML in Chromium (Playwright)
	$(BIN)/pytest -m "browser" $(ARGS)

test-update: $(STAMP) ## Accept intended changes to table snapshots (syrupy)
	$(BIN)/pytest --snapshot-update $(ARGS)

lint: $(STAMP) ## Lint the code (ruff) and the chapters (alt text, cross-references, typed numbers)
	$(BIN)/ruff check ipsreport tests benchmarks
	$(PY) -m ipsreport.book.lint

synth: $(STAMP) ## Regenerate the synthetic twin in data/synthetic (deterministic)
	$(BIN)/ipsreport synth --out data/synthetic

notebooks: $(STAMP) ## Execute the notebooks in notebooks/ in place
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace notebooks/*.ipynb

bench: $(STAMP) ## Run the benchmarks and write benchmarks/RESULTS.md
	$(PY) -m benchmarks.run

lock: ## Re-resolve requirements.lock from pyproject.toml (needs network)
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra test --universal --python-version 3.11 -o requirements.lock

clean: ## Remove rendered output and caches (keeps .venv)
	rm -rf _book .ipsreport-cache .pytest_cache

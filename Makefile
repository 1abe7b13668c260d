# The two commands of the README: `make report` and `make test`. Everything else helps.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup report test lint lab bench sample clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -c "from audit.runner import ensure_kernel; ensure_kernel()"
	touch $(STAMP)

setup: $(STAMP)  ## virtual environment, the package, its kernel

report: $(STAMP)  ## run the sample audit; succeeds whatever the audit found
	@$(BIN)/audit run --config data_samples/audit.yml --out reports; code=$$?; \
	if [ $$code -le 1 ]; then exit 0; else exit $$code; fi

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

lab: $(STAMP)  ## JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

sample: $(STAMP)  ## rewrite the committed sample data set
	$(BIN)/audit sample-data --out data_samples --users 400 --events 20000

clean:
	rm -rf $(VENV) reports/*/ reports/.*-tmp* reports/index.html

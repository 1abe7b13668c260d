# The two commands of the README: `make report` and `make test`. Everything else helps.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.installed-spark

BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: setup report test lint lab bench bench-small detect-bench sample clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -c "from audit.kernels import ensure_kernel; ensure_kernel()"
	touch $(STAMP)

# pyspark (450 MB) only for the tests and Spark users: `make report` does not need it
$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,spark]"
	touch $(SPARK_STAMP)

setup: $(STAMP)  ## virtual environment, the package, its kernel

report: $(STAMP)  ## run the sample audit; succeeds whatever the audit found
	@$(BIN)/audit run --config data_samples/audit.yml --out reports; code=$$?; \
	if [ $$code -le 1 ]; then exit 0; else exit $$code; fi

test: $(SPARK_STAMP)  ## the whole test suite (Spark included)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy

lab: $(STAMP)  ## JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

BENCH_ARGS ?= --scale 1.0 --runs 3
bench: bench-small  ## the benchmark of benchmarks/README.md: the small cases, then W10 (about 40 min for three Parquet rounds, plus about 14 min per PostgreSQL checks phase here)
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)

bench-small: $(STAMP)  ## the small cases against their units: the sample audit against one import of great-expectations, 10x the sample against the baseline (about 4 minutes)
	$(BIN)/python -m benchmarks.bench --small --runs 3

# Faker, Mimesis, Presidio and spaCy for the detection benchmark only
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

detect-bench: $(BENCH_STAMP)  ## detection on Faker and Mimesis corpora in 17 locales, beside Presidio (about 3 minutes)
	$(BIN)/python -m benchmarks.detect.bench

sample: $(STAMP)  ## rewrite the committed sample data set
	$(BIN)/audit sample-data --out data_samples --users 400 --events 20000

clean:
	rm -rf $(VENV) reports/*/ reports/.*-tmp* reports/index.html

# krihs-analysis — the two commands a newcomer needs are `make report` and `make test`.
# Both create or update the project environment first (idempotent: a stamp file records what was installed).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.krihs-installed
# JupyterLab lives in an environment of its own: its server stack (jupyter_server, jupyter-events) pulls in
# jsonschema's format validators, whose import alone costs every process that reads a notebook about a second
# (nbformat imports jsonschema). The lab finds the project's kernel through JUPYTER_PATH.
LABVENV := .venv-lab
LABSTAMP := $(LABVENV)/.krihs-lab-installed
SYSSTAMP := $(VENV)/.krihs-system
KERNEL := krihs-analysis
JOBS   ?= 2

.PHONY: help setup system report test test-fast notebooks figures lab bench baselines clean

help:
	@echo "make report     run the default report set on the embedded sample data -> reports/latest"
	@echo "make test       run the whole test suite (unit, statistics, figures, notebooks via nbval)"
	@echo "make test-fast  the inner loop: everything but figures, notebooks, reports and PDFs"
	@echo "make notebooks  refresh the committed notebook outputs (after an intended change of results)"
	@echo "make baselines  regenerate the figure image baselines"
	@echo "make lab        start JupyterLab on the project kernel"
	@echo "make bench      run the benchmarks in benchmarks/"

setup: $(STAMP) $(SYSSTAMP)

# System pieces: CJK fonts for figures, Chromium for PDF briefs, poppler for PDF checks.
# Installed when we are root with apt-get available; otherwise the library says what is missing.
$(SYSSTAMP): scripts/install-system.sh | $(VENV)/bin/python
	@bash scripts/install-system.sh
	@touch $@

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -e ".[test]"
	@# setqca (test-only cross-check of the QCA module) pins pandas<3 in its metadata; it is installed without
	@# its dependencies and used only on plain arrays.
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps setqca==0.2.0
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (krihs-analysis)" >/dev/null
	@rm -rf $$HOME/.cache/matplotlib
	@touch $@

report: setup
	$(BIN)/krihs-analysis validate data/raw/cases_sample.csv
	$(BIN)/krihs-analysis build
	$(BIN)/krihs-analysis report --jobs $(JOBS)

test: setup
	$(BIN)/python -m pytest -n $(JOBS) --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

# The inner loop while editing: no figures, notebooks, report runs or PDFs (markers set in conftest.py); without the
# nbval plugin, which loads nbformat and jupyter_client in every worker for nothing here.
test-fast: setup
	$(BIN)/python -m pytest -n $(JOBS) -p no:cacheprovider -p no:nbval -m "not figures and not notebook and not slow" tests src

notebooks: setup
	$(BIN)/krihs-analysis refresh-notebooks

baselines: setup
	$(BIN)/python -m krihs_analysis.figures.baselines

# JupyterLab refuses to start as root unless told; the set-up assumes a root Debian machine, so say it when we are.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_ARGS ?=
$(LABSTAMP): pyproject.toml | $(STAMP)
	$(PYTHON) -m venv $(LABVENV)
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["lab"], sep="\n")' > $(LABVENV)/requirements.txt
	$(BIN)/uv pip install --python $(LABVENV)/bin/python --quiet --compile-bytecode -r $(LABVENV)/requirements.txt
	@touch $@

# The lab's default settings (scripts/jupyterlab-overrides.json): no "get notified about Jupyter news?" pop-up on
# every first start, nor a check for updates (these machines reach PyPI and Debian only).
LABSETTINGS := $(LABVENV)/share/jupyter/lab/settings/overrides.json
$(LABSETTINGS): scripts/jupyterlab-overrides.json | $(LABSTAMP)
	@mkdir -p $(dir $@)
	cp $< $@

# Only the project's kernel is offered: the launcher's "Python 3 (ipykernel)" ran the lab's own Python, which has
# neither pandas nor the package (ModuleNotFoundError in the first cell).
lab: setup $(LABSTAMP) $(LABSETTINGS)
	JUPYTER_PATH=$(abspath $(VENV))/share/jupyter $(LABVENV)/bin/jupyter lab --notebook-dir=notebooks --MultiKernelManager.default_kernel_name=$(KERNEL) --KernelSpecManager.allowed_kernelspecs=$(KERNEL) $(LAB_ROOT) $(LAB_ARGS)

bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(LABVENV) data/processed/*.parquet data/processed/manifest.json

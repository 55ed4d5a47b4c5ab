# make test: create .venv, install glassnet with its test extras, run the tests.
# make demo: create .venv, install glassnet, run the demo on the bundled data.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test demo venv references benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# PyTorch (the CPU build on this machine's disk) and Keras 3 as references for tests.
references: $(STAMP)
	$(PY) -m pip install --quiet torch==2.13.0 keras

test: $(STAMP)
	$(PY) -m pytest -q

demo: $(STAMP)
	$(PY) -m glassnet demo

benchmark: references
	$(PY) benchmarks/mlp.py

clean:
	rm -rf $(VENV) build *.egg-info

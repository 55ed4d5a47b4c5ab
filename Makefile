# make test: create .venv, install glassnet with its test extras, run the tests.
# make demo: create .venv, install glassnet with matplotlib, train the MNIST demo (full MNIST
#            when cached, else the bundled subset; no download) and write glassnet_report/.
#            Options: make demo DEMO_ARGS="--epochs 20 --output my_report"
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_ARGS ?=

.PHONY: test demo venv references benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,plot]'
	touch $(STAMP)

venv: $(STAMP)

# PyTorch (the CPU build on this machine's disk) and Keras 3 as references for tests, SciPy
# for Keras's image augmentation reference, and mpi4py (needs Open MPI: see .ci/run) for
# the data-parallel tests.
references: $(STAMP)
	$(PY) -m pip install --quiet torch==2.13.0 keras scipy
	if command -v mpicc >/dev/null 2>&1; then $(PY) -m pip install --quiet -e '.[mpi]'; fi

# The tests compare with PyTorch and Keras, so `make test` installs them first.
test: references
	$(PY) -m pytest -q

demo: $(STAMP)
	$(PY) -m glassnet demo $(DEMO_ARGS)

benchmark: references
	$(PY) benchmarks/mlp.py

clean:
	rm -rf $(VENV) build *.egg-info

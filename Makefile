# Two commands set everything up on a fresh machine:
#   make book   build the HTML book into _build/html (every chapter executed)
#   make test   lint, unit tests, chapters as notebooks, the HTML in Chromium
# Both create .venv from requirements.txt when it is missing or older than
# requirements.txt / pyproject.toml, and install the Debian packages the
# book and tests read (chromium, dataset-fashion-mnist) when they are missing.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEBIAN_PACKAGES := chromium dataset-fashion-mnist
FASHION := /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
JB_FLAGS := --all -W -n --keep-going  # --all: re-read and re-run every page, even if its source is unchanged

.PHONY: book test bench lint venv system-packages clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --requirement requirements.txt
	$(PY) -m pip install --quiet --no-deps --editable .
	@touch $@

system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	test -f $(FASHION) || missing="$$missing dataset-fashion-mnist"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -eq 0 ]; then \
			echo "installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		elif command -v sudo >/dev/null 2>&1; then \
			sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "missing Debian packages:$$missing (install them as root: apt-get install$$missing)" >&2; exit 1; \
		fi; \
	fi

book: $(STAMP) system-packages
	rm -rf _build/html
	$(VENV)/bin/jupyter-book build book --toc "$(CURDIR)/_toc.yml" $(JB_FLAGS)
	@touch _build/html/.complete  # the browser tests reuse a complete build of the current sources
	@echo "open _build/html/index.html"

# Two workers: one builds the book and reads it in Chromium (one xdist group),
# the other runs the unit tests and executes the chapters.
test: $(STAMP) system-packages lint
	$(PY) -m pytest -n 2 --dist loadgroup

# Time one epoch of every stage against scikit-learn and the machine's matmul rate.
bench: $(STAMP) system-packages
	$(PY) -m tmenn bench

lint: $(STAMP)
	$(PY) -m ruff check tmenn tests

clean:
	rm -rf _build .pytest_cache .ruff_cache

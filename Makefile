# nhncloud.nks developer entry points. `make demo` and `make test` are the two
# commands README.md opens with; both work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# ansible-playbook finds this checkout as nhncloud.nks through this tree.
COLLECTIONS := $(CURDIR)/.build/collections
COLL_LINK := $(COLLECTIONS)/ansible_collections/nhncloud/nks

.PHONY: venv
venv: $(VENV)/.installed $(COLL_LINK)

$(VENV)/.installed: requirements-dev.txt requirements.txt simulator/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt -r requirements.txt
	$(BIN)/pip install -q --no-deps -e ./simulator
	touch $@

$(COLL_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

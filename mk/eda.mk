# Event-Driven Ansible: the event source nhncloud.nks.nks_events (extensions/eda/, docs/eda.md).
#
#   make eda-venv    .build/venv-eda: requirements-eda.txt (ansible-rulebook, ansible-core, requests, pytest) in a
#                    venv of its own (ansible-rulebook's pins stay out of .venv; a link into scripts/venv-cache.sh's
#                    cache, built once per set of pins); a Java runtime for
#                    ansible-rulebook (its rule engine, drools): openjdk-17-jre-headless with apt-get when
#                    `java` is missing (as root, or with sudo)
#   make eda-test    the source's unit tests (pytest tests/eda: de-duplication, restart, each event type,
#                    a source error reported and retried), then the rulebook test (tests/eda/rulebook_check.py):
#                    ansible-rulebook with tests/eda/rulebooks/nks_events_test.yml against a fresh simulator,
#                    each event provoked once with the simulator's knobs, its rule fired once, no duplicate
#                    after a restart of the source; the example rulebooks (extensions/eda/rulebooks) are parsed
#                    by ansible-rulebook's own parser; a 503 phase (one nks.source.error, no crash); the example
#                    rulebooks' playbooks against the simulator. 1 to 2.5 min alone (load). Work files in EDA_WORK.
.PHONY: eda-venv eda-test

EDA_VENV := $(CURDIR)/.build/venv-eda
EDA_BIN := $(EDA_VENV)/bin
EDA_TIME_SCALE ?= 0.05
EDA_WORK ?= $(if $(SIM_DIR),$(SIM_DIR)/../eda,$(CURDIR)/.build/eda)
EDA_SIM_DIR = $(or $(SIM_DIR),$(CURDIR)/.sim/eda-test)

eda-venv: $(EDA_VENV)/.installed

$(EDA_VENV)/.installed: requirements-eda.txt
	@command -v java >/dev/null 2>&1 || { \
	  echo "eda-venv: java is missing: installing openjdk-17-jre-headless (ansible-rulebook's rule engine)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless; }
	PYTHON=$(PYTHON) VENV_UPGRADE_PIP=1 scripts/venv-cache.sh eda $(EDA_VENV) requirements-eda.txt >/dev/null
	touch $@

eda-test: venv eda-venv $(COLL_LINK)
	PATH=$(EDA_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) PYTHONPATH=$(COLLECTIONS) \
	  $(EDA_BIN)/python -m pytest -q -p no:cacheprovider tests/eda
	mkdir -p $(EDA_WORK)
	SIM_DIR=$(EDA_SIM_DIR) SIM_ARGS="--time-scale $(EDA_TIME_SCALE)" scripts/with-simulator.sh \
	  env EDA_WORK=$(EDA_WORK) EDA_COLLECTIONS=$(COLLECTIONS) $(EDA_BIN)/python tests/eda/rulebook_check.py

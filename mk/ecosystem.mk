# The collection's ecosystem: documentation site, changelog, Galaxy artifact,
# ansible-core version matrix.
#
#   make docs        antsibull-docs + Sphinx site -> .build/docs/html/index.html
#                    (offline; fails on Sphinx warnings except the links to
#                    docs.ansible.com that only intersphinx could resolve)
#   make changelog   CHANGELOG.rst from changelogs/ (scripts/changelog-generate.sh)
#   make galaxy      build the artifact, check its file list, galaxy-importer
#                    (0 warnings, 0 errors), install it and run its playbooks
#                    by FQCN against a simulator (scripts/galaxy-check.sh)
#   make matrix      ansible-test sanity + units on ansible-core 2.16 .. 2.19
#                    (scripts/matrix.sh; MATRIX_VERSIONS="2.16 2.19" to pick)
#   make matrix-older  what make test runs of the matrix: sanity + units on
#                    2.16 (the floor of requires_ansible), units only on 2.17
#                    and 2.18 (make sanity and make units cover .venv's 2.19;
#                    the sanity of 2.17 and 2.18, 150 CPU s, is in make matrix)
#   make getting-started  the commands of docs/docsite/rst/getting_started.rst,
#                    in the guide's order, against the simulator
#                    (scripts/run-guide.py): fails on any error or warning
#   make guides      every command of README.md and of every guide of
#                    docs/docsite/rst/ (getting started, credentials, fleet,
#                    upgrades, cluster to workload, AWX), in that order, in one
#                    shell session as a new user would run them, against the
#                    simulator of getting started (GUIDE_SIM_ARGS: its speed);
#                    a command block without a "guide-test:" marker fails it;
#                    first tests/playbooks/no-hosts-test.sh (the shipped
#                    playbooks fail when no host matches)
#
# make test runs docs, galaxy and matrix-older (the list is in the Makefile).

.PHONY: docs changelog galaxy matrix matrix-older getting-started guides

DOCS_DIR := $(CURDIR)/.build/docs
MATRIX_VERSIONS ?= 2.16 2.17 2.18 2.19

# Sphinx warnings that only say "this points into docs.ansible.com": labels
# outside this collection's own (ansible_collections.nhncloud.nks.*) and
# ansible-core's environment variables. intersphinx, which would resolve them,
# is off because CI cannot download its inventories. (grep -P pattern)
DOCS_EXTERNAL_WARNINGS := undefined label: '(?!ansible_collections\.nhncloud\.nks\.)|'envvar' reference target not found: ANSIBLE_

docs: venv
	@rm -rf $(DOCS_DIR)/collections
	scripts/sync-collection.sh $(DOCS_DIR)/collections/ansible_collections/nhncloud/nks >/dev/null
	docs/docsite/sphinx/build.sh $(DOCS_DIR)/collections $(DOCS_DIR) 2>&1 | tee $(DOCS_DIR)/build.log
	@test -f $(DOCS_DIR)/html/index.html
	@for page in collections/nhncloud/nks/index collections/nhncloud/nks/nks_cluster_module \
	  collections/nhncloud/nks/nks_inventory collections/nhncloud/nks/cluster_role \
	  collections/nhncloud/nks/docsite/getting_started collections/nhncloud/nks/docsite/credentials; do \
	  test -f $(DOCS_DIR)/html/$$page.html || { echo "docs: FAILED: no $$page.html" >&2; exit 1; }; \
	done
	@if grep -E 'WARNING|ERROR|CRITICAL' $(DOCS_DIR)/build.log | grep -Pv "$(DOCS_EXTERNAL_WARNINGS)"; then \
	  echo "docs: FAILED: the warnings above are not about links into docs.ansible.com" >&2; exit 1; \
	fi
	@echo "docs: $(DOCS_DIR)/html/index.html"

changelog: venv
	scripts/changelog-generate.sh

galaxy: venv
	scripts/galaxy-check.sh

matrix: venv
	scripts/matrix.sh $(MATRIX_VERSIONS)

matrix-older: venv
	status=0; scripts/matrix.sh 2.16 || status=$$?; MATRIX_TESTS=units scripts/matrix.sh 2.17 2.18 || status=$$?; exit $$status

getting-started: venv
	$(BIN)/python scripts/run-guide.py docs/docsite/rst/getting_started.rst

# The simulator the guides start with `make sim`: the fast profile, five times faster.
GUIDE_SIM_ARGS ?= --profile fast --time-scale 0.2

guides: venv
	tests/playbooks/no-hosts-test.sh
	SIM_ARGS="$(GUIDE_SIM_ARGS)" $(BIN)/python scripts/run-guide.py

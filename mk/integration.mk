# `make integration` in three parts that run at the same time (make test's job pool),
# each against a simulator of its own (the targets read and set the simulator's
# global state: its request log, durations, fail-next rules, so two parts
# cannot share one).
#
#   make integration-1a  INTEGRATION_1A_TARGETS (clusters, info, waits, fleets, add-ons),
#                        then scripts/check-api-coverage.py on its simulator for the
#                        rows of docs/operations.md whose last column names one of them
#   make integration-1b  every other target, except those of integration-2 (node groups,
#                        autoscaler, IP ACL, the cluster role, ...), then the same check
#                        for its rows: a row is checked by every part that runs one of
#                        its targets, and a row whose targets are all integration-2's
#                        fails the check (--unchecked), so no row falls between the parts
#   make integration-1   both of the above, one after the other
#   make integration-2   INTEGRATION_2_TARGETS: the Kubernetes-client targets, the
#                        inventory, nks_auth and nks_kubeconfig, none of which is
#                        the only one to perform an operation
#   make integration     all of them against one simulator, one after the other
#                        (Makefile; unchanged)
#
# Together the parts run every target `make integration` runs, and the coverage
# check; a target added later lands in integration-1b (it is a list of exclusions).
# ansible-test reads the simulator's address from <checkout>/tests/integration/
# integration_config.yml, which scripts/run-integration.sh writes: so each part but
# integration-1a runs from a copy of the checkout (made by scripts/sync-collection.sh,
# with .venv and .build/collections linked in). Its ansible-test copy is AT_DEST as
# usual; with AT_DEST (scripts/test-lanes.sh) the checkout's copy goes beside it
# (.build/test-lanes/<target>/root), else under .build/<target>/root.
INTEGRATION_1A_TARGETS := nks_cluster nks_info nks_wait nks_fleet nks_addon
INTEGRATION_2_TARGETS := kube_node_labels kube_readiness kube_workload inventory_nks nks_auth nks_kubeconfig
comma := ,
empty :=
space := $(empty) $(empty)
# Every target ansible-test runs by default: not setup_*, not marked disabled or unsupported in its aliases.
INTEGRATION_ALL_TARGETS = $(filter-out setup_% $(notdir $(patsubst %/aliases,%,$(shell grep -lE '^(disabled|unsupported)' \
  tests/integration/targets/*/aliases))),$(notdir $(wildcard tests/integration/targets/*)))
INTEGRATION_1B_TARGETS = $(filter-out $(INTEGRATION_1A_TARGETS) $(INTEGRATION_2_TARGETS),$(INTEGRATION_ALL_TARGETS))

# $(call integration_root,TARGET): the checkout's copy a part runs from.
integration_root = $(if $(AT_DEST),$(abspath $(AT_DEST)/../../..)/root,$(CURDIR)/.build/$(1)/root)
# $(call integration_copy,ROOT): make that copy.
define integration_copy
	rm -rf $(1)
	scripts/sync-collection.sh $(1) >/dev/null
	ln -sfn $(CURDIR)/.venv $(1)/.venv
	mkdir -p $(1)/.build
	ln -sfn $(CURDIR)/.build/collections $(1)/.build/collections
endef
# $(call integration_part,ROOT,TARGETS): run TARGETS from ROOT on a simulator of their own, then check the
# coverage of their rows of docs/operations.md.
define integration_part
	SIM_ARGS="--time-scale $(INTEGRATION_TIME_SCALE) $(SIM_ARGS)" scripts/with-simulator.sh \
	  sh -c 'rc=0; $(1)/scripts/run-integration.sh $(2) || rc=$$?; \
	    $(BIN)/python scripts/check-api-coverage.py "$$NKS_SIM_URL" docs/operations.md \
	      --targets $(subst $(space),$(comma),$(strip $(2))) \
	      --unchecked $(subst $(space),$(comma),$(strip $(INTEGRATION_2_TARGETS))) || rc=1; exit $$rc'
endef

.PHONY: integration-1 integration-1a integration-1b integration-2

integration-1: integration-1a integration-1b

integration-1a: venv kube-collections
	$(call integration_part,$(CURDIR),$(INTEGRATION_1A_TARGETS))

integration-1b: venv kube-collections
	$(call integration_copy,$(call integration_root,integration-1b))
	$(call integration_part,$(call integration_root,integration-1b),$(INTEGRATION_1B_TARGETS))

integration-2: venv kube-collections
	$(call integration_copy,$(call integration_root,integration-2))
	SIM_ARGS="--time-scale $(INTEGRATION_TIME_SCALE) $(SIM_ARGS)" scripts/with-simulator.sh \
	  $(call integration_root,integration-2)/scripts/run-integration.sh $(INTEGRATION_2_TARGETS)

# `make integration` in two halves that run at the same time (make test's lanes),
# each against a simulator of its own (the targets read and set the simulator's
# global state: its request log, durations, fail-next rules, so two halves
# cannot share one).
#
#   make integration-1   every ansible-test integration target except those of
#                        integration-2, then scripts/check-api-coverage.py on its
#                        simulator: each operation of docs/operations.md must have
#                        been answered (the targets its table names are all here but
#                        nks_kubeconfig, whose Get kubeconfig role_cluster sends too)
#   make integration-2   INTEGRATION_2_TARGETS: the Kubernetes-client targets, the
#                        inventory, nks_auth and nks_kubeconfig, none of which is
#                        the only one to perform an operation
#   make integration     all of them against one simulator, one after the other
#                        (Makefile; unchanged)
#
# Together the halves run every target `make integration` runs, and the coverage
# check; a target added later lands in integration-1 (it is a list of exclusions).
# integration-2 runs from a copy of the checkout (INTEGRATION_2_ROOT, made by
# scripts/sync-collection.sh, with .venv and .build/collections linked in), because
# scripts/run-integration.sh writes its simulator's address to
# <checkout>/tests/integration/integration_config.yml, which the other half writes
# too. Its ansible-test copy is AT_DEST as usual; with AT_DEST (scripts/test-lanes.sh)
# the checkout's copy goes beside it (.build/test-lanes/integration-2/root).
INTEGRATION_2_TARGETS := kube_node_labels kube_readiness kube_workload inventory_nks nks_auth nks_kubeconfig
INTEGRATION_2_ROOT := $(if $(AT_DEST),$(abspath $(AT_DEST)/../../..)/root,$(CURDIR)/.build/integration-2/root)

.PHONY: integration-1 integration-2

integration-1: venv kube-collections
	SIM_ARGS="--time-scale $(INTEGRATION_TIME_SCALE) $(SIM_ARGS)" scripts/with-simulator.sh \
	  sh -c 'rc=0; scripts/run-integration.sh $(foreach t,$(INTEGRATION_2_TARGETS),--exclude $(t)) || rc=$$?; \
	    $(BIN)/python scripts/check-api-coverage.py "$$NKS_SIM_URL" docs/operations.md || rc=1; exit $$rc'

integration-2: venv kube-collections
	rm -rf $(INTEGRATION_2_ROOT)
	scripts/sync-collection.sh $(INTEGRATION_2_ROOT) >/dev/null
	ln -sfn $(CURDIR)/.venv $(INTEGRATION_2_ROOT)/.venv
	mkdir -p $(INTEGRATION_2_ROOT)/.build
	ln -sfn $(CURDIR)/.build/collections $(INTEGRATION_2_ROOT)/.build/collections
	SIM_ARGS="--time-scale $(INTEGRATION_TIME_SCALE) $(SIM_ARGS)" scripts/with-simulator.sh \
	  $(INTEGRATION_2_ROOT)/scripts/run-integration.sh $(INTEGRATION_2_TARGETS)

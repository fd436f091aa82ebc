# The clusters' Kubernetes API from the collection's side (issue 13): kubernetes.core for
# the tests, the Kubernetes-client integration targets, and the "from cluster to workload"
# guide run against the simulator.
#
#   make kube-collections   kubernetes.core from the pinned `ansible` wheel (sha256 checked) into
#                           .build/collections (scripts/kube-collections.sh); also a prerequisite of
#                           `make integration` and `make lint`, whose targets and playbooks use it
#   make kube-integration   the integration targets that use kubectl and kubernetes.core against a
#                           fresh simulator: nks_kubeconfig, kube_readiness, kube_workload
#   make kube-guide         playbooks/cluster_to_workload.yml (docs/docsite/rst/cluster_to_workload.rst)
#                           against a fresh simulator, twice: the second run must change nothing
.PHONY: kube-collections kube-integration kube-guide

KUBE_TARGETS ?= nks_kubeconfig kube_readiness kube_workload kube_node_labels
KUBE_GUIDE_SIM_ARGS ?= --profile fast

kube-collections: venv
	scripts/kube-collections.sh

integration: kube-collections
lint: kube-collections

kube-integration: venv kube-collections
	$(MAKE) integration INTEGRATION_TARGETS="$(KUBE_TARGETS)"

kube-guide: venv kube-collections
	SIM_DIR=$(CURDIR)/.sim/kube-guide SIM_ARGS="$(KUBE_GUIDE_SIM_ARGS)" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) KUBE_GUIDE_DIR=$(CURDIR)/.sim/kube-guide \
	  scripts/kube-guide.sh

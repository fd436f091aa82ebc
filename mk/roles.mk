# The build role nhncloud.nks.cluster, the fleet playbook, molecule, ansible-runner
# and the execution environment (roles/cluster/, playbooks/, extensions/molecule/,
# tests/fleet/, tests/runner/, execution-environment.yml).
#
#   make fleet-test   playbooks/fleet.yml on the 10-cluster example inventory against a
#                     simulator: converge, second run changed=0 (no mutating request), teardown
#   make molecule     molecule test -s cluster (converge, idempotence, verify, cleanup)
#   make runner-test  ansible-runner run of fleet.yml (the engine of AWX) in tests/runner/
#   make ee-check     ansible-builder create of execution-environment.yml
.PHONY: fleet-test molecule runner-test ee-check

# Simulated seconds per real second are 1/ROLES_TIME_SCALE.
ROLES_TIME_SCALE ?= 0.05
# Each target's simulator keeps its port file and log in its own directory.
ROLES_SIM_DIR := $(CURDIR)/.build/roles-sim

TEST_TARGETS += fleet-test molecule runner-test

fleet-test: venv
	SIM_DIR=$(ROLES_SIM_DIR)/fleet SIM_ARGS="--time-scale $(ROLES_TIME_SCALE)" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) tests/fleet/fleet-test.sh

# molecule runs from the collection root (collection mode: extensions/molecule/).
molecule: venv
	SIM_DIR=$(ROLES_SIM_DIR)/molecule SIM_ARGS="--time-scale $(ROLES_TIME_SCALE)" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/molecule test -s cluster

# tests/runner/ is the private data dir; run-test.sh writes env/envvars (credentials) there at run time.
runner-test: venv
	SIM_DIR=$(ROLES_SIM_DIR)/runner SIM_ARGS="--time-scale $(ROLES_TIME_SCALE)" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) tests/runner/run-test.sh

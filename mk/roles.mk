# The build role nhncloud.nks.cluster, the fleet playbook, molecule, ansible-runner
# and the execution environment (roles/cluster/, playbooks/, extensions/molecule/,
# tests/fleet/, tests/runner/, execution-environment.yml).
#
#   make fleet-test   playbooks/fleet.yml on the 10-cluster example inventory against a
#                     simulator: converge, second run changed=0 (no mutating request), teardown
#   make fleet-rules-test  the fleet path obeys Ansible's rules (tests/fleet/fleet-rules-test.sh): fleet.yml adapted
#                     with endpoint and credentials only in module_defaults, a play var over a group var, with
#                     delegate_to localhost, and across two simulators (regions): one cluster list per poll per endpoint
#   make molecule     molecule test -s cluster (converge, idempotence, verify, cleanup)
#   make runner-test  ansible-runner run of fleet.yml (the engine of AWX) in tests/runner/
#   make runner-slice-test  fleet.yml as an AWX sliced job: 4 concurrent ansible-runner jobs over
#                     the 4 slices of the example inventory, then once unsliced, then sliced again
#                     (tests/runner/slice-test.sh); for make test (not wired in TEST_TARGETS here)
#   make ee-check     ansible-builder create of execution-environment.yml
.PHONY: fleet-test fleet-rules-test molecule runner-test runner-slice-test ee-check

# Simulated seconds per real second are 1/ROLES_TIME_SCALE.
ROLES_TIME_SCALE ?= 0.05
# Each target's simulator keeps its port file and log in its own directory.
ROLES_SIM_DIR := $(CURDIR)/.build/roles-sim


fleet-test: venv
	SIM_DIR=$(ROLES_SIM_DIR)/fleet SIM_ARGS="--time-scale $(ROLES_TIME_SCALE)" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) tests/fleet/fleet-test.sh

# Two simulators (A by with-simulator.sh, B started by the test itself in SIM_DIR_B).
fleet-rules-test: venv
	SIM_DIR=$(ROLES_SIM_DIR)/fleet-rules-a SIM_DIR_B=$(ROLES_SIM_DIR)/fleet-rules-b SIM_ARGS="--time-scale $(ROLES_TIME_SCALE)" \
	  scripts/with-simulator.sh env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) tests/fleet/fleet-rules-test.sh

# molecule runs from the collection root (collection mode: extensions/molecule/).
molecule: venv
	SIM_DIR=$(ROLES_SIM_DIR)/molecule SIM_ARGS="--time-scale $(ROLES_TIME_SCALE)" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/molecule test -s cluster

# tests/runner/ is the private data dir; run-test.sh writes env/envvars (credentials) there at run time.
runner-test: venv
	SIM_DIR=$(ROLES_SIM_DIR)/runner SIM_ARGS="--time-scale $(ROLES_TIME_SCALE)" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) tests/runner/run-test.sh

# AWX job slicing, emulated with ansible-runner (tests/runner/slice-test.sh says how).
runner-slice-test: venv
	SIM_DIR=$(ROLES_SIM_DIR)/runner-slice SIM_ARGS="--time-scale $(ROLES_TIME_SCALE)" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) tests/runner/slice-test.sh

# The execution environment: build the collection tarball, let ansible-builder
# write the build context (no container engine needed), check the context, and
# check that the tarball installs with the role and the modules in it.
EE_DIR := $(CURDIR)/.build/ee
ee-check: venv
	rm -rf $(EE_DIR) && mkdir -p $(EE_DIR)
	$(BIN)/ansible-galaxy collection build --force --output-path $(EE_DIR) . >/dev/null
	cp $(EE_DIR)/nhncloud-nks-*.tar.gz $(EE_DIR)/nhncloud-nks.tar.gz
	$(BIN)/ansible-builder create --file execution-environment.yml --context $(EE_DIR)/context --output-filename Containerfile
	test -s $(EE_DIR)/context/_build/collection/nhncloud-nks.tar.gz
	grep -q 'ansible-galaxy collection install .*-r requirements.yml' $(EE_DIR)/context/Containerfile
	grep -qx -- '- name: /build/collection/nhncloud-nks.tar.gz' $(EE_DIR)/context/_build/requirements.yml
	grep -q '^requests' $(EE_DIR)/context/_build/requirements.txt
	$(BIN)/ansible-galaxy collection install --offline --force -p $(EE_DIR)/installed $(EE_DIR)/nhncloud-nks.tar.gz >/dev/null
	test -f $(EE_DIR)/installed/ansible_collections/nhncloud/nks/roles/cluster/meta/argument_specs.yml
	ANSIBLE_COLLECTIONS_PATH=$(EE_DIR)/installed $(BIN)/ansible-doc -t role nhncloud.nks.cluster >/dev/null
	ANSIBLE_COLLECTIONS_PATH=$(EE_DIR)/installed $(BIN)/ansible-doc nhncloud.nks.nks_cluster >/dev/null
	@echo "ee-check: ansible-builder create ok; the collection tarball installs with the role nhncloud.nks.cluster"

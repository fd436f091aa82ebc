# Upgrade role (roles/upgrade), playbooks/upgrade.yml and their tests.
#
#   make upgrade-test       acceptance test: tests/integration/targets/role_upgrade/runme.sh
#                           against a fresh simulator (UPGRADE_TIME_SCALE)
#   make upgrade-molecule   molecule test -s upgrade (extensions/molecule/upgrade)
#
# make test runs both (TEST_TARGETS, in the Makefile).
.PHONY: upgrade-test upgrade-molecule

UPGRADE_TIME_SCALE ?= 0.05


upgrade-test: venv
	SIM_DIR=$(CURDIR)/.sim/upgrade-test SIM_ARGS="--time-scale $(UPGRADE_TIME_SCALE)" \
	  scripts/with-simulator.sh tests/integration/targets/role_upgrade/runme.sh


upgrade-molecule: venv
	SIM_DIR=$(CURDIR)/.sim/upgrade-molecule SIM_ARGS="--time-scale $(UPGRADE_TIME_SCALE)" \
	  scripts/with-simulator.sh env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/molecule test -s upgrade

# Upgrade role (roles/upgrade), playbooks/upgrade.yml and their tests.
#
#   make upgrade-test       acceptance test: tests/integration/targets/role_upgrade/runme.sh
#                           against a fresh simulator (UPGRADE_TIME_SCALE)
#   make upgrade-molecule   molecule test -s upgrade (extensions/molecule/upgrade)
#   make fleet-upgrade-test update runs: tests/integration/targets/fleet_upgrade/runme.sh against a
#                           fresh simulator (FLEET_UPGRADE_TIME_SCALE), about 3.5 minutes
#
# make test runs the first two (TEST_TARGETS, in the Makefile); the lead places fleet-upgrade-test in a lane.
.PHONY: upgrade-test upgrade-molecule

UPGRADE_TIME_SCALE ?= 0.05


upgrade-test: venv
	SIM_DIR=$(CURDIR)/.sim/upgrade-test SIM_ARGS="--time-scale $(UPGRADE_TIME_SCALE)" \
	  scripts/with-simulator.sh tests/integration/targets/role_upgrade/runme.sh


upgrade-molecule: venv
	SIM_DIR=$(CURDIR)/.sim/upgrade-molecule SIM_ARGS="--time-scale $(UPGRADE_TIME_SCALE)" \
	  scripts/with-simulator.sh env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) $(BIN)/molecule test -s upgrade


# make fleet-upgrade-test: update runs (playbooks/fleet_upgrade.yml, nhncloud.nks.nks_fleet_upgrade):
# tests/integration/targets/fleet_upgrade/runme.sh against a fresh simulator at FLEET_UPGRADE_TIME_SCALE
# (a control plane upgrade about 5 s): two stages with a node group upgrade failing in the first (a
# PodDisruptionBudget), the re-run, the PDB named in check mode, upgrade_max_failed_clusters, the soak.
# About 3.5 minutes alone.
.PHONY: fleet-upgrade-test
FLEET_UPGRADE_TIME_SCALE ?= 0.01

fleet-upgrade-test: venv
	scripts/sync-collection.sh >/dev/null
	SIM_DIR=$(or $(SIM_DIR),$(CURDIR)/.sim/fleet-upgrade-test) SIM_ARGS="--time-scale $(FLEET_UPGRADE_TIME_SCALE)" \
	  scripts/with-simulator.sh tests/integration/targets/fleet_upgrade/runme.sh

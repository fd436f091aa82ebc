# Lifecycle: adopting existing clusters (playbooks/adopt.yml, filter cluster_definition, module_utils/_export.py)
# and the fleet report (playbooks/fleet_report.yml, filter fleet_report, module_utils/_report.py,
# playbooks/templates/fleet_report.html.j2); tests in tests/lifecycle/.
#
#   make adopt-report-test   the adoption round trip (tests/lifecycle/adopt-test.sh: five varied clusters built
#                            with the modules, adopt.yml writes their inventory, the role in --check --diff and
#                            for real and fleet.yml report changed=0 with no mutating request; refuse/backup of
#                            existing files), then the fleet report of 20 clusters built with fleet.yml
#                            (tests/lifecycle/report-test.sh: JSON checked, the page opened in headless Chromium:
#                            screenshot .build/adopt-report/fleet-report.png, 20 rows, sorting), each against its
#                            own simulator (LIFECYCLE_TIME_SCALE). Installs Debian's chromium with apt-get when
#                            /usr/bin/chromium is missing (as root, like the project's other system packages).
.PHONY: adopt-report-test lifecycle-chromium

# Simulated seconds per real second are 1/LIFECYCLE_TIME_SCALE.
LIFECYCLE_TIME_SCALE ?= 0.05
# The simulators' directories: SIM_DIR when make test's lanes give one, else under .build/.
LIFECYCLE_SIM_DIR ?= $(or $(SIM_DIR),$(CURDIR)/.build/lifecycle-sim)
CHROMIUM ?= /usr/bin/chromium

lifecycle-chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "lifecycle-chromium: installing Debian's chromium (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	fi
	@$(CHROMIUM) --version

adopt-report-test: venv lifecycle-chromium
	SIM_DIR=$(LIFECYCLE_SIM_DIR)/adopt SIM_ARGS="--time-scale $(LIFECYCLE_TIME_SCALE) --flavors any" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) tests/lifecycle/adopt-test.sh
	SIM_DIR=$(LIFECYCLE_SIM_DIR)/report SIM_ARGS="--time-scale $(LIFECYCLE_TIME_SCALE)" scripts/with-simulator.sh \
	  env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) CHROMIUM=$(CHROMIUM) tests/lifecycle/report-test.sh

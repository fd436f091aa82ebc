# Reliability and security suite (docs/reliability.md): pytest in tests/reliability/
# drives ansible-playbook / ansible-runner against simulators it starts itself.
#
#   make reliability-short   the short variant: its four parts at once (make -j4)
#   make reliability-short-1 .. -4   one part each (what make test's lanes run)
#   make reliability         the full variant: 10 runs each of site / fleet (10 clusters) / upgrade
#
# The parts share no state: every test starts its own simulators (port 0, its own
# pytest tmp_path), and its own proxies and ansible processes; the figures go to one
# file per test (tests/output/reliability/<test>.json). Most of a part's time is
# spent waiting for simulated operations (time scale 1 with fixed durations in
# the answers, progress and timeout tests; one poll a second in the fault tests), so
# the parts overlap well on 2 cores. They are balanced on the times measured
# alone (docs/reliability.md, "Figures"): about 300, 300, 280 and 270 s.
RELIABILITY_PYTEST := $(BIN)/pytest -p no:cacheprovider -q -rs --durations=15
R := tests/reliability
RELIABILITY_PART_1 := $(R)/test_faults.py::test_fleet_and_upgrade_converge_under_faults $(R)/test_timeouts.py \
  $(R)/test_errors.py $(R)/test_durability.py
RELIABILITY_PART_2 := $(R)/test_faults.py::test_site_converges_under_faults \
  $(R)/test_faults.py::test_in_place_changes_converge_under_faults $(R)/test_kubeconfig_safety.py \
  $(R)/test_kubeconfig_kill.py
RELIABILITY_PART_3 := $(R)/test_answers.py $(R)/test_concurrency.py
RELIABILITY_PART_4 := $(R)/test_progress.py $(R)/test_bad_input.py $(R)/test_secrets.py
RELIABILITY_PARTS := reliability-short-1 reliability-short-2 reliability-short-3 reliability-short-4

.PHONY: reliability reliability-short $(RELIABILITY_PARTS) reliability-parts-check

# One test file or test per line of the parts: every test of tests/reliability is in
# exactly one part (reliability-parts-check fails otherwise, before any part runs).
reliability-parts-check: venv
	@$(BIN)/python $(R)/check_parts.py $(R) $(RELIABILITY_PART_1) -- $(RELIABILITY_PART_2) -- \
	  $(RELIABILITY_PART_3) -- $(RELIABILITY_PART_4)

reliability-short-1: venv reliability-parts-check
	$(RELIABILITY_PYTEST) $(RELIABILITY_PART_1)
reliability-short-2: venv reliability-parts-check
	$(RELIABILITY_PYTEST) $(RELIABILITY_PART_2)
reliability-short-3: venv reliability-parts-check
	$(RELIABILITY_PYTEST) $(RELIABILITY_PART_3)
reliability-short-4: venv reliability-parts-check
	$(RELIABILITY_PYTEST) $(RELIABILITY_PART_4)

# The parts at once, each one's output kept together (--output-sync); every part
# runs to its end (-k) so that one run reports every failure.
reliability-short: venv reliability-parts-check
	@$(MAKE) --no-print-directory -k -j4 --output-sync=target $(RELIABILITY_PARTS)

reliability: venv
	RELIABILITY_FULL=1 $(RELIABILITY_PYTEST) $(R)

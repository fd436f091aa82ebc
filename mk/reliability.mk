# Reliability and security suite (docs/reliability.md): pytest in tests/reliability/
# drives ansible-playbook / ansible-runner against simulators it starts itself.
#
#   make reliability-short   the short variant: its six parts at once (make -j6)
#   make reliability-short-1 .. -6   one part each
#   make reliability         the full variant: 10 runs each of site / fleet (10 clusters) / upgrade
#
# The parts share no state: every test starts its own simulators (port 0, its own
# pytest tmp_path), proxies and ansible processes; the figures go to one file per
# test (tests/output/reliability/<test>.json). Most of a part's time is spent
# waiting for simulated operations (time scale 1 with fixed durations in the
# answers, progress and timeout tests; the retry budget's backoff in the inventory
# tests; one poll a second in the fault tests): about a fifth of it on a CPU, so
# the parts overlap well on 2 cores. They are balanced on the times of each test
# measured in a run of the parts at once (docs/reliability.md, "Figures"): 250 to
# 420 s each on a loaded machine (the in-place fault test runs until 2 faults have
# hit engine-only actions, so its length varies). reliability-parts-check fails
# when a test is in no part or in two.
RELIABILITY_PYTEST := $(BIN)/pytest -p no:cacheprovider -q -rs --durations=15
RELIABILITY_DIR := tests/reliability
RELIABILITY_ANSWERS := $(RELIABILITY_DIR)/test_answers.py
RELIABILITY_PART_1 := $(RELIABILITY_DIR)/test_faults.py::test_fleet_and_upgrade_converge_under_faults \
  $(RELIABILITY_DIR)/test_timeouts.py
RELIABILITY_PART_2 := $(RELIABILITY_DIR)/test_faults.py::test_in_place_changes_converge_under_faults \
  $(RELIABILITY_DIR)/test_kubeconfig_safety.py
RELIABILITY_PART_3 := $(RELIABILITY_ANSWERS)::test_inventory_fails_on_a_malformed_list \
  $(RELIABILITY_ANSWERS)::test_two_runs_of_one_definition_create_one_cluster $(RELIABILITY_DIR)/test_kubeconfig_kill.py \
  $(RELIABILITY_DIR)/test_zipimport_cache.py
RELIABILITY_PART_4 := $(RELIABILITY_DIR)/test_secrets.py \
  $(foreach t,create_wait_is_not_ended_by_a_malformed_answer absent_is_not_fooled_by_one_malformed_list \
    nks_wait_is_not_fooled_by_one_malformed_list drip_fed_answers_do_not_hold_a_wait_past_wait_timeout \
    silent_endpoint_fails_the_inventory_at_once_saying_read_timeout out_of_range_is_refused_before_any_request \
    long_name_is_not_echoed_whole region_in_upper_case_is_accepted killed_run_leaves_no_module_file_with_the_token,\
    $(RELIABILITY_ANSWERS)::test_$(t))
RELIABILITY_PART_5 := $(RELIABILITY_DIR)/test_progress.py $(RELIABILITY_DIR)/test_bad_input.py
RELIABILITY_PART_6 := $(RELIABILITY_DIR)/test_faults.py::test_site_converges_under_faults $(RELIABILITY_DIR)/test_errors.py \
  $(RELIABILITY_DIR)/test_durability.py $(RELIABILITY_DIR)/test_concurrency.py
RELIABILITY_PARTS := reliability-short-1 reliability-short-2 reliability-short-3 reliability-short-4 reliability-short-5 \
  reliability-short-6

.PHONY: reliability reliability-short $(RELIABILITY_PARTS) reliability-parts-check

# One test file or test per line of the parts: every test of tests/reliability is in
# exactly one part (reliability-parts-check fails otherwise, before any part runs).
reliability-parts-check: venv
	@$(BIN)/python $(RELIABILITY_DIR)/check_parts.py $(RELIABILITY_DIR) $(RELIABILITY_PART_1) -- $(RELIABILITY_PART_2) -- \
	  $(RELIABILITY_PART_3) -- $(RELIABILITY_PART_4) -- $(RELIABILITY_PART_5) -- $(RELIABILITY_PART_6)

reliability-short-1: venv reliability-parts-check
	$(RELIABILITY_PYTEST) $(RELIABILITY_PART_1)
reliability-short-2: venv reliability-parts-check
	$(RELIABILITY_PYTEST) $(RELIABILITY_PART_2)
reliability-short-3: venv reliability-parts-check
	$(RELIABILITY_PYTEST) $(RELIABILITY_PART_3)
reliability-short-4: venv reliability-parts-check
	$(RELIABILITY_PYTEST) $(RELIABILITY_PART_4)
reliability-short-5: venv reliability-parts-check
	$(RELIABILITY_PYTEST) $(RELIABILITY_PART_5)
reliability-short-6: venv reliability-parts-check
	$(RELIABILITY_PYTEST) $(RELIABILITY_PART_6)

# The parts at once, each one's output kept together (--output-sync); every part
# runs to its end (-k) so that one run reports every failure.
reliability-short: venv reliability-parts-check
	@$(MAKE) --no-print-directory -k -j6 --output-sync=target $(RELIABILITY_PARTS)

reliability: venv
	RELIABILITY_FULL=1 $(RELIABILITY_PYTEST) $(RELIABILITY_DIR)

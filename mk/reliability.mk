# Reliability and security suite (docs/reliability.md): pytest in tests/reliability/
# drives ansible-playbook / ansible-runner against simulators it starts itself.
#
#   make reliability-short   the short variant (part of make test)
#   make reliability         the full variant: 10 runs each of site / fleet (10 clusters) / upgrade
RELIABILITY_PYTEST := $(BIN)/pytest tests/reliability -p no:cacheprovider -q -rs --durations=15

.PHONY: reliability reliability-short

reliability-short: venv
	$(RELIABILITY_PYTEST)

reliability: venv
	RELIABILITY_FULL=1 $(RELIABILITY_PYTEST)


# Performance benchmark (docs/performance.md). Not a timed test: it prints
# figures. `make bench` measures everything in one run (about 50 minutes on
# 2 cores: the fleet section alone takes about 25, see BENCH_FLEET_PARALLEL)
# and rewrites the generated blocks of docs/performance.md (one per section:
# running some sections keeps the others' figures);
# `make bench BENCH_SECTIONS=fleet` runs only the fleet section,
# `make bench BENCH_SECTIONS=store` only the simulator's store section;
# `make bench-smoke` runs every section once, small and fast, writes nothing,
# and fails when a benchmarked playbook fails or a re-run of site.yml or
# fleet.yml mutates, or site.yml sends more than one identity request (part
# of `make test`).
.PHONY: bench bench-smoke


BENCH_ARGS ?=
BENCH_SECTIONS ?= api,latency,store,fleet,overhead
# 1: run the fleet sizes side by side (about 8 minutes instead of about 25).
BENCH_FLEET_PARALLEL ?=

bench: venv
	$(BIN)/python bench/run.py --sections $(BENCH_SECTIONS) $(if $(BENCH_FLEET_PARALLEL),--fleet-parallel) $(BENCH_ARGS)

bench-smoke: venv
	$(BIN)/python bench/run.py --quick --check $(BENCH_ARGS)

# make bench-upgrade: the update run section (bench/fleet_upgrade_scale.py; docs/performance.md, "Update
# runs"): playbooks/fleet_upgrade.yml over 1 and 200 clusters (control plane upgrade 120 s, node group 90 s,
# 2 worker node groups each, --forks 20, one stage) and the no-op re-run; prints the figures (about 20
# minutes). BENCH_UPGRADE_ARGS=--quick: 1 and 3 clusters, short durations.
.PHONY: bench-upgrade
BENCH_UPGRADE_ARGS ?=

bench-upgrade: venv
	$(BIN)/python bench/fleet_upgrade_scale.py $(BENCH_UPGRADE_ARGS)

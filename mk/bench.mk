# Performance benchmark (docs/performance.md). Not a timed test: it prints
# figures. `make bench` measures everything in one run (about 20-30 minutes on
# 2 cores) and rewrites the generated block of docs/performance.md;
# `make bench-smoke` runs every section once, small and fast, writes nothing,
# and fails when a benchmarked playbook fails or site.yml's re-run mutates or
# sends more than one identity request (part of `make test`: about 85 s on 2
# busy cores).
.PHONY: bench bench-smoke


BENCH_ARGS ?=

bench: venv
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-smoke: venv
	$(BIN)/python bench/run.py --quick --check $(BENCH_ARGS)

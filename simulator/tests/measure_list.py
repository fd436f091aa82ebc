"""Time ``GET /v1/clusters`` (and ``/detail``) of N clusters in process, median of R (not a test).

    .venv/bin/python simulator/tests/measure_list.py [N] [R]

Fills a fresh app the way bench/sim_store.py does (fast profile, time scale 0.001, one
``POST /v1/clusters`` per cluster), then sends each list R times through the whole ASGI
stack (middleware, routing, encoding) and prints the medians in milliseconds, wall and CPU.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))

from asgi_client import fast_app_and_headers, request  # noqa: E402
from sim_store import CLUSTER  # noqa: E402


def filled_app(size: int):
    """An app holding ``size`` CREATE_COMPLETE clusters, and the headers of an authenticated client."""
    app, headers = fast_app_and_headers()
    for index in range(size):
        status, _, body = request(app, "POST", "/v1/clusters", dict(CLUSTER, name="store-%05d" % index), headers)
        assert status == 202, body
    time.sleep(0.05)
    return app, headers


def median_ms(app, path: str, headers: dict, repeat: int) -> tuple:
    """Median wall and CPU milliseconds (CPU: this process, all threads; less sensitive to the load of
    other processes on a shared machine) of ``repeat`` GETs of ``path``."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        status, _, _ = request(app, "GET", path, headers=headers)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert status == 200
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    app, headers = filled_app(size)
    for path in ("/v1/clusters", "/v1/clusters/detail"):
        wall, cpu = median_ms(app, path, headers, repeat)
        print("%s of %d clusters, median of %d: %.1f ms wall, %.1f ms CPU" % (path, size, repeat, wall, cpu))


if __name__ == "__main__":
    main()

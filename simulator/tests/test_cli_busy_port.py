"""``nks-simulator`` on a port that is already taken: one line naming the port and the way out, no traceback."""

from __future__ import annotations

import socket
import subprocess
import sys


def test_busy_port_prints_one_line_and_exits_non_zero():
    """Issue 15.3: ``make sim`` on a busy port printed uvicorn's 30-line traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))  # a free port, held (and listened on) for the whole test
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "nks_simulator.cli", "--port", str(port)],
                              capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert f"127.0.0.1:{port}" in lines[0]
    assert "--port" in lines[0] and "SIM_PORT" in lines[0]
    assert "Traceback" not in proc.stderr

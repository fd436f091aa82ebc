"""The one way to start an ``nks-simulator`` process: a class for Python callers and a command line.

In Python (the simulator's tests, the reliability suite and ``bench/run.py`` subclass it)::

    from nks_simulator.launcher import SimulatorProcess

    with SimulatorProcess("/tmp/sim", ["--time-scale", "0.1"]) as sim:
        requests.get(sim.url + "/_sim/health")
        env = sim.env()      # NKS_SIM_URL, NKS_API_URL, NHN_CLOUD_* for the modules

From the shell (``scripts/with-simulator.sh`` is a thin wrapper around it)::

    python -m nks_simulator.launcher [--sim-dir DIR] [--start-timeout S] [--simulator EXE] \\
        [SIMULATOR ARGS...] -- COMMAND [ARGS...]

starts a simulator on 127.0.0.1 and a free port, waits until ``GET /_sim/health`` answers
``{"status": "ok"}``, runs COMMAND with the simulator's address and credentials in its
environment, always stops the simulator (also on failure, Ctrl-C or SIGTERM) and exits with
COMMAND's status (127 when COMMAND is not found, 130 on Ctrl-C, 143 on SIGTERM, 1 when the
simulator does not start, 2 on a usage error). See docs/simulator.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union

#: Seconds to wait for a started simulator to answer its health check.
DEFAULT_TIMEOUT = 60.0
#: Seconds :meth:`SimulatorProcess.stop` waits after its signal before SIGKILL.
STOP_TIMEOUT = 10.0
#: Simulator options whose value is a secret: never printed.
SECRET_FLAGS = ("--api-password",)

# Requests to 127.0.0.1 go straight to the simulator, whatever http_proxy says.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class SimulatorError(RuntimeError):
    """The simulator exited before it answered, or did not answer within the timeout.
    The message ends with what the simulator wrote to its log since this start."""


def default_command() -> List[str]:
    """The command that runs the simulator: ``nks-simulator`` next to this Python (a venv's
    console script), else ``python -m nks_simulator.cli``."""
    exe = shutil.which("nks-simulator", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "nks_simulator.cli"]


def masked(args: Sequence[str]) -> List[str]:
    """``args`` with the values of :data:`SECRET_FLAGS` replaced by ``***`` (for messages)."""
    out: List[str] = []
    for arg in args:
        if out and out[-1] in SECRET_FLAGS:
            arg = "***"
        elif arg.split("=", 1)[0] in SECRET_FLAGS and "=" in arg:
            arg = arg.split("=", 1)[0] + "=***"
        out.append(arg)
    return out


class SimulatorProcess:
    """One ``nks-simulator`` child process on ``host`` and a free port (``--port 0 --port-file``).

    :param workdir: directory for the port file (``port``) and the log (``log_name``, appended to).
    :param args: extra simulator options (``--time-scale 0.1``, ``--state-file F``, ...).
    :param command: the simulator command (default :func:`default_command`).
    :param host: address to bind; every test server listens on 127.0.0.1.
    :param timeout: seconds :meth:`start` waits for the health check.
    :param log_name: file name of the log in ``workdir``.

    :meth:`start` may be called again after :meth:`stop` (same workdir, options and state file;
    a new port). Used as a context manager it starts (unless running) and always stops.
    """

    def __init__(self, workdir: Union[str, Path], args: Sequence[str] = (), command: Optional[Sequence[str]] = None,
                 host: str = "127.0.0.1", timeout: float = DEFAULT_TIMEOUT, log_name: str = "simulator.log"):
        self.workdir = Path(workdir)
        self.args = [str(a) for a in args]
        self.command = list(command) if command else default_command()
        self.host = host
        self.timeout = timeout
        self.port_file = self.workdir / "port"
        self.log_path = self.workdir / log_name
        self.proc: Optional[subprocess.Popen] = None
        self.port: Optional[int] = None
        self._log_offset = 0
        self._credentials: Dict[str, str] = {}

    # -------------------------------------------------------------- process
    def command_line(self) -> List[str]:
        """The full command :meth:`start` runs."""
        return self.command + ["--host", self.host, "--port", "0", "--port-file", str(self.port_file)] + self.args

    @property
    def running(self) -> bool:
        """Whether the child process is alive."""
        return self.proc is not None and self.proc.poll() is None

    @property
    def url(self) -> str:
        """``http://HOST:PORT`` of the running simulator; raises :class:`SimulatorError` before :meth:`start`."""
        if self.port is None:
            raise SimulatorError("the simulator has not been started")
        return f"http://{self.host}:{self.port}"

    def start(self) -> "SimulatorProcess":
        """Start the process and wait until it is healthy; returns ``self``.

        :raises SimulatorError: it exited, or did not answer within ``timeout`` (it is killed then).
        :raises RuntimeError: it is already running.
        """
        if self.running:
            raise RuntimeError(f"the simulator is already running (pid {self.proc.pid})")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port_file.unlink(missing_ok=True)
        self.port, self._credentials = None, {}
        with open(self.log_path, "ab") as log:
            self._log_offset = log.tell()
            self.proc = subprocess.Popen(self.command_line(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        try:
            self._wait_healthy()
            self._credentials = self._read_credentials()
        except BaseException:
            self.stop(signal.SIGKILL)
            raise
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.timeout
        while not self._healthy():
            if self.proc.poll() is not None:
                raise SimulatorError(f"the simulator exited with status {self.proc.returncode} before it "
                                     f"answered; its log ({self.log_path}):\n{self.log_text()}")
            if time.monotonic() > deadline:
                raise SimulatorError(f"no healthy simulator after {self.timeout:g} s; its log "
                                     f"({self.log_path}):\n{self.log_text()}")
            time.sleep(0.05)

    def _healthy(self) -> bool:
        try:
            text = self.port_file.read_text().strip()  # written atomically (os.replace)
        except OSError:
            return False
        try:
            self.port = int(text)
            return self.request_json("GET", "/_sim/health").get("status") == "ok"
        except (OSError, ValueError):  # no port yet, not listening yet, or not answering JSON
            return False

    def log_text(self) -> str:
        """What the simulator wrote to its log since the last :meth:`start` (the last 4,000 characters)."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(self._log_offset)
                return log.read().decode("utf-8", "replace")[-4000:]
        except OSError:
            return ""

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> Optional[int]:
        """Send ``sig`` (default SIGTERM), wait ``timeout`` seconds, then SIGKILL; returns the exit
        status (``None`` when it was not started). Safe to call twice."""
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return proc.returncode

    def __enter__(self) -> "SimulatorProcess":
        return self if self.running else self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -------------------------------------------------------------- HTTP
    def request_json(self, method: str, path: str, body: Optional[dict] = None, timeout: float = 30.0) -> dict:
        """One JSON request (``/_sim/`` admin API, or anything needing no token); returns the decoded
        answer (``{}`` when empty). Raises ``urllib.error.HTTPError`` (an ``OSError``) on 4xx/5xx."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with _DIRECT.open(request, timeout=timeout) as answer:
            text = answer.read()
        return json.loads(text) if text else {}

    def _read_credentials(self) -> Dict[str, str]:
        config = self.request_json("GET", "/_sim/config")
        return {"NHN_CLOUD_TENANT_ID": config["tenant_id"], "NHN_CLOUD_USERNAME": config["username"],
                "NHN_CLOUD_API_PASSWORD": config["api_password"]}

    def env(self) -> Dict[str, str]:
        """The variables that point the modules at this simulator: ``NKS_SIM_URL``, ``NKS_API_URL``,
        ``NHN_CLOUD_IDENTITY_URL`` (its URL) and the credentials it accepts (``NHN_CLOUD_TENANT_ID``,
        ``NHN_CLOUD_USERNAME``, ``NHN_CLOUD_API_PASSWORD``, read from it at start)."""
        url = self.url
        return {"NKS_SIM_URL": url, "NKS_API_URL": url, "NHN_CLOUD_IDENTITY_URL": url, **self._credentials}


# ------------------------------------------------------------------ command line
class _Terminated(Exception):
    """SIGTERM arrived."""


def _raise_terminated(signum, frame):
    raise _Terminated()


def _say(message: str) -> None:
    print(f"with-simulator: {message}", file=sys.stderr, flush=True)


def _parse(argv: Sequence[str]) -> tuple:
    """``(launcher options, simulator args, command)``; exits 2 on a usage error."""
    parser = argparse.ArgumentParser(
        prog="python -m nks_simulator.launcher", allow_abbrev=False,
        usage="%(prog)s [--sim-dir DIR] [--start-timeout S] [--simulator EXE] [SIMULATOR ARGS...] -- COMMAND...",
        description="Start an NKS API simulator, run COMMAND against it, stop it; exit with COMMAND's status.")
    parser.add_argument("--sim-dir", default=".sim", help="port file and simulator.log go there (default .sim)")
    parser.add_argument("--start-timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="seconds to wait for the health check (default %(default)g)")
    parser.add_argument("--simulator", help="simulator executable (default nks-simulator next to this Python)")
    argv = list(argv)
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        parser.error("no COMMAND: put it after --")
    split = argv.index("--")
    options, sim_args = parser.parse_known_args(argv[:split])
    return options, sim_args, argv[split + 1:]


def _run_command(command: List[str], env: Dict[str, str]) -> int:
    """Run COMMAND to its end; on Ctrl-C or SIGTERM stop it too. Returns its exit status."""
    try:
        child = subprocess.Popen(command, env=env)
    except FileNotFoundError:
        _say(f"{command[0]}: command not found")
        return 127
    except PermissionError:
        _say(f"{command[0]}: permission denied")
        return 126
    try:
        return child.wait()
    except (KeyboardInterrupt, _Terminated) as exc:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return 130 if isinstance(exc, KeyboardInterrupt) else 143


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of ``python -m nks_simulator.launcher`` (see the module's documentation)."""
    options, sim_args, command = _parse(sys.argv[1:] if argv is None else argv)
    sim = SimulatorProcess(options.sim_dir, sim_args, command=[options.simulator] if options.simulator else None,
                           timeout=options.start_timeout)
    signal.signal(signal.SIGTERM, _raise_terminated)
    _say(f"starting {' '.join(masked(sim.command_line()))} (log: {sim.log_path})")
    try:
        sim.start()
    except SimulatorError as exc:
        _say(str(exc))
        return 1
    except (KeyboardInterrupt, _Terminated) as exc:
        return 130 if isinstance(exc, KeyboardInterrupt) else 143
    try:
        _say(f"simulator healthy at {sim.url}")
        return _run_command(command, {**os.environ, **sim.env()})
    finally:
        _say(f"stopping the simulator (pid {sim.proc.pid if sim.proc else '-'})")
        sim.stop()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

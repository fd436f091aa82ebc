"""Run the commands of a guide (.rst) in the order it gives them, and fail on any error.

Usage: .venv/bin/python scripts/run-guide.py [GUIDE.rst]   (make getting-started)
       GUIDE.rst defaults to docs/docsite/rst/getting_started.rst.

A code block takes part when an RST comment (which Sphinx does not render) stands right before it:

    .. guide-test: run                       each ``$ `` line is a command (``\\`` continues it)
    .. guide-test: run, not "make test"      the same, except the commands that start with "make test"
    .. guide-test: background "make sim"     the command runs in the background until the end; the next
                                             command waits until the simulator port answers
    .. guide-test: save first.yml            the block's text is written to first.yml (removed at the end)

Every command runs in one bash session at the root of the checkout (``set -euo pipefail``: exports carry over,
the first failing command stops the run), with the NHN_CLOUD_*, NKS_* and ANSIBLE_* variables of the caller
removed, so only what the guide says counts. The guide's simulator port 8787 becomes a free port (SIM_PORT).
Exits non-zero when a command fails, or when the output shows an Ansible ``[WARNING]`` or ``[ERROR]``, a masked value
(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER) or a Python traceback.
"""

import os
import re
import shlex
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUIDE = os.path.join(ROOT, "docs", "docsite", "rst", "getting_started.rst")
GUIDE_PORT = "8787"
MARKER = re.compile(r"^\.\. guide-test: (?P<action>run|background|save)\b(?P<rest>.*)$")
BLOCK = re.compile(r"^\.\. code-block::")
# Output that fails the run although every command succeeded.
BAD_OUTPUT = re.compile(r"^\[(WARNING|ERROR)\]|VALUE_SPECIFIED_IN_NO_LOG_PARAMETER|^Traceback ")
CLEAN_ENV = re.compile(r"^(NHN_CLOUD_|NKS_|ANSIBLE_)")
# Exit status of the session when the background command (make sim) ended before its port answered: most
# likely the free port of free_port() was taken in the second before make sim bound it. The whole session
# is then run again on another port, up to ATTEMPTS times. Chance that a run fails that way: the port must
# be taken by another socket of the machine within that second, among the 28,232 ephemeral ports
# (32768-60999); with at most 10 new sockets a second on a CI machine running one target at a time,
# p <= 10/28232 = 3.6e-4 per attempt, and p**2 = 1.3e-7 < 1e-4 per CI run with 2 attempts (3 here).
BACKGROUND_DIED = 3
ATTEMPTS = 3


def read_blocks(lines):
    """Yield ``(action, rest, body_lines)`` for every marked code block of the guide's ``lines``.

    ``body_lines`` are the block's lines without their indentation; raises ValueError when a marker is not
    followed by a code block.
    """
    i = 0
    while i < len(lines):
        match = MARKER.match(lines[i])
        i += 1
        if not match:
            continue
        while i < len(lines) and not lines[i].strip():
            i += 1
        if i >= len(lines) or not BLOCK.match(lines[i]):
            raise ValueError(f"line {i}: 'guide-test:' must stand right before a code-block")
        i += 1
        body = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
            body.append(lines[i])
            i += 1
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        indent = min(len(line) - len(line.lstrip()) for line in body if line.strip())
        yield match.group("action"), match.group("rest"), [line[indent:] for line in body]


def console_commands(body):
    """The commands of a console block: ``$ `` lines, joined with their ``\\`` continuation lines."""
    commands, current = [], None
    for line in body:
        if current is not None:
            current += "\n" + line
        elif line.startswith("$ "):
            current = line[2:]
        else:
            continue  # output shown in the guide
        if not current.rstrip().endswith("\\"):
            commands.append(current)
            current = None
    return commands


def session_script(blocks):
    """The bash script running the blocks in order; returns ``(script, saved_files)``."""
    out = ["set -euo pipefail", "guide_pids=()", "guide_saved=()",
           'guide_cleanup() { for p in "${guide_pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done;'
           ' wait 2>/dev/null || true; rm -f "${guide_saved[@]}"; }',
           "trap guide_cleanup EXIT"]
    saved = []
    for action, rest, body in blocks:
        if action == "save":
            name = rest.strip()
            if os.path.exists(os.path.join(ROOT, name)):
                raise ValueError(f"{name} exists already: the guide would overwrite it")
            saved.append(name)
            out += [f"guide_saved+=({shlex.quote(name)})", f"echo '+ (saved {name})'",
                    f"cat > {shlex.quote(name)} <<'GUIDE_EOF'", *body, "GUIDE_EOF"]
            continue
        skipped = re.findall(r'not "([^"]+)"', rest)
        background = re.findall(r'"([^"]+)"', rest) if action == "background" else []
        for command in console_commands(body):
            command = command.replace(GUIDE_PORT, "$SIM_PORT")
            out.append("echo " + shlex.quote("+ " + command))
            if any(command.startswith(s) for s in skipped):
                out.append("echo '  (not run by scripts/run-guide.py)'")
            elif any(command.startswith(b) for b in background):
                out += [f"setsid bash -c {shlex.quote(command)} & guide_pids+=($!)",
                        f"{shlex.quote(sys.executable)} {shlex.quote(__file__)} --wait-port \"$SIM_PORT\" $!"]
            else:
                out.append(command)
    return "\n".join(out) + "\n", saved


def free_port():
    """A TCP port of 127.0.0.1 that was free a moment ago (the kernel's choice for port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port, pid, timeout=120.0):
    """Wait until 127.0.0.1:``port`` accepts connections; exit 1 when process ``pid`` ends first or on timeout."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return 0
        except OSError:
            pass
        try:
            os.kill(pid, 0)
        except OSError:
            print(f"run-guide: the background command ended before port {port} answered", file=sys.stderr)
            return BACKGROUND_DIED
        time.sleep(0.2)
    print(f"run-guide: nothing answers on port {port} after {timeout:.0f}s", file=sys.stderr)
    return 1


def session(script):
    """Run the session script on a free port; return ``(exit status, offending output lines)``."""
    env = {k: v for k, v in os.environ.items() if not CLEAN_ENV.match(k)}
    env["SIM_PORT"] = str(free_port())
    proc = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    bad = []
    for line in proc.stdout:
        sys.stdout.write(line)
        if BAD_OUTPUT.search(line):
            bad.append(line.rstrip())
    return proc.wait(), bad


def run(guide):
    """Run the guide's marked blocks; return the exit status (0 only when everything ran cleanly)."""
    name = os.path.relpath(guide, ROOT)
    with open(guide, encoding="utf-8") as handle:
        blocks = list(read_blocks(handle.read().splitlines()))
    if not blocks:
        print(f"run-guide: FAILED: no 'guide-test:' block in {name}", file=sys.stderr)
        return 1
    script, _saved = session_script(blocks)
    for attempt in range(1, ATTEMPTS + 1):
        status, bad = session(script)
        if status != BACKGROUND_DIED or attempt == ATTEMPTS:
            break
        print(f"run-guide: the background command died (port taken?): attempt {attempt + 1} on another port")
    if status:
        print(f"run-guide: FAILED: a command of {name} exited {status}", file=sys.stderr)
        return 1
    if bad:
        print("run-guide: FAILED: the commands succeeded, but their output shows:", *bad, sep="\n  ", file=sys.stderr)
        return 1
    print(f"run-guide: every command of {name} ran cleanly ({len(blocks)} blocks)")
    return 0


def main(argv):
    """Command line: ``[GUIDE]`` or ``--wait-port PORT PID`` (used by the generated session)."""
    if argv[:1] == ["--wait-port"]:
        return wait_port(int(argv[1]), int(argv[2]))
    return run(os.path.abspath(argv[0]) if argv else GUIDE)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

r"""Run the commands of the guides (.rst) and README.md in the order they give them, and fail on any error.

Usage: .venv/bin/python scripts/run-guide.py [FILE ...]     (make getting-started: getting_started.rst alone;
                                                             make guides: README.md, then every guide)
       Without FILE: GUIDES below, in that order.

All FILEs run in ONE bash session, in the order given, as a new user would follow them: what a guide starts (the
simulator of getting_started.rst), exports, activates (``source .venv/bin/activate``) or writes carries over to the
next one.

Every command block takes part. In .rst, a block is ``.. code-block:: console`` (commands are its ``$ `` lines, ``\``
continues one); in .md, a fenced block marked ``bash``, ``sh``, ``shell`` or ``console`` (every line is a command,
or its ``$ `` lines when it has any). An RST comment (``.. guide-test: ...``, which Sphinx does not render) or, in
Markdown, an HTML comment (``<!-- guide-test: ... -->``) stands right before each one and says what to do with it:

    run                        each command runs
    run, not "make test"       the same, except the commands that start with "make test" (printed as not run)
    background "make sim"      that command runs in the background until the end; the next command waits until the
                               simulator port answers
    save first.yml             the block's text (any language) is written to first.yml (removed at the end)
    not-offline REASON         the commands need what CI does not have (real NHN Cloud credentials, Galaxy): they
                               are printed with REASON as not run, never silently skipped
    seen "FILE"                the block repeats commands that FILE runs (checked: each must appear in a run block
                               of FILE), so they are not run twice (a second simulator on the same port)
    run, warns "TEXT"          a run block whose output shows an Ansible warning the guide tells the reader about
                               (the text around the block says so): a [WARNING] line holding TEXT is expected there

A command block without a marker fails the run (so a new command cannot escape the test), as does a marker that is
not followed by a block. The session runs at the root of the checkout (``set -euo pipefail``: the first failing
command stops the run), with the NHN_CLOUD_*, NKS_*, ANSIBLE_* and VIRTUAL_ENV variables of the caller removed, so only
what the guides say counts, and with HOME a fresh temporary directory (what the guides write to ``~/.kube`` or
``~/.ansible`` stays out of the caller's). The guides' simulator port 8787 becomes a free port (SIM_PORT).
SCRATCH files the guides tell the user to create in the checkout (``cp ... my_cluster.yml``, the built artifact)
must not exist before the run (it would overwrite them) and are removed after it.
Exits non-zero when a command fails, or when the output shows an Ansible ``[WARNING]`` or ``[ERROR]``, a masked value
(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER) or a Python traceback.
"""

import glob
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUIDE = os.path.join(ROOT, "docs", "docsite", "rst", "getting_started.rst")
# README.md, then every guide, in the order a new user reads them (the docs site's order).
GUIDES = ["README.md"] + [os.path.join("docs", "docsite", "rst", name + ".rst")
                          for name in ("getting_started", "credentials", "fleet", "upgrades", "cluster_to_workload", "awx")]
# Files the guides' commands create in the checkout (besides "save" blocks).
SCRATCH = ("my_cluster.yml", "nhncloud-nks-*.tar.gz")
GUIDE_PORT = "8787"
ACTIONS = r"(?P<action>run|background|save|not-offline|seen)\b(?P<rest>.*?)"
MARKER = re.compile(r"^\.\. guide-test: " + ACTIONS + "$")
MD_MARKER = re.compile(r"^<!-- guide-test: " + ACTIONS + r"\s*-->$")
BLOCK = re.compile(r"^\.\. code-block::\s*(?P<lang>\S*)")
MD_FENCE = re.compile(r"^```(?P<lang>\S*)\s*$")
COMMAND_LANGS = ("console", "bash", "sh", "shell")
# Output that fails the run although every command succeeded.
BAD_OUTPUT = re.compile(r"^\[(WARNING|ERROR)\]|VALUE_SPECIFIED_IN_NO_LOG_PARAMETER|^Traceback ")
CLEAN_ENV = re.compile(r"^(NHN_CLOUD_|NKS_|ANSIBLE_|VIRTUAL_ENV$)")
# Exit status of the session when the background command (make sim) ended before its port answered: most
# likely the free port of free_port() was taken in the second before make sim bound it. The whole session
# is then run again on another port, up to ATTEMPTS times. Chance that a run fails that way: the port must
# be taken by another socket of the machine within that second, among the 28,232 ephemeral ports
# (32768-60999); with at most 10 new sockets a second on a CI machine running one target at a time,
# p <= 10/28232 = 3.6e-4 per attempt, and p**2 = 1.3e-7 < 1e-4 per CI run with 2 attempts (3 here).
BACKGROUND_DIED = 3
ATTEMPTS = 3


def read_blocks(lines, markdown=False):
    """Yield ``(action, rest, body_lines, lang, line)`` for every code block of a guide's ``lines`` that has a
    marker or holds commands (``action`` ``None`` when it has no marker: the caller fails on it).

    ``body_lines`` are the block's lines without their indentation, ``line`` the block's line number (1-based).
    Raises ValueError when a marker is not followed by a code block.
    """
    return _read_md(lines) if markdown else _read_rst(lines)


def _read_rst(lines):
    i, pending = 0, None
    while i < len(lines):
        match = MARKER.match(lines[i])
        if match:
            pending = match
            i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            if i >= len(lines) or not BLOCK.match(lines[i]):
                raise ValueError(f"line {i + 1}: 'guide-test:' must stand right before a code-block")
            continue
        block = BLOCK.match(lines[i])
        i += 1
        if not block:
            continue
        start = i
        body = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
            body.append(lines[i])
            i += 1
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        lang = block.group("lang")
        if body and (pending or lang in COMMAND_LANGS):
            indent = min(len(line) - len(line.lstrip()) for line in body if line.strip())
            yield (pending.group("action") if pending else None, pending.group("rest") if pending else "",
                   [line[indent:] for line in body], lang, start)
        pending = None


def _read_md(lines):
    i, pending = 0, None
    while i < len(lines):
        match = MD_MARKER.match(lines[i].strip())
        if match:
            pending = match
            i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            if i >= len(lines) or not MD_FENCE.match(lines[i]):
                raise ValueError(f"line {i + 1}: 'guide-test:' must stand right before a fenced code block")
            continue
        fence = MD_FENCE.match(lines[i])
        i += 1
        if not fence:
            continue
        start, body = i, []
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        lang = fence.group("lang")
        if pending or lang in COMMAND_LANGS:
            yield (pending.group("action") if pending else None, pending.group("rest") if pending else "",
                   body, lang, start)
        pending = None


def console_commands(body):
    """The commands of a console block: ``$ `` lines, joined with their ``\\`` continuation lines; in a block
    without any ``$ `` line (a Markdown ``bash`` block), every line that is not empty or a comment."""
    prompt = any(line.startswith("$ ") for line in body)
    commands, current = [], None
    for line in body:
        if current is not None:
            current += "\n" + line
        elif prompt and line.startswith("$ "):
            current = line[2:]
        elif not prompt and line.strip() and not line.lstrip().startswith("#"):
            current = line
        else:
            continue  # output shown in the guide
        if not current.rstrip().endswith("\\"):
            commands.append(current)
            current = None
    return commands


def normalized(command):
    """``command`` without its trailing ``# comment`` and with single spaces (how ``seen`` compares commands)."""
    return " ".join(re.sub(r"\s+#[^'\"]*$", "", command).split())


def session_script(blocks, run_commands=None):
    """The bash script running the blocks in order; returns ``(script, saved_files)``.

    :param blocks: ``(name, action, rest, body, lang, line)`` of every file, in order.
    :param dict run_commands: file name -> the commands of its ``run``/``background`` blocks (for ``seen``).
    :raises ValueError: a command block without a marker, a ``save`` over an existing file, a ``seen`` command
        that the file named does not run.
    """
    out = ["set -euo pipefail", "guide_pids=()", "guide_saved=()",
           'guide_cleanup() { for p in "${guide_pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done;'
           ' wait 2>/dev/null || true; rm -f "${guide_saved[@]}"; }',
           "trap guide_cleanup EXIT"]
    saved = []
    for name, action, rest, body, lang, line in blocks:
        where = f"{name}:{line}"
        if action is None:
            raise ValueError(f"{where}: a {lang} block without a 'guide-test:' marker (run, background, save,"
                             " not-offline or seen: see scripts/run-guide.py)")
        if action == "save":
            target = rest.strip()
            if os.path.exists(os.path.join(ROOT, target)):
                raise ValueError(f"{target} exists already: the guide would overwrite it")
            saved.append(target)
            out += [f"echo {shlex.quote('=== ' + where)}", f"guide_saved+=({shlex.quote(target)})",
                    f"echo '+ (saved {target})'", f"cat > {shlex.quote(target)} <<'GUIDE_EOF'", *body, "GUIDE_EOF"]
            continue
        commands = console_commands(body)
        out.append(f"echo {shlex.quote('=== ' + where + ' (' + action + rest + ')')}")
        if action == "not-offline":
            for command in commands:
                out.append("echo " + shlex.quote(f"+ {command}\n  (not run offline:{rest})"))
            continue
        if action == "seen":
            other = re.findall(r'"([^"]+)"', rest)
            known = (run_commands or {}).get(other[0] if other else "")
            if known is None:
                raise ValueError(f"{where}: seen needs a file that runs in this session, got {rest.strip()!r}")
            known = [normalized(c) for c in known]
            for command in commands:
                if normalized(command) not in known:
                    raise ValueError(f"{where}: {command!r} is not a command of {other[0]}")
                out.append("echo " + shlex.quote(f"+ {command}\n  (run above, by {other[0]})"))
            continue
        skipped = re.findall(r'not "([^"]+)"', rest)
        background = re.findall(r'"([^"]+)"', rest) if action == "background" else []
        for command in commands:
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


def session(script, home):
    """Run the session script on a free port with HOME ``home``; return ``(exit status, offending output lines)``."""
    env = {k: v for k, v in os.environ.items() if not CLEAN_ENV.match(k)}
    env["SIM_PORT"] = str(free_port())
    env["HOME"] = home
    proc = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    bad, expected = [], []
    for line in proc.stdout:
        sys.stdout.write(line)
        if line.startswith("=== "):  # a block begins: the warnings its marker says it shows (warns "...")
            expected = re.findall(r'warns "([^"]+)"', line)
        if BAD_OUTPUT.search(line) and not (line.startswith("[WARNING]") and any(w in line for w in expected)):
            bad.append(line.rstrip())
    return proc.wait(), bad


def scratch_files():
    """The SCRATCH files present in the checkout now."""
    return sorted(path for pattern in SCRATCH for path in glob.glob(os.path.join(ROOT, pattern)))


def unlinted_scratch(saved):
    """The files of ``saved`` and :data:`SCRATCH` (YAML only) that ``.ansible-lint`` does not exclude."""
    with open(os.path.join(ROOT, ".ansible-lint"), encoding="utf-8") as handle:
        excluded = set(yaml.safe_load(handle).get("exclude_paths") or ())
    names = [os.path.basename(p) for p in saved] + [p for p in SCRATCH if p.endswith((".yml", ".yaml"))]
    return sorted(set(n for n in names if n.endswith((".yml", ".yaml")) and n not in excluded))


def run(guides):
    """Run the marked blocks of ``guides`` (paths) in one session; return the exit status (0 only when everything
    ran cleanly)."""
    blocks, run_commands = [], {}
    for guide in guides:
        name = os.path.relpath(guide, ROOT)
        with open(guide, encoding="utf-8") as handle:
            found = [(name,) + block for block in read_blocks(handle.read().splitlines(), guide.endswith(".md"))]
        if not found and len(guides) == 1:
            print(f"run-guide: FAILED: no 'guide-test:' block in {name}", file=sys.stderr)
            return 1
        run_commands[name] = [c for b in found if b[1] in ("run", "background") for c in console_commands(b[3])]
        blocks += found
    names = ", ".join(os.path.relpath(g, ROOT) for g in guides)
    try:
        script, saved = session_script(blocks, run_commands)
    except ValueError as exc:
        print(f"run-guide: FAILED: {exc}", file=sys.stderr)
        return 1
    unexcluded = unlinted_scratch(saved)
    if unexcluded:
        print("run-guide: FAILED: add " + ", ".join(unexcluded) + " to exclude_paths in .ansible-lint (make test's lint"
              " runs while the guides write and remove them)", file=sys.stderr)
        return 1
    present = scratch_files()
    if present:
        print("run-guide: FAILED: the guides' commands would overwrite " + ", ".join(present)
              + ": move them away first", file=sys.stderr)
        return 1
    try:
        for attempt in range(1, ATTEMPTS + 1):
            with tempfile.TemporaryDirectory(prefix="run-guide-home-") as home:
                status, bad = session(script, home)
            if status != BACKGROUND_DIED or attempt == ATTEMPTS:
                break
            print(f"run-guide: the background command died (port taken?): attempt {attempt + 1} on another port")
    finally:
        for path in scratch_files():
            os.remove(path)
    if status:
        print(f"run-guide: FAILED: a command of {names} exited {status}", file=sys.stderr)
        return 1
    if bad:
        print("run-guide: FAILED: the commands succeeded, but their output shows:", *bad, sep="\n  ", file=sys.stderr)
        return 1
    counts = {}
    for block in blocks:
        counts[block[1]] = counts.get(block[1], 0) + 1
    print(f"run-guide: every command of {names} ran cleanly ({len(blocks)} blocks: "
          + ", ".join(f"{n} {a}" for a, n in sorted(counts.items())) + ")")
    return 0


def main(argv):
    """Command line: ``[FILE ...]`` (default GUIDES) or ``--wait-port PORT PID`` (used by the generated session)."""
    if argv[:1] == ["--wait-port"]:
        return wait_port(int(argv[1]), int(argv[2]))
    return run([os.path.abspath(a) for a in argv] if argv else [os.path.join(ROOT, g) for g in GUIDES])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

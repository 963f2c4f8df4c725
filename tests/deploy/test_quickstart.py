"""deploy/quickstart.sh as a person runs it: the commands it prints, pasted in order into bash,
take a member through JOIN and YES and get them the alert of a confirmed report, each text
printed on the terminal as it is sent; and SIGTERM, SIGINT or SIGHUP to the script (its PID
only), or the service dying, leave no centinela serve, no text printer and no PostgreSQL behind,
the port free, and a next run that starts. Four runs on one var directory, about 30 s in all.

The script runs in isolation: its own var directory, port and socket directory (CENTINELA_VAR_DIR,
CENTINELA_PORT, CENTINELA_PG_SOCKET_DIR), the already built binary (BUILD_DIR, BUILD_TYPE), and
nothing is written to the checkout's var/. Python 3 standard library only.

The printed commands are the paragraph after the one that starts "==> Centinela is running on
URL", up to an empty line; each "# " comment in it starts a step.

Environment (set by tests/deploy/CMakeLists.txt): BUILD_DIR, BUILD_TYPE, CENTINELA_CMAKE_GENERATOR;
CENTINELA_QUICKSTART (optional) runs another copy of the script; CENTINELA_TEST_TMP (optional)
is where the temporary directory goes; CENTINELA_E2E_KEEP=1 keeps it. Exits 77 (skipped) when
it cannot run here.
"""

import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from support import SKIP_EXIT_CODE, free_port, tail, wait_until  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCRIPT = os.environ.get("CENTINELA_QUICKSTART") or os.path.join(ROOT, "deploy", "quickstart.sh")
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
MEMBER = r"\+1\*+0111"  # +13235550111 as the console provider masks it
BANNER = r"^==> Centinela is running on (http://\S+)"
PR_SET_PDEATHSIG = 1


def die_with_parent():
    """In the child before exec: a killed test runner (ctest's timeout) takes the script along,
    and the script's own trap then stops the rest."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def pids_running(needle):
    """Live processes whose command line contains `needle` (zombies have an empty one)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if needle.encode() in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def pid_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def port_is_free(port):
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            return False  # something still accepts connections there
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers bind; TIME_WAIT is fine
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class Output:
    """Collects a child's output lines from a pipe, on a thread, into memory and a log file."""

    def __init__(self, pipe, log_path):
        self.lines = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, args=(pipe, log_path), daemon=True)
        self._thread.start()

    def _read(self, pipe, log_path):
        with open(log_path, "ab") as log:
            for raw in iter(pipe.readline, b""):
                log.write(raw)
                log.flush()
                with self._lock:
                    self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    def text(self):
        with self._lock:
            return "\n".join(self.lines) + "\n"


class QuickStart:
    """One run of the script in a session of its own (so a test can clean up its process group)."""

    def __init__(self, workdir, port, run):
        self.workdir = workdir
        self.port = port
        self.var_dir = os.path.join(workdir, "var")
        self.config = os.path.join(self.var_dir, "quickstart.yaml")
        env = {k: v for k, v in os.environ.items() if k not in ("CENTINELA_CONFIG", "CENTINELA_DATA_KEY")}
        env.update(CENTINELA_VAR_DIR=self.var_dir, CENTINELA_PORT=str(port),
                   CENTINELA_PG_SOCKET_DIR=os.path.join(workdir, "sock"), CENTINELA_LOG_LEVEL="info")
        self.log_path = os.path.join(workdir, f"quickstart-{run}.log")
        self.popen = subprocess.Popen(["bash", SCRIPT], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, env=env, cwd=workdir,
                                      start_new_session=True, preexec_fn=die_with_parent)
        self.output = Output(self.popen.stdout, self.log_path)
        self.data_dir = None
        self.postmaster_pid = None

    def fail(self, message):
        raise AssertionError(f"{message}\n--- quick start output ({self.log_path}) ---\n"
                             + tail(self.output.text(), 60))

    def wait_for(self, pattern, timeout, what):
        def found():
            m = re.search(pattern, self.output.text(), re.M)
            if not m and self.popen.poll() is not None:
                self.fail(f"the quick start exited with {self.popen.returncode} before {what}")
            return m
        try:
            return wait_until(found, timeout, what, interval=0.1)
        except AssertionError as e:
            if str(e).startswith("timed out"):
                self.fail(str(e))  # with the script's output, like found()'s own failures
            raise

    def wait_running(self, timeout):
        """Waits until the script says it runs and the service answers on the test's port."""
        m = self.wait_for(r"^==> starting PostgreSQL \(data: (\S+),", timeout, "PostgreSQL starts")
        self.data_dir = m.group(1)
        url = self.wait_for(BANNER, timeout, "the service is ready").group(1)
        with open(os.path.join(self.data_dir, "postmaster.pid")) as f:  # PostgreSQL is up by now
            self.postmaster_pid = int(f.readline())
        if url != f"http://127.0.0.1:{self.port}":
            self.fail(f"the printed URL {url} is not the port the test asked for ({self.port})")

        def healthy():
            if self.popen.poll() is not None:
                self.fail(f"the quick start exited with {self.popen.returncode}")
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=5) as res:
                    return res.status == 200
            except OSError:
                return False
        wait_until(healthy, 30, "/healthz to answer 200", interval=0.1)

    def printed_steps(self):
        """The printed commands as steps (lists of lines), each starting at a "# " comment."""
        block = self.wait_for(BANNER + r".*\n(?:.+\n)*\n(?P<block>(?:.+\n)+)\n", 10, "the commands")["block"]
        steps = []
        for line in block.splitlines():
            if line.startswith("# ") or not steps:
                steps.append([])
            steps[-1].append(line)
        if not any(line for step in steps for line in step if not line.startswith("#")):
            self.fail("no commands printed after the paragraph that says it is running")
        return steps

    def serve_pids(self):
        return pids_running("serve\0--config\0" + self.config)

    def leftovers(self):
        """What of this run still runs: each entry names the process and its PID."""
        left = [f"centinela serve (pid {p})" for p in self.serve_pids()]
        left += [f"the text printer (pid {p})" for p in pids_running(os.path.join(self.var_dir, "console-outbox"))]
        if self.postmaster_pid and pid_alive(self.postmaster_pid):
            left.append(f"postgres (pid {self.postmaster_pid})")
        if self.data_dir and os.path.exists(os.path.join(self.data_dir, "postmaster.pid")):
            left.append(f"postgres ({self.data_dir}/postmaster.pid is still there)")
        return left

    def settled_leftovers(self, timeout=5):
        """leftovers() once the kernel has caught up (a process that just exited may linger)."""
        deadline = time.monotonic() + timeout
        while self.leftovers() and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.leftovers()

    def wait_exit(self, timeout):
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail(f"the quick start (pid {self.popen.pid}) still runs {timeout} s later")

    def force_stop(self):
        """Whatever happened, nothing of this run may outlive the test: SIGKILL by PID, then the
        cluster's own immediate stop."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)  # its session: whatever of it is left, script or not
        except ProcessLookupError:
            pass
        self.popen.wait(timeout=10)
        for pid in self.serve_pids() + pids_running(os.path.join(self.var_dir, "console-outbox")):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # gone since we looked
        if self.data_dir and os.path.exists(os.path.join(self.data_dir, "postmaster.pid")):
            owner = ["runuser", "-u", os.environ.get("PG_SYSTEM_USER", "centinela-pg"), "--"] if os.getuid() == 0 else []
            subprocess.run(owner + [f"{PG_BIN}/pg_ctl", "-D", self.data_dir, "-m", "immediate", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


class Shell:
    """An interactive bash fed like a person pasting one step after another."""

    def __init__(self, workdir):
        env = dict(os.environ, HISTFILE="/dev/null", PS1="", PS2="")
        self.popen = subprocess.Popen(["bash", "--norc", "--noprofile", "-i"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=workdir,
                                      start_new_session=True, preexec_fn=die_with_parent)
        self.out = Output(self.popen.stdout, os.path.join(workdir, "shell.out"))
        self.err = Output(self.popen.stderr, os.path.join(workdir, "shell.err"))
        self.steps = 0
        # Instrumentation, not part of what is pasted: report every command that fails.
        self._write("set +o history; trap 'echo \"FAILED (status $?): $BASH_COMMAND\" >&2' ERR")

    def _write(self, text):
        self.popen.stdin.write((text + "\n").encode())
        self.popen.stdin.flush()

    def paste(self, lines, timeout=30):
        self.steps += 1
        marker = f"__step_{self.steps}_done__"
        self._write("\n".join(lines))
        self._write(f"echo {marker}")
        wait_until(lambda: marker in self.out.text(), timeout, f"step {self.steps} to finish:\n" + "\n".join(lines))
        failed = [line for line in self.err.text().splitlines() if line.startswith(("FAILED", "curl:", "bash:"))
                  and "job control" not in line and "terminal process group" not in line]
        if failed:
            raise AssertionError("a printed command failed:\n" + "\n".join(lines) + "\n" + "\n".join(failed)
                                 + "\n--- stdout ---\n" + tail(self.out.text(), 20))

    def close(self):
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)


def checkout_var_listing():
    path = os.path.join(ROOT, "var")
    return sorted(os.listdir(path)) if os.path.isdir(path) else None


class QuickStartTest(unittest.TestCase):
    """The test methods run in name order, on one var directory: later runs are second runs."""

    @classmethod
    def setUpClass(cls):
        base = os.environ.get("CENTINELA_TEST_TMP") or "/tmp"
        cls.workdir = tempfile.mkdtemp(prefix="qs-", dir=base)
        os.chmod(cls.workdir, 0o755)  # the cluster's owner must be able to enter it (as root)
        cls.port = free_port()
        cls.var_before = checkout_var_listing()
        cls.runs = 0

    @classmethod
    def tearDownClass(cls):
        if os.environ.get("CENTINELA_E2E_KEEP"):
            print(f"kept {cls.workdir}", file=sys.stderr)
        else:
            shutil.rmtree(cls.workdir, ignore_errors=True)

    def start(self):
        type(self).runs += 1
        if not port_is_free(self.port):
            self.fail(f"port {self.port} is not free before run {self.runs}")
        qs = QuickStart(self.workdir, self.port, self.runs)
        self.addCleanup(self._after_run, qs)
        return qs

    def _after_run(self, qs):
        qs.force_stop()
        if qs.data_dir and not qs.data_dir.startswith(self.workdir + "/"):
            shutil.rmtree(os.path.dirname(qs.data_dir), ignore_errors=True)  # /var/lib/centinela/<hash>

    def stop_and_check(self, qs, signum, expected_status):
        os.kill(qs.popen.pid, signum)  # the script only, as `kill -TERM <pid>` does
        status = qs.wait_exit(40)
        left = qs.settled_leftovers()
        if left:
            qs.fail(f"after {signal.Signals(signum).name} to the script, still running: {', '.join(left)}")
        if not port_is_free(self.port):
            qs.fail(f"port {self.port} is still taken after {signal.Signals(signum).name}")
        self.assertEqual(status, expected_status, tail(qs.output.text(), 20))

    def test_1_printed_commands_reach_the_member_then_sigterm_stops_everything(self):
        qs = self.start()
        try:
            qs.wait_running(120)  # the first run may configure the build directory
            steps = qs.printed_steps()
            self.assertEqual(len(steps), 5, f"expected 5 steps (health, JOIN, YES, report, claim+confirm): {steps}")
            shell = Shell(self.workdir)
            self.addCleanup(shell.close)
            # step index -> the text the member must get before the next step is pasted
            expect = {1: "Centinela: reply YES", 2: "You joined Centinela alerts for East Los Angeles",
                      4: "ALERT East Los Angeles"}
            for i, step in enumerate(steps):
                shell.paste(step)
                if i in expect:
                    qs.wait_for(rf"^>>> SMS to {MEMBER} at [0-9:]+ UTC: {re.escape(expect[i])}", 20,
                                f"the text \"{expect[i]}\" printed after step {i + 1}")
            self.assertRegex(shell.out.text(), r"(?m)^report [23456789A-Z]{4,10}$")
            with open(os.path.join(qs.var_dir, "console-outbox.jsonl")) as f:
                to_member = "".join(line for line in f if re.search(f'"to": ?"{MEMBER}"', line))
            where = [to_member.find(text) for text in expect.values()]
            self.assertTrue(-1 < where[0] < where[1] < where[2], f"{where}:\n{to_member}")
        finally:
            self.stop_and_check(qs, signal.SIGTERM, 143)

    def test_2_second_run_starts_and_sigint_stops_everything(self):
        qs = self.start()
        qs.wait_running(60)
        self.stop_and_check(qs, signal.SIGINT, 130)

    def test_3_sighup_stops_everything(self):
        qs = self.start()
        qs.wait_running(60)
        self.stop_and_check(qs, signal.SIGHUP, 129)

    def test_4_service_dying_stops_the_script_with_an_error(self):
        qs = self.start()
        qs.wait_running(60)
        serve = qs.serve_pids()
        self.assertEqual(len(serve), 1, serve)
        os.kill(serve[0], signal.SIGKILL)
        status = qs.wait_exit(40)
        self.assertNotEqual(status, 0)
        self.assertGreater(status, 0, "the script itself was killed by a signal")
        self.assertEqual(qs.settled_leftovers(), [], tail(qs.output.text(), 20))

    def test_9_checkout_var_untouched(self):
        self.assertEqual(checkout_var_listing(), self.var_before)


def skip_reason():
    for tool in ("bash", "curl", "python3", "runuser" if os.getuid() == 0 else "bash"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    if os.getuid() != 0 and not os.path.exists(f"{PG_BIN}/initdb"):
        return f"not root and no PostgreSQL in {PG_BIN}"
    build_dir = os.environ.get("BUILD_DIR", "")
    if not build_dir or not os.path.exists(os.path.join(build_dir, "bin", "centinela")):
        return "BUILD_DIR/bin/centinela does not exist (tests/deploy/CMakeLists.txt sets BUILD_DIR)"
    if os.environ.get("CENTINELA_CMAKE_GENERATOR", "Ninja") != "Ninja":
        return "the build directory is not a Ninja one: the quick start would fail to reconfigure it"
    return None


def interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds through the cleanups


if __name__ == "__main__":
    reason = skip_reason()
    if reason:
        print(f"skipped: {reason}", file=sys.stderr)
        sys.exit(SKIP_EXIT_CODE)
    signal.signal(signal.SIGTERM, interrupted)
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(QuickStartTest)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stderr).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)

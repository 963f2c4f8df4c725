"""The processes of an end-to-end test: a database of its own on the test server,
centinela-fake-provider and centinela, each with its output in a log file and stopped with bounded
waits."""

import ctypes
import json
import os
import secrets
import signal
import subprocess
import threading

from support import (env_path, format_conninfo, http_request, parse_conninfo, psql_binary, tail,
                     wait_until)


# Processes


PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """Runs in the child before exec: if the test runner itself is killed (a ctest timeout sends
    SIGKILL), the kernel kills the servers too, so none outlives its test."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Process:
    """A child process with its output in a log file; stopped with bounded waits."""

    def __init__(self, name, argv, log_path, env=None):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log,
                                      stderr=subprocess.STDOUT, env=env, preexec_fn=_die_with_parent)

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def kill9(self):
        if self.alive():
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)
        self._log.close()

    def stop(self, grace=10):
        """SIGTERM, then SIGKILL after `grace` seconds. Returns the exit code."""
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.popen.send_signal(signal.SIGKILL)
                self.popen.wait(timeout=10)
        if not self._log.closed:
            self._log.close()
        return self.popen.returncode

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""


def wait_for_ready_file(path, proc, timeout):
    def ready():
        if not proc.alive():
            raise AssertionError(f"{proc.name} exited with {proc.popen.returncode} before it was ready:\n"
                                 + tail(proc.log_text(), 40))
        try:
            with open(path) as f:
                text = f.read().strip()
            return text or None
        except FileNotFoundError:
            return None
    return wait_until(ready, timeout, f"{proc.name} to write {path}")


class Database:
    """A database of its own on the shared test server, dropped at the end."""

    def __init__(self, label):
        self.server = parse_conninfo(os.environ["CENTINELA_TEST_PG"])
        self.name = f"e2e_{label}_{os.getpid()}_{secrets.token_hex(3)}".lower()
        self.psql(f'CREATE DATABASE "{self.name}"')

    def conninfo(self):
        fields = dict(self.server)
        fields["dbname"] = self.name
        return format_conninfo(fields)

    def psql(self, sql, database=None, timeout=60):
        fields = dict(self.server)
        if database:
            fields["dbname"] = database
        out = subprocess.run([psql_binary(), "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1",
                              "-d", format_conninfo(fields), "-c", sql],
                             capture_output=True, text=True, timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError(f"psql failed ({sql[:80]}...): {out.stderr.strip()}")
        return out.stdout.strip()

    def query(self, sql):
        return self.psql(sql, database=self.name)

    def drop(self):
        self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class FakeProvider:
    """centinela-fake-provider as a process; messages are read back from its record file."""

    def __init__(self, workdir, account_sid, auth_token, https_pki=None, extra_args=(), tls_name="server"):
        self.workdir = workdir
        self.auth_token = auth_token
        self.record_path = os.path.join(workdir, "fake-provider-messages.jsonl")
        ready = os.path.join(workdir, "fake-provider.ready")
        argv = [env_path("CENTINELA_FAKE_PROVIDER_BIN"), "--http", "127.0.0.1:0",
                "--ready-file", ready, "--record", self.record_path,
                "--account-sid", account_sid, "--auth-token", auth_token, *extra_args]
        if https_pki:
            argv += ["--https", "127.0.0.1:0",
                     "--tls-cert", os.path.join(https_pki, f"{tls_name}.pem"),
                     "--tls-key", os.path.join(https_pki, f"{tls_name}.key")]
        self.proc = Process("fake-provider", argv, os.path.join(workdir, "fake-provider.log"))
        addresses = json.loads(wait_for_ready_file(ready, self.proc, 20))
        self.http_address = addresses["http"]
        self.https_address = addresses.get("https")
        self._offset = 0
        self._partial = b""
        self._messages = []
        self._lock = threading.Lock()

    @property
    def http_url(self):
        return "http://" + self.http_address

    def control(self, **settings):
        res = http_request(self.http_url + "/_control", "POST", json.dumps(settings).encode(),
                           {"Content-Type": "application/json"})
        assert res.status == 200, res
        return res.json()

    def stats(self):
        return http_request(self.http_url + "/_stats").json()

    def messages(self):
        """Every message the fake accepted so far, in order (read incrementally from the record
        file, so 100,000 of them cost one pass). Safe to call from several threads."""
        with self._lock:
            return list(self._read_new())

    def _read_new(self):
        try:
            with open(self.record_path, "rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except FileNotFoundError:
            return self._messages
        self._offset += len(chunk)
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()  # an unfinished last line waits for the next read
        for line in lines:
            if line.strip():
                self._messages.append(json.loads(line))
        return self._messages

    def messages_to(self, number):
        return [m for m in self.messages() if m["to"] == number]

    def alerts(self):
        return [m for m in self.messages() if is_alert(m["body"])]

    def stop(self):
        return self.proc.stop(grace=5)


def is_alert(body):
    return body.startswith("ALERT ") or body.startswith("ALERTA ")


class Dispatcher:
    """`centinela migrate` + `centinela serve` on a fixed loopback port (kept across restarts)."""

    def __init__(self, workdir, config_path, env, port):
        self.workdir = workdir
        self.config_path = config_path
        self.env = env
        self.port = port
        self.proc = None
        self.generation = 0
        self.logs = []

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def migrate(self):
        out = subprocess.run([env_path("CENTINELA_BIN"), "migrate", "--config", self.config_path],
                             env=self.env, capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise AssertionError(f"centinela migrate failed ({out.returncode}):\n{out.stdout}{out.stderr}")
        return out.stdout

    def start(self):
        self.generation += 1
        ready = os.path.join(self.workdir, f"centinela-{self.generation}.ready")
        log = os.path.join(self.workdir, f"centinela-{self.generation}.log")
        self.logs.append(log)
        argv = [env_path("CENTINELA_BIN"), "serve", "--config", self.config_path,
                "--listen", f"127.0.0.1:{self.port}", "--ready-file", ready]
        self.proc = Process(f"centinela#{self.generation}", argv, log, env=self.env)
        address = wait_for_ready_file(ready, self.proc, 30)
        assert address == f"127.0.0.1:{self.port}", address
        return self

    def kill9(self):
        self.proc.kill9()

    def stop(self):
        return self.proc.stop(grace=15) if self.proc else None

    def log_text(self):
        text = []
        for path in self.logs:
            try:
                with open(path, "rb") as f:
                    text.append(f.read().decode(errors="replace"))
            except OSError:
                pass
        return "".join(text)

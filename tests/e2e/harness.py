"""End-to-end harness: real processes on 127.0.0.1 (PostgreSQL, the fake Twilio, centinela).

Everything here is Python 3 standard library. One `Stack` per test: its own database, its own
temporary directory, its own fake provider and dispatcher, all stopped (and the database dropped)
when the test ends, whatever happened. Every wait is bounded.

Environment (set by tests/e2e/CMakeLists.txt and deploy/test.sh):
  CENTINELA_BIN                 the centinela binary
  CENTINELA_FAKE_PROVIDER_BIN   the centinela-fake-provider binary
  CENTINELA_MAKE_TEST_CA        tests/support/make_test_ca.sh
  CENTINELA_TEST_PG             libpq conninfo of a server where we may CREATE DATABASE
  CENTINELA_TEST_TMP            (optional) where temporary directories go
  CENTINELA_E2E_KEEP=1          (optional) keep the temporary directory of a failed test
"""

import base64
import concurrent.futures
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

SKIP_EXIT_CODE = 77  # ctest SKIP_RETURN_CODE: no PostgreSQL to test against

ACCOUNT_SID = "AC" + "e2e0" * 8
SENDER = "+12025550100"          # the network's Twilio number (members text it)
OPERATOR_PHONE = "+12025550111"  # covers the "metro" tree
OPERATOR2_PHONE = "+12025550122"  # covers only the unrelated "isla" root
OPERATOR_TOKEN = "e2e-operator-token"
OPERATOR2_TOKEN = "e2e-operator2-token"
INTAKE_TOKEN = "e2e-intake-token"
REPORT_CODE = re.compile(r"New report ([23456789A-Z]{4,10})\b")

# Region tree: metro (root) with children north and south; isla is an unrelated second root.
REGIONS = [
    {"id": "metro", "name": "Metro Area", "keywords": ["METRO"], "zip_codes": []},
    {"id": "north", "name": "North Side", "parent": "metro", "keywords": ["NORTE", "NORTH"],
     "zip_codes": ["90001"]},
    {"id": "south", "name": "South Side", "parent": "metro", "keywords": ["SUR", "SOUTH"],
     "zip_codes": ["90002"]},
    {"id": "isla", "name": "Island County", "keywords": ["ISLA"], "zip_codes": ["96701"]},
]

TEMPLATES = {
    "en": {
        "alert": "ALERT {region}, {time}: {summary}. Verified by local responders. Know your rights: "
                 "stay silent, do not open the door without a judge's warrant. Reply STOP to opt out.",
        "alert_default_summary": "Immigration enforcement activity reported and verified",
        "join_ok": "You joined alerts for {region}. Reply STOP to leave.",
        "join_unknown_region": "Unknown area. Text JOIN and one of: {keywords}",
        "stop_ok": "You will no longer receive alerts. Text START to join again.",
        "start_ok": "Welcome back: your alerts are on again.",
        "help": "Alerts by {contact}. Text JOIN and your area ({keywords}), STOP to leave.",
        "report_received": "Thank you. Your report was received and responders are verifying it.",
        "operator_new_report": "New report {id} ({region}): {text} -- Reply YES {id} [summary] or NO {id}.",
        "operator_confirmed": "Report {id}: confirmation {confirmations} of {required} recorded.",
        "operator_alert_sent": "Report {id} verified: the alert is going out to {region}.",
        "operator_rejected": "Report {id} rejected.",
        "operator_report_filed": "Report {id} filed.",
        "operator_unknown_report": "There is no report {id}.",
        "operator_not_your_region": "Report {id} is outside your regions.",
        "operator_already_decided": "Report {id} is already {status}.",
        "operator_needs_region": "Report {id} has no region. Reply YES {id} KEYWORD with one of: {keywords}",
        "operator_help": "Operator commands: YES <id> [summary], NO <id>, REPORT <text>.",
    },
    "es": {  # operators read the default language; members' texts are all translated
        "alert": "ALERTA {region}, {time}: {summary}. Verificado por el equipo local. Conozca sus "
                 "derechos: guarde silencio, no abra la puerta sin orden de un juez. Responda STOP para salir.",
        "alert_default_summary": "Actividad de inmigración reportada y verificada",
        "join_ok": "Se unió a las alertas de {region}. Responda STOP para salir.",
        "stop_ok": "Ya no recibirá alertas. Envíe START para volver.",
        "report_received": "Gracias. Recibimos su reporte y el equipo lo está verificando.",
        "join_unknown_region": "Zona desconocida. Envíe JOIN y una de: {keywords}",
        "start_ok": "Bienvenido de nuevo: sus alertas están activadas.",
        "help": "Alertas de {contact}. Envíe JOIN y su zona ({keywords}), STOP para salir.",
    },
}
# Operator texts exist in Spanish too, so check-config has nothing to warn about.
TEMPLATES["es"] = {**{k: v for k, v in TEMPLATES["en"].items() if k.startswith("operator_")}, **TEMPLATES["es"]}


# --------------------------------------------------------------------------------------------
# Small utilities


def env_path(name):
    value = os.environ.get(name, "")
    if not value:
        raise unittest.SkipTest(f"{name} is not set")
    return value


def wait_until(predicate, timeout, what, interval=0.05):
    """Polls predicate() until it returns something truthy; raises AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def free_port():
    """A port that was free a moment ago. The dispatcher needs a fixed one: its public URL (which
    webhook signatures and status callbacks use) must be known before it starts, and must stay
    the same across a restart."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256_token_hash(token):
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def twilio_signature(auth_token, url, params):
    """Base64(HMAC-SHA1(token, url + name1 + value1 + ...)), params sorted by name then value."""
    data = url + "".join(name + value for name, value in sorted(set(params)))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def yaml_dump(value, indent=0):
    """A tiny YAML emitter: block mappings and lists, every scalar as a JSON (= YAML
    double-quoted) string or number, so nothing is ever reinterpreted."""
    pad = "  " * indent
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.append(yaml_dump(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {yaml_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                body = yaml_dump(item, indent + 1).split("\n")
                lines.append(f"{pad}- {body[0].lstrip()}")
                lines.extend(body[1:])
            else:
                lines.append(f"{pad}- {yaml_scalar(item)}")
    return "\n".join(lines)


def yaml_scalar(item):
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (int, float)):
        return json.dumps(item)
    if isinstance(item, list):
        return "[]"
    if isinstance(item, dict):
        return "{}"
    return json.dumps(str(item))


def parse_conninfo(text):
    out = {}
    for part in text.split():
        key, _, value = part.partition("=")
        out[key] = value
    return out


def format_conninfo(fields):
    return " ".join(f"{k}={v}" for k, v in fields.items())


def psql_binary():
    found = shutil.which("psql")
    if found:
        return found
    return "/usr/lib/postgresql/15/bin/psql"


def read_status_hwm_kb(pid):
    """VmHWM (peak resident set) of a live process, in KiB; None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class HttpResult:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode() or "null")

    @property
    def text(self):
        return self.body.decode(errors="replace")

    def __repr__(self):
        return f"HttpResult({self.status}, {self.body[:300]!r})"


# Never through a proxy: every request of these tests goes to 127.0.0.1.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_request(url, method="GET", body=None, headers=None, timeout=15):
    assert url.startswith("http://127.0.0.1:"), url
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return HttpResult(resp.status, dict(resp.headers), resp.read())
    except urllib.error.HTTPError as e:
        return HttpResult(e.code, dict(e.headers), e.read())


def raw_post(host, port, path, body, headers, timeout=15):
    """POST through http.client, tolerating a server that answers (413) and closes before it has
    read the whole body."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        try:
            conn.request("POST", path, body=body, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the answer may still be waiting in our receive buffer
        resp = conn.getresponse()
        return HttpResult(resp.status, dict(resp.getheaders()), resp.read())
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# Processes


class Process:
    """A child process with its output in a log file; stopped with bounded waits."""

    def __init__(self, name, argv, log_path, env=None):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log,
                                      stderr=subprocess.STDOUT, env=env)

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


def tail(text, lines):
    return "\n".join(text.splitlines()[-lines:])


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

    def __init__(self, workdir, auth_token, https_pki=None, extra_args=(), tls_name="server"):
        self.workdir = workdir
        self.auth_token = auth_token
        self.record_path = os.path.join(workdir, "fake-provider-messages.jsonl")
        ready = os.path.join(workdir, "fake-provider.ready")
        argv = [env_path("CENTINELA_FAKE_PROVIDER_BIN"), "--http", "127.0.0.1:0",
                "--ready-file", ready, "--record", self.record_path,
                "--account-sid", ACCOUNT_SID, "--auth-token", auth_token, *extra_args]
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
        file, so 100,000 of them cost one pass)."""
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


# --------------------------------------------------------------------------------------------
# The stack a test talks to


class Stack:
    """Database + fake provider + dispatcher, configured for one test."""

    def __init__(self, workdir, label, *, senders=None, max_connections=8, fake_args=(), https=False,
                 fake_tls_name="server", alerts=None, operators=None, db_pool_threads=4,
                 callback_delay_ms=20, log_level="info"):
        self.workdir = workdir
        self.auth_token = "e2e-" + secrets.token_hex(12)
        self._sid_counter = 0
        self.db = None
        self.fake = None
        self.dispatcher = None
        try:
            self._start(label, senders, max_connections, fake_args, https, fake_tls_name, alerts,
                        operators, db_pool_threads, callback_delay_ms, log_level)
        except BaseException:
            self.close()  # a half-started stack must not leave processes or a database behind
            raise

    def _start(self, label, senders, max_connections, fake_args, https, fake_tls_name, alerts,
               operators, db_pool_threads, callback_delay_ms, log_level):
        self.db = Database(label)
        pki = None
        if https:
            pki = os.path.join(os.environ.get("CENTINELA_TEST_TMP") or tempfile.gettempdir(),
                               "centinela-e2e-pki")
            subprocess.run(["bash", env_path("CENTINELA_MAKE_TEST_CA"), pki], check=True, timeout=60)
        self.fake = FakeProvider(self.workdir, self.auth_token, https_pki=pki, tls_name=fake_tls_name,
                                 extra_args=["--callback-delay-ms", str(callback_delay_ms), *fake_args])
        self.port = free_port()
        provider = {
            "name": "twilio",
            "type": "twilio",
            "base_url": ("https://" + self.fake.https_address) if https else self.fake.http_url,
            "credentials": {"account_sid": "${E2E_TWILIO_SID}", "auth_token": "${E2E_TWILIO_TOKEN}"},
            "senders": senders or [{"number": SENDER, "messages_per_second": 100}],
            "max_connections": max_connections,
        }
        if https:
            provider["ca_file"] = os.path.join(pki, "ca.pem")
        self.config = {
            "server": {"listen": f"127.0.0.1:{self.port}",
                       "public_base_url": f"http://127.0.0.1:{self.port}",
                       "max_body_bytes": 65536, "read_timeout": "10s", "write_timeout": "10s",
                       "shutdown_grace": "5s"},
            "database": {"url": self.db.conninfo(), "pool_threads": db_pool_threads},
            "default_language": "en",
            "organization_contact": "E2E Rapid Response, (202) 555-0199",
            "intake_token_hash": sha256_token_hash(INTAKE_TOKEN),
            "verification": {"confirmations_required": 1},
            "alerts": alerts or {"expiry": "2h", "fanout_chunk": 500, "max_attempts": 3},
            "regions": REGIONS,
            "operators": operators or [
                {"name": "Ana", "phone": OPERATOR_PHONE, "regions": ["metro"],
                 "api_token_hash": sha256_token_hash(OPERATOR_TOKEN)},
                {"name": "Isa", "phone": OPERATOR2_PHONE, "regions": ["isla"],
                 "api_token_hash": sha256_token_hash(OPERATOR2_TOKEN)},
            ],
            "providers": [provider],
            "templates": TEMPLATES,
        }
        self.config_path = os.path.join(self.workdir, "centinela.yaml")
        with open(self.config_path, "w") as f:
            f.write(yaml_dump(self.config) + "\n")
        env = dict(os.environ)
        env.update({
            "CENTINELA_DATA_KEY": self._keygen(),
            "E2E_TWILIO_SID": ACCOUNT_SID,
            "E2E_TWILIO_TOKEN": self.auth_token,
            "CENTINELA_LOG_LEVEL": log_level,
            "TZ": "UTC",
        })
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(proxy, None)
        self.env = env
        self.dispatcher = Dispatcher(self.workdir, self.config_path, env, self.port)
        self.dispatcher.migrate()
        self.dispatcher.start()

    @staticmethod
    def _keygen():
        out = subprocess.run([env_path("CENTINELA_BIN"), "keygen"], capture_output=True, text=True,
                             timeout=30, check=True)
        key = out.stdout.strip()
        assert re.fullmatch(r"[0-9a-f]{64}", key), "keygen printed no key"
        return key

    def close(self):
        errors = []
        for what, action in (("dispatcher", lambda: self.dispatcher and self.dispatcher.stop()),
                             ("fake provider", lambda: self.fake and self.fake.stop()),
                             ("database", lambda: self.db and self.db.drop())):
            try:
                action()
            except Exception as e:  # keep cleaning up: nothing may outlive the test
                errors.append(f"{what}: {e}")
        return errors

    # ---- webhooks ----------------------------------------------------------------------

    def next_sid(self):
        self._sid_counter += 1
        return "SM" + hashlib.md5(f"{self.auth_token}{self._sid_counter}".encode()).hexdigest()

    def inbound_sms(self, from_number, body, *, sid=None, signature=None, tamper=None):
        """Posts a Twilio inbound-SMS webhook, signed like Twilio signs it. Returns
        (HttpResult, MessageSid)."""
        sid = sid or self.next_sid()
        params = [("ToCountry", "US"), ("ToState", "DC"), ("SmsMessageSid", sid), ("NumMedia", "0"),
                  ("ToCity", "WASHINGTON"), ("FromZip", "20001"), ("SmsSid", sid), ("FromState", "DC"),
                  ("SmsStatus", "received"), ("FromCity", "WASHINGTON"), ("Body", body),
                  ("FromCountry", "US"), ("To", SENDER), ("ToZip", "20001"), ("NumSegments", "1"),
                  ("MessageSid", sid), ("AccountSid", ACCOUNT_SID), ("From", from_number),
                  ("ApiVersion", "2010-04-01")]
        path = "/webhooks/twilio/sms"
        if signature is None:
            signature = twilio_signature(self.auth_token, self.config["server"]["public_base_url"] + path, params)
        if tamper:
            params = tamper(params)
        res = http_request(self.dispatcher.base_url + path, "POST", urllib.parse.urlencode(params).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded",
                            "X-Twilio-Signature": signature})
        return res, sid

    def join(self, number, keyword, language=None):
        res, _ = self.inbound_sms(number, f"JOIN {keyword}" + (f" {language}" if language else ""))
        assert res.status == 200, (number, keyword, res)
        return res

    def join_many(self, members, workers=8):
        """members: [(number, keyword, language)]; joined concurrently, as a crowd would."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            for res in pool.map(lambda m: self.join(*m), members):
                assert "joined" in res.text or "unió" in res.text, res

    # ---- JSON API ----------------------------------------------------------------------

    def api(self, method, path, body=None, token=OPERATOR_TOKEN, raw=None):
        headers = {}
        if token:
            headers["Authorization"] = "Bearer " + token
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        return http_request(self.dispatcher.base_url + path, method, data, headers)

    def pending_reports(self, token=OPERATOR_TOKEN):
        res = self.api("GET", "/api/v1/reports?status=pending", token=token)
        assert res.status == 200, res
        return res.json()["reports"]

    def alert(self, alert_id):
        res = self.api("GET", f"/api/v1/alerts/{alert_id}")
        assert res.status == 200, res
        return res.json()

    def alert_id_for_report(self, code, max_id=50):
        """Alert ids are not texted to operators: find the one whose report_id is `code`."""
        for alert_id in range(1, max_id + 1):
            res = self.api("GET", f"/api/v1/alerts/{alert_id}")
            if res.status == 200 and res.json()["report_id"] == code:
                return alert_id
        return None

    def wait_for_report_code(self, operator_phone=OPERATOR_PHONE, already=(), timeout=20):
        """The id of the newest report the operator was texted about (and not in `already`)."""
        def find():
            for m in reversed(self.fake.messages_to(operator_phone)):
                match = REPORT_CODE.search(m["body"])
                if match and match.group(1) not in already:
                    return match.group(1)
            return None
        return wait_until(find, timeout, f"a 'New report' text to {operator_phone}")

    def wait_fanout_finished(self, alert_id, timeout):
        """Until the alert is fully planned and nothing is queued or being sent."""
        def done():
            a = self.alert(alert_id)
            d = a["deliveries"]
            return a if a["fully_planned"] and d["queued"] == 0 and d["sending"] == 0 else None
        return wait_until(done, timeout, f"alert {alert_id} to finish its fan-out", interval=0.2)


def member_number(i, base=13105550000):
    return f"+{base + i}"


class StackTestCase(unittest.TestCase):
    """Gives each test a temporary directory and prints the process logs when it fails."""

    label = "e2e"

    def setUp(self):
        root = os.environ.get("CENTINELA_TEST_TMP") or None
        self.workdir = tempfile.mkdtemp(prefix=f"e2e-{self.label}-", dir=root)
        os.chmod(self.workdir, 0o755)
        self.stacks = []

    def make_stack(self, **kwargs):
        stack = Stack(self.workdir, self.label, **kwargs)
        self.stacks.append(stack)
        return stack

    def tearDown(self):
        problems = []
        for stack in self.stacks:
            problems += stack.close()
        if problems:
            print("cleanup problems: " + "; ".join(problems), file=sys.stderr)

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        started = time.monotonic()
        try:
            return super().run(result)
        finally:
            failed = len(result.failures) + len(result.errors) > before
            print(f"[{self.id()}] {time.monotonic() - started:.1f}s{' FAILED' if failed else ''}",
                  file=sys.stderr)
            workdir = getattr(self, "workdir", None)
            if workdir:
                if failed:
                    dump_logs(workdir)
                if failed and os.environ.get("CENTINELA_E2E_KEEP"):
                    print(f"kept {workdir}", file=sys.stderr)
                else:
                    shutil.rmtree(workdir, ignore_errors=True)


def dump_logs(workdir, lines=60):
    for name in sorted(os.listdir(workdir)):
        if name.endswith(".log"):
            with open(os.path.join(workdir, name), "rb") as f:
                text = f.read().decode(errors="replace")
            print(f"----- last {lines} lines of {name} -----\n{tail(text, lines)}", file=sys.stderr)

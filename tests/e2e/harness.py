"""End-to-end harness: real processes on 127.0.0.1 (PostgreSQL, the fake Twilio, centinela).

Everything here is Python 3 standard library (support.py: waits, HTTP, signatures; processes.py:
the database and the two servers). One `Stack` per test: its own database, its own temporary
directory, its own fake provider and dispatcher, all stopped (and the database dropped) when the
test ends, whatever happened. Every wait is bounded. tests/bench/fanout_bench.py reuses it.

Environment (set by tests/e2e/CMakeLists.txt and deploy/test.sh):
  CENTINELA_BIN                 the centinela binary
  CENTINELA_FAKE_PROVIDER_BIN   the centinela-fake-provider binary
  CENTINELA_MAKE_TEST_CA        tests/support/make_test_ca.sh
  CENTINELA_TEST_PG             libpq conninfo of a server where we may CREATE DATABASE
  CENTINELA_TEST_TMP            (optional) where temporary directories go
  CENTINELA_E2E_KEEP=1          (optional) keep the temporary directory of a failed test
"""

import concurrent.futures
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

from processes import Database, Dispatcher, FakeProvider, is_alert  # noqa: F401 (re-exported)
from support import (SKIP_EXIT_CODE, env_path, free_port, http_request, raw_post,  # noqa: F401
                     read_cpu_seconds, read_status_hwm_kb, sha256_token_hash, tail, twilio_signature, wait_until,
                     yaml_dump)

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
    {"id": "isla", "name": "Island County", "keywords": ["ISLA"], "zip_codes": ["96701"],
     "time_zone": "Pacific/Honolulu"},
]

TEMPLATES = {
    "en": {
        "alert": "ALERT {region}, {time}: {summary}. Verified by local responders. Know your rights: "
                 "stay silent, do not open the door without a judge's warrant. Reply STOP to opt out.",
        "alert_default_summary": "Immigration enforcement activity reported and verified",
        "join_confirm_request": "Reply YES to get alerts for {region}. Reply STOP to cancel.",
        "join_ok": "You joined alerts for {region}. Reply STOP to leave.",
        "join_expired": "Your request to join {region} expired. Text JOIN {keyword} again.",
        "leave_ok": "You left {region}. Still in: {regions}.",
        "leave_ok_last": "You left {region} and are in no area now. Text JOIN to add one.",
        "leave_not_member": "You are not in {region}.",
        "leave_unknown_region": "Text LEAVE and one of: {keywords}",
        "language_ok": "OK: texts in English.",
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
        "alert_update": "UPDATE {region}, {time}: {summary}. Reply STOP to opt out.",
        "alert_clear": "ALL CLEAR {region}, {time}: the alert is over ({summary}).",
        "alert_retract": "CORRECTION {region}, {time}: our earlier alert was wrong and is withdrawn ({summary}).",
        "exercise_prefix": "[DRILL - NOT REAL]",
        "reporter_question": "Responders have a question about your report: {question} Reply to answer.",
        "advisory": "UNVERIFIED ADVISORY {region}, report {id}: {summary}. Members were not alerted.",
        "operator_escalated": "ESCALATED: report {id} ({region}) has waited {waited} min: {text}",
        "operator_incident_report": "Report {id} joined incident {incident} ({count} reports): {text}",
        "operator_on_call": "You are on call.",
        "operator_off_call": "You are off call.",
        "operator_claimed": "Report {id} is yours for {minutes} min.",
        "operator_claim_taken": "{operator} took report {id}.",
        "operator_claim_held": "Report {id} is held by {operator}.",
        "operator_claim_lapsed": "Report {id} is no longer yours.",
        "operator_note_recorded": "Note added to report {id}.",
        "operator_evidence_recorded": "Report {id}: recorded. Still needed before YES: {missing}",
        "operator_evidence_missing": "Report {id} needs {missing} before YES.",
        "operator_advisory_sent": "Advisory on report {id} sent. Members were not texted.",
        "operator_question_sent": "Question sent to the reporter of {id}.",
        "operator_no_reporter": "Report {id} came from a web form: there is no number to ask.",
        "operator_reporter_reply": "Reporter of {id} answered: {text}",
        "operator_followup_sent": "Report {id}: {kind} sent to the members who got the alert.",
        "operator_no_alert": "Report {id} has no alert to UPDATE, CLEAR or RETRACT.",
        "operator_update_held": "Update for {id} to {recipients} members waits for APPROVE {id}.",
        "operator_approval_needed": "{operator} wants to update {id} to {recipients} members: {text} -- APPROVE {id}",
        "operator_update_approved": "Approved: update for {id} going to {recipients} members.",
        "operator_nothing_to_approve": "No update for {id} waits for approval.",
    },
    "es": {  # operators read the default language; members' texts are all translated
        "alert": "ALERTA {region}, {time}: {summary}. Verificado por el equipo local. Conozca sus "
                 "derechos: guarde silencio, no abra la puerta sin orden de un juez. Responda STOP para salir.",
        "alert_default_summary": "Actividad de inmigración reportada y verificada",
        "join_confirm_request": "Responda SÍ (YES) para recibir alertas de {region}. Responda STOP para cancelar.",
        "join_ok": "Se unió a las alertas de {region}. Responda STOP para salir.",
        "join_expired": "Su solicitud para {region} venció. Envíe JOIN {keyword} de nuevo.",
        "leave_ok": "Salió de {region}. Sigue en: {regions}.",
        "leave_ok_last": "Salió de {region} y ya no está en ninguna zona. Envíe JOIN para agregar una.",
        "leave_not_member": "No está inscrito en {region}.",
        "leave_unknown_region": "Envíe SALIR y una de: {keywords}",
        "language_ok": "Listo: mensajes en español.",
        "stop_ok": "Ya no recibirá alertas. Envíe START para volver.",
        "report_received": "Gracias. Recibimos su reporte y el equipo lo está verificando.",
        "join_unknown_region": "Zona desconocida. Envíe JOIN y una de: {keywords}",
        "start_ok": "Bienvenido de nuevo: sus alertas están activadas.",
        "help": "Alertas de {contact}. Envíe JOIN y su zona ({keywords}), STOP para salir.",
        "alert_update": "ACTUALIZACIÓN {region}, {time}: {summary}. Responda STOP para salir.",
        "alert_clear": "FIN DE LA ALERTA {region}, {time}: la alerta terminó ({summary}).",
        "alert_retract": "CORRECCIÓN {region}, {time}: nuestra alerta anterior era errónea ({summary}).",
        "exercise_prefix": "[SIMULACRO - NO ES REAL]",
        "reporter_question": "El equipo tiene una pregunta sobre su reporte: {question} Responda para contestar.",
    },
}
# Operator (and coordinator) texts exist in Spanish too, so check-config has nothing to warn about.
TEMPLATES["es"] = {**{k: v for k, v in TEMPLATES["en"].items() if k.startswith("operator_") or k == "advisory"},
                   **TEMPLATES["es"]}


# --------------------------------------------------------------------------------------------
# The stack a test talks to


class Stack:
    """Database + fake provider + dispatcher, configured for one test."""

    def __init__(self, workdir, label, *, senders=None, max_connections=8, fake_args=(), https=False,
                 fake_tls_name="server", alerts=None, operators=None, db_pool_threads=4,
                 callback_delay_ms=100, log_level="info", config_extra=None, db_url=None):
        self.workdir = workdir
        self.auth_token = "e2e-" + secrets.token_hex(12)
        self._sid_counter = 0
        self.db = None
        self.fake = None
        self.dispatcher = None
        try:
            self._start(label, senders, max_connections, fake_args, https, fake_tls_name, alerts,
                        operators, db_pool_threads, callback_delay_ms, log_level, config_extra or {}, db_url)
        except BaseException:
            self.close()  # a half-started stack must not leave processes or a database behind
            raise

    def _start(self, label, senders, max_connections, fake_args, https, fake_tls_name, alerts,
               operators, db_pool_threads, callback_delay_ms, log_level, config_extra, db_url):
        self.db = Database(label)
        pki = None
        if https:
            pki = os.path.join(os.environ.get("CENTINELA_TEST_TMP") or tempfile.gettempdir(),
                               "centinela-e2e-pki")
            subprocess.run(["bash", env_path("CENTINELA_MAKE_TEST_CA"), pki], check=True, timeout=60)
        self.fake = FakeProvider(self.workdir, ACCOUNT_SID, self.auth_token, https_pki=pki, tls_name=fake_tls_name,
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
            # db_url(db): how centinela reaches the test database (say, through a proxy of the test's)
            "database": {"url": db_url(self.db) if db_url else self.db.conninfo(), "pool_threads": db_pool_threads},
            "default_language": "en",
            "time_zone": "America/Los_Angeles",
            "organization_contact": "E2E Rapid Response, (202) 555-0199",
            "intake_token_hash": sha256_token_hash(INTAKE_TOKEN),
            "verification": {"confirmations_required": 1},
            "alerts": alerts or {"expiry": "2h", "fanout_chunk": 500},
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
        # config_extra: more sections (escalation, incidents...), or keys added to a section here.
        for key, value in config_extra.items():
            if isinstance(value, dict) and isinstance(self.config.get(key), dict):
                self.config[key] = {**self.config[key], **value}
            else:
                self.config[key] = value
        self.config_path = os.path.join(self.workdir, "centinela.yaml")
        with open(self.config_path, "w") as f:
            f.write(yaml_dump(self.config) + "\n")
        env = dict(os.environ)
        env.update({
            "CENTINELA_DATA_KEY": self._keygen(),
            "E2E_TWILIO_SID": ACCOUNT_SID,
            "E2E_TWILIO_TOKEN": self.auth_token,
            "CENTINELA_LOG_LEVEL": log_level,
            # A zone the config never names: alert times and shifts must come from the config.
            "TZ": "Asia/Tokyo",
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
        """Stops both servers and drops the database; safe to call again."""
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

    def inbound_sms(self, from_number, body, *, sid=None, signature=None, tamper=None, extra=()):
        """Posts a Twilio inbound-SMS webhook, signed like Twilio signs it; `extra` adds signed
        fields (e.g. OptOutType). Returns (HttpResult, MessageSid)."""
        sid = sid or self.next_sid()
        params = [("ToCountry", "US"), ("ToState", "DC"), ("SmsMessageSid", sid), ("NumMedia", "0"),
                  ("ToCity", "WASHINGTON"), ("FromZip", "20001"), ("SmsSid", sid), ("FromState", "DC"),
                  ("SmsStatus", "received"), ("FromCity", "WASHINGTON"), ("Body", body),
                  ("FromCountry", "US"), ("To", SENDER), ("ToZip", "20001"), ("NumSegments", "1"),
                  ("MessageSid", sid), ("AccountSid", ACCOUNT_SID), ("From", from_number),
                  ("ApiVersion", "2010-04-01")] + list(extra)
        path = "/webhooks/twilio/sms"
        if signature is None:
            signature = twilio_signature(self.auth_token, self.config["server"]["public_base_url"] + path, params)
        if tamper:
            params = tamper(params)
        res = http_request(self.dispatcher.base_url + path, "POST", urllib.parse.urlencode(params).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded",
                            "X-Twilio-Signature": signature})
        return res, sid

    def wait_for_text(self, to, contains="", timeout=10, after=0):
        """The first text the fake provider accepted for `to` whose body contains `contains`,
        skipping the first `after` texts to that number. Replies to inbound texts arrive this way:
        they leave through the dispatcher's outbox, never in the webhook's answer."""
        def find():
            for m in self.fake.messages_to(to)[after:]:
                if contains in m["body"]:
                    return m
            return None
        return wait_until(find, timeout, f"a text to {to} containing {contains!r}")

    def texts_to(self, to):
        """The bodies of every text the fake provider accepted for `to` so far, in order."""
        return [m["body"] for m in self.fake.messages_to(to)]

    def sms_and_reply(self, from_number, body, contains="", timeout=10, **kwargs):
        """Posts an inbound text and waits for the reply it gets; returns (HttpResult, reply text)."""
        seen = len(self.fake.messages_to(from_number))
        res, _ = self.inbound_sms(from_number, body, **kwargs)
        assert res.status == 200, (from_number, body, res)
        return res, self.wait_for_text(from_number, contains, timeout, after=seen)["body"]

    def join(self, number, keyword, language=None):
        """JOIN, then the member's YES when the reply asks for it (double opt-in: a new number must
        confirm; an active member adding a region is joined at once). Returns the last reply's text."""
        _, reply = self.sms_and_reply(number, f"JOIN {keyword}" + (f" {language}" if language else ""))
        if "YES" in reply:
            _, reply = self.sms_and_reply(number, "YES")
        return reply

    def join_many(self, members, workers=8):
        """members: [(number, keyword, language)], all new numbers: JOIN and YES, concurrently, as a
        crowd would. It does not wait for the replies (two per member, routine texts that leave
        after any alert): callers check the membership through the alert's deliveries."""
        def join_new(member):
            number, keyword, language = member
            for body in (f"JOIN {keyword}" + (f" {language}" if language else ""), "YES"):
                res, _ = self.inbound_sms(number, body)
                assert res.status == 200, (number, body, res)
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(join_new, members))

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

    def follow_up_id(self, original_id, kind, max_id=50):
        """The id of the `kind` ("update", "clear", "retract") alert that refers to `original_id`
        (404s are alerts of other operators' regions, or ids not used yet)."""
        for alert_id in range(original_id + 1, max_id + 1):
            res = self.api("GET", f"/api/v1/alerts/{alert_id}")
            if res.status == 200 and res.json()["kind"] == kind and res.json()["references"] == original_id:
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

    def seed_members(self, count, regions, first_number):
        """`count` members straight into the database, encrypted as JOIN stores them, spread over
        `regions` (ids): thousands in a second, and no JOIN replies in the way of what is tested."""
        out = subprocess.run([env_path("CENTINELA_BENCH_SEED_BIN"), "--db", self.db.conninfo(), "--members",
                              str(count), "--regions", ",".join(regions), "--first-number", str(first_number),
                              "--spanish-every", "0"],
                             env=self.env, capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise AssertionError(f"seeding failed: {out.stderr.strip()}")
        return [f"+{first_number + i}" for i in range(count)]

    def web_report_confirmed(self, text, region, summary):
        """A report through the web form, confirmed by the operator through the API: no SMS in the
        way. Returns (report code, alert id, the moment the confirmation was answered)."""
        res = self.api("POST", "/api/v1/reports", {"text": text, "region": region}, token=INTAKE_TOKEN)
        assert res.status == 202, res
        code = res.json()["report_id"]
        res = self.api("POST", f"/api/v1/reports/{code}/confirm", {"summary": summary})
        confirmed = time.monotonic()
        assert res.status == 200 and res.json()["status"] == "confirmed", res
        return code, res.json()["alert_id"], confirmed

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
            # tearDown is skipped when the run is interrupted (SIGTERM, Ctrl-C): clean up here too.
            for stack in getattr(self, "stacks", []):
                stack.close()
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

"""A database outage answers 503 `unavailable` with Retry-After, never 500 and never 2xx, and
within seconds: a small TCP proxy of the test's stands between centinela and PostgreSQL and
first hangs (accepts, relays nothing: what libpq's connect_timeout and the pool's call_timeout
catch), then refuses (cuts every connection: a server that is down). Once it relays again, the
provider's retry of the same webhook is answered 200 and applied exactly once.

About 8 s: the hang phase waits out call_timeout (3 s here) once."""

import concurrent.futures
import os
import select
import socket
import struct
import sys
import threading
import time
import unittest

from harness import INTAKE_TOKEN, StackTestCase
from support import format_conninfo, http_request, parse_conninfo, wait_until

REPORTER = "+13235550177"
SIGHTING = "Agents at the NORTH side laundromat"
CALL_TIMEOUT_S = 3
HANG_BOUND_S = CALL_TIMEOUT_S + 2.5  # cut at call_timeout, answered at once after that
REFUSE_BOUND_S = 2.0


def reset(sock):
    """Closes with a reset, as a host that lost the connection does."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


class FlakyProxy:
    """127.0.0.1:<port> in front of the test PostgreSQL (its unix socket, or its TCP address).
    Modes: "forward" relays; "hang" accepts and relays nothing, on open connections too;
    "refuse" cuts every connection and resets new ones at once."""

    def __init__(self, server):
        host, port = server.get("host", "/var/run/postgresql"), int(server.get("port", "5432"))
        if host.startswith("/"):
            self.upstream = (socket.AF_UNIX, os.path.join(host, f".s.PGSQL.{port}"))
        else:
            self.upstream = (socket.AF_INET, (host, port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.mode = "forward"
        self.generation = 0  # bumped by "refuse": relays of older generations cut themselves
        self.held = []       # connections accepted while hanging
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def set_mode(self, mode):
        with self.lock:
            self.mode = mode
            if mode != "hang":
                for s in self.held:
                    reset(s)
                self.held = []
            if mode == "refuse":
                self.generation += 1

    def close(self):
        self.closed = True
        self.set_mode("refuse")
        self.listener.close()

    def _accept_loop(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                mode, generation = self.mode, self.generation
                if mode == "hang":
                    self.held.append(client)
                    continue
            if mode == "refuse":
                reset(client)
                continue
            upstream = socket.socket(self.upstream[0], socket.SOCK_STREAM)
            try:
                upstream.connect(self.upstream[1])
            except OSError:
                reset(client)
                upstream.close()
                continue
            threading.Thread(target=self._relay, args=(client, upstream, generation), daemon=True).start()

    def _relay(self, client, upstream, generation):
        peers = {client: upstream, upstream: client}
        try:
            while self.generation == generation:
                if self.mode == "hang":
                    time.sleep(0.05)  # read nothing: the kernel still acknowledges what is sent
                    continue
                ready, _, _ = select.select(list(peers), [], [], 0.05)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    peers[s].sendall(data)
        except OSError:
            pass
        finally:
            reset(client)
            upstream.close()


class OutageTest(StackTestCase):
    label = "outage"

    def assert_unavailable(self, what, res, took, bound):
        self.assertEqual(res.status, 503, f"{what}: {res}")
        self.assertGreater(int(res.headers.get("Retry-After", "0")), 0, f"{what}: {res.headers}")
        body = res.json()
        self.assertEqual(body["error"], "unavailable", f"{what}: {body}")
        self.assertTrue(body.get("message"), body)
        self.assertLess(took, bound, f"{what} took {took:.1f}s")

    def outage_calls(self, stack, sid, bound):
        """The webhook, two API calls and /healthz, at once (as they would arrive), each timed."""
        calls = {
            "webhook": lambda: stack.inbound_sms(REPORTER, SIGHTING, sid=sid)[0],
            "api_list": lambda: stack.api("GET", "/api/v1/reports?status=pending"),
            "api_report": lambda: stack.api("POST", "/api/v1/reports", {"text": "Agents on 5th", "zip": "90001"},
                                            token=INTAKE_TOKEN),
            "healthz": lambda: http_request(stack.dispatcher.base_url + "/healthz"),
        }

        def timed(item):
            name, call = item
            started = time.monotonic()
            return name, call(), time.monotonic() - started
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(calls)) as pool:
            for name, res, took in pool.map(timed, calls.items()):
                print(f"{name}: {res.status} {took:.2f}s", file=sys.stderr)
                self.assert_unavailable(name, res, took, bound)

    def test_database_outage_answers_503_and_the_retried_webhook_applies_once(self):
        proxy = FlakyProxy(parse_conninfo(os.environ["CENTINELA_TEST_PG"]))
        self.addCleanup(proxy.close)

        def through_proxy(db):
            return format_conninfo({**parse_conninfo(db.conninfo()), "host": "127.0.0.1", "port": str(proxy.port)})
        stack = self.make_stack(db_url=through_proxy, config_extra={"database": {
            "connect_timeout": "2s", "statement_timeout": "1s", "call_timeout": f"{CALL_TIMEOUT_S}s"}})
        self.assertEqual(http_request(stack.dispatcher.base_url + "/healthz").status, 200)
        self.assertEqual(stack.api("GET", "/api/v1/reports?status=pending").status, 200)
        sid = stack.next_sid()

        proxy.set_mode("hang")
        self.outage_calls(stack, sid, HANG_BOUND_S)
        proxy.set_mode("refuse")
        self.outage_calls(stack, sid, REFUSE_BOUND_S)
        self.assertEqual(stack.texts_to(REPORTER), [], "a text for a webhook answered 503")

        proxy.set_mode("forward")
        wait_until(lambda: http_request(stack.dispatcher.base_url + "/healthz").status == 200, 15,
                   "/healthz to answer 200 once the database is back")
        first, _ = stack.inbound_sms(REPORTER, SIGHTING, sid=sid)  # the provider's retry
        self.assertEqual(first.status, 200, first)
        again, _ = stack.inbound_sms(REPORTER, SIGHTING, sid=sid)
        self.assertEqual((again.status, again.text), (first.status, first.text))
        stack.wait_for_text(REPORTER, "Your report was received")
        time.sleep(1.0)  # a second receipt would leave within the outbox's next poll
        self.assertEqual(len(stack.texts_to(REPORTER)), 1, stack.texts_to(REPORTER))
        self.assertEqual(stack.db.query("SELECT count(*) FROM reports"), "1",
                         "only the retried webhook's report: nothing answered 503 was stored")
        log = stack.dispatcher.log_text()
        self.assertNotIn("kind=internal", log)
        self.assertIn("event=db_call_cut", log)


if __name__ == "__main__":
    unittest.main()

"""Idle connections never stall the service. Past server.max_connections the server closes the
connection idle the longest for each newcomer, so a signed webhook behind three times the cap
in idle sockets (from 127.0.0.2) is answered at once; and one address over
max_connections_per_address loses its own idle connections, then gets 429, while other
addresses (and a trusted proxy, over the limit) are served. About 10 s for both."""

import http.client
import json
import resource
import select
import socket
import time
import unittest

from harness import StackTestCase
from support import http_request, wait_until

REPORTER = "+13235550155"
SIGHTING = "Agents at the NORTH side bus depot"
CAP = 100


def raise_fd_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(needed, soft)), hard))


def connect_from(source, port, count=1):
    """`count` connections to the dispatcher from the loopback address `source`, sending nothing."""
    socks = []
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((source, 0))
        s.settimeout(5)
        s.connect(("127.0.0.1", port))
        socks.append(s)
    return socks


def closed_by_server(sock):
    """True once the server has closed the connection (EOF or reset waiting to be read)."""
    if not select.select([sock], [], [], 0)[0]:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def get(sock, path):
    """A GET on an open connection; returns (status, headers, body)."""
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return read_response(sock)


def read_response(sock):
    res = http.client.HTTPResponse(sock)
    res.begin()
    return res.status, {k.lower(): v for k, v in res.getheaders()}, res.read()


class OverloadTest(StackTestCase):
    label = "overload"

    def close_later(self, socks):
        self.addCleanup(lambda: [s.close() for s in socks])
        return socks

    def test_idle_connections_at_three_times_the_cap_do_not_delay_a_webhook(self):
        stack = self.make_stack(config_extra={"server": {"max_connections": CAP}})
        raise_fd_limit(3 * CAP + 256)
        idle = self.close_later(connect_from("127.0.0.2", stack.port, 3 * CAP))

        started = time.monotonic()
        res, _ = stack.inbound_sms(REPORTER, SIGHTING)
        took = time.monotonic() - started
        self.assertEqual(res.status, 200, res)
        self.assertLess(took, 1.0, f"the webhook waited {took:.2f}s behind idle connections")
        self.assertEqual(http_request(stack.dispatcher.base_url + "/healthz", timeout=2).status, 200)

        # Room was made by closing the connections idle the longest: at most the cap stay open.
        wait_until(lambda: sum(map(closed_by_server, idle)) >= 2 * CAP, 5,
                   f"the server to close at least {2 * CAP} of {3 * CAP} idle connections")
        self.assertTrue(closed_by_server(idle[0]), "the oldest idle connection is the first to go")
        self.assertIn("event=http_connections_shed", stack.dispatcher.log_text())

    def test_one_address_over_its_limit_is_limited_while_others_are_served(self):
        stack = self.make_stack(config_extra={"server": {
            "max_connections": 50, "max_connections_per_address": 4, "trusted_proxies": ["127.0.0.3"],
            "idle_timeout": "2s"}})
        port = stack.port

        # A fifth connection from 127.0.0.2 closes that address's connection idle the longest.
        first = self.close_later(connect_from("127.0.0.2", port, 4))
        fifth = self.close_later(connect_from("127.0.0.2", port))
        wait_until(lambda: closed_by_server(first[0]), 3, "the oldest idle connection of 127.0.0.2 to close")
        busy = first[1:] + fifth
        self.assertFalse(any(map(closed_by_server, busy)))

        # With its four connections busy (a request under way on each), a fifth gets 429.
        for s in busy:
            s.sendall(b"POST /webhooks/twilio/sms HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        refused = self.close_later(connect_from("127.0.0.2", port))[0]
        status, headers, body = read_response(refused)
        self.assertEqual(status, 429, body)
        self.assertGreater(int(headers.get("retry-after", "0")), 0, headers)
        self.assertEqual(json.loads(body)["error"], "too_many_connections")
        self.assertFalse(any(map(closed_by_server, busy)), "busy connections are never closed for a newcomer")

        # Another address is served meanwhile.
        started = time.monotonic()
        res, _ = stack.inbound_sms(REPORTER, SIGHTING)
        self.assertEqual(res.status, 200, res)
        self.assertLess(time.monotonic() - started, 1.0)

        # A trusted proxy is not limited per address: eight connections, all kept, all served.
        proxied = self.close_later(connect_from("127.0.0.3", port, 8))
        status, _, _ = get(proxied[-1], "/healthz")
        self.assertEqual(status, 200)
        self.assertFalse(any(map(closed_by_server, proxied)))

        # A kept-alive connection waiting for its next request is closed after idle_timeout.
        waiting = self.close_later(connect_from("127.0.0.1", port))[0]
        self.assertEqual(get(waiting, "/healthz")[0], 200)
        started = time.monotonic()
        wait_until(lambda: closed_by_server(waiting), 6, "the idle timeout to close the connection", interval=0.1)
        self.assertGreater(time.monotonic() - started, 1.5, "closed before server.idle_timeout")


if __name__ == "__main__":
    unittest.main()

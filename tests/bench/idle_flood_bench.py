"""Idle-connection flood benchmark: how long a signed webhook from 127.0.0.1 waits while another
address (127.0.0.2) holds N idle connections (default 3,000, three times the default
server.max_connections of 1,024). Run by hand, not in CI:

    CENTINELA_TEST_PG=... CENTINELA_BIN=build/bin/centinela \\
    CENTINELA_FAKE_PROVIDER_BIN=build/tests/fake_provider/centinela-fake-provider \\
    python3 tests/bench/idle_flood_bench.py [--idle 3000] [--webhooks 50]

Real processes on 127.0.0.1 (tests/e2e/harness.py), the service with its default connection
settings. Two figures:
  cold:    one webhook right after the N idle connections were opened (they wait in the listen
           backlog and the server works through them);
  under flood: --webhooks webhooks one after another while a thread keeps reopening every idle
           connection the server closes, so N stay attempted all along; p50, p95 and max.
"""

import argparse
import os
import resource
import selectors
import socket
import statistics
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))

import harness  # noqa: E402

REPORTER = "+13235550144"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--idle", type=int, default=3000, help="idle connections from 127.0.0.2")
    p.add_argument("--webhooks", type=int, default=50, help="webhooks timed under the flood")
    p.add_argument("--source", default="127.0.0.2", help="the address the idle connections come from")
    return p.parse_args()


class IdleFlood:
    """Keeps `count` idle connections to the port attempted: once `refill` is on, each one the
    server closes is reopened at once."""

    def __init__(self, source, port, count):
        self.source, self.port = source, port
        self.selector = selectors.DefaultSelector()  # epoll: thousands of sockets, no busy polling
        self.lock = threading.Lock()
        for _ in range(count):
            self.open_one()
        self.refill = False
        self.stopped = False
        self.reopened = 0
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def open_one(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.bind((self.source, 0))
        s.connect_ex(("127.0.0.1", self.port))  # non-blocking: the listen backlog takes it
        self.selector.register(s, selectors.EVENT_READ)

    def run(self):
        while not self.stopped:
            if not self.refill:
                time.sleep(0.01)
                continue
            for key, _ in self.selector.select(timeout=0.05):
                s = key.fileobj
                try:
                    gone = s.recv(1, socket.MSG_PEEK) == b""
                except BlockingIOError:
                    gone = False
                except OSError:
                    gone = True
                if gone:
                    self.selector.unregister(s)
                    s.close()
                    self.open_one()
                    self.reopened += 1

    def close(self):
        self.stopped = True
        self.thread.join(timeout=5)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()


def timed_webhook(stack):
    """Seconds until the webhook's answer; None when it got none within the client's 15 s."""
    started = time.monotonic()
    try:
        res, _ = stack.inbound_sms(REPORTER, "Agents near the NORTH side market")
    except OSError:  # a timeout or a reset: no answer
        return None
    took = time.monotonic() - started
    if res.status != 200:
        raise AssertionError(f"webhook answered {res.status}: {res}")
    return took


def ms(seconds):
    return "no answer within 15 s" if seconds is None else f"{seconds * 1000:.1f} ms"


def main(args):
    for var in ("CENTINELA_TEST_PG", "CENTINELA_BIN", "CENTINELA_FAKE_PROVIDER_BIN"):
        if not os.environ.get(var):
            print(f"idle_flood_bench: skipped, {var} is not set", file=sys.stderr)
            return harness.SKIP_EXIT_CODE
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < args.idle + 256:
        print(f"idle_flood_bench: the descriptor limit ({hard}) is below {args.idle} + 256", file=sys.stderr)
        return 1
    workdir = tempfile.mkdtemp(prefix="centinela-bench-idle-", dir=os.environ.get("CENTINELA_TEST_TMP") or None)
    os.chmod(workdir, 0o755)
    stack = flood = None
    try:
        stack = harness.Stack(workdir, "benchidle")
        timed_webhook(stack)  # warm: the database connections are open
        flood = IdleFlood(args.source, stack.port, args.idle)
        cold = timed_webhook(stack)
        flood.refill = True
        time.sleep(1)
        samples = [timed_webhook(stack) for _ in range(args.webhooks)]
        answered = sorted(t for t in samples if t is not None)
        print(f"idle connections from {args.source}: {args.idle} (reopened {flood.reopened} the server closed)")
        print(f"webhook, cold (right after the {args.idle} connected): {ms(cold)}")
        if answered:
            p95 = answered[min(len(answered) - 1, int(len(answered) * 0.95))]
            print(f"webhook under the flood, {len(answered)} of {len(samples)} answered: p50 "
                  f"{ms(statistics.median(answered))}, p95 {ms(p95)}, max {ms(answered[-1])}")
        else:
            print(f"webhook under the flood: none of {len(samples)} answered")
        return 0
    finally:
        if flood:
            flood.close()
        if stack:
            for problem in stack.close():
                print("cleanup problem: " + problem, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(parse_args()))

"""Fan-out benchmark: one confirmed alert to N members (default 100,000) through the fake Twilio.

Real processes on 127.0.0.1, set up by the end-to-end harness (tests/e2e/harness.py): a database
of its own, centinela-fake-provider, `centinela migrate` + `centinela serve`. Members are loaded
with centinela-bench-seed (COPY, encrypted like JOIN stores them); then a report is filed through
the intake API and confirmed through the operator API, and the clock runs until the fake provider
has recorded a text for every member.

Prints: members, total seconds, messages/second, time to first text (from the confirm response to
the first alert the fake provider recorded), peak RSS of the centinela process (VmHWM), and the
duplicates and missing members.

Environment: CENTINELA_TEST_PG, CENTINELA_BIN, CENTINELA_FAKE_PROVIDER_BIN, CENTINELA_BENCH_SEED_BIN.
"""

import argparse
import collections
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))

import harness  # noqa: E402

FIRST_NUMBER = 14150000000


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--members", type=int, default=100_000)
    p.add_argument("--senders", type=int, default=4, help="sender numbers of the twilio provider")
    p.add_argument("--rate", type=float, default=2000, help="messages_per_second of each sender")
    p.add_argument("--max-connections", type=int, default=32)
    p.add_argument("--fanout-chunk", type=int, default=5000)
    p.add_argument("--pool-threads", type=int, default=4, help="database.pool_threads")
    p.add_argument("--latency-ms", type=int, default=0, help="fake provider answer delay")
    p.add_argument("--callbacks", action="store_true",
                   help="let the fake provider send its two status callbacks per text (load on the dispatcher)")
    p.add_argument("--wait-receipts", action="store_true",
                   help="with --callbacks: after the fan-out, also time until every text is delivered")
    p.add_argument("--fake-args", default="",
                   help="extra centinela-fake-provider flags, e.g. \"--callback-concurrency 64\"")
    p.add_argument("--timeout", type=float, default=900, help="seconds to wait for the whole fan-out")
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    return p.parse_args()


class AlertCounter:
    """Counts the fake provider's alert records incrementally (one pass over 100,000 lines)."""

    def __init__(self, fake):
        self.fake = fake
        self.seen = 0
        self.per_member = collections.Counter()
        self.first_ms = None
        self.last_ms = None

    def poll(self):
        messages = self.fake.messages()
        for m in messages[self.seen:]:
            if harness.is_alert(m["body"]):
                self.per_member[m["to"]] += 1
                ms = m["received_at_ms"]
                self.first_ms = ms if self.first_ms is None else min(self.first_ms, ms)
                self.last_ms = ms if self.last_ms is None else max(self.last_ms, ms)
        self.seen = len(messages)
        return len(self.per_member)


def run(args):
    for var in ("CENTINELA_TEST_PG", "CENTINELA_BIN", "CENTINELA_FAKE_PROVIDER_BIN", "CENTINELA_BENCH_SEED_BIN"):
        if not os.environ.get(var):
            print(f"fanout_bench: skipped, {var} is not set (deploy/bench.sh sets them all)", file=sys.stderr)
            return harness.SKIP_EXIT_CODE
    workdir = tempfile.mkdtemp(prefix="centinela-bench-", dir=os.environ.get("CENTINELA_TEST_TMP") or None)
    os.chmod(workdir, 0o755)
    senders = [{"number": f"+1202555{1000 + i:04d}", "messages_per_second": args.rate} for i in range(args.senders)]
    fake_args = ["--latency-ms", str(args.latency_ms)]
    if not args.callbacks:
        fake_args.append("--no-callbacks")
    fake_args += shlex.split(args.fake_args)
    stack = None
    ok = False
    try:
        stack = harness.Stack(workdir, "bench", senders=senders, max_connections=args.max_connections,
                              fake_args=fake_args, db_pool_threads=args.pool_threads,
                              alerts={"expiry": "2h", "fanout_chunk": args.fanout_chunk})
        seeded = subprocess.run([os.environ["CENTINELA_BENCH_SEED_BIN"], "--db", stack.db.conninfo(),
                                 "--members", str(args.members), "--regions", "north,metro",
                                 "--first-number", str(FIRST_NUMBER)],
                                env=stack.env, capture_output=True, text=True, timeout=600)
        if seeded.returncode != 0:
            raise RuntimeError(f"seeding failed: {seeded.stderr.strip()}")
        print(seeded.stdout.strip(), file=sys.stderr)

        res = stack.api("POST", "/api/v1/reports", {"text": "Benchmark sighting", "region": "north"},
                        token=harness.INTAKE_TOKEN)
        assert res.status == 202, res
        code = res.json()["report_id"]
        counter = AlertCounter(stack.fake)
        pid = stack.dispatcher.proc.pid
        rss_before_kb = harness.read_status_hwm_kb(pid)
        cpu_before = {name: harness.read_cpu_seconds(p) or 0 for name, p in
                      (("centinela", pid), ("fake", stack.fake.proc.pid))}
        res = stack.api("POST", f"/api/v1/reports/{code}/confirm", {"summary": "Benchmark alert"})
        confirmed_ms = time.time() * 1000
        assert res.status == 200, res
        alert_id = res.json()["alert_id"]

        peak_kb = rss_before_kb or 0
        deadline = time.monotonic() + args.timeout
        last_summary_check = 0.0
        summary = None
        while time.monotonic() < deadline:
            peak_kb = max(peak_kb, harness.read_status_hwm_kb(pid) or 0)
            reached = counter.poll()
            if reached >= args.members and time.monotonic() - last_summary_check > 0.5:
                last_summary_check = time.monotonic()
                summary = stack.alert(alert_id)
                d = summary["deliveries"]
                if summary["fully_planned"] and d["queued"] == 0 and d["sending"] == 0:
                    break
            time.sleep(0.2)
        peak_kb = max(peak_kb, harness.read_status_hwm_kb(pid) or 0)
        counter.poll()
        summary = stack.alert(alert_id)
        receipts_s = None
        receipts_lost = None
        if args.callbacks and args.wait_receipts:
            # Until the fake provider has posted (or given up on) both callbacks of every text,
            # then every delivered receipt should have moved its delivery to "delivered".
            while time.monotonic() < deadline:
                st = stack.fake.stats()
                if st["callbacks_pending"] == 0 and st["callbacks_sent"] + st["callbacks_failed"] >= 2 * st["accepted"]:
                    break
                time.sleep(0.5)
            receipts_s = round(time.time() - confirmed_ms / 1000, 2)
            time.sleep(1)  # the last callbacks' transactions commit
            summary = stack.alert(alert_id)
            receipts_lost = args.members - summary["deliveries"]["delivered"]
            peak_kb = max(peak_kb, harness.read_status_hwm_kb(pid) or 0)
        fake_rss_kb = harness.read_status_hwm_kb(stack.fake.proc.pid)
        fake_stats = stack.fake.stats()
        cpu = {name: round((harness.read_cpu_seconds(p) or 0) - cpu_before[name], 1) for name, p in
               (("centinela", pid), ("fake", stack.fake.proc.pid))}

        expected = {f"+{FIRST_NUMBER + i}" for i in range(args.members)}
        received = sum(counter.per_member.values())
        missing = len(expected - set(counter.per_member))
        unexpected = len(set(counter.per_member) - expected)
        duplicates = sum(c - 1 for c in counter.per_member.values())
        total_s = ((counter.last_ms - confirmed_ms) / 1000) if counter.last_ms else float("nan")
        figures = {
            "members": args.members,
            "senders": args.senders,
            "rate_per_sender": args.rate,
            "max_connections": args.max_connections,
            "callbacks": args.callbacks,
            "texts_received": received,
            "total_seconds": round(total_s, 2),
            "messages_per_second": round(received / total_s, 1) if counter.last_ms else 0,
            "time_to_first_text_ms": round(counter.first_ms - confirmed_ms, 1) if counter.first_ms else None,
            "centinela_peak_rss_mib": round(peak_kb / 1024, 1),
            "centinela_rss_before_confirm_mib": round((rss_before_kb or 0) / 1024, 1),
            "fake_provider_peak_rss_mib": round((fake_rss_kb or 0) / 1024, 1),
            "centinela_cpu_seconds": cpu["centinela"],
            "fake_provider_cpu_seconds": cpu["fake"],
            "duplicates": duplicates,
            "missing": missing,
            "unexpected_recipients": unexpected,
            "possible_duplicates_reported": summary["possible_duplicates"],
            "deliveries": summary["deliveries"],
            "callbacks_done_after_seconds": receipts_s,
            "delivered_receipts_not_applied": receipts_lost,
            "fake_provider_stats": fake_stats,
        }
        print_figures(figures)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(figures, f, indent=2)
        ok = missing == 0 and unexpected == 0 and received >= args.members
        if not ok:
            print("FAILED: not every member was reached exactly as expected", file=sys.stderr)
        return 0 if ok else 1
    finally:
        if stack:
            for problem in stack.close():
                print("cleanup problem: " + problem, file=sys.stderr)
        if not ok or args.keep:
            harness.dump_logs(workdir, lines=30)
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            subprocess.run(["rm", "-rf", workdir], check=False)


def print_figures(f):
    rows = [
        ("members", f"{f['members']:,}"),
        ("senders x rate", f"{f['senders']} x {f['rate_per_sender']:g} msg/s, max_connections {f['max_connections']}"),
        ("status callbacks", "on" if f["callbacks"] else "off"),
        ("total seconds", f"{f['total_seconds']:.2f}"),
        ("messages/second", f"{f['messages_per_second']:,.0f}"),
        ("time to first text", f"{f['time_to_first_text_ms']:.0f} ms" if f["time_to_first_text_ms"] is not None else "-"),
        ("centinela peak RSS", f"{f['centinela_peak_rss_mib']:.1f} MiB (before confirm {f['centinela_rss_before_confirm_mib']:.1f} MiB)"),
        ("fake provider peak RSS", f"{f['fake_provider_peak_rss_mib']:.1f} MiB"),
        ("CPU during the run", f"centinela {f['centinela_cpu_seconds']} s, "
                                   f"fake provider {f['fake_provider_cpu_seconds']} s"),
        ("texts received", f"{f['texts_received']:,}"),
        ("duplicates", f"{f['duplicates']} (possible_duplicates reported: {f['possible_duplicates_reported']})"),
        ("missing", str(f["missing"])),
        ("deliveries by status", json.dumps(f["deliveries"])),
        ("status callbacks done after", f"{f['callbacks_done_after_seconds']} s, texts left short of "
                                        f"delivered: {f['delivered_receipts_not_applied']}"
         if f["callbacks_done_after_seconds"] else "-"),
        ("fake provider counters", json.dumps({k: v for k, v in f["fake_provider_stats"].items() if v})),
    ]
    width = max(len(k) for k, _ in rows)
    print("\nfan-out benchmark")
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")
    sys.stdout.flush()


def interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds through run()'s cleanup


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, interrupted)
    sys.exit(run(parse_args()))

"""A provider that fails, throttles or is down for a minute never costs a member the alert: every
transient failure is retried until the alert expires (the default configuration: no count of
attempts), and a 429 holds the whole sender for its Retry-After.

Measured at the fake provider: what each member received (record file) and when every request
arrived with what answer (request log)."""

import collections
import json
import os
import time
import unittest

from harness import SENDER, StackTestCase, wait_until

RATE = 100  # the sender's messages per second


def read_request_log(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


class ProviderFaultsTest(StackTestCase):
    label = "faults"

    def make_faulty_stack(self, fake_args):
        self.request_log = os.path.join(self.workdir, "requests.jsonl")
        return self.make_stack(senders=[{"number": SENDER, "messages_per_second": RATE}],
                               fake_args=["--request-log", self.request_log, "--no-callbacks", *fake_args])

    def assert_each_member_once(self, stack, members, alert_id, timeout):
        wanted = set(members)
        got = wait_until(
            lambda: (lambda seen: seen if wanted <= set(seen) else None)(
                collections.Counter(m["to"] for m in stack.fake.alerts())),
            timeout, "every member to receive the alert", interval=0.2)
        summary = stack.wait_fanout_finished(alert_id, timeout=30)
        time.sleep(0.5)  # a duplicate would be in flight now
        got = collections.Counter(m["to"] for m in stack.fake.alerts())
        self.assertEqual({n for n in wanted if got[n] != 1}, set(), "a member got the alert twice or not at all")
        d = summary["deliveries"]
        self.assertEqual((d["sent"], d["failed"], d["expired"]), (len(members), 0, 0), summary)
        return summary

    def test_every_7th_request_failing_and_every_5th_throttled_still_reaches_every_member_once(self):
        stack = self.make_faulty_stack(["--every-nth-500", "7", "--every-nth-429", "5", "--retry-after-s", "1"])
        members = stack.seed_members(60, ["north"], 14155560000)
        _, alert_id, _ = stack.web_report_confirmed("Raid at the north warehouse", "north", "Raid at the warehouse")
        self.assert_each_member_once(stack, members, alert_id, timeout=120)

        # No request leaves the sender during a 429's Retry-After. Requests written before our
        # sender read the 429 can still arrive just after it: 150 ms covers them on loopback.
        requests = [r for r in read_request_log(self.request_log) if r["from"] == SENDER]
        throttles = [r["at_ms"] for r in requests if r["outcome"] == "429"]
        self.assertGreater(len(throttles), 5, "the fault plan did not throttle: nothing was tested")
        during_hold = [(t, r["at_ms"]) for t in throttles for r in requests if t + 150 < r["at_ms"] < t + 950]
        print(f"\nfaults: {len(requests)} requests, {len(throttles)} throttled, "
              f"{sum(r['outcome'] == '500' for r in requests)} answered 500, {len(during_hold)} during a hold")
        self.assertEqual(during_hold, [], "requests left the sender while a 429's Retry-After held it")

    def test_a_provider_down_for_a_minute_loses_nobody(self):
        stack = self.make_faulty_stack([])
        members = stack.seed_members(300, ["north"], 14155570000)
        stack.fake.control(ratio_500=1.0)
        started = time.monotonic()
        _, alert_id, _ = stack.web_report_confirmed("Raid at the north warehouse", "north", "Raid at the warehouse")
        # The sender backs off a provider that fails every request: it is probed, not hammered.
        wait_until(lambda: stack.fake.stats()["rejected_500"] >= 10, 30, "the outage to fail the first tries")
        time.sleep(max(0.0, 60 - (time.monotonic() - started)))
        during = stack.alert(alert_id)["deliveries"]
        self.assertEqual(during["failed"] + during["expired"], 0, f"a text failed for good during the outage: {during}")
        stack.fake.control(ratio_500=0.0)
        recovered = time.monotonic()
        self.assert_each_member_once(stack, members, alert_id, timeout=90)
        stats = stack.fake.stats()
        print(f"\noutage: {stats['rejected_500']} requests answered 500 in 60 s, every member reached "
              f"{time.monotonic() - recovered:.1f} s after the provider recovered")

    def test_a_sender_held_for_a_day_gives_its_batch_back_and_nothing_is_sent_twice(self):
        # A Retry-After far longer than a batch may wait: the claimed texts go back to the queue
        # unsent instead of waiting in memory until the sweep would take them for lost.
        stack = self.make_faulty_stack(["--retry-after-s", "86400"])
        members = stack.seed_members(40, ["north"], 14155580000)
        stack.fake.control(fail_next_429=1)
        _, alert_id, _ = stack.web_report_confirmed("Raid at the north warehouse", "north", "Raid at the warehouse")
        counts = lambda: stack.db.query(
            f"SELECT count(*) FILTER (WHERE status = 'sending'), count(*) FILTER (WHERE status = 'queued'), "
            f"max(attempts) FROM deliveries WHERE alert_id = {alert_id}")
        wait_until(lambda: counts() == f"0|{len(members)}|0", 20,
                   "the held sender to give every claimed text back, queued and not attempted")
        time.sleep(1.0)
        self.assertEqual(counts(), f"0|{len(members)}|0", "a held sender claimed its texts again")
        requests = [r for r in read_request_log(self.request_log) if r["from"] == SENDER]
        self.assertEqual([r["outcome"] for r in requests], ["429"], "a request left during the hold")

        stopping = time.monotonic()
        stack.dispatcher.stop()
        self.assertLess(time.monotonic() - stopping, 5, "a stop waited for the day-long hold")
        stack.dispatcher.start()
        summary = self.assert_each_member_once(stack, members, alert_id, timeout=60)
        self.assertEqual(summary["possible_duplicates"], 0, summary)
        self.assertNotIn("event=fanout_resumed", stack.dispatcher.log_text(), "texts were left in doubt")


if __name__ == "__main__":
    unittest.main()

"""A second raid never waits behind the first: with one sender, alert A to 20,000 members (CI and
full size alike: it is seeded) and then alert B to 200, B's last text leaves within
2 x 200 / rate + 2 s of B's confirmation (live alerts share the sender half and half), while A
still has texts queued. Planning interleaves too: fanout_chunk 100 plans A in 200 chunks."""

import time
import unittest

from harness import INTAKE_TOKEN, OPERATOR2_TOKEN, SENDER, StackTestCase, wait_until

RATE = 100
A_MEMBERS = 20_000
B_MEMBERS = 200


class FairShareTest(StackTestCase):
    label = "fairshare"

    def make_two_lists(self):
        stack = self.make_stack(senders=[{"number": SENDER, "messages_per_second": RATE}],
                                fake_args=["--no-callbacks"], alerts={"expiry": "2h", "fanout_chunk": 100})
        stack.seed_members(A_MEMBERS, ["north"], 14155580000)
        b_members = set(stack.seed_members(B_MEMBERS, ["isla"], 18085590000))
        return stack, b_members

    def confirm_b(self, stack):
        res = stack.api("POST", "/api/v1/reports", {"text": "Agents at the harbor", "region": "isla"},
                        token=INTAKE_TOKEN)
        code_b = res.json()["report_id"]
        res = stack.api("POST", f"/api/v1/reports/{code_b}/confirm", {"summary": "Agents at the harbor"},
                        token=OPERATOR2_TOKEN)
        self.assertEqual(res.status, 200, res)
        return res.json()["alert_id"]

    def test_a_new_alert_is_planned_while_an_old_one_still_is(self):
        stack, _ = self.make_two_lists()
        _, alert_a, _ = stack.web_report_confirmed("Raid at the north warehouse", "north", "Raid at the warehouse")
        alert_b = self.confirm_b(stack)
        self.assertFalse(stack.alert(alert_a)["fully_planned"], "A was planned before B existed: nothing was tested")
        planned_b = lambda: stack.api("GET", f"/api/v1/alerts/{alert_b}", token=OPERATOR2_TOKEN).json()["fully_planned"]
        wait_until(planned_b, 20, "alert B to be planned", interval=0.05)
        a = stack.alert(alert_a)
        planned_a = sum(a["deliveries"].values())
        print(f"\nplanning: B's {B_MEMBERS} texts planned while A had {planned_a} of {A_MEMBERS}")
        self.assertFalse(a["fully_planned"], "B's plan waited until A's whole list was planned")

    def test_a_new_alert_shares_the_sender_with_an_old_one(self):
        stack, b_members = self.make_two_lists()
        _, alert_a, _ = stack.web_report_confirmed("Raid at the north warehouse", "north", "Raid at the warehouse")
        wait_until(lambda: len(stack.fake.alerts()) >= 300, 30, "alert A to be well under way")
        self.confirm_b(stack)
        confirmed_ms = time.time() * 1000

        bound_s = 2 * B_MEMBERS / RATE + 2
        got_b = wait_until(
            lambda: (lambda got: got if len(got) >= B_MEMBERS else None)(
                [m for m in stack.fake.alerts() if m["to"] in b_members]),
            bound_s + 20, "alert B to reach its members", interval=0.1)
        last_b_s = (max(m["received_at_ms"] for m in got_b) - confirmed_ms) / 1000
        a = stack.alert(alert_a)["deliveries"]
        sent_a = sum(1 for m in stack.fake.alerts() if m["to"] not in b_members)
        print(f"\nfair share: B's {B_MEMBERS} texts done {last_b_s:.2f} s after its confirmation "
              f"(bound {bound_s:.1f} s); A had sent {sent_a} of {A_MEMBERS}, {a['queued']} queued")
        self.assertEqual({m["to"] for m in got_b}, b_members)
        self.assertLess(last_b_s, bound_s, "the new alert waited behind the old one")
        self.assertGreater(A_MEMBERS - sent_a, 1000, "alert A had nearly finished: nothing was tested")


if __name__ == "__main__":
    unittest.main()

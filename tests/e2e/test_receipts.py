"""Delivery receipts are never lost: once the provider has posted "delivered" for every text,
GET /api/v1/alerts/{id} counts every text as delivered. Receipts here race the dispatcher's own
bookkeeping on purpose: two senders record their batches while the fake provider posts both
status callbacks of each text the moment it accepts it (a fast carrier)."""

import time
import unittest

from harness import OPERATOR_PHONE, StackTestCase, member_number, wait_until

MEMBERS = 1500


class ReceiptsTest(StackTestCase):
    label = "receipts"

    def test_every_delivered_receipt_is_applied(self):
        stack = self.make_stack(
            senders=[{"number": "+12025550100", "messages_per_second": 1000},
                     {"number": "+12025550101", "messages_per_second": 1000}],
            max_connections=16, callback_delay_ms=0, fake_args=["--callback-concurrency", "32"])
        members = [member_number(i, base=16175550000) for i in range(MEMBERS)]
        stack.join_many([(n, "SOUTH", None) for n in members])
        res, _ = stack.inbound_sms("+13235550144", "Agents at the SOUTH bus depot")
        self.assertEqual(res.status, 200, res)
        code = stack.wait_for_report_code(OPERATOR_PHONE)
        res = stack.api("POST", f"/api/v1/reports/{code}/confirm", {"summary": "Agents at the bus depot"})
        self.assertEqual(res.status, 200, res)
        alert_id = res.json()["alert_id"]
        stack.wait_fanout_finished(alert_id, timeout=30)

        def callbacks_done():
            st = stack.fake.stats()
            return st["callbacks_pending"] == 0 and st["callbacks_sent"] >= 2 * st["accepted"] and st
        stats = wait_until(callbacks_done, 60, "the fake provider to post every status callback", interval=0.2)
        self.assertEqual(stats["callbacks_failed"], 0, stats)
        time.sleep(0.5)  # the last receipt's transaction commits
        d = stack.alert(alert_id)["deliveries"]
        self.assertEqual(d["total"], MEMBERS, d)
        self.assertEqual(d["delivered"], MEMBERS,
                         f"{MEMBERS - d['delivered']} texts stay short of delivered although the provider "
                         f"posted 'delivered' for every one of them: {d}")


if __name__ == "__main__":
    unittest.main()

"""STOP: the member gets exactly one confirmation and no later alert; a JOIN without its YES
gets no alert either."""

import time
import unittest

from harness import OPERATOR_PHONE, StackTestCase, member_number, wait_until


class StopTest(StackTestCase):
    label = "stop"

    def test_stop_confirms_once_and_silences_later_alerts(self):
        stack = self.make_stack()
        leaver, stayer = member_number(41), member_number(42)
        pending, twilio_stopped = member_number(43), member_number(44)
        stack.join(leaver, "SOUTH")
        stack.join(stayer, "SOUTH")
        stack.join(twilio_stopped, "SOUTH")
        # Double opt-in: a JOIN without its YES never gets an alert.
        res, _ = stack.inbound_sms(pending, "JOIN SOUTH")
        self.assertIn("Reply YES to get alerts for South Side", res.text)
        # Twilio's Advanced Opt-Out already answered this STOP: recorded, and no second text.
        res, _ = stack.inbound_sms(twilio_stopped, "STOP", extra=[("OptOutType", "STOP")])
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.text.count("<Message>"), 0, res.text)

        res, stop_sid = stack.inbound_sms(leaver, "STOP")
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.text.count("<Message>"), 1, res.text)
        self.assertIn("You will no longer receive alerts", res.text)
        # The provider retries the webhook: same answer, still one opt-out.
        again, _ = stack.inbound_sms(leaver, "STOP", sid=stop_sid)
        self.assertEqual(again.text, res.text)

        res, _ = stack.inbound_sms("+13235550166", "Agents at the SOUTH side clinic")
        self.assertEqual(res.status, 200, res)
        code = stack.wait_for_report_code(OPERATOR_PHONE)
        res = stack.api("POST", f"/api/v1/reports/{code}/confirm", {"summary": "Agents near the clinic"})
        self.assertEqual(res.status, 200, res)
        alert_id = res.json()["alert_id"]

        summary = stack.wait_fanout_finished(alert_id, timeout=20)
        self.assertEqual(summary["deliveries"]["total"], 1, summary)
        wait_until(lambda: stack.fake.messages_to(stayer), 10, "the alert to the member who stayed")
        time.sleep(1.0)  # a late text to the leaver would show up here
        self.assertEqual(len(stack.fake.messages_to(stayer)), 1)
        # The confirmation came in the TwiML answer; the fake provider never texted the leaver.
        self.assertEqual(stack.fake.messages_to(leaver), [])
        self.assertEqual(stack.fake.messages_to(pending), [])
        self.assertEqual(stack.fake.messages_to(twilio_stopped), [])


if __name__ == "__main__":
    unittest.main()

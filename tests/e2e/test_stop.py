"""STOP: the member gets exactly one confirmation (a text of ours, not the webhook's answer) and no
later alert; a JOIN without its YES gets no alert either."""

import time
import unittest

from harness import OPERATOR_PHONE, StackTestCase, is_alert, member_number


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
        _, reply = stack.sms_and_reply(pending, "JOIN SOUTH")
        self.assertIn("Reply YES to get alerts for South Side", reply)
        # Twilio's Advanced Opt-Out already answered this STOP: recorded, and no second text.
        res, _ = stack.inbound_sms(twilio_stopped, "STOP", extra=[("OptOutType", "STOP")])
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.text.count("<Message>"), 0, res.text)

        # Our STOP confirmation is a text of ours, and the webhook's answer is empty.
        res, stop_sid = stack.inbound_sms(leaver, "STOP")
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.text.count("<Message>"), 0, res.text)
        stack.wait_for_text(leaver, "You will no longer receive alerts")
        # The provider retries the webhook: the same empty answer, still one opt-out, no second text.
        again, _ = stack.inbound_sms(leaver, "STOP", sid=stop_sid)
        self.assertEqual(again.status, 200, again)
        self.assertEqual(again.text, res.text)

        res, _ = stack.inbound_sms("+13235550166", "Agents at the SOUTH side clinic")
        self.assertEqual(res.status, 200, res)
        code = stack.wait_for_report_code(OPERATOR_PHONE)
        res = stack.api("POST", f"/api/v1/reports/{code}/confirm", {"summary": "Agents near the clinic"})
        self.assertEqual(res.status, 200, res)
        alert_id = res.json()["alert_id"]

        summary = stack.wait_fanout_finished(alert_id, timeout=20)
        self.assertEqual(summary["deliveries"]["total"], 1, summary)
        stack.wait_for_text(stayer, "ALERT South Side")
        time.sleep(1.0)  # a late text to the leaver would show up here
        self.assertEqual(len([b for b in stack.texts_to(stayer) if is_alert(b)]), 1)
        # The leaver got exactly one confirmation and no alert; the pending number only the request
        # to confirm; the number Twilio answered nothing after its own confirmation.
        joined = ["Reply YES to get alerts for South Side. Reply STOP to cancel.",
                  "You joined alerts for South Side. Reply STOP to leave."]
        self.assertEqual(stack.texts_to(leaver),
                         joined + ["You will no longer receive alerts. Text START to join again."])
        self.assertEqual(stack.texts_to(pending), joined[:1])
        self.assertEqual(stack.texts_to(twilio_stopped), joined)


if __name__ == "__main__":
    unittest.main()

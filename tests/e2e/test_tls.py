"""The Twilio client over HTTPS: it trusts the test CA given as ca_file, and it refuses a server
whose certificate that CA never signed."""

import time
import unittest

from harness import INTAKE_TOKEN, OPERATOR_PHONE, StackTestCase, member_number


class TlsTest(StackTestCase):
    label = "tls"

    def test_alert_over_https_with_test_ca(self):
        stack = self.make_stack(https=True)
        members = [member_number(51), member_number(52)]
        for n in members:
            stack.join(n, "NORTH")
        res, _ = stack.inbound_sms("+13235550155", "Agents at NORTH park")
        self.assertEqual(res.status, 200, res)
        code = stack.wait_for_report_code(OPERATOR_PHONE)
        _, reply = stack.sms_and_reply(OPERATOR_PHONE, f"YES {code} Agents at the park", contains=f"Report {code}")
        self.assertIn("verified", reply)
        alert_id = stack.alert_id_for_report(code)
        summary = stack.wait_fanout_finished(alert_id, timeout=20)
        self.assertEqual(summary["deliveries"]["total"], 2, summary)
        self.assertEqual(sorted(m["to"] for m in stack.fake.alerts()), sorted(members))

    def test_wrong_certificate_is_refused(self):
        stack = self.make_stack(https=True, fake_tls_name="wrong")
        res = stack.api("POST", "/api/v1/reports", {"text": "Agents at the pier", "region": "isla"},
                        token=INTAKE_TOKEN)
        self.assertEqual(res.status, 202, res)
        # The operator notification is queued at once; give the sender time for a few attempts.
        time.sleep(3)
        self.assertEqual(stack.fake.messages(), [], "a text crossed a TLS connection to an untrusted server")
        self.assertEqual(stack.fake.stats()["accepted"], 0)
        log = stack.dispatcher.log_text()
        self.assertIn("certificate verify failed", log, "the refused handshake is not logged")


if __name__ == "__main__":
    unittest.main()

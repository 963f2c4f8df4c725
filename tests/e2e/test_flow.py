"""The spine end to end: members JOIN by signed SMS, a reporter texts a sighting, the operator is
texted the report id and answers YES by SMS, and exactly the region tree of the report is alerted."""

import collections
import re
import unittest

from harness import (OPERATOR2_PHONE, OPERATOR_PHONE, SENDER, StackTestCase, is_alert, member_number,
                     wait_until)

REPORTER = "+13235550177"
RAW_REPORT = "Two ICE vans outside the Lopez bakery NORTH, they detained Juan Perez 3105559876"
SUMMARY = "Checkpoint near the river bridge; avoid the area"


class AlertFlowTest(StackTestCase):
    label = "flow"

    def test_alert_reaches_exactly_the_region_tree(self):
        stack = self.make_stack()
        north = [member_number(1), member_number(2), member_number(3)]
        south = [member_number(11), member_number(12)]
        metro = [member_number(21), member_number(22)]
        isla = [member_number(31), member_number(32)]
        spanish = north[1]
        both = north[2]  # joined the child and its root: still one alert

        stack.join(north[0], "NORTH")
        self.assertIn("Se unió a las alertas de North Side", stack.join(spanish, "NORTE", "ES"))
        # The webhook's answer is an empty TwiML response: the reply is a text of our own, paced
        # with everything else the number sends.
        res, _ = stack.inbound_sms(both, "JOIN NORTH")
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.headers.get("Content-Type"), "text/xml")
        self.assertTrue(res.text.endswith("<Response/>"), res.text)
        self.assertIn("Reply YES to get alerts for North Side", stack.wait_for_text(both, "Reply YES")["body"])
        _, reply = stack.sms_and_reply(both, "YES")
        self.assertIn("You joined alerts for North Side", reply)
        stack.join(both, "METRO")
        for n in south:
            stack.join(n, "SOUTH")
        for n in metro:
            stack.join(n, "METRO")
        for n in isla:
            stack.join(n, "ISLA")

        # A sighting from someone who is not a member: the region comes from its keyword.
        res, reply_to_reporter = stack.sms_and_reply(REPORTER, RAW_REPORT)
        self.assertNotIn("<Message>", res.text)
        self.assertIn("Your report was received", reply_to_reporter)

        code = stack.wait_for_report_code(OPERATOR_PHONE)
        notice = [m for m in stack.fake.messages_to(OPERATOR_PHONE) if code in m["body"]]
        self.assertEqual(len(notice), 1, notice)
        self.assertEqual(notice[0]["from"], SENDER)
        self.assertIn("(North Side)", notice[0]["body"])
        pending = stack.pending_reports()
        self.assertEqual([r["id"] for r in pending], [code])
        self.assertEqual(pending[0]["region"], "north")
        # Flood defense fields: a first report from a new number pages and is not quarantined.
        self.assertIs(pending[0]["quarantined"], False)
        self.assertIsNone(pending[0]["quarantine_reason"])
        self.assertIsNone(pending[0]["flood_group"])

        _, reply = stack.sms_and_reply(OPERATOR_PHONE, f"YES {code} {SUMMARY}", contains=f"Report {code}")
        self.assertIn(f"Report {code} verified", reply)

        alert_id = stack.alert_id_for_report(code)
        self.assertIsNotNone(alert_id, "GET /api/v1/alerts/{id} finds no alert for the report")
        expected = set(north + metro)
        summary = stack.wait_fanout_finished(alert_id, timeout=30)

        alerts = stack.fake.alerts()
        per_member = collections.Counter(m["to"] for m in alerts)
        self.assertEqual(set(per_member), expected, "alerted numbers differ from the region tree of north")
        self.assertEqual([n for n, c in per_member.items() if c != 1], [], f"duplicates: {per_member}")
        for m in alerts:
            self.assertEqual(m["from"], SENDER)
            self.assertIn(SUMMARY, m["body"])
            self.assertIn("North Side", m["body"])
            for fragment in ("Juan Perez", "Lopez bakery", "3105559876", "ICE vans"):
                self.assertNotIn(fragment, m["body"], "the reporter's raw text reached members")
            self.assertTrue(m["validity_period"] and 0 < m["validity_period"] <= 7200, m)
            self.assertTrue(m["status_callback"].endswith("/webhooks/twilio/status"), m)
            if m["to"] == spanish:
                self.assertTrue(m["body"].startswith("ALERTA North Side"), m["body"])
            else:
                self.assertTrue(m["body"].startswith("ALERT North Side"), m["body"])
            # {time}: the wall clock of the region's zone (America/Los_Angeles, from the top level)
            # with its abbreviation, although the dispatcher runs with TZ=Asia/Tokyo.
            self.assertRegex(m["body"], re.compile(r"North Side, \d\d:\d\d P[SD]T: "))

        # Nobody outside the tree was alerted: not south, not the other root, not the reporter, who
        # only got the replies to their own texts; and the operator of the other root was never
        # asked to verify.
        for n in south + isla + [REPORTER]:
            self.assertEqual([b for b in stack.texts_to(n) if is_alert(b)], [], n)
        self.assertEqual(stack.texts_to(REPORTER), [reply_to_reporter])
        self.assertEqual(stack.texts_to(OPERATOR2_PHONE), [])
        # Every text is accounted for: the alerts, the page, the answer to the operator's YES, the
        # reporter's receipt and two replies per JOIN (confirm request and joined; one for the
        # second region of `both`).
        self.assertEqual(len(stack.fake.messages()), len(expected) + 3 + 2 * len(north + south + metro + isla) + 1)
        for m in stack.fake.messages():
            self.assertEqual(m["from"], SENDER, m)

        self.assertEqual(summary["deliveries"]["total"], len(expected), summary)
        self.assertEqual(summary["possible_duplicates"], 0, summary)
        self.assertEqual(summary["region"], "north")
        self.assertEqual(summary["report_id"], code)
        # The fake provider's signed status callbacks move every text to delivered.
        final = wait_until(lambda: (lambda a: a if a["deliveries"]["delivered"] == len(expected) else None)(
            stack.alert(alert_id)), 20, "delivery receipts for every text", interval=0.2)
        self.assertEqual(final["deliveries"]["failed"], 0, final)

        # The report is no longer pending, and a second YES is refused as already decided.
        self.assertEqual(stack.pending_reports(), [])
        _, reply = stack.sms_and_reply(OPERATOR_PHONE, f"YES {code}", contains=f"Report {code} is")
        self.assertIn(f"Report {code} is already confirmed", reply)
        self.assertEqual(len(stack.fake.alerts()), len(expected))

        # Logs carry masked numbers only, and neither the report text nor the auth token.
        log = stack.dispatcher.log_text()
        for secret in north + south + metro + isla + [REPORTER, OPERATOR_PHONE, "Juan Perez",
                                                      stack.auth_token]:
            self.assertNotIn(secret, log, f"{secret!r} appears in the dispatcher log")


if __name__ == "__main__":
    unittest.main()

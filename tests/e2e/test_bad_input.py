"""Bad requests change nothing: a wrong signature gets 403, an oversize body 413, malformed JSON
400, an unknown report 404, and a webhook retried by the provider is applied once.

Reports of one region tree within incidents.window are one incident: a later sighting of the
metro tree joins the kept report's incident and pages nobody (nobody has claimed it), so the
genuine delivery of the 403'd message is a sighting of the other tree (isla), which pages its own
operator."""

import json
import subprocess
import time
import unittest

from harness import (INTAKE_TOKEN, OPERATOR2_PHONE, OPERATOR2_TOKEN, OPERATOR_PHONE, REPORT_CODE, StackTestCase,
                     env_path, is_alert, member_number, raw_post)

REPORTER = "+13235550188"
ISLA_SIGHTING = "ICE raid at the ISLA market"          # another tree: an incident of its own
SOUTH_SIGHTING = "Agents knocking on doors on SOUTH 3rd street"  # joins the kept report's incident


class BadInputTest(StackTestCase):
    label = "badinput"

    def assert_error(self, res, status, code):
        self.assertEqual(res.status, status, res)
        self.assertTrue(res.headers.get("Content-Type", "").startswith("application/json"), res.headers)
        body = res.json()
        self.assertEqual(body["error"], code, body)
        self.assertTrue(body.get("message"), body)

    def test_bad_requests_change_nothing_and_retries_apply_once(self):
        stack = self.make_stack()
        stack.join(member_number(1), "SOUTH")

        # An accepted report that every bad request below must leave alone.
        res = stack.api("POST", "/api/v1/reports", {"text": "Agents at the bus stop", "zip": "90002"},
                        token=INTAKE_TOKEN)
        self.assertEqual(res.status, 202, res)
        kept = res.json()["report_id"]
        stack.wait_for_report_code(OPERATOR_PHONE)
        before = stack.pending_reports()
        self.assertEqual([r["id"] for r in before], [kept])
        texts_before = len(stack.fake.messages())

        # --- bad signatures: a wrong one, and a right one over a body changed in transit -----
        res, sid = stack.inbound_sms(REPORTER, ISLA_SIGHTING, signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        self.assert_error(res, 403, "bad_signature")

        def swap_body(params):
            return [(k, "JOIN NORTH" if k == "Body" else v) for k, v in params]
        res, _ = stack.inbound_sms(REPORTER, ISLA_SIGHTING, tamper=swap_body)
        self.assert_error(res, 403, "bad_signature")
        res, _ = stack.inbound_sms(OPERATOR_PHONE, f"YES {kept}", signature="")
        self.assert_error(res, 403, "bad_signature")

        # --- oversize, malformed, invalid, unauthorized, unknown ------------------------------
        host, port = "127.0.0.1", stack.port
        big = json.dumps({"text": "x" * 100_000}).encode()
        res = raw_post(host, port, "/api/v1/reports", big,
                       {"Content-Type": "application/json", "Authorization": "Bearer " + INTAKE_TOKEN})
        self.assert_error(res, 413, "body_too_large")
        res = raw_post(host, port, "/webhooks/twilio/sms", b"Body=" + b"y" * 100_000,
                       {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"})
        self.assert_error(res, 413, "body_too_large")
        res = stack.api("POST", "/api/v1/reports", raw=b'{"text": "unterminated', token=INTAKE_TOKEN)
        self.assert_error(res, 400, "malformed_json")
        res = stack.api("POST", "/api/v1/reports", raw=b"[1, 2]", token=INTAKE_TOKEN)
        self.assert_error(res, 400, "malformed_json")
        res = stack.api("POST", "/api/v1/reports", {"text": "   "}, token=INTAKE_TOKEN)
        self.assertEqual(res.status, 422, res)
        res = stack.api("POST", "/api/v1/reports", {"text": "no token"}, token=None)
        self.assert_error(res, 401, "unauthorized")
        res = stack.api("POST", f"/api/v1/reports/{kept}/confirm", raw=b"{not json")
        self.assert_error(res, 400, "malformed_json")
        res = stack.api("POST", "/api/v1/reports/ZZZZZ/confirm", {"summary": "nothing"})
        self.assert_error(res, 404, "unknown_report")
        res = stack.api("GET", "/api/v1/alerts/987654")
        self.assert_error(res, 404, "unknown_alert")

        # Nothing happened: the kept report is untouched, no report was added, nobody was texted
        # (the fan-out looks at its queues at least every 500 ms: wait well past that).
        time.sleep(1.5)
        self.assertEqual(stack.pending_reports(), before)
        self.assertEqual(len(stack.fake.messages()), texts_before)

        # A 403 must not burn the MessageSid: the genuine delivery of that message still counts.
        _, reply = stack.sms_and_reply(REPORTER, ISLA_SIGHTING, sid=sid)
        self.assertIn("Your report was received", reply)
        first_new = stack.wait_for_report_code(OPERATOR2_PHONE)
        self.assertEqual([r["id"] for r in stack.pending_reports(token=OPERATOR2_TOKEN)], [first_new])

        # --- a retried webhook (same MessageSid) is applied once, and answered once -----------
        # The sighting is of the kept report's tree, within the incident window: it joins that
        # incident (one report more, not two) and pages nobody, since nobody has claimed it.
        first, retry_sid = stack.inbound_sms(REPORTER, SOUTH_SIGHTING)
        self.assertEqual(first.status, 200, first)
        second, _ = stack.inbound_sms(REPORTER, SOUTH_SIGHTING, sid=retry_sid)
        self.assertEqual(second.status, 200, second)
        self.assertEqual(second.text, first.text)
        stack.wait_for_text(REPORTER, "Your report was received", after=1)
        time.sleep(1.5)
        pending = stack.pending_reports()
        self.assertEqual(len(pending), 2, pending)
        self.assertEqual(pending[0], {**before[0], "incident_reports": 2}, "the kept report changed")
        joined = pending[1]
        self.assertEqual(joined["region"], "south", joined)
        self.assertEqual((joined["incident"], joined["incident_reports"]), (kept, 2), joined)
        self.assertEqual([r["id"] for r in stack.pending_reports(token=OPERATOR2_TOKEN)], [first_new])
        pages = [REPORT_CODE.search(b).group(1) for b in stack.texts_to(OPERATOR_PHONE) if REPORT_CODE.search(b)]
        self.assertEqual(pages, [kept], "a report that joined an unclaimed incident paged the operator")
        self.assertEqual(len([b for b in stack.texts_to(OPERATOR2_PHONE) if first_new in b]), 1)
        self.assertEqual(stack.texts_to(REPORTER), [reply, reply], "one receipt per report, none for the retry")

        # An operator's YES retried by the provider confirms once and is answered once.
        seen = len(stack.fake.messages_to(OPERATOR_PHONE))
        yes, yes_sid = stack.inbound_sms(OPERATOR_PHONE, f"YES {kept} Agents at the south bus stop")
        self.assertEqual(yes.status, 200, yes)
        again, _ = stack.inbound_sms(OPERATOR_PHONE, f"YES {kept} Agents at the south bus stop", sid=yes_sid)
        self.assertEqual(again.text, yes.text)
        stack.wait_for_text(OPERATOR_PHONE, f"Report {kept} verified", after=seen)
        alert_id = stack.alert_id_for_report(kept)
        summary = stack.wait_fanout_finished(alert_id, timeout=20)
        self.assertEqual(summary["deliveries"]["total"], 1, summary)
        stack.wait_for_text(member_number(1), "ALERT South Side")
        time.sleep(0.5)
        self.assertEqual(len([b for b in stack.texts_to(member_number(1)) if is_alert(b)]), 1)
        self.assertEqual(len([b for b in stack.texts_to(OPERATOR_PHONE) if f"Report {kept} verified" in b]), 1,
                         "the retried YES was answered twice")
        # The decision on the incident is the decision on both of its reports; the other tree's
        # report is untouched.
        self.assertEqual(stack.pending_reports(), [])
        res = stack.api("GET", f"/api/v1/reports/{joined['id']}")
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["status"], "confirmed", res.json())
        self.assertEqual([r["id"] for r in stack.pending_reports(token=OPERATOR2_TOKEN)], [first_new])


    def test_one_rule_for_phone_numbers(self):
        stack = self.make_stack()
        # A possible length is a number, whether or not 2022's metadata knows the range.
        _, reply = stack.sms_and_reply("+15551234567", "JOIN NORTH")
        self.assertIn("YES", reply)
        res = stack.api("POST", "/api/v1/reports", {"text": "vans", "contact_phone": "+15551234567"},
                        token=INTAKE_TOKEN)
        self.assertEqual(res.status, 202, res)
        # Not a number: the same 422 from a signed webhook as from the web form.
        res, _ = stack.inbound_sms("not-a-number", "JOIN NORTH")
        self.assert_error(res, 422, "invalid_phone")
        res = stack.api("POST", "/api/v1/reports", {"text": "vans", "contact_phone": "not-a-number"},
                        token=INTAKE_TOKEN)
        self.assert_error(res, 422, "invalid_phone")

    def test_serve_refuses_a_data_key_that_did_not_seal_the_stored_data(self):
        stack = self.make_stack()
        stack.join(member_number(2), "NORTH")
        stack.dispatcher.stop()
        env = dict(stack.env)
        env["CENTINELA_DATA_KEY"] = "ab" * 32  # well-formed, but not this database's key
        out = subprocess.run([env_path("CENTINELA_BIN"), "serve", "--config", stack.config_path,
                              "--listen", f"127.0.0.1:{stack.port}"], env=env, capture_output=True, text=True,
                             timeout=30)
        self.assertNotEqual(out.returncode, 0, "served with a key that opens none of the stored numbers")
        self.assertIn("not the key this database's data was sealed with", out.stderr)
        self.assertNotIn(member_number(2), out.stdout + out.stderr)
        stack.dispatcher.start()  # the right key still serves
        self.assertEqual(stack.api("GET", "/healthz", token=None).status, 200)


if __name__ == "__main__":
    unittest.main()

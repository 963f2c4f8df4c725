"""One whole night through real processes (centinela serve, the fake Twilio, PostgreSQL): members
join, three people text sightings of one raid, nobody claims it, the backup is paged, claims it,
gathers evidence and asks a reporter a question through the relay, the coordinator is paged while
it stays undecided, the backup confirms, and the alert, its update and its all-clear reach exactly
the subscribed members of the audience. Every text the fake provider accepted is accounted for.

Escalation waits are seconds here (unclaimed_after 4s, undecided_after 5s; the loop ticks every
second), so the whole night takes about 20 s."""

import collections
import re
import time
import unittest

from harness import (OPERATOR2_PHONE, OPERATOR_PHONE, OPERATOR_TOKEN, SENDER, StackTestCase, is_alert,
                     member_number, sha256_token_hash)

RESPONDER, BACKUP, COORDINATOR = OPERATOR_PHONE, "+12025550133", "+12025550144"
ISLA_RESPONDER = OPERATOR2_PHONE  # the other tree's responder: must hear nothing tonight
UNCLAIMED_AFTER = 4  # seconds
UNDECIDED_AFTER = 5
TICK = 1             # the escalation loop's period (dispatcher/app/escalation_loop.cpp)

OPERATORS = [
    {"name": "Ana", "phone": RESPONDER, "regions": ["metro"], "role": "responder",
     "api_token_hash": sha256_token_hash(OPERATOR_TOKEN)},
    {"name": "Beto", "phone": BACKUP, "regions": ["north"], "role": "backup"},
    {"name": "Coco", "phone": COORDINATOR, "regions": ["metro"], "role": "coordinator"},
    {"name": "Isa", "phone": ISLA_RESPONDER, "regions": ["isla"], "role": "responder"},
]
WORKFLOW = {
    "verification": {"claim_lease": "60s"},
    "escalation": {"unclaimed_after": f"{UNCLAIMED_AFTER}s", "undecided_after": f"{UNDECIDED_AFTER}s"},
    "incidents": {"window": "30m"},
}

NORTH_EN, NORTH_ES, NORTH_STOPPED = member_number(1), member_number(2), member_number(3)
METRO_EN, SOUTH_EN, ISLA_EN, PENDING = member_number(11), member_number(21), member_number(31), member_number(41)
STRANGER_B, STRANGER_C = "+13235550101", "+13235550102"
# Three sightings of one raid: a north member (region from their membership), a stranger naming
# NORTE, and a stranger naming the parent region METRO.
SIGHTINGS = [
    (NORTH_EN, "ICE agents detaining people outside the laundromat on 5th, Maria Gomez taken"),
    (STRANGER_B, "Two vans and agents going door to door near 5th street NORTE"),
    (STRANGER_C, "Checkpoint by the METRO exit 12, agents stopping cars"),
]
QUESTION = "How many agents do you see and are they still there?"
ANSWER = "About 20 agents and 6 vans, still on 5th"
SUMMARY = "Immigration agents detaining people near 5th street; avoid the area"
UPDATE = "Agents moved from 5th street to the park entrance"
CLEAR = "Agents have left the area"

# What each text is, by the templates of tests/e2e/harness.py (en and es).
KINDS = [
    ("join_confirm", r"^(Reply YES to get alerts|Responda SÍ \(YES\))"),
    ("join_ok", r"^(You joined alerts|Se unió a las alertas)"),
    ("stop_ok", r"^(You will no longer receive alerts|Ya no recibirá alertas)"),
    ("receipt", r"^Thank you\. Your report was received"),
    ("question", r"^Responders have a question about your report"),
    ("alert", r"^(ALERT|ALERTA) North Side, "),
    ("update", r"^(UPDATE|ACTUALIZACIÓN) North Side, "),
    ("clear", r"^(ALL CLEAR|FIN DE LA ALERTA) North Side, "),
    ("page", r"^New report "),
    ("sighting", r"^Report \w+ joined incident "),
    ("escalated", r"^ESCALATED: "),
    ("taken", r"^Beto took report "),
    ("claimed", r"^Report \w+ is yours for "),
    ("evidence", r"^Report \w+: recorded\. "),
    ("note", r"^Note added to report "),
    ("question_sent", r"^Question sent to the reporter "),
    ("reporter_reply", r"^Reporter of \w+ answered: "),
    ("alert_sent", r"^Report \w+ verified: the alert is going out"),
    ("update_sent", r"^Report \w+: update sent "),
    ("clear_sent", r"^Report \w+: clear sent "),
]


def kind_of(body):
    for kind, pattern in KINDS:
        if re.search(pattern, body):
            return kind
    return "unexpected: " + body


def digits(number):
    return number.lstrip("+")[1:]  # the national number: 3105550001


class NightTest(StackTestCase):
    label = "night"

    def test_one_whole_night(self):
        stack = self.make_stack(operators=OPERATORS, config_extra=WORKFLOW)
        self.stack = stack

        # --- dusk: members join (double opt-in), one leaves, one never confirms --------------
        self.assertIn("You joined alerts for North Side", stack.join(NORTH_EN, "NORTH"))
        self.assertIn("Se unió a las alertas de North Side", stack.join(NORTH_ES, "NORTE", "ES"))
        stack.join(NORTH_STOPPED, "NORTH")
        self.assertIn("You joined alerts for Metro Area", stack.join(METRO_EN, "METRO"))
        self.assertIn("You joined alerts for South Side", stack.join(SOUTH_EN, "SOUTH"))
        self.assertIn("You joined alerts for Island County", stack.join(ISLA_EN, "ISLA"))
        _, reply = stack.sms_and_reply(PENDING, "JOIN NORTH")
        self.assertIn("Reply YES", reply)  # and no YES: never subscribed
        _, reply = stack.sms_and_reply(NORTH_STOPPED, "STOP")
        self.assertIn("You will no longer receive alerts", reply)

        # --- the raid: three sightings, one incident, one page; the later sightings reach the
        # responder paged about it (nobody owns the incident yet), as sightings, not new pages ----
        first_reporter, first_text = SIGHTINGS[0]
        filed_before = time.monotonic()  # the page's escalation timer starts at the commit, after this
        _, receipt = stack.sms_and_reply(first_reporter, first_text, contains="Your report was received")
        head = stack.wait_for_report_code(RESPONDER)
        for number, text in SIGHTINGS[1:]:
            stack.sms_and_reply(number, text, contains="Your report was received")
        # A page is queued with the receipt, and operator texts leave ahead of receipts: with
        # every receipt in, any page about the later reports would be in too.
        self.assertEqual([kind_of(b) for b in stack.texts_to(RESPONDER)], ["page", "sighting", "sighting"])
        self.assertIn(f"New report {head} (North Side): {first_text}", stack.texts_to(RESPONDER)[0])
        for n in (BACKUP, COORDINATOR, ISLA_RESPONDER):
            self.assertEqual(stack.texts_to(n), [], n)

        pending = stack.pending_reports()
        self.assertEqual(len(pending), 3, pending)
        self.assertEqual(pending[0]["id"], head)
        self.assertEqual([r["region"] for r in pending], ["north", "north", "metro"])
        self.assertEqual({(r["incident"], r["incident_reports"]) for r in pending}, {(head, 3)})
        self.assertEqual({r["claimed_by"] for r in pending}, {None})
        codes = [r["id"] for r in pending]

        # --- nobody claims: the backup is paged once -----------------------------------------
        escalated = stack.wait_for_text(BACKUP, "ESCALATED", timeout=UNCLAIMED_AFTER + 2 * TICK + 5)
        self.assertGreaterEqual(time.monotonic() - filed_before, UNCLAIMED_AFTER,
                                "the backup was paged before unclaimed_after")
        self.assertTrue(escalated["body"].startswith(f"ESCALATED: report {head} (North Side)"), escalated)
        self.assertIn(first_text, escalated["body"])
        time.sleep(1.5 * TICK)  # more than a tick, well before the next tier is due
        self.assertEqual([kind_of(b) for b in stack.texts_to(BACKUP)], ["escalated"])
        self.assertEqual(stack.texts_to(COORDINATOR), [])
        self.assertEqual(self.report(head)["escalation_tier"], 2)

        # --- the backup claims it, by the code of another report of the incident -------------
        claim_before = time.monotonic()
        _, reply = stack.sms_and_reply(BACKUP, f"CLAIM {codes[2]}", contains="yours")
        self.assertEqual(reply, f"Report {codes[2]} is yours for 1 min.")
        taken = stack.wait_for_text(RESPONDER, "took report")["body"]
        self.assertEqual(taken, f"Beto took report {head}.")
        self.assertEqual(self.report(head)["claimed_by"], "Beto")

        _, reply = stack.sms_and_reply(BACKUP, f"AGENCY {head} ICE ERO, vests marked POLICE", contains="recorded")
        self.assertTrue(reply.startswith(f"Report {head}: recorded."), reply)
        _, reply = stack.sms_and_reply(BACKUP, f"NOTE {head} Our observer is on the way", contains="Note")
        self.assertEqual(reply, f"Note added to report {head}.")

        # --- MORE: the question reaches the reporter, the answer the backup; no numbers ------
        seen = len(stack.fake.messages_to(NORTH_EN))
        _, reply = stack.sms_and_reply(BACKUP, f"MORE {head} {QUESTION}", contains="Question sent")
        self.assertEqual(reply, f"Question sent to the reporter of {head}.")
        question = stack.wait_for_text(NORTH_EN, "question", after=seen)["body"]
        self.assertIn(QUESTION, question)
        seen_backup = len(stack.fake.messages_to(BACKUP))
        res, _ = stack.inbound_sms(NORTH_EN, ANSWER)
        self.assertEqual(res.status, 200, res)
        relayed = stack.wait_for_text(BACKUP, "answered", after=seen_backup)["body"]
        self.assertEqual(relayed, f"Reporter of {head} answered: {ANSWER}")
        for body, number in ((question, BACKUP), (relayed, NORTH_EN)):
            self.assertNotIn(digits(number), body)
            self.assertNotIn(digits(number)[-7:], body)

        # --- still undecided: the coordinator is paged once (the last tier) ------------------
        coordinator_page = stack.wait_for_text(COORDINATOR, "ESCALATED", timeout=UNDECIDED_AFTER + 2 * TICK + 5)
        self.assertGreaterEqual(time.monotonic() - claim_before, UNDECIDED_AFTER,
                                "the coordinator was paged before undecided_after")
        self.assertTrue(coordinator_page["body"].startswith(f"ESCALATED: report {head} (North Side)"))
        self.assertEqual(self.report(head)["escalation_tier"], 3)
        self.assertEqual(self.report(head)["claimed_by"], "Beto", "the escalation took the claim away")

        # --- the backup confirms: one alert for the incident ---------------------------------
        _, reply = stack.sms_and_reply(BACKUP, f"YES {head} {SUMMARY}", contains="verified")
        self.assertEqual(reply, f"Report {head} verified: the alert is going out to North Side.")
        alert_id = stack.alert_id_for_report(head)
        self.assertIsNotNone(alert_id)
        audience = {NORTH_EN, NORTH_ES, METRO_EN}
        original = stack.wait_fanout_finished(alert_id, timeout=20)
        self.assertEqual(original["deliveries"]["total"], len(audience), original)
        self.assertEqual(original["state"], "active")
        self.assert_reached_once("alert", audience, SUMMARY)
        for number in (NORTH_ES,):
            self.assertTrue([b for b in stack.texts_to(number) if is_alert(b)][0].startswith("ALERTA North Side"))
        for m in stack.fake.alerts():
            for fragment in ("Maria Gomez", "laundromat", "Checkpoint", ANSWER):
                self.assertNotIn(fragment, m["body"], "a reporter's words reached members")
        for code in codes:
            report = self.report(code)
            self.assertEqual((report["status"], report["verification_level"]), ("confirmed", "verified"), report)
        self.assertEqual(stack.pending_reports(), [])
        self.assertIsNone(stack.alert_id_for_report(codes[1], max_id=alert_id - 1), "a second alert")

        # --- UPDATE, then CLEAR: to exactly the members who got the alert ---------------------
        _, reply = stack.sms_and_reply(BACKUP, f"UPDATE {head} {UPDATE}", contains="update sent")
        self.assertEqual(reply, f"Report {head}: update sent to the members who got the alert.")
        update_id = stack.follow_up_id(alert_id, "update")
        self.assertEqual(stack.wait_fanout_finished(update_id, timeout=20)["deliveries"]["total"], len(audience))
        self.assert_reached_once("update", audience, UPDATE)

        _, reply = stack.sms_and_reply(BACKUP, f"CLEAR {head} {CLEAR}", contains="clear sent")
        self.assertEqual(reply, f"Report {head}: clear sent to the members who got the alert.")
        clear_id = stack.follow_up_id(alert_id, "clear")
        self.assertEqual(stack.wait_fanout_finished(clear_id, timeout=20)["deliveries"]["total"], len(audience))
        self.assert_reached_once("clear", audience, CLEAR)
        self.assertEqual(stack.alert(alert_id)["state"], "cleared")
        self.assertEqual(stack.alert(clear_id)["references"], alert_id)
        self.assertEqual((stack.alert(clear_id)["msg_type"], stack.alert(clear_id)["response_type"]),
                         ("Update", "AllClear"))

        # --- the trail, in order ---------------------------------------------------------------
        timeline = self.report(head)["timeline"]
        actions = [a["action"] for a in timeline]
        self.assertEqual([a for a in actions if a != "escalated"],
                         ["received", "notified", "incident_report", "incident_report", "claimed", "evidence",
                          "note", "question", "reporter_reply", "confirmed", "alert_created", "update_sent",
                          "clear_sent"], actions)
        self.assertEqual([a["detail"] for a in timeline if a["action"] == "escalated"],
                         ["unclaimed: tier 2, 1 operators", "undecided: tier 3, 1 operators"])
        self.assertLess(actions.index("escalated"), actions.index("claimed"))
        self.assertEqual([a["detail"] for a in timeline if a["action"] == "evidence"], ["agency"])
        for later in codes[1:]:
            trail = [a["action"] for a in self.report(later)["timeline"]]
            # A joined report's timeline shows its own steps among the incident's.
            own = [a["action"] for a in self.report(later)["timeline"]
                   if a["action"] in ("joined_incident", "confirmed_with_incident")]
            self.assertEqual(own, ["joined_incident", "confirmed_with_incident"], trail)
            self.assertIn("claimed", trail)

        # --- every text of the night, by recipient ----------------------------------------------
        time.sleep(0.5)  # anything queued by mistake would be out by now (the sender idles 500 ms)
        expected = {
            NORTH_EN: ["join_confirm", "join_ok", "receipt", "question", "alert", "update", "clear"],
            NORTH_ES: ["join_confirm", "join_ok", "alert", "update", "clear"],
            NORTH_STOPPED: ["join_confirm", "join_ok", "stop_ok"],
            METRO_EN: ["join_confirm", "join_ok", "alert", "update", "clear"],
            SOUTH_EN: ["join_confirm", "join_ok"],
            ISLA_EN: ["join_confirm", "join_ok"],
            PENDING: ["join_confirm"],
            STRANGER_B: ["receipt"],
            STRANGER_C: ["receipt"],
            RESPONDER: ["page", "sighting", "sighting", "taken"],
            BACKUP: ["escalated", "claimed", "evidence", "note", "question_sent", "reporter_reply", "alert_sent",
                     "update_sent", "clear_sent"],
            COORDINATOR: ["escalated"],
        }
        got = collections.defaultdict(list)
        for m in stack.fake.messages():
            self.assertEqual(m["from"], SENDER, m)
            got[m["to"]].append(kind_of(m["body"]))
        self.assertEqual(set(got) - set(expected), set(), "texts to unexpected numbers")
        for number, kinds in expected.items():
            self.assertEqual(sorted(got[number]), sorted(kinds), number)
        self.assertEqual(stack.texts_to(ISLA_RESPONDER), [])
        self.assertEqual(receipt, stack.texts_to(STRANGER_B)[0])

        log = stack.dispatcher.log_text()
        for secret in list(expected) + ["Maria Gomez", ANSWER, stack.auth_token]:
            self.assertNotIn(secret, log, f"{secret!r} appears in the dispatcher log")

    # ---- helpers ---------------------------------------------------------------------------

    def report(self, code):
        res = self.stack.api("GET", f"/api/v1/reports/{code}")
        self.assertEqual(res.status, 200, res)
        return res.json()

    def assert_reached_once(self, kind, audience, text):
        """Every member of `audience` got exactly one text of `kind`, with `text` in it; nobody
        else got one."""
        texts = [m for m in self.stack.fake.messages() if kind_of(m["body"]) == kind]
        per_member = collections.Counter(m["to"] for m in texts)
        self.assertEqual(set(per_member), audience, f"{kind} recipients")
        self.assertEqual([n for n, c in per_member.items() if c != 1], [], f"{kind} duplicates: {per_member}")
        for m in texts:
            self.assertIn(text, m["body"])


if __name__ == "__main__":
    unittest.main()

"""A RETRACT pre-empts a fan-out at once: 300 members, one sender at 20 texts/s (the fan-out would
take 15 s), the operator texts RETRACT after about 40 alerts have left. After the retraction is
committed only the texts the sender already held may still leave; the correction reaches every
member who got the original, ahead of another alert that is waiting; the rest of the original is
cancelled.

The bound: a sender claims half a second of its rate per batch and holds at most three batches at
once (one being recorded, one on the wire, the next one claimed ahead; see
dispatcher/fanout/fanout_engine.cpp). Every claim refreshes the set of closed alerts, and a text of
a closed alert is dropped at send time, so at most those three batches of originals can still
leave after the commit. The correction goes to exactly the members whose original was sent: those
in flight at the commit join it once their text turns out sent (fanout/text_store.cpp,
plan_follow_up), and a member whose original the sender dropped at send time gets none.

About 15 s: 680 JOIN/YES webhooks, ~2 s of alerts, the corrections and the island alert."""

import collections
import time
import unittest

from harness import (OPERATOR2_PHONE, OPERATOR2_TOKEN, OPERATOR_PHONE, StackTestCase, member_number,
                     wait_until)

MEMBERS = 300        # in the north/metro tree: the alert's audience
ISLA_MEMBERS = 40    # another tree, with an alert of its own sharing the sender
RATE = 20            # messages/second of the single sender: the fan-out would take 15 s
BATCH_LIMIT = RATE // 2
IN_FLIGHT_LIMIT = 3 * BATCH_LIMIT
RETRACT_AFTER = 40   # originals received by the fake provider before the RETRACT
LATENCY_MS = 20      # the fake provider answers each send after this long
SUMMARY = "Raid at the north warehouse, stay away"
RETRACTION = "The warehouse report was wrong: there is no raid"


def is_original(body):
    return body.startswith("ALERT North Side") or body.startswith("ALERTA North Side")


def is_correction(body):
    return body.startswith("CORRECTION North Side") or body.startswith("CORRECCIÓN North Side")


def is_isla_alert(body):
    return body.startswith("ALERT Island County") or body.startswith("ALERTA Island County")


class RetractTest(StackTestCase):
    label = "retract"

    def test_retract_preempts_the_fanout(self):
        stack = self.make_stack(senders=[{"number": "+12025550100", "messages_per_second": RATE}],
                                max_connections=8, fake_args=["--latency-ms", str(LATENCY_MS)],
                                alerts={"expiry": "1h", "fanout_chunk": 500})
        members = [member_number(i, base=14155550000) for i in range(MEMBERS)]
        isla = [member_number(i, base=14255550000) for i in range(ISLA_MEMBERS)]
        keywords = ["NORTH", "METRO", "NORTE"]
        started = time.monotonic()
        stack.join_many([(n, keywords[i % 3], "ES" if i % 5 == 0 else None) for i, n in enumerate(members)]
                        + [(n, "ISLA", None) for n in isla])
        join_seconds = time.monotonic() - started

        # Two raids in two trees: they share the sender (each batch split between live alerts), and
        # the north one's correction must go ahead of whatever the island alert still has queued.
        res, _ = stack.inbound_sms("+13235550199", "Raid at the NORTH warehouse, many agents")
        self.assertEqual(res.status, 200, res)
        code = stack.wait_for_report_code(OPERATOR_PHONE)
        res, _ = stack.inbound_sms("+13235550198", "Agents at the ISLA harbor checking papers")
        self.assertEqual(res.status, 200, res)
        isla_code = stack.wait_for_report_code(OPERATOR2_PHONE)
        _, reply = stack.sms_and_reply(OPERATOR_PHONE, f"YES {code} {SUMMARY}", contains=f"Report {code}")
        self.assertIn("verified", reply)
        _, reply = stack.sms_and_reply(OPERATOR2_PHONE, f"YES {isla_code} Agents at the harbor",
                                       contains=f"Report {isla_code}")
        self.assertIn("verified", reply)
        alert_id = stack.alert_id_for_report(code)

        wait_until(lambda: sum(is_original(m["body"]) for m in stack.fake.messages()) >= RETRACT_AFTER, 20,
                   f"{RETRACT_AFTER} alerts before the RETRACT")
        seen = len(stack.fake.messages_to(OPERATOR_PHONE))
        sent_ms = time.time() * 1000
        res, _ = stack.inbound_sms(OPERATOR_PHONE, f"RETRACT {code} {RETRACTION}")
        committed_ms = time.time() * 1000  # the 200 comes after the commit
        self.assertEqual(res.status, 200, res)
        at_retract = sum(is_original(m["body"]) for m in stack.fake.messages())
        self.assertLess(at_retract, MEMBERS - IN_FLIGHT_LIMIT, "the fan-out was nearly over: nothing was tested")
        reply = stack.wait_for_text(OPERATOR_PHONE, "retract sent", after=seen)["body"]
        self.assertEqual(reply, f"Report {code}: retract sent to the members who got the alert.")

        retract_id = stack.follow_up_id(alert_id, "retract")
        self.assertIsNotNone(retract_id, "no retraction alert refers to the original")
        retraction = stack.wait_fanout_finished(retract_id, timeout=20)
        original = stack.wait_fanout_finished(alert_id, timeout=20)
        wait_until(lambda: len({m["to"] for m in stack.fake.messages() if is_isla_alert(m["body"])}) >= ISLA_MEMBERS,
                   20, "the island alert to reach its members")
        time.sleep(0.5)  # nothing more may arrive: the sender idles 500 ms at most
        messages = stack.fake.messages()

        originals = [m for m in messages if is_original(m["body"])]
        corrections = [m for m in messages if is_correction(m["body"])]
        late = [m for m in originals if m["received_at_ms"] >= sent_ms]
        got_original = collections.Counter(m["to"] for m in originals)
        got_correction = collections.Counter(m["to"] for m in corrections)
        without_original = set(got_correction) - set(got_original)
        first_correction_s = (min(m["received_at_ms"] for m in corrections) - committed_ms) / 1000
        isla_before_last_correction = [
            m for m in messages[:messages.index(corrections[-1])]
            if is_isla_alert(m["body"]) and m["received_at_ms"] >= committed_ms]
        print(f"\nretract test: joins {join_seconds:.1f}s, originals at the RETRACT {at_retract}, after it "
              f"{len(late)} (bound {IN_FLIGHT_LIMIT}), originals {len(got_original)}, corrections "
              f"{len(got_correction)} ({len(without_original)} without the original), first correction "
              f"{first_correction_s:.2f}s after the commit, island texts before the last correction "
              f"{len(isla_before_last_correction)}, original {original['deliveries']}")

        # Only what the sender held at the commit left after it.
        self.assertLessEqual(len(late), IN_FLIGHT_LIMIT, "originals kept leaving after the RETRACT")
        self.assertEqual([n for n, c in got_original.items() if c != 1], [], "an original was sent twice")
        # The correction reaches exactly the members who got the original, once each.
        self.assertEqual(set(got_original) - set(got_correction), set(), "members who got the alert and no correction")
        self.assertEqual([n for n, c in got_correction.items() if c != 1], [], "a correction was sent twice")
        self.assertEqual(without_original, set(), "corrections to members the original never reached")
        self.assertLessEqual(set(got_correction), set(members), "a correction outside the original's audience")
        # By the rows: the corrected members are exactly those whose original was sent; none of
        # those whose text the sender dropped at send time or the RETRACT cancelled while queued.
        def subscribers(where):
            return set(stack.db.query(f"SELECT subscriber_id FROM deliveries WHERE {where}").split())
        sent = subscribers(f"alert_id = {alert_id} AND status IN ('sent', 'delivered')")
        dropped = subscribers(f"alert_id = {alert_id} AND status = 'cancelled' AND error = 'alert closed before sending'")
        cancelled = subscribers(f"alert_id = {alert_id} AND status = 'cancelled' AND error = 'alert retracted'")
        corrected = subscribers(f"alert_id = {retract_id}")
        self.assertEqual(len(sent), len(got_original))
        self.assertEqual(corrected, sent)
        self.assertEqual(corrected & dropped, set(), "a correction for a text that never left")
        self.assertEqual(corrected & cancelled, set(), "a correction for a text cancelled while queued")
        self.assertEqual(len(sent | dropped | cancelled), MEMBERS)
        # Corrections go first: within the texts in flight of the commit, and ahead of what the
        # island alert still had queued (at most the batches the sender held at the commit).
        self.assertLess(first_correction_s, IN_FLIGHT_LIMIT / RATE + 1.5, "the correction waited")
        self.assertLessEqual(len(isla_before_last_correction), IN_FLIGHT_LIMIT,
                             "the island alert went ahead of corrections")
        # Each in the member's language, with the operator's words.
        spanish = set(members[::5])
        for m in corrections:
            self.assertIn(RETRACTION, m["body"])
            self.assertEqual(m["body"].startswith("CORRECCIÓN"), m["to"] in spanish, m)

        # The original: retracted, what was sent stays sent, everything else cancelled.
        d = original["deliveries"]
        self.assertEqual(original["state"], "retracted", original)
        self.assertIsNotNone(original["closed_at_ms"])
        self.assertEqual(d["total"], MEMBERS, original)
        self.assertEqual(d["sent"] + d["delivered"], len(got_original), original)
        self.assertEqual(d["cancelled"], MEMBERS - len(got_original), original)
        self.assertEqual(d["failed"] + d["expired"] + d["queued"] + d["sending"], 0, original)
        # The retraction: a CAP Cancel of the original, one text per corrected member.
        self.assertEqual((retraction["kind"], retraction["msg_type"], retraction["references"]),
                         ("retract", "Cancel", alert_id), retraction)
        r = retraction["deliveries"]
        self.assertEqual((r["total"], r["sent"] + r["delivered"]), (len(got_correction), len(got_correction)), retraction)

        # The island alert went on untouched, to its own members only, once each.
        isla_texts = collections.Counter(m["to"] for m in messages if is_isla_alert(m["body"]))
        self.assertEqual(set(isla_texts), set(isla))
        self.assertEqual(max(isla_texts.values()), 1)
        isla_alert = stack.api("GET", f"/api/v1/alerts/{stack_alert_id(stack, isla_code)}", token=OPERATOR2_TOKEN).json()
        self.assertEqual(isla_alert["state"], "active", isla_alert)


def stack_alert_id(stack, code, max_id=20):
    """alert_id_for_report, with the island operator's token (alerts outside one's regions are 404)."""
    for alert_id in range(1, max_id + 1):
        res = stack.api("GET", f"/api/v1/alerts/{alert_id}", token=OPERATOR2_TOKEN)
        if res.status == 200 and res.json()["report_id"] == code:
            return alert_id
    return None


if __name__ == "__main__":
    unittest.main()

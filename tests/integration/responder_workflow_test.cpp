// The responder workflow on PostgreSQL with a manual clock: on-call paging, escalation tiers that
// fire once, claims under a lease, incidents, evidence, quorum, advisories, the MORE relay and
// drills. Every scenario reads what was queued for whom from the outbox, as a phone would see it.
#include <thread>

#include "dispatcher/core/token_hash.hpp"
#include "dispatcher/queue/escalation.hpp"
#include "dispatcher/queue/evidence.hpp"
#include "dispatcher/queue/on_call.hpp"
#include "dispatcher/queue/ownership.hpp"
#include "dispatcher/queue/relay.hpp"
#include "tests/integration/api_call.hpp"
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

using namespace std::chrono_literals;
using config::OperatorRole;
using queue::Outcome;

constexpr const char* ana = "+12135550101";    // responder, la
constexpr const char* beto = "+12135550102";   // responder, la-east
constexpr const char* dora = "+12135550104";   // backup, la-east
constexpr const char* eva = "+12135550105";    // coordinator, la
constexpr const char* fer = "+12135550106";    // legal observer, la-east

struct Text {
  std::string kind;
  std::string to;
  std::string body;
};

class ResponderWorkflow : public DispatcherTest {
 protected:
  void SetUp() override {
    config_.operators.push_back({"Dora", dora, {"la-east"}, "", OperatorRole::backup, {}});
    config_.operators.push_back({"Eva", eva, {"la"}, "", OperatorRole::coordinator, {}});
    config_.observers.push_back({"Fer", fer, {"la-east"}});
    config_.escalation.unclaimed_after = 5min;
    config_.escalation.undecided_after = 15min;
    config_.verification.claim_lease = 10min;
    reload();
  }

  // Everything queued in the outbox since the last call, oldest first.
  std::vector<Text> new_texts() {
    pqxx::read_transaction tx(conn_);
    std::vector<Text> out;
    for (const auto& row : tx.exec_params("SELECT id, kind, to_enc, body_enc FROM outbox WHERE id > $1 ORDER BY id",
                                          last_outbox_id_)) {
      last_outbox_id_ = row[0].as<std::int64_t>();
      out.push_back({row[1].as<std::string>(), *cipher_.decrypt(storage::bytes_of(row[2])),
                     *cipher_.decrypt(storage::bytes_of(row[3]))});
    }
    return out;
  }

  std::multiset<std::string> recipients_of(const std::vector<Text>& texts, const std::string& kind) {
    std::multiset<std::string> out;
    for (const auto& t : texts)
      if (t.kind == kind) out.insert(t.to);
    return out;
  }

  queue::EscalationCounts escalate() { return queue::escalate_due(conn_, *ctx_); }

  template <class Command>
  auto as(const std::string& op_name, Command command) {
    pqxx::work tx(conn_);
    auto result = command(tx, queue::Actor{op(op_name), "sms"});
    tx.commit();
    return result;
  }

  void set_duty(const std::string& op_name, bool on) {
    pqxx::work tx(conn_);
    queue::set_on_call(tx, op(op_name), on, clock_.now());
    tx.commit();
  }

  intake::InboundResult text_in(const std::string& from, const std::string& body) {
    return intake::apply_inbound_sms(conn_, *ctx_, "console", sms("SM" + std::to_string(++sms_seq_), from, body));
  }

  void exec_sql(const std::string& sql) {
    pqxx::work tx(conn_);
    tx.exec(sql);
    tx.commit();
  }

  std::int64_t last_outbox_id_ = 0;
  int sms_seq_ = 0;
};

TEST_F(ResponderWorkflow, NewReportPagesTheOnCallRespondersFirst) {
  set_duty("Beto", false);
  const auto filed = file("two vans on Whittier", "la-east");
  const auto texts = new_texts();
  EXPECT_EQ(recipients_of(texts, "operator_new_report"), (std::multiset<std::string>{ana}))
      << "Beto is off shift; backups and coordinators wait for escalation";
  EXPECT_EQ(filed.operators_notified, 1);
}

TEST_F(ResponderWorkflow, NobodyOnCallGoesStraightToTheNextTier) {
  set_duty("Ana", false);
  set_duty("Beto", false);
  file("two vans on Whittier", "la-east");
  EXPECT_EQ(recipients_of(new_texts(), "operator_new_report"), (std::multiset<std::string>{dora}));
}

TEST_F(ResponderWorkflow, SilenceEscalatesTierByTierAndEachTimerFiresOnce) {
  const auto filed = file("agents at the school gate", "la-east");
  EXPECT_EQ(recipients_of(new_texts(), "operator_new_report"), (std::multiset<std::string>{ana, beto}));

  clock_.advance(5min - 1s);
  EXPECT_EQ(escalate().escalated, 0) << "not due yet";
  clock_.advance(1s);
  EXPECT_EQ(escalate().escalated, 1);
  auto texts = new_texts();
  EXPECT_EQ(recipients_of(texts, "operator_escalated"), (std::multiset<std::string>{dora})) << "tier 2: the backup";
  ASSERT_FALSE(texts.empty());
  EXPECT_NE(texts[0].body.find(filed.code), std::string::npos);
  EXPECT_EQ(escalate().escalated, 0) << "a timer fires once";
  EXPECT_TRUE(new_texts().empty());

  clock_.advance(5min);
  EXPECT_EQ(escalate().escalated, 1);
  EXPECT_EQ(recipients_of(new_texts(), "operator_escalated"), (std::multiset<std::string>{eva}))
      << "tier 3: the coordinator of the parent region";
  // After the last tier, silence reminds everyone paged, every wait, until the report is decided.
  clock_.advance(5min);
  EXPECT_EQ(escalate().escalated, 1);
  EXPECT_EQ(recipients_of(new_texts(), "operator_escalated"), (std::multiset<std::string>{ana, beto, dora, eva}));
  EXPECT_EQ(escalate().escalated, 0);
  confirm("Ana", filed.code);
  clock_.advance(1h);
  EXPECT_EQ(escalate().escalated, 0) << "a decided report is not paged about";
}

TEST_F(ResponderWorkflow, RemindersStopWhenTheReportIsAsOldAsAnAlertMayBe) {
  config_.alerts.expiry = 20min;
  reload();
  file("agents at the school gate", "la-east");
  int rounds = 0;
  for (int i = 0; i < 20; ++i) {
    clock_.advance(5min);
    rounds += escalate().escalated;
  }
  EXPECT_EQ(rounds, 3) << "tier 2 at 5 min, tier 3 at 10, a reminder at 15; at 20 the sighting is stale";
}

TEST_F(ResponderWorkflow, TwoInstancesFiringTheSameTimerPageOnce) {
  for (int i = 0; i < 20; ++i) file("sighting " + std::to_string(i), i % 2 ? "la-east" : "sd");
  new_texts();
  clock_.advance(6min);
  pqxx::connection second(db_.conninfo());
  queue::EscalationCounts a, b;
  std::thread other([&] { b = queue::escalate_due(second, *ctx_, 3); });
  for (int round = 0; round < 20; ++round) {
    const auto r = queue::escalate_due(conn_, *ctx_, 3);
    a.escalated += r.escalated;
  }
  other.join();
  for (int round = 0; round < 20; ++round) b.escalated += queue::escalate_due(second, *ctx_, 3).escalated;
  // The la-east incident pages its tier 2 (Dora); San Diego has no backup or coordinator, so its
  // Cruz, paged already, is reminded. Each once, whichever instance fired the timer.
  EXPECT_EQ(a.escalated + b.escalated, 2);
  EXPECT_EQ(recipients_of(new_texts(), "operator_escalated"), (std::multiset<std::string>{dora, "+16195550103"}));
}

TEST_F(ResponderWorkflow, ClaimMakesOneOwnerAndTellsTheOthers) {
  const auto filed = file("ICE at the car wash", "la-east");
  new_texts();
  const auto claimed = as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::claim_report(tx, *ctx_, a, filed.code);
  });
  EXPECT_EQ(claimed.outcome, Outcome::claimed);
  EXPECT_EQ(claimed.lease_minutes, 10);
  EXPECT_EQ(recipients_of(new_texts(), "operator_claim_taken"), (std::multiset<std::string>{ana}));
  const auto held = as("Ana", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::claim_report(tx, *ctx_, a, filed.code);
  });
  EXPECT_EQ(held.outcome, Outcome::claim_held);
  EXPECT_EQ(held.holder, "Beto");
  EXPECT_EQ(as("Cruz", [&](pqxx::work& tx, const queue::Actor& a) {
              return queue::claim_report(tx, *ctx_, a, filed.code);
            }).outcome,
            Outcome::not_your_region);
  // Claimed: the unclaimed timer gives way to the undecided one.
  clock_.advance(6min);
  EXPECT_EQ(escalate().escalated, 0);
}

TEST_F(ResponderWorkflow, ASilentOwnersClaimLapsesAndEscalates) {
  config_.escalation.undecided_after = 1h;  // only the lease is being watched here
  reload();
  const auto filed = file("checkpoint on Atlantic", "la-east");
  as("Beto", [&](pqxx::work& tx, const queue::Actor& a) { return queue::claim_report(tx, *ctx_, a, filed.code); });
  // Activity renews the lease: a note at minute 8 carries the claim to minute 18.
  clock_.advance(8min);
  as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::add_note(tx, *ctx_, a, filed.code, "calling the reporter back");
  });
  new_texts();
  clock_.advance(9min);
  EXPECT_EQ(escalate().claims_lapsed, 0);
  clock_.advance(1min);
  const auto counts = escalate();
  EXPECT_EQ(counts.claims_lapsed, 1);
  EXPECT_EQ(counts.escalated, 1);
  const auto texts = new_texts();
  EXPECT_EQ(recipients_of(texts, "operator_claim_lapsed"), (std::multiset<std::string>{beto}));
  EXPECT_EQ(recipients_of(texts, "operator_escalated"), (std::multiset<std::string>{dora}));
  // The incident is open again: someone else may claim it.
  EXPECT_EQ(as("Ana", [&](pqxx::work& tx, const queue::Actor& a) {
              return queue::claim_report(tx, *ctx_, a, filed.code);
            }).outcome,
            Outcome::claimed);
}

TEST_F(ResponderWorkflow, ClaimedButUndecidedEscalates) {
  config_.verification.claim_lease = 1h;
  reload();
  const auto filed = file("raid at the swap meet", "la-east");
  as("Beto", [&](pqxx::work& tx, const queue::Actor& a) { return queue::claim_report(tx, *ctx_, a, filed.code); });
  new_texts();
  clock_.advance(15min - 1s);
  EXPECT_EQ(escalate().escalated, 0);
  clock_.advance(1s);
  EXPECT_EQ(escalate().escalated, 1);
  EXPECT_EQ(recipients_of(new_texts(), "operator_escalated"), (std::multiset<std::string>{dora}));
  pqxx::read_transaction tx(conn_);
  const auto timeline = queue::report_timeline(tx, *ctx_, op("Ana"), filed.code);
  ASSERT_TRUE(timeline);
  EXPECT_EQ(timeline->report.claimed_by, "Beto") << "escalation does not take the claim away";
  EXPECT_EQ(timeline->report.escalation_tier, 2);
  bool audited = false;
  for (const auto& a : timeline->actions) audited |= a.action == "escalated" && a.detail.rfind("undecided", 0) == 0;
  EXPECT_TRUE(audited);
}

TEST_F(ResponderWorkflow, ReportsOfOneAreaWithinTheWindowAreOneIncident) {
  join("+13235550001", "la-east");
  join("+13235550002", "la");
  const auto first = file("vans at Whittier and Atlantic", "la-east");
  new_texts();
  clock_.advance(10min);
  as("Beto", [&](pqxx::work& tx, const queue::Actor& a) { return queue::claim_report(tx, *ctx_, a, first.code); });
  new_texts();
  const auto second = file("agents on Whittier", "la");       // the parent region
  const auto third = file("ICE vests near the school", "la-east");
  EXPECT_EQ(second.incident_code, first.code);
  EXPECT_EQ(third.incident_code, first.code);
  EXPECT_EQ(recipients_of(new_texts(), "operator_incident_report"), (std::multiset<std::string>{beto, beto}))
      << "only the owner hears of further sightings";
  const auto elsewhere = file("checkpoint downtown", "sd");
  EXPECT_TRUE(elsewhere.incident_code.empty());

  // Confirming through any report of the incident confirms the incident: one alert.
  const auto d = confirm("Beto", third.code);
  ASSERT_EQ(d.outcome, Outcome::alert_created);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts WHERE msg_type = 'alert'"), 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE status = 'confirmed'"), 3);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE status = 'pending'"), 1) << "San Diego's report";
  EXPECT_EQ(confirm("Ana", second.code).outcome, Outcome::already_decided);

  // A sighting of the raid already alerted joins the confirmed incident: no new page, no second
  // alert; whoever confirmed it hears of it and decides on an UPDATE.
  new_texts();
  const auto late = file("vans still on Whittier", "la-east");
  EXPECT_EQ(late.incident_code, first.code);
  auto texts = new_texts();
  EXPECT_EQ(recipients_of(texts, "operator_new_report"), std::multiset<std::string>{});
  EXPECT_EQ(recipients_of(texts, "operator_incident_report"), (std::multiset<std::string>{ana, beto}));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE status = 'pending'"), 1);

  // Past the window a new sighting starts a new incident.
  clock_.advance(31min);
  EXPECT_TRUE(file("vans again on Whittier", "la-east").incident_code.empty());
}

TEST_F(ResponderWorkflow, OnlyTheRegionItsParentAndItsChildrenGroup) {
  const auto county = file("checkpoint on the 710", "la");
  EXPECT_EQ(file("vans in East LA", "la-east").incident_code, county.code) << "a child of the head";
  clock_.advance(1min);
  const auto unknown = file("vans somewhere", "");
  EXPECT_TRUE(unknown.incident_code.empty()) << "a report of unknown region could be anywhere";
  EXPECT_TRUE(file("vans somewhere else", "").incident_code.empty());
}

TEST_F(ResponderWorkflow, ASightingOfAnUnclaimedIncidentReachesEveryonePaged) {
  const auto first = file("vans", "la-east");
  new_texts();
  const auto second = file("agents knocking on doors on 3rd", "la-east");
  const auto texts = new_texts();
  EXPECT_EQ(recipients_of(texts, "operator_incident_report"), (std::multiset<std::string>{ana, beto}));
  ASSERT_FALSE(texts.empty());
  EXPECT_NE(texts[0].body.find("agents knocking on doors on 3rd"), std::string::npos);
  EXPECT_NE(texts[0].body.find(first.code), std::string::npos) << second.code;
}

TEST_F(ResponderWorkflow, MovingTheRegionVoidsEarlierConfirmations) {
  config_.verification.confirmations_required = 2;
  reload();
  join("+13235550111", "la-east");
  join("+13235550112", "la-south");
  const auto filed = file("vans", "la-east");
  EXPECT_EQ(confirm("Beto", filed.code, "", "two vans").outcome, Outcome::confirmation_recorded);
  EXPECT_EQ(confirm("Ana", filed.code, "la", "").outcome, Outcome::region_differs)
      << "a confirmation never moves a report: that is MOVE's job";
  pqxx::work tx(conn_);
  const auto moved = queue::move_report(tx, *ctx_, {op("Ana"), "api"}, filed.code, "la");
  tx.commit();
  EXPECT_EQ(moved.outcome, Outcome::moved);
  EXPECT_EQ(moved.region_id, "la");
  EXPECT_EQ(moved.members, 2) << "the county's alert reaches both members";
  EXPECT_EQ(moved.voided, 1) << "Beto vouched for East LA, not the whole county: the quorum starts again";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts"), 0) << "a move never confirms anything by itself";
  const auto ana = confirm("Ana", filed.code, "", "");
  EXPECT_EQ(ana.outcome, Outcome::confirmation_recorded);
  EXPECT_EQ(ana.confirmations, 1);
  EXPECT_EQ(confirm("Beto", filed.code, "", "").outcome, Outcome::not_your_region);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM report_actions WHERE action = 'confirmation_voided'"), 1);
}

TEST_F(ResponderWorkflow, TheAlertKeepsTheQuorumsWordsWhenTheLastYesHasNone) {
  config_.verification.confirmations_required = 2;
  reload();
  const auto filed = file("vans", "la-east");
  confirm("Beto", filed.code, "", "two ICE vans at Whittier");
  ASSERT_EQ(confirm("Ana", filed.code, "", "").outcome, Outcome::alert_created);
  EXPECT_EQ(alert_words(), "two ICE vans at Whittier");
}

TEST_F(ResponderWorkflow, SiblingRegionsAreSeparateIncidents) {
  const auto east = file("vans in East LA", "la-east");
  const auto south = file("vans in South LA", "la-south");
  EXPECT_TRUE(south.incident_code.empty()) << east.code;
}

TEST_F(ResponderWorkflow, RequiredEvidenceGatesTheAlert) {
  config_.verification.required_evidence = {"where", "agency"};
  reload();
  const auto filed = file("men in vests", "la-east");
  auto d = confirm("Beto", filed.code);
  ASSERT_EQ(d.outcome, Outcome::evidence_missing);
  EXPECT_EQ(d.missing, (std::vector<std::string>{"where", "agency"}));
  const auto recorded = as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::record_evidence(tx, *ctx_, a, filed.code, "where", "Whittier & Atlantic");
  });
  EXPECT_EQ(recorded.missing, (std::vector<std::string>{"agency"}));
  as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::record_evidence(tx, *ctx_, a, filed.code, "agency", "vests read POLICE ICE");
  });
  d = confirm("Beto", filed.code);
  EXPECT_EQ(d.outcome, Outcome::alert_created);
  pqxx::read_transaction tx(conn_);
  const auto timeline = queue::report_timeline(tx, *ctx_, op("Beto"), filed.code);
  EXPECT_EQ(timeline->report.evidence.at("agency"), "vests read POLICE ICE");
  EXPECT_EQ(timeline->report.verification_level, "verified");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE evidence_enc::text LIKE '%POLICE%'"), 0)
      << "evidence is stored encrypted";
}

TEST_F(ResponderWorkflow, QuorumPerRegionAndASecondApproverForLargeBroadcasts) {
  config_.regions[1].confirmations_required = 2;  // la-east
  reload();
  const auto east = file("vans", "la-east");
  EXPECT_EQ(confirm("Beto", east.code).outcome, Outcome::confirmation_recorded);
  EXPECT_EQ(confirm("Ana", east.code).outcome, Outcome::alert_created);

  config_.verification.second_approver_above = 2;
  reload();
  join("+13235550001", "la-south");
  join("+13235550002", "la-south");
  const auto small = file("vans", "la-south");
  EXPECT_EQ(confirm("Ana", small.code).outcome, Outcome::alert_created) << "two members: one approver is enough";
  join("+13235550003", "la-south");
  clock_.advance(1h);
  const auto large = file("vans again", "la-south");
  const auto d = confirm("Ana", large.code);
  EXPECT_EQ(d.outcome, Outcome::confirmation_recorded) << "three members: a second approver is required";
  EXPECT_EQ(d.required, 2);
}

TEST_F(ResponderWorkflow, AdvisoryReachesCoordinatorsAndObserversNeverMembers) {
  join("+13235550001", "la-east");
  const auto filed = file("unconfirmed: vans circling", "la-east");
  new_texts();
  const auto d = as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::send_advisory(tx, *ctx_, a, filed.code, "unconfirmed vans circling");
  });
  EXPECT_EQ(d.outcome, Outcome::advisory_sent);
  EXPECT_EQ(d.recipients, 2);
  EXPECT_EQ(recipients_of(new_texts(), "advisory"), (std::multiset<std::string>{eva, fer}));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM report_actions WHERE detail LIKE '%circling%'"), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts"), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE verification_level = 'unverified' AND status = 'pending'"), 1);
  // A later YES still verifies it for members.
  EXPECT_EQ(confirm("Beto", filed.code).outcome, Outcome::alert_created);
}

TEST_F(ResponderWorkflow, MoreRelaysBetweenOperatorAndReporterWithoutNumbers) {
  const std::string reporter = "+13235559999";
  text_in(reporter, "agents knocking on doors at 90022");
  const auto code = db_.scalar<std::string>("SELECT code FROM reports");
  new_texts();
  const auto asked = as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::ask_reporter(tx, *ctx_, a, code, "how many agents?");
  });
  EXPECT_EQ(asked.outcome, Outcome::question_sent);
  auto texts = new_texts();
  ASSERT_EQ(recipients_of(texts, "reporter_question"), (std::multiset<std::string>{reporter}));
  EXPECT_EQ(texts.back().body.find(beto), std::string::npos) << "the reporter never sees the operator's number";

  const auto reply = text_in(reporter, "about six, two vans");
  EXPECT_TRUE(reply.reply.empty()) << "the answer is relayed, not filed";
  texts = new_texts();
  ASSERT_EQ(recipients_of(texts, "operator_reporter_reply"), (std::multiset<std::string>{beto}));
  const auto& relayed = *std::find_if(texts.begin(), texts.end(),
                                      [](const Text& t) { return t.kind == "operator_reporter_reply"; });
  EXPECT_NE(relayed.body.find("about six, two vans"), std::string::npos);
  EXPECT_EQ(relayed.body.find(reporter), std::string::npos) << "the operator never sees the reporter's number";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports"), 1);

  // One question, one answer: the next text is a report again.
  text_in(reporter, "more vans on 4th street");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports"), 2);
  EXPECT_EQ(recipients_of(new_texts(), "operator_reporter_reply"), std::multiset<std::string>{});
}

TEST_F(ResponderWorkflow, AYesAnswerIsRelayedNotTakenForAKeyword) {
  const std::string reporter = "+13235559998";
  text_in(reporter, "agents at the laundromat on Soto, 90022");
  const auto code = db_.scalar<std::string>("SELECT code FROM reports");
  as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::ask_reporter(tx, *ctx_, a, code, "are they still there? reply YES or NO");
  });
  new_texts();
  text_in(reporter, "Sí");
  const auto texts = new_texts();
  ASSERT_EQ(recipients_of(texts, "operator_reporter_reply"), (std::multiset<std::string>{beto}));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM subscribers WHERE status = 'active'"), 0) << "not an opt-in";
}

TEST_F(ResponderWorkflow, NoQuestionToAnOptedOutReporterOrAfterTheDecision) {
  const std::string reporter = "+13235559997";
  text_in(reporter, "agents on Cesar Chavez 90022");
  const auto code = db_.scalar<std::string>("SELECT code FROM reports");
  text_in(reporter, "STOP");
  EXPECT_EQ(as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
              return queue::ask_reporter(tx, *ctx_, a, code, "still there?");
            }).outcome,
            Outcome::no_reporter);

  const std::string other = "+13235559996";
  text_in(other, "agents on Olympic 90022");
  const auto other_code = db_.scalar<std::string>("SELECT code FROM reports ORDER BY id DESC LIMIT 1");
  as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::ask_reporter(tx, *ctx_, a, other_code, "how many?");
  });
  confirm("Beto", other_code);
  new_texts();
  text_in(other, "they left north on Olympic");
  EXPECT_EQ(recipients_of(new_texts(), "operator_reporter_reply"), std::multiset<std::string>{})
      << "decided: an answer is news, filed as a report";
}

TEST_F(ResponderWorkflow, MoreOnAnAnonymousWebReportSaysSo) {
  const auto filed = file("vans", "la-east");
  EXPECT_EQ(as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
              return queue::ask_reporter(tx, *ctx_, a, filed.code, "where exactly?");
            }).outcome,
            Outcome::no_reporter);
}

TEST_F(ResponderWorkflow, OperatorCommandsBySms) {
  const auto filed = file("vans on Cesar Chavez", "la-east");
  new_texts();
  EXPECT_NE(text_in(beto, "OFF").reply.find("operator_off_call"), std::string::npos);
  EXPECT_NE(text_in(beto, "ON").reply.find("operator_on_call"), std::string::npos);
  EXPECT_NE(text_in(beto, "CLAIM " + filed.code).reply.find("operator_claimed"), std::string::npos);
  EXPECT_NE(text_in(ana, "claim " + filed.code).reply.find("operator_claim_held " + filed.code + " Beto"),
            std::string::npos);
  EXPECT_NE(text_in(beto, "AGENCY " + filed.code + " vests say ICE").reply.find("operator_evidence_recorded"),
            std::string::npos);
  EXPECT_NE(text_in(beto, "NOTE " + filed.code + " neighbor confirms").reply.find("operator_note_recorded"),
            std::string::npos);
  EXPECT_NE(text_in(beto, "YES " + filed.code + " ICE vans on Cesar Chavez").reply.find("operator_alert_sent"),
            std::string::npos);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM report_actions WHERE detail LIKE '%neighbor confirms%'"), 0)
      << "a note is stored encrypted";
  pqxx::read_transaction tx(conn_);
  const auto timeline = queue::report_timeline(tx, *ctx_, op("Beto"), filed.code);
  ASSERT_TRUE(timeline);
  EXPECT_EQ(timeline->actions[4].detail, "neighbor confirms");
  std::vector<std::string> actions;
  for (const auto& a : timeline->actions) actions.push_back(a.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"received", "notified", "claimed", "evidence", "note", "confirmed",
                                               "alert_created"}));
}

TEST_F(ResponderWorkflow, DrillsAreMarkedAndNeverJoinRealIncidents) {
  config_.exercise.test_group = {"+13235550777"};
  reload();
  join("+13235550001", "la-east");
  const auto real = file("vans", "la-east");
  new_texts();
  text_in(beto, "DRILL vans at 90022");
  const auto drill_code =
      db_.scalar<std::string>("SELECT code FROM reports WHERE exercise");
  auto texts = new_texts();
  for (const auto& t : texts) {
    if (t.kind == "operator_new_report") EXPECT_EQ(t.body.rfind("en:exercise_prefix ", 0), 0u) << t.body;
  }
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE exercise AND incident_id IS NULL"), 1) << real.code;
  text_in(beto, "ADVISORY " + drill_code + " drill: vans");
  EXPECT_EQ(recipients_of(new_texts(), "advisory"), (std::multiset<std::string>{eva}))
      << "a drill's advisory never reaches the legal observers on the street";
  text_in(beto, "YES " + drill_code + " drill vans");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts WHERE status = 'exercise'"), 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE status = 'pending' AND NOT exercise"), 1)
      << "the real report is untouched";
}

TEST_F(ResponderWorkflow, AnUpdateToManyMembersWaitsForASecondApprover) {
  for (const char* member : {"+13235550001", "+13235550002", "+13235550003"}) join(member, "la-east");
  const auto filed = file("vans", "la-east");
  const auto d = confirm("Beto", filed.code);
  ASSERT_EQ(d.outcome, Outcome::alert_created);
  materialize(d.alert_id);
  exec_sql("UPDATE deliveries SET status = 'delivered'");
  config_.verification.second_approver_above = 2;
  reload();
  new_texts();

  EXPECT_NE(text_in(beto, "UPDATE " + filed.code + " agents moved to 3rd St").reply.find("operator_update_held"),
            std::string::npos);
  const auto update = db_.scalar("SELECT id FROM alerts WHERE msg_type = 'update'");
  EXPECT_EQ(db_.scalar<std::string>("SELECT state FROM alerts WHERE msg_type = 'update'"), "held");
  EXPECT_TRUE(fanout::alerts_to_materialize(conn_).empty()) << "nothing of a held update is planned";
  const auto asked = new_texts();
  EXPECT_EQ(recipients_of(asked, "operator_approval_needed"), (std::multiset<std::string>{ana, dora, eva}))
      << "every other operator of the region can approve";
  EXPECT_NE(text_in(beto, "APPROVE " + filed.code).reply.find("operator_update_held"), std::string::npos)
      << "its author cannot be its second approver";
  EXPECT_NE(text_in(ana, "APPROVE " + filed.code).reply.find("operator_update_approved " + filed.code + " 3"),
            std::string::npos);
  EXPECT_EQ(materialize(update), 3);
  EXPECT_NE(text_in(ana, "APPROVE " + filed.code).reply.find("operator_nothing_to_approve"), std::string::npos);

  // A CLEAR never waits, and closes an update still held.
  text_in(beto, "UPDATE " + filed.code + " a second update");
  EXPECT_NE(text_in(beto, "CLEAR " + filed.code).reply.find("operator_followup_sent"), std::string::npos);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts WHERE state = 'held'"), 0);
}

TEST_F(ResponderWorkflow, AfterARetractionANewSightingIsANewRaid) {
  join("+13235550001", "la-east");
  const auto first = file("vans", "la-east");
  ASSERT_EQ(confirm("Beto", first.code).outcome, Outcome::alert_created);
  text_in(beto, "RETRACT " + first.code + " it was a utility crew");
  new_texts();
  const auto later = file("real agents now at 90022", "la-east");
  EXPECT_TRUE(later.incident_code.empty()) << "a retracted raid gathers no more sightings";
  EXPECT_EQ(recipients_of(new_texts(), "operator_new_report"), (std::multiset<std::string>{ana, beto}));
  EXPECT_EQ(confirm("Beto", later.code).outcome, Outcome::alert_created);
}

TEST_F(ResponderWorkflow, ANewerUpdateSupersedesTheHeldOneAndPlanningNeverSkipsTheApprover) {
  for (const char* member : {"+13235550001", "+13235550002", "+13235550003"}) join(member, "la-east");
  config_.verification.second_approver_above = 2;
  reload();
  const auto filed = file("vans", "la-east");
  confirm("Beto", filed.code);
  ASSERT_EQ(confirm("Ana", filed.code).outcome, Outcome::alert_created) << "three members: two approvers";
  // Nothing of the alert is planned yet: its whole audience still counts.
  EXPECT_NE(text_in(beto, "UPDATE " + filed.code + " agents at 5th St").reply.find("operator_update_held"),
            std::string::npos);
  text_in(beto, "UPDATE " + filed.code + " agents at Main St, not 5th");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts WHERE state = 'held'"), 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts WHERE state = 'superseded'"), 1);
  clock_.advance(config_.alerts.expiry + 1min);  // approved late: it still gets a full life
  text_in(ana, "APPROVE " + filed.code);
  EXPECT_EQ(alert_words("state = 'active' AND msg_type = 'update'"),
            "agents at Main St, not 5th");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts WHERE msg_type = 'update' AND state = 'active' "
                       "AND expires_at > to_timestamp(" + std::to_string(storage::to_micros(clock_.now())) + " / 1e6)"),
            1);
}

TEST_F(ResponderWorkflow, HelpIsAnsweredEvenWithAQuestionOpen) {
  const std::string reporter = "+13235559995";
  text_in(reporter, "agents on Soto 90022");
  const auto code = db_.scalar<std::string>("SELECT code FROM reports");
  as("Beto", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::ask_reporter(tx, *ctx_, a, code, "still there?");
  });
  EXPECT_NE(text_in(reporter, "HELP").reply.find("en:help"), std::string::npos);
  EXPECT_TRUE(text_in(reporter, "yes still there").reply.empty()) << "the answer still goes to Beto";
}

class ResponderApi : public ResponderWorkflow {
 protected:
  void SetUp() override {
    ResponderWorkflow::SetUp();
    for (auto& o : config_.operators) o.api_token_hash = hash_token("token-" + o.name);
    reload();
  }
  std::pair<int, nlohmann::json> call(const std::string& target, const std::string& op_name,
                                      const std::string& body = "") {
    return call_api(*ctx_, db_.conninfo(), "POST", target, "token-" + op_name, body);
  }
};

TEST_F(ResponderApi, TheSmsCommandsAsJson) {
  const auto filed = file("vans on First St", "la-east");
  const auto path = "/api/v1/reports/" + filed.code;
  auto [status, body] = call(path + "/claim", "Beto");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["lease_minutes"], 10);
  std::tie(status, body) = call(path + "/claim", "Ana");
  EXPECT_EQ(status, 409) << body;
  EXPECT_EQ(body["claimed_by"], "Beto");
  std::tie(status, body) = call(path + "/claim", "Cruz");
  EXPECT_EQ(status, 403) << "San Diego's operator does not cover East LA";
  std::tie(status, body) = call(path + "/evidence", "Beto", R"({"agency": "ICE vests", "where": "First & Soto"})");
  ASSERT_EQ(status, 200) << body;
  std::tie(status, body) = call(path + "/evidence", "Beto", R"({"plates": "ABC"})");
  EXPECT_EQ(status, 422) << body;
  for (const char* blank : {R"({"vehicles": ""})", R"({"vehicles": "  "})", R"({"vehicles": null})"}) {
    std::tie(status, body) = call(path + "/evidence", "Beto", blank);
    EXPECT_EQ(status, 422) << blank << " must not count as evidence";
  }
  std::tie(status, body) = call(path + "/notes", "Beto", R"({"text": "second caller confirms"})");
  EXPECT_EQ(status, 200) << body;
  std::tie(status, body) = call(path + "/notes", "Beto", R"({"text": "  "})");
  EXPECT_EQ(status, 422) << body;
  std::tie(status, body) = call(path + "/questions", "Beto", R"({"question": "how many?"})");
  EXPECT_EQ(status, 422) << "a web report has no number to ask";
  EXPECT_EQ(body["error"], "no_reporter");
  std::tie(status, body) = call(path + "/advisory", "Beto");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["recipients"], 2);
  std::tie(status, body) = call("/api/v1/duty", "Ana", R"({"on_call": false})");
  ASSERT_EQ(status, 200) << body;
  std::tie(status, body) = call("/api/v1/duty", "Ana", R"({"on_call": "no"})");
  EXPECT_EQ(status, 422) << body;
  std::tie(status, body) = call("/api/v1/reports/ZZZZZ/claim", "Beto");
  EXPECT_EQ(status, 404) << body;
  std::tie(status, body) = call(path + "/claim", "Nobody");
  EXPECT_EQ(status, 401) << body;

  const auto [get_status, report] =
      call_api(*ctx_, db_.conninfo(), "GET", path, "token-Ana");
  ASSERT_EQ(get_status, 200) << report;
  EXPECT_EQ(report["claimed_by"], "Beto");
  EXPECT_EQ(report["verification_level"], "unverified");
  EXPECT_EQ(report["evidence"]["agency"], "ICE vests");
  EXPECT_EQ(report["incident"], filed.code);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM operator_duty WHERE operator = 'Ana' AND NOT on_call"), 1);
}

TEST_F(ResponderApi, HeldUpdatesAndTheirApprovalAsJson) {
  for (const char* member : {"+13235550001", "+13235550002"}) join(member, "la-east");
  const auto d = confirm("Beto", file("vans", "la-east").code);
  materialize(d.alert_id);
  exec_sql("UPDATE deliveries SET status = 'sent'");
  config_.verification.second_approver_above = 1;
  reload();
  const auto path = "/api/v1/alerts/" + std::to_string(d.alert_id);
  auto [status, body] = call(path + "/update", "Beto", R"({"text": "agents moved north"})");
  ASSERT_EQ(status, 202) << body;
  EXPECT_EQ(body["state"], "held");
  EXPECT_EQ(body["recipients"], 2);
  std::tie(status, body) = call(path + "/approve", "Beto");
  EXPECT_EQ(status, 409) << body;
  EXPECT_EQ(body["error"], "second_approver_required");
  std::tie(status, body) = call(path + "/approve", "Ana");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["state"], "active");
  std::tie(status, body) = call(path + "/approve", "Ana");
  EXPECT_EQ(status, 404) << body;
}

}  // namespace
}  // namespace centinela::testing

// Report -> operators -> confirmations -> alert -> exactly the right deliveries, on PostgreSQL.
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

using queue::Outcome;

class ResponderFlow : public DispatcherTest {
 protected:
  void SetUp() override {
    join("+13235550001", "la-east");
    join("+13235550002", "la");        // the county: wants every neighborhood's alerts
    join("+13235550003", "la-south");  // a sibling: must not hear about East LA
    join("+13235550004", "sd");        // another tree entirely
    join("+13235550005", "la-east");
    join("+13235550005", "la");        // in two regions of the audience: still one text
    join("+13235550006", "la-east");
    pqxx::work tx(conn_);
    intake::opt_out(tx, *ctx_, PhoneNumber{"+13235550006"}, "opt_out");
    tx.commit();
  }
};

TEST_F(ResponderFlow, ConfirmedReportReachesExactlyTheRegionTree) {
  const auto filed = file("two ICE vans on Whittier", "la-east");
  EXPECT_EQ(filed.operators_notified, 2) << "Ana covers la, Beto la-east; Cruz (sd) is not paged";

  const auto d = confirm("Beto", filed.code);
  ASSERT_EQ(d.outcome, Outcome::alert_created);
  EXPECT_EQ(materialize(d.alert_id, 2), 3);
  EXPECT_EQ(recipients(d.alert_id),
            (std::multiset<std::string>{"+13235550001", "+13235550002", "+13235550005"}));
}

TEST_F(ResponderFlow, AlertForAParentReachesEveryRegionBelowIt) {
  const auto d = confirm("Ana", file("checkpoint on the 710", "la").code);
  ASSERT_EQ(d.outcome, Outcome::alert_created);
  materialize(d.alert_id, 1000);
  EXPECT_EQ(recipients(d.alert_id), (std::multiset<std::string>{"+13235550001", "+13235550002",
                                                                "+13235550003", "+13235550005"}));
}

TEST_F(ResponderFlow, QuorumCountsDistinctOperators) {
  config_.verification.confirmations_required = 2;
  reload();
  const auto filed = file("agents at the school gate", "la-east");
  auto d = confirm("Beto", filed.code);
  EXPECT_EQ(d.outcome, Outcome::confirmation_recorded);
  EXPECT_EQ(d.confirmations, 1);
  EXPECT_EQ(d.required, 2);
  d = confirm("Beto", filed.code);
  EXPECT_EQ(d.outcome, Outcome::confirmation_recorded) << "the same operator twice is one confirmation";
  EXPECT_EQ(d.confirmations, 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts"), 0);
  d = confirm("Ana", filed.code);
  EXPECT_EQ(d.outcome, Outcome::alert_created);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts"), 1);
  EXPECT_EQ(confirm("Ana", filed.code).outcome, Outcome::already_decided);
}

TEST_F(ResponderFlow, OperatorsActOnlyInTheirRegions) {
  const auto filed = file("raid at the car wash", "la-east");
  EXPECT_EQ(confirm("Cruz", filed.code).outcome, Outcome::not_your_region);
  EXPECT_EQ(confirm("Ana", "NOSUCH").outcome, Outcome::unknown_report);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts"), 0);
}

TEST_F(ResponderFlow, RejectionClosesTheReportWithoutAnAlert) {
  const auto filed = file("prank", "la-east");
  pqxx::work tx(conn_);
  const auto d = queue::reject_report(tx, *ctx_, {op("Beto"), "sms"}, filed.code, "not confirmed on site");
  tx.commit();
  EXPECT_EQ(d.outcome, Outcome::rejected);
  EXPECT_EQ(confirm("Ana", filed.code).outcome, Outcome::already_decided);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts"), 0);
}

TEST_F(ResponderFlow, UnknownRegionGoesToTheTopAndNeedsARegionToConfirm) {
  const auto filed = file("somewhere downtown", "");
  EXPECT_EQ(filed.operators_notified, 2) << "the operators of both roots: Ana (la) and Cruz (sd)";
  EXPECT_EQ(confirm("Beto", filed.code).outcome, Outcome::not_your_region);
  EXPECT_EQ(confirm("Ana", filed.code, "").outcome, Outcome::needs_region);
  EXPECT_EQ(confirm("Cruz", filed.code, "la-east").outcome, Outcome::not_your_region);
  const auto d = confirm("Ana", filed.code, "la-south");
  ASSERT_EQ(d.outcome, Outcome::alert_created);
  EXPECT_EQ(d.region_id, "la-south");
  materialize(d.alert_id);
  EXPECT_EQ(recipients(d.alert_id),
            (std::multiset<std::string>{"+13235550002", "+13235550003", "+13235550005"}));
}

TEST_F(ResponderFlow, EveryStepIsAudited) {
  const auto filed = file("vans", "la-east");
  confirm("Beto", filed.code);
  pqxx::read_transaction tx(conn_);
  std::vector<std::string> actions;
  for (const auto& row : tx.exec_params(
           "SELECT action || ':' || actor FROM report_actions WHERE report_id = $1 ORDER BY id", filed.id))
    actions.push_back(row[0].as<std::string>());
  EXPECT_EQ(actions, (std::vector<std::string>{"received:web_form", "notified:system", "confirmed:operator:Beto",
                                               "alert_created:system"}));
}

TEST_F(ResponderFlow, TimelineShowsTheAuditTrailToOperatorsOfTheRegion) {
  const auto filed = file("vans by the clinic", "la-east");
  const auto d = confirm("Beto", filed.code, "", "vans at the clinic");
  pqxx::read_transaction tx(conn_);
  const auto t = queue::report_timeline(tx, *ctx_, op("Ana"), filed.code);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->report.text, "vans by the clinic") << "operators verify against the reporter's words";
  EXPECT_EQ(t->report.status, "confirmed");
  EXPECT_EQ(t->alert_id, d.alert_id);
  ASSERT_EQ(t->actions.size(), 4u);
  EXPECT_EQ(t->actions[2].action, "confirmed");
  EXPECT_EQ(t->actions[2].actor, "operator:Beto");
  EXPECT_EQ(t->actions[2].detail, "vans at the clinic");
  EXPECT_FALSE(queue::report_timeline(tx, *ctx_, op("Cruz"), filed.code)) << "outside Cruz's regions";
  EXPECT_FALSE(queue::report_timeline(tx, *ctx_, op("Ana"), "NOSUCH"));
}

TEST_F(ResponderFlow, NotificationsAreQueuedEncrypted) {
  file("the reporter's own words 555-0199", "la-east");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE status = 'queued'"), 2);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE position('555-0199'::bytea in body_enc) > 0"), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE position('555-0199'::bytea in text_enc) > 0"), 0);
}

TEST_F(ResponderFlow, AlertTextUsesTheSummaryNeverTheReportText) {
  const auto d = confirm("Beto", file("my neighbor Juan was taken", "la-east").code, "", "agents seen at 3rd St");
  materialize(d.alert_id);
  const auto texts = fanout::claim_texts(conn_, *ctx_, {"console", "+12135550100", 100}).texts;
  int alerts = 0;
  for (const auto& t : texts) {
    if (t.kind != fanout::TextKind::delivery) continue;
    ++alerts;
    EXPECT_NE(t.body.find("agents seen at 3rd St"), std::string::npos) << t.body;
    EXPECT_EQ(t.body.find("Juan"), std::string::npos) << t.body;
    EXPECT_EQ(t.body.rfind("en:alert", 0), 0u) << t.body;
  }
  EXPECT_EQ(alerts, 3);
}

}  // namespace
}  // namespace centinela::testing

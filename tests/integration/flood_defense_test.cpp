// Flood defense on PostgreSQL with a manual clock: over a limit a report is stored, listed for
// operators and audited, but pages no one, and the sender's reply never changes.
#include <algorithm>

#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

constexpr auto ten_minutes = std::chrono::minutes{10};
const std::string normal_reply = "en:report_received";

class FloodDefense : public DispatcherTest {
 protected:
  void SetUp() override {
    // Only the rule a test is about is tight; the others stay out of its way.
    config_.flood.per_sender = {0, ten_minutes};
    config_.flood.per_region = {0, ten_minutes};
    config_.flood.low_trust_rejections = 0;
    config_.flood.burst = {ten_minutes, 1000, 1000};
    reload();
  }

  std::string report(const std::string& from, const std::string& text = "ICE vans at 90022 now") {
    return intake::apply_inbound_sms(conn_, *ctx_, "console", sms("SM" + std::to_string(++sid_), from, text)).reply;
  }

  long long pages() { return db_.scalar("SELECT count(*) FROM outbox WHERE kind = 'operator_new_report'"); }
  // Reports the guard let through to the operators: each pages the region's operators, or joins
  // the open incident of its area (which then pages no one again: see queue/incident.hpp).
  long long let_through() { return db_.scalar("SELECT count(*) FROM reports WHERE NOT quarantined"); }
  long long quarantined(const std::string& reason) {
    return db_.scalar("SELECT count(*) FROM reports r JOIN report_actions a ON a.report_id = r.id "
                      "WHERE r.quarantined AND r.quarantine_reason = '" + reason +
                      "' AND a.action = 'quarantined' AND a.actor = 'system' AND a.detail LIKE '" + reason + "%'");
  }
  std::string last_code() { return db_.scalar<std::string>("SELECT code FROM reports ORDER BY id DESC LIMIT 1"); }

  std::vector<queue::ReportView> pending(const std::string& op_name) {
    pqxx::read_transaction tx(conn_);
    return queue::list_reports(tx, *ctx_, op(op_name), "pending", 1000);
  }

  int sid_ = 0;
};

TEST_F(FloodDefense, PerSenderLimitQuarantinesQuietlyUntilTheWindowPasses) {
  config_.flood.per_sender = {3, ten_minutes};
  reload();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(report("+13235559001"), normal_reply);
  EXPECT_EQ(let_through(), 3);
  EXPECT_EQ(report("+13235559001"), normal_reply) << "an attacker learns nothing from the reply";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports"), 4) << "nothing acknowledged is lost";
  EXPECT_EQ(let_through(), 3);
  EXPECT_EQ(quarantined("sender_rate_limit"), 1);
  EXPECT_EQ(report("+13235559002"), normal_reply);
  EXPECT_EQ(let_through(), 4) << "another number is not held back";

  clock_.advance(ten_minutes + std::chrono::seconds{1});
  EXPECT_EQ(report("+13235559001"), normal_reply);
  EXPECT_EQ(let_through(), 5) << "the window passed: the sender pages again";
}

TEST_F(FloodDefense, PerRegionLimitCountsPagesPerRegion) {
  config_.flood.per_region = {2, ten_minutes};
  reload();
  file("vans on Whittier", "la-east");
  file("vans on Atlantic", "la-east");
  const auto third = file("vans on Olympic", "la-east");
  EXPECT_TRUE(third.quarantined);
  EXPECT_EQ(third.operators_notified, 0);
  EXPECT_EQ(quarantined("region_rate_limit"), 1);
  EXPECT_FALSE(file("checkpoint downtown", "sd").quarantined) << "each region has its own budget";
  EXPECT_TRUE(file("more vans", "la-east").quarantined) << "quarantined reports do not free the budget";

  clock_.advance(ten_minutes + std::chrono::seconds{1});
  EXPECT_FALSE(file("vans again", "la-east").quarantined) << "the window passed";
}

TEST_F(FloodDefense, BlocklistedNumberIsQuarantinedButOperatorsCanStillConfirm) {
  config_.flood.blocklist = {"+13235559666"};
  reload();
  EXPECT_EQ(report("+13235559666"), normal_reply);
  EXPECT_EQ(pages(), 0);
  EXPECT_EQ(quarantined("blocklist"), 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE kind = 'reply' AND priority = 2"), 1)
      << "the reply is queued as for any report: an attacker learns nothing";
  const auto listed = pending("Beto");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].quarantined);
  EXPECT_EQ(listed[0].quarantine_reason, "blocklist");
  // Quarantine delays verification, it never replaces it: an operator may still confirm.
  const auto d = confirm("Beto", listed[0].code);
  EXPECT_EQ(d.outcome, queue::Outcome::alert_created);
}

TEST_F(FloodDefense, ReporterWithOnlyRejectedReportsIsQuarantined) {
  config_.flood.low_trust_rejections = 2;
  reload();
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(report("+13235559003"), normal_reply);
    pqxx::work tx(conn_);
    queue::reject_report(tx, *ctx_, {op("Beto"), "api"}, last_code(), "prank");
    tx.commit();
  }
  EXPECT_EQ(let_through(), 2);
  EXPECT_EQ(report("+13235559003"), normal_reply);
  EXPECT_EQ(let_through(), 2);
  EXPECT_EQ(quarantined("low_trust"), 1);

  // One confirmed report redeems the reporter: they were right once.
  confirm("Beto", last_code());
  EXPECT_EQ(report("+13235559003"), normal_reply);
  EXPECT_EQ(let_through(), 3);
}

TEST_F(FloodDefense, FloodOfNewNumbersPagesOperatorsAtMostTheCap) {
  config_.flood.burst = {ten_minutes, 20, 5};
  reload();
  join("+13235550001", "la-east");  // a member: not a new number
  for (int i = 0; i < 500; ++i) {
    ASSERT_EQ(report("+1323600" + std::to_string(1000 + i)), normal_reply);
    clock_.advance(std::chrono::seconds{1});
  }
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports"), 500) << "every report is kept";
  EXPECT_EQ(let_through(), 5);
  EXPECT_EQ(pages(), 2) << "one incident: its first report pages Ana and Beto, the four after it join it";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE kind IN ('operator_new_report', 'operator_incident_report')"),
            10)
      << "every text an operator gets about the flood: 5 reports (the cap) x Ana and Beto";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE kind = 'reply' AND priority = 2"), 500)
      << "every reporter is answered, behind alerts and operator texts";
  EXPECT_EQ(quarantined("flood_page_cap"), 495);
  EXPECT_EQ(db_.scalar("SELECT count(DISTINCT flood_group) FROM reports"), 1) << "one flood";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE flood_group IS NULL"), 0)
      << "the numbers that led up to the burst are grouped too";

  const auto listed = pending("Beto");
  ASSERT_EQ(listed.size(), 500u) << "operators still see every report";
  EXPECT_EQ(std::count_if(listed.begin(), listed.end(), [](const auto& r) { return r.quarantined; }), 495);

  EXPECT_EQ(report("+13235550001"), normal_reply);
  EXPECT_EQ(let_through(), 6) << "a member's report is not held by the new-number cap";

  clock_.advance(ten_minutes);
  EXPECT_EQ(report("+13236009999"), normal_reply);
  EXPECT_EQ(let_through(), 7) << "the window passed: a new number pages again";
}

TEST_F(FloodDefense, OperatorsFilingBySmsAreNeverQuarantined) {
  config_.flood.blocklist = {"+12135550102"};  // even listed by mistake
  config_.flood.per_sender = {1, ten_minutes};
  reload();
  intake::apply_inbound_sms(conn_, *ctx_, "console", sms("SMop1", "+12135550102", "REPORT vans at 90022"));
  intake::apply_inbound_sms(conn_, *ctx_, "console", sms("SMop2", "+12135550102", "REPORT vans at 90022"));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE quarantined"), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE kind = 'reply' AND priority = 0"), 2)
      << "an operator's acknowledgement is operator-class";
}

}  // namespace
}  // namespace centinela::testing

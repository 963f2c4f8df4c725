// {time} in the texts members get, through the real claim path: the local time of the alert's
// region (its zone inherited from a parent, else the top-level one) with the zone's abbreviation.
#include "dispatcher/alerts/followup.hpp"
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

class AlertTime : public DispatcherTest {
 protected:
  // The fixture's clock starts at 2026-11-26 10:00 UTC: 02:00 PST at the top level
  // (America/Los_Angeles), 04:00 CST in la and so in la-east, which sets no zone of its own.
  void SetUp() override {
    config_.regions.at(0).time_zone = "America/Chicago";
    reload();
  }

  std::vector<std::string> member_texts() {
    std::vector<std::string> out;
    for (const auto& t : fanout::claim_texts(conn_, *ctx_, {"console", "+12135550100", 50}).texts)
      if (t.kind == fanout::TextKind::delivery) out.push_back(t.body);
    return out;
  }
};

TEST_F(AlertTime, AlertTextShowsTheRegionsLocalTimeWithItsZoneAbbreviation) {
  join("+13235550001", "la-east");
  const auto d = confirm("Beto", file("vans", "la-east").code);
  materialize(d.alert_id);
  EXPECT_EQ(member_texts(), std::vector<std::string>{"en:alert East LA 04:00 CST vans at the corner"});
}

TEST_F(AlertTime, AlertOfARegionWithNoZoneAboveItShowsTheTopLevelZone) {
  join("+16195550001", "sd");
  const auto d = confirm("Cruz", file("checkpoint", "sd").code);
  materialize(d.alert_id);
  EXPECT_EQ(member_texts(), std::vector<std::string>{"en:alert San Diego 02:00 PST vans at the corner"});
}

TEST_F(AlertTime, UpdateTextShowsTheTimeOfTheUpdate) {
  join("+13235550001", "la-east");
  const auto d = confirm("Beto", file("vans", "la-east").code);
  materialize(d.alert_id);
  ASSERT_EQ(member_texts().size(), 1u);
  clock_.advance(std::chrono::minutes{95});
  pqxx::work tx(conn_);
  tx.exec("UPDATE deliveries SET status = 'sent'");  // the original reached them
  const auto update = alerts::send_follow_up(tx, *ctx_, op("Beto"), "api", d.alert_id,
                                             alerts::FollowUpKind::update, "two vans left");
  tx.commit();
  ASSERT_EQ(update.outcome, alerts::FollowUpOutcome::sent);
  materialize(update.alert_id);
  EXPECT_EQ(member_texts(), std::vector<std::string>{"en:alert_update East LA 05:35 CST two vans left"});
}

}  // namespace
}  // namespace centinela::testing

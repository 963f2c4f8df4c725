// Members manage themselves by SMS: double opt-in (a JOIN waits for YES within the window), LEAVE
// of one region, language changes. Real PostgreSQL, a manual clock, the webhook's transaction.
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

constexpr const char* ana = "+13235550001";
constexpr const char* ben = "+13235550002";

class MemberLifecycle : public DispatcherTest {
 protected:
  intake::InboundResult receive(const std::string& from, const std::string& body) {
    return intake::apply_inbound_sms(conn_, *ctx_, "console", sms("SM" + std::to_string(++sid_), from, body));
  }
  std::int64_t alert_for_la_east() {
    clock_.advance(config_.incidents.window + std::chrono::seconds{1});  // a new raid, not the last one again
    const auto d = confirm("Beto", file("vans", "la-east").code);
    materialize(d.alert_id);
    return d.alert_id;
  }
  // The bodies of the replies queued for `phone`, oldest first; each must be routine (priority 2).
  std::vector<std::string> replies_to(const std::string& phone) {
    pqxx::read_transaction tx(conn_);
    std::vector<std::string> out;
    for (const auto& row : tx.exec("SELECT to_enc, body_enc, priority FROM outbox WHERE kind = 'reply' ORDER BY id")) {
      if (*cipher_.decrypt(storage::bytes_of(row[0])) != phone) continue;
      EXPECT_EQ(row[2].as<int>(), 2) << "a reply to a member waits behind alerts";
      out.push_back(*cipher_.decrypt(storage::bytes_of(row[1])));
    }
    return out;
  }
  long long events(const std::string& event) {
    return db_.scalar("SELECT count(*) FROM consent_events WHERE event = '" + event + "'");
  }
  int sid_ = 0;
};

TEST_F(MemberLifecycle, PendingMemberGetsNoAlertUntilTheyReplyYes) {
  EXPECT_EQ(receive(ana, "JOIN EASTLA").reply, "en:join_confirm_request East LA");
  EXPECT_EQ(receive(ben, "JOIN EASTLA").reply, "en:join_confirm_request East LA");
  EXPECT_EQ(receive(ben, "yes").reply, "en:join_ok East LA");
  EXPECT_EQ(db_.scalar<std::string>("SELECT status FROM subscribers ORDER BY id LIMIT 1"), "pending");

  const auto first = alert_for_la_east();
  EXPECT_EQ(recipients(first), (std::multiset<std::string>{ben})) << "a pending number is never texted";

  EXPECT_EQ(receive(ana, "YES").reply, "en:join_ok East LA");
  const auto second = alert_for_la_east();
  EXPECT_EQ(recipients(second), (std::multiset<std::string>{ana, ben}));
  EXPECT_EQ(events("join_requested"), 2);
  EXPECT_EQ(events("join_confirmed"), 2);
  EXPECT_EQ(replies_to(ana), (std::vector<std::string>{"en:join_confirm_request East LA", "en:join_ok East LA"}));
}

TEST_F(MemberLifecycle, LateYesGetsAClearReplyAndSubscribesNothing) {
  receive(ana, "JOIN SOUTHLA es");
  clock_.advance(std::chrono::hours{24} + std::chrono::seconds{1});  // the default window
  EXPECT_EQ(receive(ana, "SI").reply, "es:join_expired South LA SOUTHLA");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM subscriptions"), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM pending_joins"), 0);
  EXPECT_EQ(receive(ana, "YES").reply.rfind("es:help", 0), 0u) << "nothing is pending any more";
  // Asking again starts a new window, and a YES inside it works.
  receive(ana, "JOIN SOUTHLA");
  clock_.advance(std::chrono::hours{23});
  EXPECT_EQ(receive(ana, "YES").reply, "es:join_ok South LA");
}

TEST_F(MemberLifecycle, ConfiguredWindowApplies) {
  config_.members.join_confirmation_window = std::chrono::minutes{10};
  reload();
  receive(ana, "JOIN EASTLA");
  clock_.advance(std::chrono::minutes{11});
  EXPECT_EQ(receive(ana, "YES").reply, "en:join_expired East LA EASTLA");
}

TEST_F(MemberLifecycle, StopWhilePendingCancelsTheJoin) {
  receive(ana, "JOIN EASTLA");
  EXPECT_EQ(receive(ana, "STOP").reply, "en:stop_ok");
  EXPECT_EQ(receive(ana, "YES").reply, "en:start_ok") << "YES after STOP is a carrier opt-in word";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM subscriptions"), 0) << "but the cancelled JOIN stays cancelled";
  EXPECT_EQ(recipients(alert_for_la_east()), std::multiset<std::string>{});
}

TEST_F(MemberLifecycle, RejoinAfterStopNeedsYesAndStartsOver) {
  join(ana, "la-east");
  join(ana, "la-south");
  receive(ana, "STOP");
  EXPECT_EQ(receive(ana, "JOIN EASTLA").reply, "en:join_confirm_request East LA");
  EXPECT_EQ(recipients(alert_for_la_east()), std::multiset<std::string>{}) << "still opted out until YES";
  EXPECT_EQ(receive(ana, "YES").reply, "en:join_ok East LA");
  pqxx::read_transaction tx(conn_);
  EXPECT_EQ(intake::find_member(tx, *ctx_, PhoneNumber{ana})->regions, std::vector<std::string>{"la-east"});
}

TEST_F(MemberLifecycle, LeaveOneRegionThenTheLast) {
  join(ana, "la-east");
  join(ana, "la-south");
  EXPECT_EQ(receive(ana, "LEAVE SOUTHLA").reply, "en:leave_ok South LA East LA");
  EXPECT_EQ(receive(ana, "leave southla").reply, "en:leave_not_member South LA");
  EXPECT_EQ(receive(ana, "LEAVE").reply.rfind("en:leave_unknown_region", 0), 0u);
  EXPECT_EQ(receive(ana, "SALIR ELA").reply, "en:leave_ok_last East LA");
  EXPECT_EQ(db_.scalar<std::string>("SELECT status FROM subscribers"), "active")
      << "leaving the last region is not an opt-out";
  EXPECT_EQ(events("leave"), 2);
  EXPECT_EQ(events("opt_out"), 0);
  EXPECT_EQ(recipients(alert_for_la_east()), std::multiset<std::string>{});
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports"), 1) << "only the test's own report";
}

TEST_F(MemberLifecycle, LanguageChangeIsConfirmedInTheNewLanguage) {
  join(ana, "la-east");
  EXPECT_EQ(receive(ana, "Español").reply, "es:language_ok");
  EXPECT_EQ(receive(ana, "HELP").reply.rfind("es:help", 0), 0u);
  EXPECT_EQ(receive(ana, "english").reply, "en:language_ok");
  EXPECT_EQ(db_.scalar<std::string>("SELECT string_agg(detail, ',' ORDER BY id) FROM consent_events "
                                    "WHERE event = 'language'"),
            "es,en");
  EXPECT_EQ(receive(ben, "ES").reply.rfind("es:help", 0), 0u) << "a stranger gets help in that language";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM subscribers"), 1) << "and is not stored";
  ASSERT_EQ(replies_to(ben).size(), 1u) << "but is answered";
  EXPECT_EQ(replies_to(ben)[0].rfind("es:help", 0), 0u);
}

}  // namespace
}  // namespace centinela::testing

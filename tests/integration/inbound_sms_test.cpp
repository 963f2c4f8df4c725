// Inbound texts applied through the same transaction the webhook commits before its 2xx.
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

class InboundSms : public DispatcherTest {
 protected:
  intake::InboundResult receive(const std::string& id, const std::string& from, const std::string& body) {
    return intake::apply_inbound_sms(conn_, *ctx_, "console", sms(id, from, body));
  }

  // The replies waiting in the outbox, oldest first, as "to|body|priority".
  std::vector<std::string> queued_replies() {
    pqxx::read_transaction tx(conn_);
    std::vector<std::string> out;
    for (const auto& row : tx.exec("SELECT to_enc, body_enc, priority FROM outbox WHERE kind = 'reply' ORDER BY id"))
      out.push_back(*cipher_.decrypt(storage::bytes_of(row[0])) + "|" + *cipher_.decrypt(storage::bytes_of(row[1])) +
                    "|" + row[2].as<std::string>());
    return out;
  }
};

TEST_F(InboundSms, RetriedWebhookIsAppliedOnceWithTheSameReply) {
  const auto first = receive("SM1", "+13235559999", "ICE vans at 90022 now");
  const auto retry = receive("SM1", "+13235559999", "ICE vans at 90022 now");
  EXPECT_FALSE(first.duplicate);
  EXPECT_TRUE(retry.duplicate);
  EXPECT_EQ(first.reply, retry.reply);
  EXPECT_EQ(first.reply, "en:report_received");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports"), 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE kind = 'operator_new_report'"), 2)
      << "operators paged once, not twice";
  EXPECT_TRUE(first.texts_queued);
  EXPECT_FALSE(retry.texts_queued);
  EXPECT_EQ(queued_replies(), std::vector<std::string>{"+13235559999|en:report_received|2"})
      << "one routine reply, not one per delivery of the webhook";
  EXPECT_EQ(db_.scalar<std::string>("SELECT region_id FROM reports"), "la-east") << "from the ZIP code";
}

TEST_F(InboundSms, RepliesLeaveThroughTheOutboxOperatorsFirst) {
  const auto member = receive("SM1", "+13235550001", "JOIN EASTLA");
  const auto op = receive("SM2", "+12135550102", "what do I do?");
  EXPECT_TRUE(member.texts_queued) << "the fan-out is woken for the reply";
  EXPECT_TRUE(op.texts_queued);
  receive("SM2", "+12135550102", "what do I do?");  // the provider retries the operator's webhook
  EXPECT_EQ(queued_replies(), (std::vector<std::string>{"+13235550001|en:join_confirm_request East LA|2",
                                                        "+12135550102|en:operator_help|0"}))
      << "routine for members (2), operator-class for operators (0), once each";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE kind = 'reply' AND report_id IS NOT NULL"), 0);
}

TEST_F(InboundSms, NoReplyQueuesNothing) {
  receive("SM1", "+13235550001", "STOP");
  const auto again = receive("SM2", "+13235550001", "STOP");
  EXPECT_EQ(again.reply, "") << "already opted out: no second confirmation";
  EXPECT_FALSE(again.texts_queued);
  EXPECT_EQ(queued_replies(), std::vector<std::string>{"+13235550001|en:stop_ok|0"})
      << "the opt-out confirmation is urgent: it never waits behind an alert";
}

TEST_F(InboundSms, AReplyLeavesFromTheNumberThatWasTexted) {
  config_.providers[0].senders.push_back({"+12135550199", 1000.0});
  reload();
  intake::apply_inbound_sms(conn_, *ctx_, "console",
                            {"SM1", PhoneNumber{"+13235550001"}, PhoneNumber{"+12135550199"}, "HELP"});
  EXPECT_EQ(db_.scalar<std::string>("SELECT from_number FROM outbox WHERE kind = 'reply'"), "+12135550199");
  const auto claim = [&](const std::string& sender) {
    return fanout::claim_texts(conn_, *ctx_, {"console", sender, 10}).texts.size();
  };
  EXPECT_EQ(claim("+12135550100"), 0u) << "another sending number never answers it";
  EXPECT_EQ(claim("+12135550199"), 1u);
}

TEST_F(InboundSms, JoinInAChosenLanguage) {
  EXPECT_EQ(receive("SM1", "+13235550001", "join eastla es").reply, "es:join_confirm_request East LA");
  EXPECT_EQ(receive("SM2", "+13235550001", "Sí").reply, "es:join_ok East LA");
  EXPECT_EQ(receive("SM3", "+13235550001", "JOIN SOUTHLA").reply, "es:join_ok South LA")
      << "a confirmed member adds a region at once, in the language they chose";
  pqxx::read_transaction tx(conn_);
  const auto m = intake::find_member(tx, *ctx_, PhoneNumber{"+13235550001"});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->language, "es");
  EXPECT_EQ(m->regions, (std::vector<std::string>{"la-east", "la-south"}));
}

TEST_F(InboundSms, NearMissesGetTheKeywordsNotAReport) {
  EXPECT_EQ(receive("SM1", "+13235550001", "JION EASTLA").reply.rfind("en:join_unknown_region", 0), 0u);
  EXPECT_EQ(receive("SM2", "+13235550001", "JOIN NOWHERE").reply.rfind("en:join_unknown_region", 0), 0u);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports"), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM subscribers"), 0);
}

TEST_F(InboundSms, StopIsHonoredAtOnceAndDropsQueuedTexts) {
  receive("SM1", "+13235550001", "JOIN EASTLA");
  receive("SM1b", "+13235550001", "YES");
  const auto d = confirm("Beto", file("vans", "la-east").code);
  materialize(d.alert_id);
  EXPECT_EQ(receive("SM2", "+13235550001", "Alto.").reply, "en:stop_ok");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM deliveries WHERE status = 'queued'"), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM consent_events WHERE event = 'opt_out'"), 1);
  EXPECT_EQ(receive("SM3", "+13235550001", "START").reply, "en:start_ok");
  EXPECT_EQ(db_.scalar<std::string>("SELECT status FROM subscribers"), "active");
}

TEST_F(InboundSms, ReportFromAMemberOfOneRegionLandsThere) {
  receive("SM1", "+13235550001", "JOIN SOUTHLA");
  receive("SM1b", "+13235550001", "YES");
  receive("SM2", "+13235550001", "they are knocking on doors on my street");
  EXPECT_EQ(db_.scalar<std::string>("SELECT region_id FROM reports"), "la-south");
}

TEST_F(InboundSms, OperatorConfirmsBySms) {
  join("+13235550001", "la-east");
  const auto filed = file("vans", "la-east");
  const auto r = receive("SM1", "+12135550102", "yes " + filed.code + " two vans at Whittier & Atlantic");
  EXPECT_TRUE(r.alert_created);
  EXPECT_EQ(r.reply, "en:operator_alert_sent " + filed.code + " East LA 1") << "the region and its member count";
  EXPECT_EQ(queued_replies(),
            std::vector<std::string>{"+12135550102|en:operator_alert_sent " + filed.code + " East LA 1|0"});
  EXPECT_EQ(alert_words(), "two vans at Whittier & Atlantic");
  EXPECT_EQ(db_.scalar<std::string>("SELECT actor FROM report_actions WHERE action = 'confirmed'"),
            "operator:Beto");
}

TEST_F(InboundSms, OperatorSetsTheRegionOfAnUnplacedReport) {
  const auto filed = file("somewhere", "");
  EXPECT_EQ(receive("SM1", "+12135550101", "YES " + filed.code).reply.rfind("en:operator_needs_region", 0), 0u);
  const auto r = receive("SM2", "+12135550101", "YES " + filed.code + " SOUTHLA agents at the swap meet");
  EXPECT_TRUE(r.alert_created);
  EXPECT_EQ(db_.scalar<std::string>("SELECT region_id FROM alerts"), "la-south");
  EXPECT_EQ(alert_words(), "agents at the swap meet");
}

TEST_F(InboundSms, ARegionKeywordInTheWordsNeverMovesAPlacedReport) {
  join("+13235550001", "la-east");
  const auto filed = file("vans", "la-east");
  // "Southla" is also a street sign here: the words are for members, not a move.
  const auto r = receive("SM1", "+12135550101", "YES " + filed.code + " SOUTHLA market and 3rd, two vans");
  EXPECT_TRUE(r.alert_created);
  EXPECT_EQ(db_.scalar<std::string>("SELECT region_id FROM alerts"), "la-east");
  EXPECT_EQ(db_.scalar<std::string>("SELECT region_id FROM reports"), "la-east");
  EXPECT_EQ(alert_words(), "SOUTHLA market and 3rd, two vans");
  EXPECT_EQ(r.reply, "en:operator_alert_sent " + filed.code + " East LA 1");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM report_actions WHERE action IN ('region_set', 'moved')"), 0);
}

TEST_F(InboundSms, TheReportsOwnRegionKeywordIsDroppedFromTheWords) {
  const auto filed = file("vans", "la-east");
  EXPECT_TRUE(receive("SM1", "+12135550101", "YES " + filed.code + " ELA two vans").alert_created);
  EXPECT_EQ(alert_words(), "two vans");
}

TEST_F(InboundSms, MoveIsItsOwnCommandAndConfirmsNothing) {
  join("+13235550001", "la-south");
  join("+13235550002", "la-south");
  const auto filed = file("vans", "la-east");
  const auto r = receive("SM1", "+12135550101", "MOVE " + filed.code + " SOUTHLA");
  EXPECT_EQ(r.reply, "en:operator_moved " + filed.code + " South LA 2 0");
  EXPECT_FALSE(r.alert_created);
  EXPECT_EQ(db_.scalar<std::string>("SELECT region_id FROM reports"), "la-south");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts"), 0);
  EXPECT_EQ(receive("SM2", "+12135550102", "MOVER " + filed.code + " ELA").reply,
            "en:operator_not_your_region " + filed.code)
      << "Beto covers East LA only: the report is South LA's now";
  EXPECT_EQ(receive("SM3", "+12135550101", "MOVE " + filed.code + " NOWHERE").reply.rfind("en:operator_unknown_region", 0),
            0u);
}

TEST_F(InboundSms, OperatorRejectsAndGetsHelpForAnythingElse) {
  const auto filed = file("vans", "la-east");
  EXPECT_EQ(receive("SM1", "+12135550102", "NO " + filed.code + " false alarm").reply,
            "en:operator_rejected " + filed.code);
  EXPECT_EQ(receive("SM2", "+12135550102", "what do I do?").reply, "en:operator_help");
  EXPECT_EQ(receive("SM3", "+12135550102", "YES ZZZZZ").reply, "en:operator_unknown_report ZZZZZ");
}

}  // namespace
}  // namespace centinela::testing

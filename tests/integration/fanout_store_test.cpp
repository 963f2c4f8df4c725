// The delivery state machine on PostgreSQL: claim (committed before sending), results, retries,
// crash recovery, expiry and receipts.
#include "dispatcher/fanout/next_step.hpp"
#include "dispatcher/storage/outbox.hpp"
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

using fanout::SendResult;
using fanout::TextKind;

class FanoutStore : public DispatcherTest {
 protected:
  void SetUp() override {
    for (int i = 0; i < 5; ++i) join("+1323555000" + std::to_string(i), "la-east");
    const auto d = confirm("Beto", file("vans", "la-east").code);
    alert_ = d.alert_id;
    materialize(alert_);
    // The operator notifications of the report are not what these tests are about.
    pqxx::work tx(conn_);
    tx.exec("DELETE FROM outbox");
    tx.commit();
  }

  std::vector<fanout::OutgoingText> claim(int limit) {
    return fanout::claim_texts(conn_, *ctx_, {"console", "+12135550100", limit}).texts;
  }

  long long count(const std::string& status) {
    return db_.scalar("SELECT count(*) FROM deliveries WHERE status = '" + status + "'");
  }

  std::int64_t alert_ = 0;
};

TEST_F(FanoutStore, ClaimIsDurableBeforeSending) {
  const auto texts = claim(3);
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(count("sending"), 3);
  EXPECT_EQ(count("queued"), 2);
  for (const auto& t : texts) {
    EXPECT_EQ(t.attempts, 1);
    EXPECT_EQ(t.expires_at - clock_.now(), std::chrono::hours{2}) << "the alert's remaining life";
  }
}

TEST_F(FanoutStore, CrashLeavesOnlyInFlightTextsInDoubt) {
  claim(2);  // the process dies here, with two texts maybe at the provider
  const auto counts = fanout::requeue_in_doubt(conn_);
  EXPECT_EQ(counts.deliveries_in_doubt, 2);
  EXPECT_EQ(count("queued"), 5);
  const auto summary = fanout::alert_summary(conn_, alert_);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->possible_duplicates, 2);
  EXPECT_EQ(claim(10).size(), 5u) << "nothing is lost: all five go out";
}

TEST_F(FanoutStore, TextsLostInARunningProcessComeBackAfterTheStaleWindow) {
  claim(2);  // their record never comes (it gave up, or the lane died)
  clock_.advance(std::chrono::minutes{2});
  EXPECT_EQ(fanout::requeue_stale(conn_, clock_.now() - std::chrono::minutes{5}), 0)
      << "a send still within the window may be going on";
  clock_.advance(std::chrono::minutes{4});
  EXPECT_EQ(fanout::requeue_stale(conn_, clock_.now() - std::chrono::minutes{5}), 2);
  EXPECT_EQ(count("queued"), 5);
  EXPECT_EQ(fanout::alert_summary(conn_, alert_)->possible_duplicates, 2);
}

TEST_F(FanoutStore, AnOperatorPageLostInARunningProcessComesBackToo) {
  {
    pqxx::work tx(conn_);
    storage::enqueue_text(tx, *ctx_, {"operator_new_report", 0, PhoneNumber{"+12135550101"}, "page"});
    tx.commit();
  }
  const auto page = claim(1);
  ASSERT_EQ(page.size(), 1u);
  ASSERT_EQ(page[0].kind, fanout::TextKind::outbox) << "operator texts are claimed first";
  clock_.advance(std::chrono::minutes{6});
  EXPECT_EQ(fanout::requeue_stale(conn_, clock_.now() - std::chrono::minutes{5}), 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE status = 'queued' AND possible_duplicate"), 1)
      << "queued again for the running service, not only at the next restart";
}

TEST_F(FanoutStore, ARetryAfterALostAnswerIsCountedAsAPossibleDuplicate) {
  const auto texts = claim(1);
  providers::SendOutcome timeout{providers::SendClass::retryable};
  timeout.maybe_delivered = true;  // the request went out; the answer never came
  fanout::record_results(conn_, *ctx_, "console", {fanout::next_step(texts[0], timeout, {}, clock_.now(), 0.5)});
  EXPECT_EQ(count("queued"), 5);
  EXPECT_EQ(fanout::alert_summary(conn_, alert_)->possible_duplicates, 1);
}

TEST_F(FanoutStore, ResultsMoveTextsOnAndRetriesWaitTheirTurn) {
  const auto texts = claim(5);
  const fanout::RetryPolicy policy;
  std::vector<SendResult> results;
  results.push_back(fanout::next_step(texts[0], {providers::SendClass::accepted, "SM0"}, policy, clock_.now(), 0.5));
  results.push_back(fanout::next_step(texts[1], {providers::SendClass::retryable, "", 429}, policy, clock_.now(), 0.5));
  results.push_back(fanout::next_step(texts[2], {providers::SendClass::permanent, "", 21211}, policy, clock_.now(), 0.5));
  results.push_back(fanout::next_step(texts[3], {providers::SendClass::opted_out, "", 21610}, policy, clock_.now(), 0.5));
  results.push_back(fanout::next_step(texts[4], {providers::SendClass::accepted, "SM4"}, policy, clock_.now(), 0.5));
  fanout::record_results(conn_, *ctx_, "console", results);

  EXPECT_EQ(count("sent"), 2);
  EXPECT_EQ(count("failed"), 2);
  EXPECT_EQ(count("queued"), 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM subscribers WHERE status = 'opted_out'"), 1)
      << "the provider's opt-out (21610) is honored";
  EXPECT_TRUE(claim(10).empty()) << "the retry waits for its backoff";
  clock_.advance(std::chrono::seconds{3});
  const auto retried = claim(10);
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].attempts, 2);
}

TEST_F(FanoutStore, ExpiredAlertsAreNeverSentLate) {
  claim(1);
  clock_.advance(std::chrono::hours{2} + std::chrono::seconds{1});
  EXPECT_TRUE(claim(10).empty());
  EXPECT_EQ(fanout::expire_overdue(conn_, clock_.now()), 4);
  EXPECT_EQ(count("expired"), 4);
  EXPECT_EQ(count("sending"), 1) << "a text already handed over is not rewritten";
}

TEST_F(FanoutStore, ReceiptsOnlyMoveForwardEvenWhenTheyArriveFirst) {
  const auto texts = claim(1);
  // The carrier's receipt beats our own record of the send.
  fanout::apply_receipt(conn_, "console", {"SM-fast", providers::ReceiptState::delivered, 0}, clock_.now());
  fanout::record_results(conn_, *ctx_, "console",
                         {fanout::next_step(texts[0], {providers::SendClass::accepted, "SM-fast"}, {}, clock_.now(), 0.5)});
  EXPECT_EQ(count("delivered"), 1);
  fanout::apply_receipt(conn_, "console", {"SM-fast", providers::ReceiptState::sent, 0}, clock_.now());
  EXPECT_EQ(count("delivered"), 1) << "a late 'sent' must not overwrite 'delivered'";
}

TEST_F(FanoutStore, MembersWhoLeftAfterPlanningAreSkipped) {
  pqxx::work tx(conn_);
  intake::opt_out(tx, *ctx_, PhoneNumber{"+13235550000"}, "opt_out");
  tx.commit();
  EXPECT_EQ(count("failed"), 1) << "their queued text is dropped with the opt-out";
  EXPECT_EQ(claim(10).size(), 4u);
}

}  // namespace
}  // namespace centinela::testing

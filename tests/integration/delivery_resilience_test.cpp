// What keeps texts flowing when something is wrong: a row that does not decrypt fails alone,
// transient errors retry until the deadline, and live alerts share each sender fairly.
#include "dispatcher/fanout/next_step.hpp"
#include "dispatcher/storage/data_key_check.hpp"
#include "dispatcher/storage/outbox.hpp"
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

using fanout::NextState;
using fanout::TextKind;
using providers::SendClass;

constexpr const char* other_key = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

class DeliveryResilience : public DispatcherTest {
 protected:
  fanout::ClaimedBatch claim(int limit, std::int64_t rotate_after = 0) {
    return fanout::claim_texts(conn_, *ctx_, {"console", "+12135550100", limit, rotate_after});
  }
  void exec(const std::string& sql) {
    pqxx::work tx(conn_);
    tx.exec(sql);
    tx.commit();
  }
  std::int64_t alert_for(const std::string& region) {
    const auto id = confirm(region == "la-east" ? "Beto" : "Ana", file("vans", region).code).alert_id;
    materialize(id, 1000);
    exec("DELETE FROM outbox");
    return id;
  }
  long long count(const std::string& where) { return db_.scalar("SELECT count(*) FROM deliveries WHERE " + where); }
};

TEST_F(DeliveryResilience, ARowThatDoesNotDecryptFailsAloneAndEveryoneElseIsTexted) {
  for (int i = 0; i < 6; ++i) join("+1323555000" + std::to_string(i), "la-east");
  // One number is random bytes, another is sealed with a different key: both sort first.
  const storage::DataCipher stranger(other_key);
  {
    pqxx::work tx(conn_);
    tx.exec_params("UPDATE subscribers SET phone_enc = $1 WHERE id = (SELECT min(id) FROM subscribers)",
                   storage::bin(storage::Bytes(60, 0x5a)));
    tx.exec_params("UPDATE subscribers SET phone_enc = $1 WHERE id = (SELECT min(id) + 1 FROM subscribers)",
                   storage::bin(stranger.encrypt("+13235550001")));
    tx.commit();
  }
  const auto alert = alert_for("la-east");
  const auto batch = claim(10);
  EXPECT_EQ(batch.texts.size(), 4u) << "the other four members are claimed";
  EXPECT_EQ(batch.undecryptable, 2);
  EXPECT_EQ(count("status = 'failed' AND error = 'undecryptable'"), 2);
  EXPECT_TRUE(claim(10).texts.empty()) << "the bad rows never come first again";
  const auto summary = fanout::alert_summary(conn_, alert);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->by_status.at("failed"), 2);
  EXPECT_EQ(summary->undecryptable, 2);
}

TEST_F(DeliveryResilience, AnOutboxRowThatDoesNotDecryptFailsAlone) {
  {
    pqxx::work tx(conn_);
    storage::enqueue_text(tx, *ctx_, {"reply", 0, PhoneNumber{"+13235550001"}, "first"});
    storage::enqueue_text(tx, *ctx_, {"reply", 0, PhoneNumber{"+13235550002"}, "second"});
    tx.exec_params("UPDATE outbox SET to_enc = $1 WHERE id = (SELECT min(id) FROM outbox)",
                   storage::bin(storage::Bytes(40, 1)));
    tx.commit();
  }
  const auto batch = claim(10);
  ASSERT_EQ(batch.texts.size(), 1u);
  EXPECT_EQ(batch.texts[0].body, "second");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE status = 'failed' AND error = 'undecryptable'"), 1);
}

TEST_F(DeliveryResilience, TheDataKeyIsCheckedAgainstStoredData) {
  join("+13235550001", "la-east");
  EXPECT_EQ(storage::check_data_key(conn_, cipher_, clock_.now()), storage::DataKeyCheck::recorded)
      << "the first start with data records the key's check value";
  EXPECT_EQ(storage::check_data_key(conn_, cipher_, clock_.now()), storage::DataKeyCheck::matches);
  const storage::DataCipher wrong(other_key);
  EXPECT_EQ(storage::check_data_key(conn_, wrong, clock_.now()), storage::DataKeyCheck::wrong_key);
  exec("DELETE FROM data_key_check");
  EXPECT_EQ(storage::check_data_key(conn_, wrong, clock_.now()), storage::DataKeyCheck::wrong_key)
      << "a database served before the check value existed is judged by its ciphertexts";
}

TEST_F(DeliveryResilience, TransientFailuresRetryUntilTheAlertExpiresThenExpire) {
  join("+13235550001", "la-east");
  alert_for("la-east");
  const fanout::RetryPolicy policy;
  for (int round = 0; round < 40; ++round) {
    const auto texts = claim(5).texts;
    if (texts.empty()) {
      clock_.advance(policy.max_backoff);
      continue;
    }
    ASSERT_EQ(texts.size(), 1u);
    fanout::record_results(conn_, *ctx_, "console",
                           {fanout::next_step(texts[0], {SendClass::retryable, "", 500}, policy, clock_.now(), 0.5)});
    EXPECT_EQ(count("status = 'failed'"), 0) << "a 5xx never fails a text while its alert is live";
  }
  EXPECT_GT(db_.scalar("SELECT attempts FROM deliveries"), 10);
  clock_.advance(config_.alerts.expiry);
  EXPECT_EQ(fanout::expire_overdue(conn_, clock_.now()), 1);
  EXPECT_EQ(count("status = 'expired'"), 1);
}

TEST_F(DeliveryResilience, AThrottledSendIsNoAttempt) {
  join("+13235550001", "la-east");
  alert_for("la-east");
  const auto texts = claim(5).texts;
  ASSERT_EQ(texts.size(), 1u);
  fanout::record_results(conn_, *ctx_, "console",
                         {fanout::next_step(texts[0], {SendClass::throttled, "", 429}, {}, clock_.now(), 0.5)});
  EXPECT_EQ(db_.scalar("SELECT attempts FROM deliveries"), 0);
  EXPECT_EQ(count("status = 'queued'"), 1);
}

TEST_F(DeliveryResilience, APageIsRetriedWhileItsReportIsPendingAndReplies24Hours) {
  const auto filed = file("vans", "la-east");  // pages Beto and Ana
  const auto pages = claim(10).texts;
  ASSERT_FALSE(pages.empty());
  EXPECT_EQ(pages[0].retry_until, pages[0].expires_at) << "pending: retried until the page's deadline";
  EXPECT_EQ(pages[0].expires_at, clock_.now() + config_.alerts.expiry);
  std::vector<fanout::SendResult> failed;
  for (const auto& p : pages)
    failed.push_back(fanout::next_step(p, {SendClass::retryable, "", 503}, {}, clock_.now(), 0.0));
  fanout::record_results(conn_, *ctx_, "console", failed);
  confirm("Beto", filed.code);  // decided: a late page says nothing useful any more
  exec("DELETE FROM outbox WHERE kind = 'reply'");
  clock_.advance(std::chrono::minutes{1});
  const auto again = claim(10).texts;
  ASSERT_EQ(again.size(), pages.size());
  EXPECT_EQ(again[0].retry_until, clock_.now());
  const auto r = fanout::next_step(again[0], {SendClass::retryable, "", 503}, {}, clock_.now(), 0.0);
  EXPECT_EQ(r.state, NextState::expired);

  pqxx::work tx(conn_);
  storage::enqueue_text(tx, *ctx_, {"reply", 0, PhoneNumber{"+13235550001"}, "welcome"});
  tx.commit();
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE kind = 'reply' AND expires_at = created_at + interval '24 hours'"),
            1);
}

TEST_F(DeliveryResilience, OneOffTextsPastTheirDeadlineExpire) {
  {
    pqxx::work tx(conn_);
    storage::enqueue_text(tx, *ctx_, {"reply", 0, PhoneNumber{"+13235550001"}, "welcome"});
    tx.commit();
  }
  clock_.advance(config_.alerts.reply_expiry + std::chrono::seconds{1});
  EXPECT_TRUE(claim(10).texts.empty());
  EXPECT_EQ(fanout::expire_overdue(conn_, clock_.now()), 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE status = 'expired'"), 1);
}

TEST_F(DeliveryResilience, LiveAlertsShareEachBatchAndANewAlertNeverWaitsBehindAnOldOne) {
  for (int i = 0; i < 40; ++i) join("+132355510" + std::to_string(10 + i), "la-east");
  for (int i = 0; i < 6; ++i) join("+161955520" + std::to_string(10 + i), "sd");
  config_.operators.push_back({"Dora", "+16195550104", {"sd"}, "sha256:" + std::string(64, 'd')});
  reload();
  const auto old_alert = alert_for("la-east");
  const auto new_alert = confirm("Dora", file("agents", "sd").code).alert_id;
  materialize(new_alert, 1000);
  exec("DELETE FROM outbox");

  const auto batch = claim(10);
  ASSERT_EQ(batch.texts.size(), 10u);
  int of_new = 0;
  for (const auto& t : batch.texts) of_new += t.alert_id == new_alert;
  EXPECT_EQ(of_new, 5) << "two live alerts: half the batch each";
  EXPECT_EQ(batch.texts[0].alert_id, batch.texts[2].alert_id) << "interleaved: A B A B";
  EXPECT_NE(batch.texts[0].alert_id, batch.texts[1].alert_id);
  // The next batch: the new alert's last text, and the old alert fills the rest.
  const auto next = claim(10, batch.first_alert);
  int next_new = 0;
  for (const auto& t : next.texts) next_new += t.alert_id == new_alert;
  EXPECT_EQ(next_new, 1);
  EXPECT_EQ(next.texts.size(), 10u) << "a drained alert's share goes to the others";
  EXPECT_EQ(count("status = 'sending' AND alert_id = " + std::to_string(old_alert)), 14);
}

TEST_F(DeliveryResilience, ACorrectionStillGoesFirst) {
  for (int i = 0; i < 4; ++i) join("+1323555000" + std::to_string(i), "la-east");
  const auto alert = alert_for("la-east");
  exec("UPDATE deliveries SET claim_rank = 0 WHERE id = (SELECT max(id) FROM deliveries)");
  const auto batch = claim(1);
  ASSERT_EQ(batch.texts.size(), 1u);
  EXPECT_EQ(batch.texts[0].id, db_.scalar("SELECT max(id) FROM deliveries"));
  (void)alert;
}

}  // namespace
}  // namespace centinela::testing

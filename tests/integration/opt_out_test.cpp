// Opt-out as the FCC rules want it: every standard word and plain request honored at once, with
// exactly one confirmation (none when the provider already sent one), recorded in the consent
// ledger, and never another alert afterwards.
#include "dispatcher/fanout/next_step.hpp"
#include "dispatcher/storage/outbox.hpp"
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

constexpr const char* ana = "+13235550001";

class OptOut : public DispatcherTest {
 protected:
  intake::InboundResult receive(const std::string& id, const std::string& from, const std::string& body,
                                const std::string& provider_handled = "") {
    auto in = sms(id, from, body);
    in.provider_handled = provider_handled;
    return intake::apply_inbound_sms(conn_, *ctx_, "console", in);
  }
  std::string status(const std::string& phone) {
    pqxx::read_transaction tx(conn_);
    const auto m = intake::find_member(tx, *ctx_, PhoneNumber{phone});
    return m ? m->status : "none";
  }
  long long opt_outs() { return db_.scalar("SELECT count(*) FROM consent_events WHERE event = 'opt_out'"); }
  // Confirmations queued in the outbox (the webhook's answer itself carries none).
  long long replies() { return db_.scalar("SELECT count(*) FROM outbox WHERE kind = 'reply'"); }
  // Texts the console sender claims, and what the provider answered for one of them.
  std::vector<fanout::OutgoingText> claim(int limit) {
    return fanout::claim_texts(conn_, *ctx_, {"console", "+12135550100", limit}).texts;
  }
  void answer(const fanout::OutgoingText& text, const providers::SendOutcome& outcome) {
    fanout::record_results(conn_, *ctx_, "console", {fanout::next_step(text, outcome, {}, clock_.now(), 0.5)});
  }
  void drop_outbox() {  // the pages and replies a test is not about
    pqxx::work tx(conn_);
    tx.exec("DELETE FROM outbox");
    tx.commit();
  }
};

TEST_F(OptOut, EveryWordAndPlainRequestInEnglishAndSpanish) {
  const std::vector<std::string> bodies{
      "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "opt out", "Stop.",
      "PARAR", "PARA", "ALTO", "DETENER", "CANCELAR", "BAJA", "SALIR", "no más", "stop texting me",
      "please stop", "unsubscribe me", "no más mensajes", "ya no me manden mensajes", "no quiero más mensajes"};
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    const std::string phone = "+1323555" + std::to_string(1000 + i);
    join(phone, "la-east");
    EXPECT_EQ(receive("SM" + std::to_string(i), phone, bodies[i]).reply, "en:stop_ok") << bodies[i];
    EXPECT_EQ(status(phone), "opted_out") << bodies[i];
  }
  EXPECT_EQ(opt_outs(), static_cast<long long>(bodies.size()));
  const auto d = confirm("Beto", file("vans", "la-east").code);
  EXPECT_EQ(materialize(d.alert_id), 0) << "opted-out members are never texted again";
}

TEST_F(OptOut, ASightingThatMentionsStoppingIsAReport) {
  join(ana, "la-east");
  EXPECT_EQ(receive("SM1", ana, "they told us to stop").reply, "en:report_received");
  EXPECT_EQ(status(ana), "active");
  EXPECT_EQ(opt_outs(), 0);
}

TEST_F(OptOut, SpanishSpeakerGetsTheConfirmationInSpanish) {
  join(ana, "la-east", "es");
  EXPECT_EQ(receive("SM1", ana, "¡Alto!").reply, "es:stop_ok");
}

TEST_F(OptOut, RetriedWebhookAndRepeatedStopConfirmOnlyOnce) {
  join(ana, "la-east");
  const auto first = receive("SM1", ana, "STOP");
  const auto retry = receive("SM1", ana, "STOP");
  EXPECT_EQ(first.reply, "en:stop_ok");
  EXPECT_TRUE(retry.duplicate);
  EXPECT_EQ(retry.reply, first.reply) << "the retry answers what the lost response said, nothing more";
  EXPECT_EQ(receive("SM2", ana, "stop").reply, "") << "already confirmed: no second confirmation";
  EXPECT_EQ(receive("SM3", ana, "CANCEL").reply, "");
  EXPECT_EQ(opt_outs(), 1);
  EXPECT_EQ(replies(), 1) << "exactly one confirmation leaves, whatever the provider retried";
  EXPECT_EQ(db_.scalar("SELECT priority FROM outbox WHERE kind = 'reply'"), 0) << "urgent, ahead of alerts";
}

TEST_F(OptOut, StrangerIsRememberedSoTheSecondStopIsSilent) {
  EXPECT_EQ(receive("SM1", ana, "STOP").reply, "en:stop_ok");
  EXPECT_EQ(receive("SM2", ana, "STOP").reply, "");
  EXPECT_EQ(status(ana), "opted_out");
  EXPECT_EQ(receive("SM3", ana, "JOIN EASTLA").reply, "en:join_confirm_request East LA");
}

TEST_F(OptOut, ProviderHandledStopIsRecordedWithoutAReply) {
  join(ana, "la-east");
  const auto d = confirm("Beto", file("vans", "la-east").code);
  materialize(d.alert_id);
  const auto r = receive("SM1", ana, "STOP", "STOP");
  EXPECT_EQ(r.reply, "") << "Twilio already sent its confirmation";
  EXPECT_EQ(status(ana), "opted_out");
  EXPECT_EQ(db_.scalar<std::string>("SELECT detail FROM consent_events WHERE event = 'opt_out'"), "provider");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM deliveries WHERE status = 'queued'"), 0) << "honored at once";
  EXPECT_EQ(receive("SM1", ana, "STOP", "STOP").reply, "") << "a retry stays silent too";

  EXPECT_EQ(receive("SM2", ana, "UNSTOP", "START").reply, "");
  EXPECT_EQ(status(ana), "active");
  EXPECT_EQ(receive("SM3", ana, "HELP", "HELP").reply, "");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM consent_events WHERE event = 'opt_in'"), 1);
  EXPECT_EQ(replies(), 0) << "nothing of ours is queued after the provider's own answers";
}

TEST_F(OptOut, ProviderHandledKeywordFromAnOperatorGetsNoReply) {
  EXPECT_EQ(receive("SM1", "+12135550102", "STOP", "STOP").reply, "");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM subscribers"), 0);
  EXPECT_EQ(replies(), 0);
}

TEST_F(OptOut, ConfiguredTranslationOptsOut) {
  config_.members.opt_out_words = {"arrêt"};
  reload();
  join(ana, "la-east");
  EXPECT_EQ(receive("SM1", ana, "ARRET").reply, "en:stop_ok");
  EXPECT_EQ(status(ana), "opted_out");
}

TEST_F(OptOut, AStopFindsTheMembersQueuedTextsByIndexAfterALargeFanOut) {
  join(ana, "la-east");
  const auto alert = confirm("Beto", file("vans", "la-east").code).alert_id;
  {
    // 200,000 delivery rows of other members, as a large fan-out leaves them.
    pqxx::work tx(conn_);
    tx.exec("INSERT INTO subscribers (phone_enc, phone_idx, language, status, created_at, updated_at) "
            "SELECT '\\x00', int8send(g), 'en', 'active', now(), now() FROM generate_series(1, 200000) g");
    tx.exec_params("INSERT INTO deliveries (alert_id, subscriber_id, status, created_at) "
                   "SELECT $1, id, CASE WHEN id % 10 = 0 THEN 'queued' ELSE 'sent' END, now() FROM subscribers",
                   alert);
    tx.commit();
  }
  {
    pqxx::nontransaction tx(conn_);
    tx.exec("ANALYZE deliveries");
  }
  pqxx::work tx(conn_);
  std::string plan;
  for (const auto& row : tx.exec_params(
           "EXPLAIN UPDATE deliveries SET status = 'failed', error = 'member opted out', finished_at = now() "
           "WHERE subscriber_id = $1 AND status = 'queued'",
           1))
    plan += row[0].as<std::string>() + "\n";
  EXPECT_NE(plan.find("deliveries_queued_by_subscriber"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
}

TEST_F(OptOut, TheProvidersOptOutHasTheSameEffectsAsAStop) {
  join(ana, "la-east");
  receive("SM1", ana, "JOIN SOUTHLA");  // an active member adding a region joins at once...
  receive("SM2", ana, "JOIN SANDIEGO");
  const auto alert = confirm("Beto", file("vans", "la-east").code).alert_id;
  materialize(alert);
  // A second raid in another of her regions: a text still queued when the first one is refused.
  materialize(confirm("Ana", file("checkpoint", "la-south").code).alert_id);
  ASSERT_EQ(db_.scalar("SELECT count(*) FROM deliveries WHERE status = 'queued'"), 2);
  pqxx::work setup(conn_);
  setup.exec("INSERT INTO pending_joins (subscriber_id, region_id, requested_at, expires_at) "
             "SELECT id, 'sd', now(), now() + interval '1 day' FROM subscribers ON CONFLICT DO NOTHING");
  setup.commit();
  drop_outbox();
  const auto texts = claim(1);
  ASSERT_EQ(texts.size(), 1u);
  answer(texts[0], {providers::SendClass::opted_out, "", 21610});
  EXPECT_EQ(status(ana), "opted_out");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM consent_events WHERE event = 'provider_opt_out'"), 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM pending_joins"), 0) << "a later YES must not sign them up again";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM deliveries WHERE status = 'queued'"), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM deliveries WHERE error = 'member opted out'"), 1);
}

TEST_F(OptOut, AProviderOptOutOnAReplyOrInAReceiptIsTheSameOptOut) {
  // A reply to a member (an outbox text) refused with 21610.
  join(ana, "la-east");
  drop_outbox();
  {
    pqxx::work tx(conn_);
    storage::enqueue_text(tx, *ctx_, {"reply", 0, PhoneNumber{ana}, "help text"});
    tx.commit();
  }
  const auto reply = claim(5);
  ASSERT_EQ(reply.size(), 1u);
  answer(reply[0], {providers::SendClass::opted_out, "", 21610});
  EXPECT_EQ(status(ana), "opted_out");

  // An alert text the provider accepted, then reported undeliverable with 21610 in its receipt.
  const std::string second_member = "+13235550002";
  join(second_member, "la-east");
  const auto alert = confirm("Beto", file("vans", "la-east").code).alert_id;
  materialize(alert);
  drop_outbox();
  const auto texts = claim(5);
  ASSERT_EQ(texts.size(), 1u) << "only the active member is texted";
  answer(texts[0], {providers::SendClass::accepted, "SMreceipt1"});
  providers::DeliveryReceipt receipt{"SMreceipt1", providers::ReceiptState::undelivered, 21610, true};
  fanout::apply_receipt(conn_, "console", receipt, clock_.now());
  EXPECT_EQ(status(second_member), "opted_out");
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM consent_events WHERE event = 'provider_opt_out'"), 2);
}

}  // namespace
}  // namespace centinela::testing

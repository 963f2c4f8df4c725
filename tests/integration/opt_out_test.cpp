// Opt-out as the FCC rules want it: every standard word and plain request honored at once, with
// exactly one confirmation (none when the provider already sent one), recorded in the consent
// ledger, and never another alert afterwards.
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

}  // namespace
}  // namespace centinela::testing

// Every text we generate fits the provider's limit: a long report is cut in the page with a marker
// and sent whole by FULL <id>; what we forward carries no control or direction-override characters.
#include "dispatcher/core/sms_text.hpp"
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

class LongTexts : public DispatcherTest {
 protected:
  std::vector<std::string> bodies_of(const std::string& kind) {
    pqxx::read_transaction tx(conn_);
    std::vector<std::string> out;
    for (const auto& row : tx.exec_params("SELECT body_enc FROM outbox WHERE kind = $1 ORDER BY id", kind))
      out.push_back(*cipher_.decrypt(storage::bytes_of(row[0])));
    return out;
  }
  std::string long_report() {
    std::string text;
    // A long SMS (providers deliver up to 1,600 characters) that a page can no longer hold.
    for (int i = 0; text.size() < 1590; ++i) text += "car" + std::to_string(i) + " near the school, ";
    return text.substr(0, 1590);
  }
};

TEST_F(LongTexts, APageOfALongReportFitsOneTextAndSaysHowToGetTheRest) {
  const auto text = long_report();
  const auto filed = file(text, "la-east");
  const auto pages = bodies_of("operator_new_report");
  ASSERT_FALSE(pages.empty());
  for (const auto& page : pages) {
    EXPECT_LE(sms_length(page), 1600u);
    EXPECT_NE(page.find("en:operator_text_cut " + filed.code), std::string::npos) << page;
  }
}

TEST_F(LongTexts, FullSendsTheWholeTextInTextsThatFit) {
  const auto text = long_report();
  const auto filed = file(text, "la-east");
  const auto r = intake::apply_inbound_sms(conn_, *ctx_, "console", sms("SM1", "+12135550102", "FULL " + filed.code));
  std::vector<std::string> parts{r.reply};
  parts.insert(parts.end(), r.further_replies.begin(), r.further_replies.end());
  ASSERT_GE(parts.size(), 2u);
  std::string whole;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_LE(sms_length(parts[i]), 1600u);
    const auto label = "en:operator_full_text " + filed.code + " " + std::to_string(i + 1) + " " +
                       std::to_string(parts.size()) + " ";
    ASSERT_EQ(parts[i].rfind(label, 0), 0u) << parts[i].substr(0, 60);
    whole += (whole.empty() ? "" : " ") + parts[i].substr(label.size());
  }
  EXPECT_EQ(whole, text);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM outbox WHERE kind = 'reply'"), static_cast<long long>(parts.size()));
  EXPECT_EQ(intake::apply_inbound_sms(conn_, *ctx_, "console", sms("SM2", "+16195550103", "COMPLETO " + filed.code)).reply,
            "en:operator_unknown_report " + filed.code)
      << "outside the operator's regions a report does not exist";
}

TEST_F(LongTexts, ALongDrillPageKeepsItsPrefixAndItsMarker) {
  const auto r = intake::apply_inbound_sms(conn_, *ctx_, "console",
                                           sms("SM1", "+12135550101", "DRILL " + long_report().substr(0, 1580)));
  const auto pages = bodies_of("operator_new_report");
  ASSERT_FALSE(pages.empty()) << r.reply;
  for (const auto& page : pages) {
    EXPECT_LE(sms_length(page), 1600u);
    EXPECT_EQ(page.rfind("en:exercise_prefix ", 0), 0u) << page.substr(0, 60);
    EXPECT_NE(page.find("en:operator_text_cut "), std::string::npos) << "the marker is not cut off";
  }
}

TEST_F(LongTexts, ALongSummaryIsCutInsideTheAlertNeverTheAlertsEnd) {
  // What members must always read comes after the summary.
  config_.templates["en"]["alert"] = "ALERT {region} {time}: {summary}. Know your rights. Reply STOP to opt out.";
  reload();
  join("+13235550001", "la-east");
  const auto filed = file("vans", "la-east");
  const std::string summary(1570, 'x');
  const auto r = intake::apply_inbound_sms(conn_, *ctx_, "console",
                                           sms("SM1", "+12135550102", "YES " + filed.code + " " + summary));
  ASSERT_TRUE(r.alert_created) << r.reply;
  pqxx::work tx(conn_);
  tx.exec("DELETE FROM outbox");
  tx.commit();
  materialize(db_.scalar("SELECT max(id) FROM alerts"));
  const auto texts = fanout::claim_texts(conn_, *ctx_, {"console", "+12135550100", 5}).texts;
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_LE(sms_length(texts[0].body), 1600u);
  EXPECT_TRUE(texts[0].body.ends_with("\u2026. Know your rights. Reply STOP to opt out.")) << texts[0].body.substr(1500);
}

TEST_F(LongTexts, ControlAndDirectionCharactersAreNotForwarded) {
  std::string text = "vans\x01 at\u202E 5th";
  text.push_back('\0');
  text += " and main\u2066x";
  file(text, "la-east");
  const auto pages = bodies_of("operator_new_report");
  ASSERT_FALSE(pages.empty());
  EXPECT_EQ(pages[0].find('\x01'), std::string::npos);
  EXPECT_EQ(pages[0].find('\0'), std::string::npos);
  EXPECT_EQ(pages[0].find("\u202E"), std::string::npos);
  EXPECT_EQ(pages[0].find("\u2066"), std::string::npos);
  EXPECT_NE(pages[0].find("vans at 5th and main"), std::string::npos) << pages[0];
}

}  // namespace
}  // namespace centinela::testing

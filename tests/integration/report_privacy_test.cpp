// What a report reveals and keeps: a web form's unproven number is only a contact, an operator sees
// only what their regions allow, and every free text an operator or reporter writes is encrypted.
#include "dispatcher/queue/evidence.hpp"
#include "dispatcher/queue/ownership.hpp"
#include "dispatcher/core/token_hash.hpp"
#include "dispatcher/storage/free_text_migration.hpp"
#include "tests/integration/api_call.hpp"
#include "tests/integration/dispatcher_fixture.hpp"

namespace centinela::testing {
namespace {

using queue::Outcome;

constexpr const char* stranger = "+13235559001";
constexpr const char* beto_phone = "+12135550102";  // an operator (test_config)

class ReportPrivacy : public DispatcherTest {
 protected:
  queue::FiledReport web_report(const std::string& contact, const std::string& region = "la-east") {
    pqxx::work tx(conn_);
    queue::NewReport r{"api", std::nullopt, "vans at the corner", region};
    r.contact = PhoneNumber{contact};
    auto filed = queue::file_report(tx, *ctx_, r, "web_form", "api");
    tx.commit();
    return filed;
  }
  std::string sms_report(const std::string& from) {
    return intake::apply_inbound_sms(conn_, *ctx_, "console", sms("SM" + std::to_string(++sid_), from, "ICE at 90022"))
        .reply;
  }
  bool last_quarantined() { return db_.scalar<bool>("SELECT quarantined FROM reports ORDER BY id DESC LIMIT 1"); }
  template <class Act>
  queue::Decision as(const std::string& name, Act act) {
    pqxx::work tx(conn_);
    auto d = act(tx, queue::Actor{op(name), "api"});
    tx.commit();
    return d;
  }
  int sid_ = 0;
};

TEST_F(ReportPrivacy, AWebFormNamingAnOperatorsNumberIsStillScreened) {
  config_.flood.per_region = {1, std::chrono::minutes{10}};
  reload();
  web_report(stranger);
  EXPECT_FALSE(last_quarantined());
  web_report(beto_phone);
  EXPECT_TRUE(last_quarantined()) << "an operator's number typed into a form proves nothing";
  EXPECT_EQ(db_.scalar<std::string>("SELECT quarantine_reason FROM reports ORDER BY id DESC LIMIT 1"),
            "region_rate_limit");
}

TEST_F(ReportPrivacy, RejectedWebReportsNamingSomeoneNeverCostThemTheirTrust) {
  config_.flood.low_trust_rejections = 3;
  config_.flood.per_sender = {2, std::chrono::minutes{10}};
  reload();
  for (int i = 0; i < 4; ++i) {
    const auto filed = web_report(stranger);
    as("Ana", [&](pqxx::work& tx, const queue::Actor& a) { return queue::reject_report(tx, *ctx_, a, filed.code, ""); });
  }
  EXPECT_EQ(sms_report(stranger), "en:report_received");
  EXPECT_FALSE(last_quarantined()) << "neither low trust nor a rate limit from reports that were never theirs";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE reporter_idx IS NOT NULL"), 1);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM reports WHERE contact_enc IS NOT NULL AND source = 'api'"), 4)
      << "the contact is kept, encrypted, to call back";
}

TEST_F(ReportPrivacy, AnOperatorOutsideTheHeadsRegionSeesOnlyTheReportItself) {
  // The head is in the county (Ana's); a later sighting in East LA (Beto's) joins its incident.
  const auto head = file("vans on the freeway", "la");
  const auto member = file("agents knocking on 3rd", "la-east");
  as("Ana", [&](pqxx::work& tx, const queue::Actor& a) { return queue::claim_report(tx, *ctx_, a, head.code); });
  as("Ana", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::record_evidence(tx, *ctx_, a, head.code, "agency", "a contact at the county jail");
  });
  pqxx::read_transaction tx(conn_);
  const auto seen = queue::report_timeline(tx, *ctx_, op("Beto"), member.code);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->report.incident, head.code);
  EXPECT_EQ(seen->report.claimed_by, "");
  EXPECT_TRUE(seen->report.evidence.empty());
  EXPECT_EQ(seen->report.verification_level, "");
  for (const auto& r : queue::list_reports(tx, *ctx_, op("Beto"), "pending", 100)) {
    EXPECT_EQ(r.claimed_by, "") << r.code;
    EXPECT_TRUE(r.evidence.empty()) << r.code;
  }
  const auto by_ana = queue::report_timeline(tx, *ctx_, op("Ana"), member.code);
  ASSERT_TRUE(by_ana);
  EXPECT_EQ(by_ana->report.claimed_by, "Ana") << "the county's operator sees the incident whole";
  EXPECT_EQ(by_ana->report.evidence.at("agency"), "a contact at the county jail");
}

TEST_F(ReportPrivacy, TheApiShowsAnOperatorOutsideTheHeadsRegionOnlyTheReportItself) {
  for (auto& o : config_.operators) o.api_token_hash = hash_token("token-" + o.name);
  reload();
  const auto head = file("vans on the freeway", "la");
  const auto member = file("agents knocking on 3rd", "la-east");
  as("Ana", [&](pqxx::work& tx, const queue::Actor& a) { return queue::claim_report(tx, *ctx_, a, head.code); });
  as("Ana", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::record_evidence(tx, *ctx_, a, head.code, "agency", "a contact at the county jail");
  });
  const auto [status, report] =
      call_api(*ctx_, db_.conninfo(), "GET", "/api/v1/reports/" + member.code, "token-Beto");
  ASSERT_EQ(status, 200) << report;
  EXPECT_TRUE(report["claimed_by"].is_null()) << report;
  EXPECT_TRUE(report["evidence"].empty()) << report;
  EXPECT_EQ(report["escalation_tier"], 0);
  EXPECT_EQ(report["confirmations"], 0);
  for (const auto& action : report["timeline"]) {
    EXPECT_NE(action["action"], "claimed") << "the head's trail is the county's: " << action;
    EXPECT_EQ(action["detail"].get<std::string>().find("county jail"), std::string::npos) << action;
  }
  const auto [list_status, list] =
      call_api(*ctx_, db_.conninfo(), "GET", "/api/v1/reports?status=pending", "token-Beto");
  ASSERT_EQ(list_status, 200) << list;
  const auto& reports = list.is_array() ? list : list["reports"];
  ASSERT_FALSE(reports.empty()) << list;
  for (const auto& r : reports) {
    EXPECT_TRUE(r["claimed_by"].is_null()) << r;
    EXPECT_TRUE(r["evidence"].empty()) << r;
  }
  const auto [ana_status, whole] = call_api(*ctx_, db_.conninfo(), "GET", "/api/v1/reports/" + member.code, "token-Ana");
  ASSERT_EQ(ana_status, 200);
  EXPECT_EQ(whole["claimed_by"], "Ana") << "the county's operator sees the incident whole";
}

TEST_F(ReportPrivacy, MovingAReportOverTheApiNamesTheRegionAndItsMembersAndConfirmsNothing) {
  for (auto& o : config_.operators) o.api_token_hash = hash_token("token-" + o.name);
  reload();
  join("+13235550001", "la-south");
  join("+13235550002", "la-south");
  const auto filed = file("vans", "la-east");
  const auto [status, moved] = call_api(*ctx_, db_.conninfo(), "POST", "/api/v1/reports/" + filed.code + "/move",
                                        "token-Ana", R"({"region": "la-south"})");
  ASSERT_EQ(status, 200) << moved;
  EXPECT_EQ(moved["region"], "la-south");
  EXPECT_EQ(moved["members"], 2);
  EXPECT_EQ(moved["status"], "pending") << "a move confirms nothing";
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts"), 0);
  const auto [bad_status, bad] = call_api(*ctx_, db_.conninfo(), "POST", "/api/v1/reports/" + filed.code + "/move",
                                          "token-Ana", R"({"region": "atlantis"})");
  EXPECT_EQ(bad_status, 422) << bad;
  const auto [other_status, other] = call_api(*ctx_, db_.conninfo(), "POST",
                                              "/api/v1/reports/" + filed.code + "/confirm", "token-Ana",
                                              R"({"region": "la-east", "summary": "vans"})");
  EXPECT_EQ(other_status, 409) << "confirming names the region it is in now: " << other;
}

TEST_F(ReportPrivacy, ConfirmationWordsAndRejectionReasonsAreStoredEncrypted) {
  config_.verification.confirmations_required = 2;
  reload();
  const auto confirmed = file("vans", "la-east");
  confirm("Beto", confirmed.code, "", "two ICE vans at Whittier");
  confirm("Ana", confirmed.code, "", "");
  const auto rejected = file("balloons", "la-south");
  as("Ana", [&](pqxx::work& tx, const queue::Actor& a) {
    return queue::reject_report(tx, *ctx_, a, rejected.code, "a party at Marta's house");
  });
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM report_actions WHERE detail LIKE '%Whittier%' OR detail LIKE '%Marta%'"), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts WHERE summary <> ''"), 0);
  EXPECT_EQ(alert_words(), "two ICE vans at Whittier") << "the quorum's words, read back from the ciphertext";
  pqxx::read_transaction tx(conn_);
  const auto trail = queue::report_timeline(tx, *ctx_, op("Ana"), rejected.code);
  ASSERT_TRUE(trail);
  bool reason_shown = false;
  for (const auto& a : trail->actions) reason_shown |= a.action == "rejected" && a.detail == "a party at Marta's house";
  EXPECT_TRUE(reason_shown) << "operators still read the reason on the trail";
}

TEST_F(ReportPrivacy, TheMigrationEncryptsWhatOlderVersionsStoredInClear) {
  const auto filed = file("vans", "la-east");
  confirm("Beto", filed.code, "", "two vans");
  {
    // As version 6 left them: the words in clear.
    pqxx::work tx(conn_);
    tx.exec("UPDATE alerts SET summary = 'two vans', summary_enc = NULL");
    tx.exec("UPDATE report_actions SET detail = 'two vans', detail_enc = NULL WHERE action = 'confirmed'");
    tx.commit();
  }
  {
    pqxx::work tx(conn_);
    EXPECT_THROW(storage::encrypt_free_text(tx, nullptr), storage::MissingDataKey) << "no key, no silent skip";
  }
  {
    const storage::DataCipher wrong("ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
    pqxx::work tx(conn_);
    EXPECT_THROW(storage::encrypt_free_text(tx, &wrong), storage::WrongDataKey)
        << "words sealed with a key that opens nothing else would be lost";
  }
  pqxx::work tx(conn_);
  storage::encrypt_free_text(tx, &cipher_);
  tx.commit();
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM report_actions WHERE detail = 'two vans'"), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM alerts WHERE summary <> ''"), 0);
  EXPECT_EQ(alert_words(), "two vans");
}

}  // namespace
}  // namespace centinela::testing

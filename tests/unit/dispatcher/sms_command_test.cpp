// What inbound texts mean: table-driven, one row per way people actually type.
#include <gtest/gtest.h>

#include "dispatcher/intake/sms_command.hpp"
#include "dispatcher/intake/text_fold.hpp"
#include "dispatcher/intake/vocabulary.hpp"
#include "tests/support/test_config.hpp"

namespace centinela::intake {
namespace {

class SmsCommands : public ::testing::Test {
 protected:
  config::Config cfg_ = testing::test_config();
  RegionTree regions_{cfg_.regions};
  Vocabulary vocabulary_ = make_vocabulary(cfg_);
  MemberCommand member(std::string_view body) { return parse_member_sms(body, regions_, vocabulary_); }
};

TEST_F(SmsCommands, EveryOptOutWordInEnglishAndSpanish) {
  for (const char* body : {"STOP", "stop", " Stop. ", "STOPALL", "stop all", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
                           "REVOKE", "OPTOUT", "opt out", "opt-out", "PARAR", "para", "ALTO", "Alto!", "DETENER",
                           "CANCELAR", "BAJA", "SALIR", "NO MAS", "no más", "No  más!"}) {
    EXPECT_TRUE(std::holds_alternative<OptOutCommand>(member(body))) << body;
  }
}

TEST_F(SmsCommands, StopInsideASentenceIsAReport) {
  EXPECT_TRUE(std::holds_alternative<SightingReport>(member("ICE stopped cars at the stop sign on 3rd")));
}

TEST_F(SmsCommands, JoinWithKeywordAndLanguage) {
  auto c = member("join eastla");
  ASSERT_TRUE(std::holds_alternative<JoinCommand>(c));
  EXPECT_EQ(std::get<JoinCommand>(c).region_id, "la-east");
  EXPECT_EQ(std::get<JoinCommand>(c).language, "");
  c = member("JOIN ELA Español");
  ASSERT_TRUE(std::holds_alternative<JoinCommand>(c));
  EXPECT_EQ(std::get<JoinCommand>(c).region_id, "la-east");
  EXPECT_EQ(std::get<JoinCommand>(c).language, "es");
  c = member("JOIN SOUTHLA es");
  EXPECT_EQ(std::get<JoinCommand>(c).language, "es");
}

TEST_F(SmsCommands, NearMissesAreNotReports) {
  for (const char* body : {"JION EASTLA", "JOIN NOWHERE", "JOIN", "JOIN EASTLA KLINGON", "JOINN EASTLA", "HEPL",
                           "STRAT", "LAEVE EASTLA"}) {
    EXPECT_TRUE(std::holds_alternative<NearMissCommand>(member(body))) << body;
  }
}

TEST_F(SmsCommands, HelpStartAndLanguage) {
  for (const char* body : {"HELP", "info", "Ayuda", ""}) EXPECT_TRUE(std::holds_alternative<HelpCommand>(member(body))) << body;
  for (const char* body : {"START", "unstop"}) EXPECT_TRUE(std::holds_alternative<OptInCommand>(member(body))) << body;
  for (const char* body : {"español", "ESPANOL", "es", "Spanish", "castellano"}) {
    const auto c = member(body);
    ASSERT_TRUE(std::holds_alternative<LanguageCommand>(c)) << body;
    EXPECT_EQ(std::get<LanguageCommand>(c).language, "es") << body;
  }
  for (const char* body : {"EN", "english", "Inglés"}) {
    const auto c = member(body);
    ASSERT_TRUE(std::holds_alternative<LanguageCommand>(c)) << body;
    EXPECT_EQ(std::get<LanguageCommand>(c).language, "en") << body;
  }
}

TEST_F(SmsCommands, LanguageKeywordsComeFromConfig) {
  cfg_.languages = {{"es", {{"ESPAÑOL"}}}, {"en", {{"ENGLISH"}}}};
  vocabulary_ = make_vocabulary(cfg_);
  EXPECT_TRUE(std::holds_alternative<LanguageCommand>(member("espanol")));
  EXPECT_TRUE(std::holds_alternative<LanguageCommand>(member("ES"))) << "the code always works";
  EXPECT_FALSE(std::holds_alternative<LanguageCommand>(member("SPANISH"))) << "no longer configured";
  cfg_.languages = {{"fr", {{"FRANCAIS"}}}};  // no templates in French: never offered
  vocabulary_ = make_vocabulary(cfg_);
  EXPECT_FALSE(std::holds_alternative<LanguageCommand>(member("FRANCAIS")));
  EXPECT_FALSE(std::holds_alternative<JoinCommand>(member("JOIN EASTLA FRANCAIS")));
}

TEST_F(SmsCommands, YesAndSiConfirmAJoin) {
  for (const char* body : {"YES", "yes", "Yes!", "SI", "sí", "Sí."})
    EXPECT_TRUE(std::holds_alternative<ConfirmJoinCommand>(member(body))) << body;
  EXPECT_TRUE(std::holds_alternative<SightingReport>(member("yes they are at the school now")));
}

TEST_F(SmsCommands, LeaveAndSalirTakeOneRegion) {
  for (const char* body : {"LEAVE EASTLA", "leave ela", "SALIR EASTLA", "Salir ELA."}) {
    const auto c = member(body);
    ASSERT_TRUE(std::holds_alternative<LeaveCommand>(c)) << body;
    EXPECT_EQ(std::get<LeaveCommand>(c).region_id, "la-east") << body;
  }
  for (const char* body : {"LEAVE", "LEAVE NOWHERE", "salir nowhere"})
    EXPECT_TRUE(std::holds_alternative<LeaveNearMissCommand>(member(body))) << body;
  // Bare SALIR is a standard Spanish opt-out word, not a LEAVE.
  EXPECT_TRUE(std::holds_alternative<OptOutCommand>(member("SALIR")));
  EXPECT_TRUE(std::holds_alternative<SightingReport>(member("Salir de casa es peligroso, ICE en la 5")));
  EXPECT_TRUE(std::holds_alternative<SightingReport>(member("Leave the area now, agents at 3rd and Main")));
}

TEST_F(SmsCommands, AnythingElseIsAReportKeptVerbatim) {
  const auto c = member("  Migra en la esquina de Whittier y Atlantic  ");
  ASSERT_TRUE(std::holds_alternative<SightingReport>(c));
  EXPECT_EQ(std::get<SightingReport>(c).text, "Migra en la esquina de Whittier y Atlantic");
}

TEST_F(SmsCommands, OperatorConfirmWithRegionAndSummary) {
  auto c = parse_operator_sms("yes k7q3m SOUTHLA  two vans, agents in vests", regions_);
  ASSERT_TRUE(std::holds_alternative<ConfirmCommand>(c));
  const auto& yes = std::get<ConfirmCommand>(c);
  EXPECT_EQ(yes.report_code, "K7Q3M");
  EXPECT_EQ(yes.region_id, "la-south");
  EXPECT_EQ(yes.summary, "SOUTHLA  two vans, agents in vests") << "whether the keyword is a region is the report's call";
  EXPECT_EQ(yes.summary_after_region, "two vans, agents in vests");
  c = parse_operator_sms("SI K7Q3M vans", regions_);
  ASSERT_TRUE(std::holds_alternative<ConfirmCommand>(c));
  EXPECT_EQ(std::get<ConfirmCommand>(c).region_id, "");
  EXPECT_EQ(std::get<ConfirmCommand>(c).summary, "vans");
}

TEST_F(SmsCommands, OperatorMoveAndFullText) {
  auto c = parse_operator_sms("move k7q3m southla", regions_);
  ASSERT_TRUE(std::holds_alternative<MoveCommand>(c));
  EXPECT_EQ(std::get<MoveCommand>(c).report_code, "K7Q3M");
  EXPECT_EQ(std::get<MoveCommand>(c).region_id, "la-south");
  c = parse_operator_sms("MOVER K7Q3M NOWHERE", regions_);
  ASSERT_TRUE(std::holds_alternative<MoveCommand>(c));
  EXPECT_EQ(std::get<MoveCommand>(c).region_id, "") << "an unknown keyword is answered with the list";
  c = parse_operator_sms("FULL k7q3m", regions_);
  ASSERT_TRUE(std::holds_alternative<FullTextCommand>(c));
  EXPECT_EQ(std::get<FullTextCommand>(c).report_code, "K7Q3M");
  EXPECT_TRUE(std::holds_alternative<FullTextCommand>(parse_operator_sms("completo K7Q3M", regions_)));
}

TEST_F(SmsCommands, OperatorRejectReportAndHelp) {
  auto c = parse_operator_sms("NO K7Q3M it was a utility truck", regions_);
  ASSERT_TRUE(std::holds_alternative<RejectCommand>(c));
  EXPECT_EQ(std::get<RejectCommand>(c).reason, "it was a utility truck");
  c = parse_operator_sms("REPORT agents at 90001 swap meet", regions_);
  ASSERT_TRUE(std::holds_alternative<FileReportCommand>(c));
  EXPECT_EQ(std::get<FileReportCommand>(c).text, "agents at 90001 swap meet");
  for (const char* body : {"YES", "REPORT", "hello", "NO"})
    EXPECT_TRUE(std::holds_alternative<OperatorHelpCommand>(parse_operator_sms(body, regions_))) << body;
}

TEST_F(SmsCommands, OperatorResponderCommands) {
  const auto op = [&](std::string_view body) { return parse_operator_sms(body, regions_); };
  EXPECT_TRUE(std::get<DutyCommand>(op("on")).on_call);
  EXPECT_FALSE(std::get<DutyCommand>(op(" OFF ")).on_call);
  EXPECT_EQ(std::get<ClaimCommand>(op("claim k7q3m")).report_code, "K7Q3M");
  EXPECT_EQ(std::get<ClaimCommand>(op("TOMAR K7Q3M")).report_code, "K7Q3M");
  const auto note = std::get<NoteCommand>(op("NOTE K7Q3M called back, two vans confirmed"));
  EXPECT_EQ(note.text, "called back, two vans confirmed");
  const auto agency = std::get<EvidenceCommand>(op("agency K7Q3M vests say POLICE ICE"));
  EXPECT_EQ(agency.field, "agency");
  EXPECT_EQ(agency.text, "vests say POLICE ICE");
  EXPECT_EQ(std::get<EvidenceCommand>(op("HOW K7Q3M photo from a second neighbor")).field, "corroboration");
  EXPECT_EQ(std::get<EvidenceCommand>(op("dónde K7Q3M Whittier y Atlantic")).field, "where");
  EXPECT_EQ(std::get<AdvisoryCommand>(op("ADVISORY K7Q3M")).summary, "");
  EXPECT_EQ(std::get<AskReporterCommand>(op("MORE K7Q3M what color were the vans?")).question,
            "what color were the vans?");
  const auto drill = std::get<FileReportCommand>(op("DRILL checkpoint at 90001"));
  EXPECT_TRUE(drill.exercise);
  EXPECT_FALSE(std::get<FileReportCommand>(op("REPORT checkpoint at 90001")).exercise);
  const auto update = std::get<FollowUpCommand>(op("UPDATE K7Q3M agents moved to 3rd St"));
  EXPECT_EQ(update.kind, FollowUp::update);
  EXPECT_EQ(update.text, "agents moved to 3rd St");
  EXPECT_EQ(std::get<FollowUpCommand>(op("clear k7q3m")).kind, FollowUp::clear);
  EXPECT_EQ(std::get<FollowUpCommand>(op("RETRACT K7Q3M it was a film crew")).kind, FollowUp::retract);
  EXPECT_EQ(std::get<FollowUpCommand>(op("actualizar K7Q3M se movieron a la calle 3")).kind, FollowUp::update);
  EXPECT_EQ(std::get<FollowUpCommand>(op("FIN K7Q3M")).kind, FollowUp::clear);
  EXPECT_EQ(std::get<FollowUpCommand>(op("retirar K7Q3M era un equipo de filmación")).kind, FollowUp::retract);
  EXPECT_EQ(std::get<ApproveCommand>(op("APROBAR K7Q3M")).report_code, "K7Q3M");
  // A command that needs words and has none, or a verb with no report id, gets the help text.
  for (const char* body : {"CLAIM", "NOTE K7Q3M", "MORE K7Q3M", "UPDATE K7Q3M", "AGENCY K7Q3M", "ON now", "DRILL",
                           "what do I do now?", "where are you", "how much longer", "CLAIM it"})
    EXPECT_TRUE(std::holds_alternative<OperatorHelpCommand>(op(body))) << body;
}

TEST(TextFold, FoldsAccentsCaseAndEdgePunctuation) {
  EXPECT_EQ(fold_word("¡Español!"), "ESPANOL");
  EXPECT_EQ(fold_word("90022-1234."), "90022-1234");
  EXPECT_EQ(fold_word("..."), "");
  EXPECT_EQ(edit_distance("JOIN", "JION"), 2u);
  EXPECT_EQ(edit_distance("JOIN", "JOINN"), 1u);
  EXPECT_EQ(rest_after_words("  YES  ABC  the rest  ", 2), "the rest");
}

}  // namespace
}  // namespace centinela::intake

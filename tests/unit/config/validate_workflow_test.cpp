// Checks of the responder workflow's settings: observers, the drill test group, evidence names,
// quorums per region, durations, and the warnings about who covers which region.
#include <gtest/gtest.h>

#include "config/validate.hpp"
#include "config_fixture.hpp"

namespace centinela::config {
namespace {

using testing::dump;
using testing::error_at;
using testing::load;
using testing::minimal_yaml;
using testing::with_operators;

const ConfigProblem* warning_at(const LoadResult& r, std::string_view path) {
  for (const auto& p : r.warnings)
    if (p.path == path) return &p;
  return nullptr;
}

TEST(ValidateWorkflow, ObserverProblems) {
  const LoadResult r = load("observers:\n"
                            "  - name: \"\"\n"
                            "    phone: \"(213) 555-0160\"\n"
                            "    regions: [la-est]\n"
                            "  - name: B\n"
                            "    phone: \"+12135550161\"\n"
                            "    regions: []\n"
                            "  - name: C\n"
                            "    phone: \"+12135550161\"\n"
                            "    regions: [la]\n" +
                            minimal_yaml());
  EXPECT_NE(error_at(r, "observers[0].name"), nullptr) << dump(r);
  const ConfigProblem* phone = error_at(r, "observers[0].phone");
  ASSERT_NE(phone, nullptr) << dump(r);
  EXPECT_EQ(phone->line, 3);
  EXPECT_EQ(phone->column, 12);
  EXPECT_EQ(dump(r).find("555-0160"), std::string::npos) << "phone numbers are never echoed";
  const ConfigProblem* region = error_at(r, "observers[0].regions[0]");
  ASSERT_NE(region, nullptr) << dump(r);
  EXPECT_EQ(region->line, 4);
  EXPECT_EQ(region->message, "unknown region \"la-est\"");
  EXPECT_EQ(region->hint, "did you mean \"la-east\"?");
  EXPECT_NE(error_at(r, "observers[1].regions"), nullptr) << dump(r);
  const ConfigProblem* twice = error_at(r, "observers[2].phone");
  ASSERT_NE(twice, nullptr) << dump(r);
  EXPECT_EQ(twice->message, "same phone number as observers[1].phone");
  EXPECT_EQ(r.errors.size(), 5u) << dump(r);
}

TEST(ValidateWorkflow, TestGroupNumbersAreValidAndUnique) {
  const LoadResult r = load("exercise:\n"
                            "  test_group: [\"+12135550170\", \"2135550171\", \"+12135550170\"]\n" +
                            minimal_yaml());
  const ConfigProblem* bad = error_at(r, "exercise.test_group[1]");
  ASSERT_NE(bad, nullptr) << dump(r);
  EXPECT_EQ(bad->line, 2);
  EXPECT_EQ(bad->column, 32);
  EXPECT_EQ(bad->message, "is not a valid phone number written in E.164");
  const ConfigProblem* twice = error_at(r, "exercise.test_group[2]");
  ASSERT_NE(twice, nullptr) << dump(r);
  EXPECT_EQ(twice->message, "same phone number as exercise.test_group[0]");
  EXPECT_EQ(r.errors.size(), 2u) << dump(r);
}

TEST(ValidateWorkflow, RequiredEvidenceNamesAreFields) {
  const LoadResult r = load("verification:\n"
                            "  required_evidence:\n"
                            "    - what\n"
                            "    - vehicle\n"
                            "    - how\n" +
                            minimal_yaml());
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  const ConfigProblem* typo = error_at(r, "verification.required_evidence[1]");
  ASSERT_NE(typo, nullptr) << dump(r);
  EXPECT_EQ(typo->line, 4);
  EXPECT_EQ(typo->column, 7);
  EXPECT_EQ(typo->message, "unknown evidence field \"vehicle\"");
  EXPECT_EQ(typo->hint, "did you mean \"vehicles\"?");
  const ConfigProblem* how = error_at(r, "verification.required_evidence[2]");
  ASSERT_NE(how, nullptr) << dump(r);
  EXPECT_EQ(how->hint,
            "expected one of: what, where, when, agency, vehicles, corroboration");
}

TEST(ValidateWorkflow, NumbersAndDurationsInRange) {
  std::string yaml = minimal_yaml();
  yaml.replace(yaml.find("    keywords: [LACOUNTY]\n"), 0, "    confirmations_required: -1\n");
  const LoadResult r = load("verification:\n"
                            "  second_approver_above: -5\n"
                            "  claim_lease: 0\n"
                            "escalation: {unclaimed_after: 0, undecided_after: 0}\n"
                            "incidents: {window: 0}\n"
                            "relay: {window: 0}\n" +
                            yaml);
  const ConfigProblem* above = error_at(r, "verification.second_approver_above");
  ASSERT_NE(above, nullptr) << dump(r);
  EXPECT_EQ(above->line, 2);
  const ConfigProblem* lease = error_at(r, "verification.claim_lease");
  ASSERT_NE(lease, nullptr) << dump(r);
  EXPECT_EQ(lease->line, 3);
  EXPECT_EQ(lease->message, "must be longer than zero");
  const ConfigProblem* unclaimed = error_at(r, "escalation.unclaimed_after");
  ASSERT_NE(unclaimed, nullptr) << dump(r);
  EXPECT_EQ(unclaimed->line, 4);
  EXPECT_EQ(unclaimed->column, 31);
  EXPECT_NE(error_at(r, "escalation.undecided_after"), nullptr) << dump(r);
  EXPECT_EQ(error_at(r, "incidents.window")->line, 5);
  EXPECT_EQ(error_at(r, "relay.window")->line, 6);
  const ConfigProblem* quorum = error_at(r, "regions[0].confirmations_required");
  ASSERT_NE(quorum, nullptr) << dump(r);
  EXPECT_EQ(quorum->line, 12);
  EXPECT_EQ(r.errors.size(), 7u) << dump(r);
}

TEST(ValidateWorkflow, RegionQuorumOverridesTheDefault) {
  // One operator covers both regions. la asks for 2 of its own: never reachable. la-east asks
  // for 1 while the default is 2: reachable, so no error there.
  std::string yaml = minimal_yaml();
  yaml.replace(yaml.find("    keywords: [LACOUNTY]\n"), 0, "    confirmations_required: 2\n");
  yaml.replace(yaml.find("    keywords: [EASTLA, ELA]\n"), 0, "    confirmations_required: 1\n");
  const LoadResult r = load("verification:\n  confirmations_required: 2\n" + yaml);
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  const ConfigProblem& p = r.errors[0];
  EXPECT_EQ(p.path, "regions[0].confirmations_required");
  EXPECT_EQ(p.line, 8);
  EXPECT_EQ(p.message, "reports in region \"la\" can never be confirmed: 1 operator(s) cover it, "
                       "its confirmations_required is 2");
}

TEST(ValidateWorkflow, SecondApproverNobodyCanGiveIsAWarning) {
  const LoadResult r = load("verification:\n  second_approver_above: 500\n" + minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.warnings.size(), 2u) << dump(r);  // la and la-east: one operator covers both
  const ConfigProblem* w = warning_at(r, "regions[1]");
  ASSERT_NE(w, nullptr) << dump(r);
  EXPECT_EQ(w->line, 9);
  EXPECT_NE(w->message.find("more than 500 members need a second operator's YES"), std::string::npos)
      << w->message;
}

constexpr std::string_view two_operators =
    "operators:\n"
    "  - name: East\n"
    "    phone: \"+12135550123\"\n"
    "    regions: [la-east]\n"
    "    role: coordinator\n"
    "  - name: County\n"
    "    phone: \"+12135550124\"\n"
    "    regions: [la]\n";

TEST(ValidateWorkflow, RegionsNoCoordinatorCoversAreOneWarning) {
  const LoadResult r = load(with_operators(two_operators));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.warnings.size(), 1u) << dump(r);
  const ConfigProblem& w = r.warnings[0];
  EXPECT_EQ(w.path, "regions[0]");
  EXPECT_EQ(w.line, 12);
  EXPECT_EQ(w.message,
            "no coordinator covers region \"la\": an unanswered report there escalates to nobody");
}

TEST(ValidateWorkflow, CoordinatorAtTheTopCoversEverything) {
  std::string ops{two_operators};
  ops.replace(ops.find("    role: coordinator\n"), 22, "");
  ops += "    role: coordinator\n";
  const LoadResult r = load(with_operators(ops));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.warnings.empty()) << dump(r);
}

TEST(ValidateWorkflow, NoCoordinatorsAtAllIsNotWarned) {
  const LoadResult r = load(minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.warnings.empty()) << dump(r);
}

TEST(ValidateWorkflow, OperatorNamesAreUnique) {
  std::string ops{two_operators};
  ops.replace(ops.find("County"), 6, "East");
  const LoadResult r = load(with_operators(ops));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].path, "operators[1].name");
  EXPECT_EQ(r.errors[0].line, 6);
  EXPECT_EQ(r.errors[0].message, "same name as operators[0]");
}

TEST(ValidateWorkflow, ScheduleBuiltInCodeIsChecked) {
  const LoadResult loaded = load(minimal_yaml());
  ASSERT_TRUE(loaded.ok()) << dump(loaded);
  Config c = *loaded.config;
  c.operators[0].schedule.push_back(Shift{{1, 7}, 9 * 60, 17 * 60});
  c.operators[0].schedule.push_back(Shift{{2}, 24 * 60, 30});
  const ValidationReport report = validate(c);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].path, "operators[0].schedule[0].days");
  EXPECT_EQ(report.errors[0].message, "day 7 is out of range");
  EXPECT_EQ(report.errors[1].path, "operators[0].schedule[1].start");
}

}  // namespace
}  // namespace centinela::config

// Checks of the responder workflow's settings: observers, the drill test group, evidence names,
// quorums per region, durations, and the warnings about who covers which region.
#include <gtest/gtest.h>

#include "config/validate.hpp"
#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

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
  EXPECT_TRUE(has_error(r, "observers[0].name"));
  EXPECT_TRUE(has_error(r, "observers[0].phone", {.line = 3, .column = 12}));
  EXPECT_EQ(dump(r).find("555-0160"), std::string::npos) << "phone numbers are never echoed";
  EXPECT_TRUE(has_error(r, "observers[0].regions[0]", {.line = 4,
                                                       .message = "unknown region \"la-est\"",
                                                       .hint = "did you mean \"la-east\"?"}));
  EXPECT_TRUE(has_error(r, "observers[1].regions"));
  EXPECT_TRUE(has_error(r, "observers[2].phone",
                        {.message = "same phone number as observers[1].phone"}));
  EXPECT_EQ(r.errors.size(), 5u) << dump(r);
}

TEST(ValidateWorkflow, TestGroupNumbersAreValidAndUnique) {
  const LoadResult r = load("exercise:\n"
                            "  test_group: [\"+12135550170\", \"2135550171\", \"+12135550170\"]\n" +
                            minimal_yaml());
  EXPECT_TRUE(has_error(r, "exercise.test_group[1]",
                        {.line = 2, .column = 32,
                         .message = "is not a valid phone number written in E.164"}));
  EXPECT_TRUE(has_error(r, "exercise.test_group[2]",
                        {.message = "same phone number as exercise.test_group[0]"}));
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
  EXPECT_TRUE(has_error(r, "verification.required_evidence[1]",
                        {.line = 4, .column = 7, .message = "unknown evidence field \"vehicle\"",
                         .hint = "did you mean \"vehicles\"?"}));
  EXPECT_TRUE(has_error(
      r, "verification.required_evidence[2]",
      {.hint = "expected one of: what, where, when, agency, vehicles, corroboration"}));
}

TEST(ValidateWorkflow, NumbersAndDurationsInRange) {
  const LoadResult r = load("verification:\n"
                            "  second_approver_above: -5\n"
                            "  claim_lease: 0\n"
                            "escalation: {unclaimed_after: 0, undecided_after: 0}\n"
                            "incidents: {window: 0}\n"
                            "relay: {window: 0}\n" +
                            insert_before(minimal_yaml(), "    keywords: [LACOUNTY]\n",
                                          "    confirmations_required: -1\n"));
  EXPECT_TRUE(has_error(r, "verification.second_approver_above", {.line = 2}));
  EXPECT_TRUE(has_error(r, "verification.claim_lease",
                        {.line = 3, .message = "must be longer than zero"}));
  EXPECT_TRUE(has_error(r, "escalation.unclaimed_after", {.line = 4, .column = 31}));
  EXPECT_TRUE(has_error(r, "escalation.undecided_after"));
  EXPECT_TRUE(has_error(r, "incidents.window", {.line = 5}));
  EXPECT_TRUE(has_error(r, "relay.window", {.line = 6}));
  EXPECT_TRUE(has_error(r, "regions[0].confirmations_required", {.line = 12}));
  EXPECT_EQ(r.errors.size(), 7u) << dump(r);
}

TEST(ValidateWorkflow, MaxAttemptsStillLoadsAndSaysItNoLongerCounts) {
  // Retries now last until the alert expires; an older file that sets a count still starts.
  const LoadResult r = load("alerts: {max_attempts: 3}\n" + minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(has_warning(r, "alerts.max_attempts", {.line = 1, .message_part = "until its alert expires"}))
      << dump(r);
  EXPECT_FALSE(has_warning(load(minimal_yaml()), "alerts.max_attempts"));
}

TEST(ValidateWorkflow, RegionQuorumOverridesTheDefault) {
  // One operator covers both regions. la asks for 2 of its own: never reachable. la-east asks
  // for 1 while the default is 2: reachable, so no error there.
  std::string yaml =
      insert_before(minimal_yaml(), "    keywords: [LACOUNTY]\n", "    confirmations_required: 2\n");
  yaml = insert_before(yaml, "    keywords: [EASTLA, ELA]\n", "    confirmations_required: 1\n");
  const LoadResult r = load("verification:\n  confirmations_required: 2\n" + yaml);
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0],
                      {.path = "regions[0].confirmations_required", .line = 8,
                       .message = "reports in region \"la\" can never be confirmed: 1 operator(s) "
                                  "cover it, its confirmations_required is 2"}));
}

TEST(ValidateWorkflow, SecondApproverNobodyCanGiveIsAWarning) {
  const LoadResult r = load("verification:\n  second_approver_above: 500\n" + minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.warnings.size(), 2u) << dump(r);  // la and la-east: one operator covers both
  EXPECT_TRUE(has_warning(
      r, "regions[1]",
      {.line = 9, .message_part = "more than 500 members need a second operator's YES"}));
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
  EXPECT_TRUE(matches(
      r.warnings[0],
      {.path = "regions[0]", .line = 12,
       .message = "no coordinator covers region \"la\": an unanswered report there escalates to nobody"}));
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
  EXPECT_TRUE(matches(r.errors[0],
                      {.path = "operators[1].name", .line = 6, .message = "same name as operators[0]"}));
}

TEST(ValidateWorkflow, ScheduleBuiltInCodeIsChecked) {
  const LoadResult loaded = load(minimal_yaml());
  ASSERT_TRUE(loaded.ok()) << dump(loaded);
  Config c = *loaded.config;
  c.operators[0].schedule.push_back(Shift{{1, 7}, 9 * 60, 17 * 60});
  c.operators[0].schedule.push_back(Shift{{2}, 24 * 60, 30});
  const ValidationReport report = validate(c);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_TRUE(matches(report.errors[0],
                      {.path = "operators[0].schedule[0].days", .message = "day 7 is out of range"}));
  EXPECT_TRUE(matches(report.errors[1], {.path = "operators[0].schedule[1].start"}));
}

}  // namespace
}  // namespace centinela::config::testing

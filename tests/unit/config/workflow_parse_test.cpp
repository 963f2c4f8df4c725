// The responder workflow's keys as read from YAML: roles, on-call schedules, observers, and the
// verification, escalation, incidents, relay and exercise sections.
#include <gtest/gtest.h>

#include "config/validate.hpp"
#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

TEST(WorkflowParse, DefaultsWithoutTheNewKeys) {
  const LoadResult r = load(minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  const Config& c = *r.config;
  EXPECT_EQ(c.regions.at(0).confirmations_required, 0);
  EXPECT_EQ(c.operators.at(0).role, OperatorRole::responder);
  EXPECT_TRUE(c.operators.at(0).schedule.empty());
  EXPECT_TRUE(c.observers.empty());
  EXPECT_EQ(c.verification.second_approver_above, 0);
  EXPECT_EQ(c.verification.claim_lease, std::chrono::minutes{15});
  EXPECT_TRUE(c.verification.required_evidence.empty());
  EXPECT_EQ(c.escalation.unclaimed_after, std::chrono::minutes{5});
  EXPECT_EQ(c.escalation.undecided_after, std::chrono::minutes{15});
  EXPECT_EQ(c.incidents.window, std::chrono::minutes{30});
  EXPECT_EQ(c.relay.window, std::chrono::hours{2});
  EXPECT_TRUE(c.exercise.test_group.empty());
}

TEST(WorkflowParse, SectionsAreRead) {
  const std::string yaml =
      insert_before(minimal_yaml(), "    keywords: [LACOUNTY]\n", "    confirmations_required: 1\n");
  const LoadResult r = load("verification:\n"
                            "  confirmations_required: 1\n"
                            "  second_approver_above: 5000\n"
                            "  claim_lease: \"10m\"\n"
                            "  required_evidence: [what, where, corroboration]\n"
                            "escalation: {unclaimed_after: \"3m\", undecided_after: \"20m\"}\n"
                            "incidents: {window: \"45m\"}\n"
                            "relay: {window: \"1h\"}\n"
                            "exercise:\n"
                            "  test_group: [\"+12135550170\", \"+12135550171\"]\n"
                            "observers:\n"
                            "  - name: Legal Observers\n"
                            "    phone: \"+12135550160\"\n"
                            "    regions: [la-east]\n" +
                            yaml);
  ASSERT_TRUE(r.ok()) << dump(r);
  const Config& c = *r.config;
  EXPECT_EQ(c.regions.at(0).confirmations_required, 1);
  EXPECT_EQ(c.verification.second_approver_above, 5000);
  EXPECT_EQ(c.verification.claim_lease, std::chrono::minutes{10});
  EXPECT_EQ(c.verification.required_evidence,
            (std::vector<std::string>{"what", "where", "corroboration"}));
  EXPECT_EQ(c.escalation.unclaimed_after, std::chrono::minutes{3});
  EXPECT_EQ(c.escalation.undecided_after, std::chrono::minutes{20});
  EXPECT_EQ(c.incidents.window, std::chrono::minutes{45});
  EXPECT_EQ(c.relay.window, std::chrono::hours{1});
  EXPECT_EQ(c.exercise.test_group, (std::vector<std::string>{"+12135550170", "+12135550171"}));
  ASSERT_EQ(c.observers.size(), 1u);
  EXPECT_EQ(c.observers[0].name, "Legal Observers");
  EXPECT_EQ(c.observers[0].phone, "+12135550160");
  EXPECT_EQ(c.observers[0].regions, (std::vector<std::string>{"la-east"}));
}

TEST(WorkflowParse, RolesAndSchedules) {
  const LoadResult r = load(with_operators(
      "operators:\n"
      "  - name: Night\n"
      "    phone: \"+12135550123\"\n"
      "    regions: [la]\n"
      "    role: Backup\n"  // case does not matter
      "    schedule:\n"
      "      - {days: [fri, SAT, Friday], start: \"22:00\", end: \"06:00\"}\n"  // past midnight
      "      - {days: weekdays, start: \"9:00\", end: \"17:30\"}\n"
      "      - {days: [weekends, sun], start: \"00:00\", end: \"24:00\"}\n"  // whole days
      "  - name: Lead\n"
      "    phone: \"+12135550124\"\n"
      "    regions: [la]\n"
      "    role: coordinator\n"
      "    schedule:\n"
      "      - days: daily\n"
      "        start: \"18:00\"\n"
      "        end: \"00:00\"\n"));  // until midnight
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& night = r.config->operators.at(0);
  EXPECT_EQ(night.role, OperatorRole::backup);
  EXPECT_TRUE(night.api_token_hash.empty()) << "SMS-only operators need no API token";
  ASSERT_EQ(night.schedule.size(), 3u);
  EXPECT_EQ(night.schedule[0].days, (std::vector<int>{5, 6}));  // sorted, each day once
  EXPECT_EQ(night.schedule[0].start_minute, 22 * 60);
  EXPECT_EQ(night.schedule[0].end_minute, 6 * 60);  // before the start: the next morning
  EXPECT_EQ(night.schedule[1].days, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(night.schedule[1].start_minute, 9 * 60);
  EXPECT_EQ(night.schedule[1].end_minute, 17 * 60 + 30);
  EXPECT_EQ(night.schedule[2].days, (std::vector<int>{0, 6}));
  EXPECT_EQ(night.schedule[2].start_minute, 0);
  EXPECT_EQ(night.schedule[2].end_minute, 24 * 60);
  const auto& lead = r.config->operators.at(1);
  EXPECT_EQ(lead.role, OperatorRole::coordinator);
  ASSERT_EQ(lead.schedule.size(), 1u);
  EXPECT_EQ(lead.schedule[0].days, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(lead.schedule[0].start_minute, 18 * 60);
  EXPECT_EQ(lead.schedule[0].end_minute, 0);
}

TEST(WorkflowParse, UnknownRoleListsTheRoles) {
  const LoadResult r = load(with_operators("operators:\n"
                                           "  - name: A\n"
                                           "    phone: \"+12135550123\"\n"
                                           "    regions: [la]\n"
                                           "    role: coordinater\n"
                                           "  - name: B\n"
                                           "    phone: \"+12135550124\"\n"
                                           "    regions: [la]\n"
                                           "    role: boss\n"));
  ASSERT_EQ(r.errors.size(), 2u) << dump(r);
  EXPECT_TRUE(has_error(
      r, "operators[0].role",
      {.line = 5, .column = 11, .message = "unknown role \"coordinater\"",
       .hint = "did you mean \"coordinator\"? a role is one of: responder, backup, coordinator"}));
  EXPECT_TRUE(has_error(r, "operators[1].role",
                        {.line = 9, .hint = "a role is one of: responder, backup, coordinator"}));
}

TEST(WorkflowParse, ScheduleProblemsHaveLineAndColumn) {
  const LoadResult r = load(with_operators("operators:\n"
                                           "  - name: A\n"
                                           "    phone: \"+12135550123\"\n"
                                           "    regions: [la]\n"
                                           "    schedule:\n"
                                           "      - days: [mon, fir]\n"
                                           "        start: \"25:00\"\n"
                                           "        end: 6pm\n"
                                           "      - {days: [sun], start: \"18:00\", end: \"18:00\"}\n"
                                           "      - {days: [], start: \"24:00\"}\n"
                                           "      - {days: [sat], start: \"08:00\", ned: \"09:00\"}\n"));
  // The column of an unknown day is that of the word itself.
  const ConfigProblem& day = error_at(r, "operators[0].schedule[0].days");
  EXPECT_TRUE(matches(day, {.line = 6, .column = 21, .message = "unknown day \"fir\""}));
  EXPECT_TRUE(day.hint.starts_with("did you mean \"fri\"?")) << day.hint;
  EXPECT_TRUE(has_error(r, "operators[0].schedule[0].start",
                        {.line = 7, .column = 16,
                         .message = "expected a time like \"18:00\", found \"25:00\""}));
  EXPECT_TRUE(has_error(r, "operators[0].schedule[0].end", {.line = 8, .column = 14}));
  EXPECT_TRUE(has_error(r, "operators[0].schedule[1].end",
                        {.line = 9, .message = "the shift ends when it starts"}));
  // "24:00" ends a day; it starts none. The missing end is reported at its shift.
  EXPECT_TRUE(has_error(r, "operators[0].schedule[2].start"));
  EXPECT_TRUE(has_error(r, "operators[0].schedule[2].end", {.line = 10, .message = "is required"}));
  EXPECT_TRUE(has_error(r, "operators[0].schedule[2].days",
                        {.message = "at least one day is required"}));
  EXPECT_TRUE(has_error(r, "operators[0].schedule[3].ned", {.hint = "did you mean \"end\"?"}));
  EXPECT_TRUE(has_error(r, "operators[0].schedule[3].end"));  // so: missing
  EXPECT_EQ(r.errors.size(), 9u) << dump(r);
}

TEST(WorkflowParse, UnknownKeysInTheNewSections) {
  const LoadResult r = load("verification:\n"
                            "  claim_leese: \"10m\"\n"
                            "escalation:\n"
                            "  unclaimed_afer: \"3m\"\n"
                            "incidents: {windw: \"1h\"}\n"
                            "exercise:\n"
                            "  test_groups: []\n"
                            "observers:\n"
                            "  - {name: X, phone: \"+12135550160\", regions: [la], role: backup}\n" +
                            minimal_yaml());
  EXPECT_TRUE(has_error(r, "verification.claim_leese",
                        {.line = 2, .column = 3, .hint = "did you mean \"claim_lease\"?"}));
  EXPECT_TRUE(has_error(r, "escalation.unclaimed_afer", {.line = 4}));
  EXPECT_TRUE(has_error(r, "incidents.windw", {.line = 5}));
  EXPECT_TRUE(has_error(r, "exercise.test_groups"));
  EXPECT_TRUE(has_error(r, "observers[0].role", {.line = 9}));  // observers send no commands
  EXPECT_EQ(r.errors.size(), 5u) << dump(r);
}

TEST(WorkflowParse, BadValuesOfTheNewKeys) {
  const LoadResult r = load("verification:\n"
                            "  second_approver_above: lots\n"
                            "  claim_lease: \"1500ms\"\n"
                            "relay:\n"
                            "  window: forever\n" +
                            insert_before(minimal_yaml(), "    keywords: [LACOUNTY]\n",
                                          "    confirmations_required: two\n"));
  EXPECT_TRUE(has_error(r, "verification.second_approver_above",
                        {.line = 2, .column = 26, .message = "expected an integer, found \"lots\""}));
  EXPECT_TRUE(has_error(r, "verification.claim_lease"));
  EXPECT_TRUE(has_error(r, "relay.window",
                        {.line = 5, .message = "expected a duration, found \"forever\""}));
  EXPECT_TRUE(has_error(r, "regions[0].confirmations_required"));
  EXPECT_EQ(r.errors.size(), 4u) << dump(r);
}

}  // namespace
}  // namespace centinela::config::testing

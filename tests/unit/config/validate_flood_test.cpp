// The flood: section, on YAML so the positions of problems are checked too.
#include <gtest/gtest.h>

#include "config/validate.hpp"
#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

TEST(ValidateFlood, DefaultsWithoutTheSection) {
  const LoadResult r = load(minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& f = r.config->flood;
  EXPECT_EQ(f.per_sender.max_reports, 5);
  EXPECT_EQ(f.per_sender.window, std::chrono::minutes{10});
  EXPECT_EQ(f.per_region.max_reports, 20);
  EXPECT_TRUE(f.blocklist.empty());
  EXPECT_EQ(f.low_trust_rejections, 3);
  EXPECT_EQ(f.burst.max_operator_pages_per_window, 10);
}

TEST(ValidateFlood, SectionIsRead) {
  const LoadResult r = load("flood:\n"
                            "  per_sender: {max_reports: 3, window: \"10m\"}\n"
                            "  per_region:\n"
                            "    max_reports: 8\n"
                            "    window: \"1h\"\n"
                            "  blocklist: [\"+12135550999\"]\n"
                            "  low_trust_rejections: 2\n"
                            "  burst: {window: \"5m\", new_reporters: 4, max_operator_pages_per_window: 2}\n" +
                            minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& f = r.config->flood;
  EXPECT_EQ(f.per_sender.max_reports, 3);
  EXPECT_EQ(f.per_sender.window, std::chrono::minutes{10});
  EXPECT_EQ(f.per_region.max_reports, 8);
  EXPECT_EQ(f.per_region.window, std::chrono::hours{1});
  EXPECT_EQ(f.blocklist, (std::vector<std::string>{"+12135550999"}));
  EXPECT_EQ(f.low_trust_rejections, 2);
  EXPECT_EQ(f.burst.window, std::chrono::minutes{5});
  EXPECT_EQ(f.burst.new_reporters, 4);
  EXPECT_EQ(f.burst.max_operator_pages_per_window, 2);
}

TEST(ValidateFlood, UnknownKeysHaveLineAndColumn) {
  const LoadResult r = load("flood:\n"
                            "  per_sender:\n"
                            "    max_report: 3\n"
                            "  burts: {}\n" +
                            minimal_yaml());
  EXPECT_TRUE(has_error(r, "flood.per_sender.max_report",
                        {.line = 3, .column = 5, .hint = "did you mean \"max_reports\"?"}));
  EXPECT_TRUE(has_error(r, "flood.burts", {.line = 4, .column = 3}));
}

TEST(ValidateFlood, BadDurationsHaveLineAndColumn) {
  const LoadResult r = load("flood:\n"
                            "  per_sender: {max_reports: 3, window: \"ten minutes\"}\n"
                            "  per_region: {max_reports: 3, window: \"-5m\"}\n"
                            "  burst:\n"
                            "    window: \"1500ms\"\n" +
                            minimal_yaml());
  EXPECT_TRUE(has_error(r, "flood.per_sender.window",
                        {.line = 2, .message = "expected a duration, found \"ten minutes\""}));
  EXPECT_TRUE(has_error(r, "flood.per_region.window"));
  EXPECT_TRUE(has_error(r, "flood.burst.window", {.line = 5, .column = 13}));
}

TEST(ValidateFlood, LimitsAndBlocklistProblems) {
  const LoadResult r = load("flood:\n"
                            "  per_sender: {max_reports: -1}\n"
                            "  per_region: {max_reports: 4, window: 0}\n"
                            "  blocklist: [\"(213) 555-0999\", \"+12135550999\", \"+12135550999\"]\n"
                            "  low_trust_rejections: -2\n"
                            "  burst: {window: 0, new_reporters: 0, max_operator_pages_per_window: -1}\n" +
                            minimal_yaml());
  EXPECT_TRUE(has_error(r, "flood.per_sender.max_reports"));
  EXPECT_TRUE(has_error(r, "flood.per_region.window", {.line = 3}));
  EXPECT_EQ(error_at(r, "flood.blocklist[0]").message.find("555"), std::string::npos)
      << "never quote a number";
  EXPECT_FALSE(has_error(r, "flood.blocklist[1]"));
  EXPECT_TRUE(has_warning(r, "flood.blocklist[2]"));  // a duplicate
  for (const char* path : {"flood.low_trust_rejections", "flood.burst.window",
                           "flood.burst.new_reporters", "flood.burst.max_operator_pages_per_window"})
    EXPECT_TRUE(has_error(r, path));
}

}  // namespace
}  // namespace centinela::config::testing

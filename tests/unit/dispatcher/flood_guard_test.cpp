// judge_report: every flood rule as a row of facts and the verdict it must give.
#include <gtest/gtest.h>

#include "dispatcher/queue/flood_guard.hpp"

namespace centinela::queue {
namespace {

config::FloodPolicy policy() {
  config::FloodPolicy p;
  p.per_sender = {3, std::chrono::minutes{10}};
  p.per_region = {5, std::chrono::minutes{10}};
  p.low_trust_rejections = 2;
  p.burst.window = std::chrono::minutes{10};
  p.burst.new_reporters = 4;
  p.burst.max_operator_pages_per_window = 2;
  return p;
}

// A known reporter with nothing against them: the baseline each row changes.
FloodFacts known() {
  FloodFacts f;
  f.has_reporter = true;
  return f;
}

FloodFacts with(FloodFacts f, auto change) {
  change(f);
  return f;
}

struct Case {
  const char* label;
  FloodFacts facts;
  bool quarantine;
  const char* reason;
  bool burst;
};

TEST(FloodGuard, Table) {
  const Case cases[] = {
      {"a known reporter pages", known(), false, "", false},
      {"anonymous, quiet region", FloodFacts{}, false, "", false},
      {"blocklisted", with(known(), [](auto& f) { f.blocked = true; }), true, "blocklist", false},
      {"blocklist wins over every other reason",
       with(known(), [](auto& f) { f.blocked = true; f.rejected = 9; f.sender_recent = 9; }), true, "blocklist", false},
      {"two rejections, none confirmed", with(known(), [](auto& f) { f.rejected = 2; }), true, "low_trust", false},
      {"one rejection is not enough", with(known(), [](auto& f) { f.rejected = 1; }), false, "", false},
      {"a confirmed report redeems rejections",
       with(known(), [](auto& f) { f.rejected = 5; f.confirmed = 1; }), false, "", false},
      {"under the sender limit", with(known(), [](auto& f) { f.sender_recent = 2; }), false, "", false},
      {"at the sender limit", with(known(), [](auto& f) { f.sender_recent = 3; }), true, "sender_rate_limit", false},
      {"sender limit needs a reporter", with(FloodFacts{}, [](auto& f) { f.sender_recent = 9; }), false, "", false},
      {"under the region limit", with(known(), [](auto& f) { f.region_recent = 4; }), false, "", false},
      {"at the region limit", with(known(), [](auto& f) { f.region_recent = 5; }), true, "region_rate_limit", false},
      {"region limit holds for anonymous reports", with(FloodFacts{}, [](auto& f) { f.region_recent = 5; }),
       true, "region_rate_limit", false},
      {"a new number before any burst pages", with(known(), [](auto& f) { f.new_reporter = true; }), false, "", false},
      {"the 4th new number starts a burst, still under the page cap",
       with(known(), [](auto& f) { f.new_reporter = true; f.new_recent = 3; f.new_paged_recent = 1; }), false, "", true},
      {"new numbers past the page cap",
       with(known(), [](auto& f) { f.new_reporter = true; f.new_recent = 40; f.new_paged_recent = 2; }), true,
       "flood_page_cap", true},
      {"the page cap holds before a burst is recognized",
       with(known(), [](auto& f) { f.new_reporter = true; f.new_recent = 2; f.new_paged_recent = 2; }), true,
       "flood_page_cap", false},
      {"a known number is not held by the new-number cap",
       with(known(), [](auto& f) { f.new_recent = 40; f.new_paged_recent = 2; }), false, "", false},
      {"a blocklisted new number in a burst is still grouped",
       with(known(), [](auto& f) { f.blocked = true; f.new_reporter = true; f.new_recent = 10; }), true, "blocklist",
       true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto v = judge_report(c.facts, policy());
    EXPECT_EQ(v.quarantine, c.quarantine);
    EXPECT_EQ(v.reason, c.reason);
    EXPECT_EQ(v.page_operators, !c.quarantine);
    EXPECT_EQ(v.burst, c.burst);
  }
}

TEST(FloodGuard, ZeroTurnsLimitsOff) {
  auto p = policy();
  p.per_sender.max_reports = 0;
  p.per_region.max_reports = 0;
  p.low_trust_rejections = 0;
  const auto v = judge_report(with(known(), [](auto& f) { f.sender_recent = 99; f.region_recent = 99; f.rejected = 99; }), p);
  EXPECT_FALSE(v.quarantine) << v.reason;
}

TEST(FloodGuard, ZeroPagesMeansNewNumbersNeverPage) {
  auto p = policy();
  p.burst.max_operator_pages_per_window = 0;
  const auto v = judge_report(with(known(), [](auto& f) { f.new_reporter = true; }), p);
  EXPECT_TRUE(v.quarantine);
  EXPECT_EQ(v.reason, "flood_page_cap");
}

}  // namespace
}  // namespace centinela::queue

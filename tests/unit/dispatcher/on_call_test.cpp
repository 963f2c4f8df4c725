// Who is on shift: weekly schedules (past midnight too) and ON/OFF overrides that last until the
// next shift boundary, on the wall clock of the operator's zone whatever the machine's TZ.
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "dispatcher/core/time_zones.hpp"
#include "dispatcher/queue/on_call.hpp"
#include "tests/support/test_config.hpp"

namespace centinela::queue {
namespace {

using namespace std::chrono;

constexpr int friday = 5;
constexpr int saturday = 6;

// Thursday 2026-11-26 at hh:mm UTC, plus `days`.
Timestamp at(int days, int hh, int mm = 0) {
  return sys_days{year{2026} / 11 / 26} + days * 24h + hours{hh} + minutes{mm};
}

const date::time_zone& utc = *date::locate_zone("UTC");
const date::time_zone& los_angeles = *date::locate_zone("America/Los_Angeles");

class OnCall : public ::testing::Test {
 protected:
  // A machine zone that no schedule here uses: nothing may depend on it.
  void SetUp() override {
    const char* old = std::getenv("TZ");
    saved_tz_ = old ? std::optional<std::string>(old) : std::nullopt;
    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
  }
  void TearDown() override {
    saved_tz_ ? setenv("TZ", saved_tz_->c_str(), 1) : unsetenv("TZ");
    tzset();
  }
  std::optional<std::string> saved_tz_;
  // Friday and Saturday nights, 22:00 to 06:00 the next morning.
  config::Operator night_shift() {
    config::Operator op;
    op.name = "Ana";
    op.schedule = {{{friday, saturday}, 22 * 60, 6 * 60}};
    return op;
  }
};

TEST_F(OnCall, WithoutAScheduleOnUntilOff) {
  config::Operator op;
  EXPECT_TRUE(is_on_call(op, utc, std::nullopt, at(0, 3)));
  EXPECT_FALSE(is_on_call(op, utc, DutyOverride{false, at(0, 1)}, at(30, 3))) << "OFF lasts with no shift to end it";
  EXPECT_TRUE(is_on_call(op, utc, DutyOverride{true, at(0, 2)}, at(0, 3)));
}

TEST_F(OnCall, ScheduleRunsPastMidnight) {
  const auto op = night_shift();
  EXPECT_FALSE(is_on_call(op, utc, std::nullopt, at(1, 21, 59))) << "Friday before the shift";
  EXPECT_TRUE(is_on_call(op, utc, std::nullopt, at(1, 22)));
  EXPECT_TRUE(is_on_call(op, utc, std::nullopt, at(2, 5, 59))) << "Saturday morning, still Friday's shift";
  EXPECT_FALSE(is_on_call(op, utc, std::nullopt, at(2, 6)));
  EXPECT_TRUE(is_on_call(op, utc, std::nullopt, at(3, 3))) << "Sunday morning: Saturday's shift";
  EXPECT_FALSE(is_on_call(op, utc, std::nullopt, at(0, 23))) << "Thursday is not a shift day";
}

TEST_F(OnCall, SaturdayNightWrapsIntoTheNextWeek) {
  const auto op = night_shift();
  EXPECT_TRUE(is_on_call(op, utc, std::nullopt, at(3, 0, 30)));
  EXPECT_FALSE(is_on_call(op, utc, std::nullopt, at(3, 6, 1)));
}

TEST_F(OnCall, OverrideHoldsUntilTheNextBoundary) {
  const auto op = night_shift();
  // OFF at Friday 23:00 in the middle of the shift: off until the shift ends at 06:00...
  const DutyOverride off{false, at(1, 23)};
  EXPECT_FALSE(is_on_call(op, utc, off, at(2, 2)));
  // ...and Saturday's shift starts as scheduled: the override is older than that boundary.
  EXPECT_TRUE(is_on_call(op, utc, off, at(2, 22, 30)));
  // ON on Thursday, outside any shift: on until Friday's shift starts; then the schedule rules.
  const DutyOverride on{true, at(0, 12)};
  EXPECT_TRUE(is_on_call(op, utc, on, at(1, 12)));
  EXPECT_TRUE(is_on_call(op, utc, on, at(1, 23)));
  EXPECT_FALSE(is_on_call(op, utc, on, at(2, 7))) << "after Friday's shift ended the schedule rules again";
}

TEST_F(OnCall, LastBoundaryIsTheLatestStartOrEnd) {
  const auto op = night_shift();
  EXPECT_EQ(last_shift_boundary(op, utc, at(2, 12)), at(2, 6));
  EXPECT_EQ(last_shift_boundary(op, utc, at(1, 23, 15)), at(1, 22));
  EXPECT_EQ(last_shift_boundary(op, utc, at(0, 12)), at(-4, 6)) << "Sunday 06:00, the end of last Saturday's shift";
  EXPECT_FALSE(last_shift_boundary(config::Operator{}, utc, at(0, 0)));
}

TEST_F(OnCall, ShiftsRunOnTheOperatorsZoneNotTheMachines) {
  const auto op = night_shift();
  // Friday 22:00 in Los Angeles (PST) is Saturday 06:00 UTC; 22:00 UTC is 14:00 there.
  EXPECT_FALSE(is_on_call(op, los_angeles, std::nullopt, at(1, 22)));
  EXPECT_TRUE(is_on_call(op, los_angeles, std::nullopt, at(2, 6)));
  EXPECT_TRUE(is_on_call(op, los_angeles, std::nullopt, at(2, 13, 59)));
  EXPECT_FALSE(is_on_call(op, los_angeles, std::nullopt, at(2, 14))) << "06:00 PST";
  EXPECT_EQ(last_shift_boundary(op, los_angeles, at(2, 12)), at(2, 6));
}

TEST_F(OnCall, LastBoundaryIsExactAcrossADaylightSavingChange) {
  const auto op = night_shift();
  // Saturday 2027-03-13 22:00 PST (06:00 UTC Sunday) to Sunday 06:00 PDT (13:00 UTC): clocks
  // went forward at 02:00, so at 05:00 PDT the shift started six hours ago, not the seven the
  // wall clock shows.
  const auto sunday = [](int hh, int mm = 0) {
    return sys_days{year{2027} / 3 / 14} + hours{hh} + minutes{mm};
  };
  EXPECT_EQ(last_shift_boundary(op, los_angeles, sunday(12)), sunday(6));
  EXPECT_TRUE(is_on_call(op, los_angeles, std::nullopt, sunday(12, 59)));
  EXPECT_FALSE(is_on_call(op, los_angeles, std::nullopt, sunday(13)));
  EXPECT_EQ(last_shift_boundary(op, los_angeles, sunday(14)), sunday(13));
  // OFF at 01:30 PST holds until the shift ends at 06:00 PDT.
  EXPECT_FALSE(is_on_call(op, los_angeles, DutyOverride{false, sunday(9, 30)}, sunday(12, 30)));
}

TEST(OperatorZone, ShiftsFollowTheZoneOfTheOperatorsFirstRegion) {
  auto c = testing::test_config();  // Ana: la; Beto: la-east (below la); Cruz: sd
  c.time_zone = "America/Los_Angeles";
  c.regions.at(0).time_zone = "America/Chicago";
  const TimeZones zones{c};
  EXPECT_EQ(zones.of_operator(c.operators.at(1)).name(), "America/Chicago") << "inherited from la";
  EXPECT_EQ(zones.of_operator(c.operators.at(2)).name(), "America/Los_Angeles") << "the top level";
  EXPECT_EQ(zones.of_operator(config::Operator{}).name(), "America/Los_Angeles") << "no regions";
}

}  // namespace
}  // namespace centinela::queue

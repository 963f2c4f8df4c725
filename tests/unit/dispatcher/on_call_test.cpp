// Who is on shift: weekly schedules (past midnight too) and ON/OFF overrides that last until the
// next shift boundary. Read in UTC here, so the test does not depend on the machine's zone.
#include <cstdlib>
#include <ctime>

#include <gtest/gtest.h>

#include "dispatcher/queue/on_call.hpp"

namespace centinela::queue {
namespace {

using namespace std::chrono;

constexpr int friday = 5;
constexpr int saturday = 6;

// Thursday 2026-11-26 at hh:mm UTC, plus `days`.
Timestamp at(int days, int hh, int mm = 0) {
  return sys_days{year{2026} / 11 / 26} + days * 24h + hours{hh} + minutes{mm};
}

class OnCall : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
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
  EXPECT_TRUE(is_on_call(op, std::nullopt, at(0, 3)));
  EXPECT_FALSE(is_on_call(op, DutyOverride{false, at(0, 1)}, at(30, 3))) << "OFF lasts with no shift to end it";
  EXPECT_TRUE(is_on_call(op, DutyOverride{true, at(0, 2)}, at(0, 3)));
}

TEST_F(OnCall, ScheduleRunsPastMidnight) {
  const auto op = night_shift();
  EXPECT_FALSE(is_on_call(op, std::nullopt, at(1, 21, 59))) << "Friday before the shift";
  EXPECT_TRUE(is_on_call(op, std::nullopt, at(1, 22)));
  EXPECT_TRUE(is_on_call(op, std::nullopt, at(2, 5, 59))) << "Saturday morning, still Friday's shift";
  EXPECT_FALSE(is_on_call(op, std::nullopt, at(2, 6)));
  EXPECT_TRUE(is_on_call(op, std::nullopt, at(3, 3))) << "Sunday morning: Saturday's shift";
  EXPECT_FALSE(is_on_call(op, std::nullopt, at(0, 23))) << "Thursday is not a shift day";
}

TEST_F(OnCall, SaturdayNightWrapsIntoTheNextWeek) {
  const auto op = night_shift();
  EXPECT_TRUE(is_on_call(op, std::nullopt, at(3, 0, 30)));
  EXPECT_FALSE(is_on_call(op, std::nullopt, at(3, 6, 1)));
}

TEST_F(OnCall, OverrideHoldsUntilTheNextBoundary) {
  const auto op = night_shift();
  // OFF at Friday 23:00 in the middle of the shift: off until the shift ends at 06:00...
  const DutyOverride off{false, at(1, 23)};
  EXPECT_FALSE(is_on_call(op, off, at(2, 2)));
  // ...and Saturday's shift starts as scheduled: the override is older than that boundary.
  EXPECT_TRUE(is_on_call(op, off, at(2, 22, 30)));
  // ON on Thursday, outside any shift: on until Friday's shift starts; then the schedule rules.
  const DutyOverride on{true, at(0, 12)};
  EXPECT_TRUE(is_on_call(op, on, at(1, 12)));
  EXPECT_TRUE(is_on_call(op, on, at(1, 23)));
  EXPECT_FALSE(is_on_call(op, on, at(2, 7))) << "after Friday's shift ended the schedule rules again";
}

TEST_F(OnCall, LastBoundaryIsTheLatestStartOrEnd) {
  const auto op = night_shift();
  EXPECT_EQ(last_shift_boundary(op, at(2, 12)), at(2, 6));
  EXPECT_EQ(last_shift_boundary(op, at(1, 23, 15)), at(1, 22));
  EXPECT_EQ(last_shift_boundary(op, at(0, 12)), at(-4, 6)) << "Sunday 06:00, the end of last Saturday's shift";
  EXPECT_FALSE(last_shift_boundary(config::Operator{}, at(0, 0)));
}

}  // namespace
}  // namespace centinela::queue

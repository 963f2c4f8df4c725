// parse_duration: the forms people write, and everything it must refuse.
#include <gtest/gtest.h>

#include "config/duration.hpp"

namespace centinela::config {
namespace {

using std::chrono::milliseconds;

TEST(Duration, AcceptsUnitsAndBareSeconds) {
  EXPECT_EQ(parse_duration("2h"), milliseconds{2 * 3600 * 1000});
  EXPECT_EQ(parse_duration("90s"), milliseconds{90'000});
  EXPECT_EQ(parse_duration("500ms"), milliseconds{500});
  EXPECT_EQ(parse_duration("15m"), milliseconds{15 * 60 * 1000});
  EXPECT_EQ(parse_duration("1h30m"), milliseconds{90 * 60 * 1000});
  EXPECT_EQ(parse_duration("120"), milliseconds{120'000});
  EXPECT_EQ(parse_duration("0"), milliseconds{0});
}

TEST(Duration, RefusesAnythingElse) {
  for (const char* bad : {"", "-5s", "1.5h", "10 s", "5d", "h", "1h30", "s10", "99999999999999h",
                          "3600000000000"})
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
}

}  // namespace
}  // namespace centinela::config

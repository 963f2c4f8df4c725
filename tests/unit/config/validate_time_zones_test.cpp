// Time zones in the config: the top-level zone (the machine's when left out), per-region overrides and their
// inheritance, unknown names rejected at their position with a suggestion.
#include <gtest/gtest.h>

#include "config/time_zone.hpp"
#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

// la (no zone of its own) -> la-east; az (America/Phoenix) -> az-south (none of its own).
const std::string tree = "regions:\n"
                         "  - {id: la, name: LA}\n"
                         "  - {id: la-east, name: East LA, parent: la}\n"
                         "  - {id: az, name: Arizona, parent: la, time_zone: America/Phoenix}\n"
                         "  - {id: az-south, name: Tucson, parent: az}\n";

TEST(ValidateTimeZones, ALeftOutTimeZoneIsTheMachinesWithAWarning) {
  // A configuration from before time zones still starts, on the clock it always ran on.
  const LoadResult r = load(with_time_zone(""), {{"TZ", ":America/Chicago"}});
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->time_zone, "America/Chicago");
  EXPECT_TRUE(has_warning(r, "time_zone", {.message_part = "America/Chicago"})) << dump(r);
  const LoadResult without_tz = load(with_time_zone(""));
  ASSERT_TRUE(without_tz.ok()) << dump(without_tz);
  EXPECT_FALSE(without_tz.config->time_zone.empty()) << "/etc/localtime, else UTC";
}

TEST(ValidateTimeZones, UnknownTopLevelZoneIsRejectedAtItsPositionWithTheClosestName) {
  const LoadResult r = load("time_zone: America/Los_Angles\n" + with_time_zone(""));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.path = "time_zone", .line = 1, .column = 12,
                                    .message = "unknown time zone \"America/Los_Angles\"",
                                    .hint = "did you mean \"America/Los_Angeles\"?"}));
}

TEST(ValidateTimeZones, ZoneNamesAreExactButTheHintFixesTheCase) {
  const LoadResult r = load("time_zone: america/new_york\n" + with_time_zone(""));
  EXPECT_TRUE(has_error(r, "time_zone", {.hint = "did you mean \"America/New_York\"?"}));
}

TEST(ValidateTimeZones, AnAbbreviationIsNotAZoneButTheHintNamesOne) {
  const LoadResult r = load("time_zone: PST\n" + with_time_zone(""));
  EXPECT_TRUE(has_error(r, "time_zone", {.hint = "\"PST\" is not a zone name: did you mean \"America/Los_Angeles\"?"}));
}

TEST(ValidateTimeZones, TheMachinesLocaltimeIsRejected) {
  const LoadResult r = load("time_zone: localtime\n" + with_time_zone(""));
  EXPECT_TRUE(has_error(r, "time_zone", {.line = 1}));
}

TEST(ValidateTimeZones, UnknownRegionZoneIsRejectedAtItsPosition) {
  const LoadResult r = load(with_regions("regions:\n"
                                         "  - {id: la, name: LA}\n"
                                         "  - id: az\n"
                                         "    name: Arizona\n"
                                         "    parent: la\n"
                                         "    time_zone: America/Pheonix\n"));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_TRUE(matches(r.errors[0], {.path = "regions[1].time_zone", .line = 8, .column = 16,
                                    .hint = "did you mean \"America/Phoenix\"?"}));
}

TEST(ValidateTimeZones, RegionsInheritTheNearestAncestorsZoneElseTheTopLevelOne) {
  const LoadResult r = load(with_regions(tree));
  ASSERT_TRUE(r.ok()) << dump(r);
  const Config& c = *r.config;
  EXPECT_EQ(c.time_zone, "America/Los_Angeles");
  EXPECT_EQ(region_time_zone(c, "az"), "America/Phoenix") << "its own";
  EXPECT_EQ(region_time_zone(c, "az-south"), "America/Phoenix") << "its parent's";
  EXPECT_EQ(region_time_zone(c, "la-east"), "America/Los_Angeles") << "nobody above sets one: the top level";
  EXPECT_EQ(region_time_zone(c, ""), "America/Los_Angeles") << "unknown region: the top level";
}

TEST(ValidateTimeZones, OperatorsShiftsFollowTheirFirstRegionAndAMixIsWarned) {
  const LoadResult r = load(replace_between(with_regions(tree), "operators:\n", "providers:\n",
                                            "operators:\n"
                                            "  - name: Op\n"
                                            "    phone: \"+12135550123\"\n"
                                            "    regions: [az-south, la]\n"
                                            "    schedule: [{days: daily, start: \"18:00\", end: \"06:00\"}]\n"
                                            "  - {name: Plain, phone: \"+12135550124\", regions: [la, az]}\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  const Config& c = *r.config;
  EXPECT_EQ(operator_time_zone(c, c.operators[0]), "America/Phoenix");
  EXPECT_EQ(operator_time_zone(c, c.operators[1]), "America/Los_Angeles");
  EXPECT_TRUE(has_warning(r, "operators[0].schedule",
                          {.message = "shifts are read in America/Phoenix, the time zone of az-south (the "
                                      "operator's first region), but la is in America/Los_Angeles",
                           .hint = "list first the region whose clock the shifts follow"}));
  EXPECT_EQ(find_at(r.warnings, "operators[1].schedule"), nullptr) << "no shifts, nothing to read wrong";
}

TEST(ValidateTimeZones, FixedOffsetAndInvertedSignZonesAreWarned) {
  const LoadResult est = load("time_zone: EST\n" + with_time_zone(""));
  ASSERT_TRUE(est.ok()) << dump(est);
  EXPECT_TRUE(has_warning(est, "time_zone", {.hint = "name the place instead, e.g. \"America/New_York\""}));
  const LoadResult etc = load("time_zone: Etc/GMT+3\n" + with_time_zone(""));
  EXPECT_TRUE(has_warning(etc, "time_zone", {.message = "\"Etc/GMT+3\" is UTC-3: POSIX inverts the sign"}));
  EXPECT_EQ(find_at(load(minimal_yaml()).warnings, "time_zone"), nullptr) << "a place name is not warned";
}

}  // namespace
}  // namespace centinela::config::testing

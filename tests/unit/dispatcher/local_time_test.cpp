// {time} in alert texts: the region's wall clock with the zone's abbreviation for that instant,
// the zone inherited down the region tree, and the process's TZ playing no part.
#include <cstdlib>
#include <ctime>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "dispatcher/core/context.hpp"
#include "dispatcher/core/local_time.hpp"
#include "tests/support/test_config.hpp"

namespace centinela {
namespace {

using namespace std::chrono;

Timestamp utc(year_month_day day, int hh, int mm) { return sys_days{day} + hours{hh} + minutes{mm}; }

// 2026-07-15 and 2026-01-15, 21:05 / 22:05 UTC: 14:05 in Los Angeles both times.
const Timestamp summer = utc(year{2026} / 7 / 15, 21, 5);
const Timestamp winter = utc(year{2026} / 1 / 15, 22, 5);

std::string at(const char* zone, Timestamp t) { return clock_time_text(*date::locate_zone(zone), t); }

TEST(LocalTime, LosAngelesShowsPdtInSummerAndPstInWinter) {
  EXPECT_EQ(at("America/Los_Angeles", summer), "14:05 PDT");
  EXPECT_EQ(at("America/Los_Angeles", winter), "14:05 PST");
}

TEST(LocalTime, NewYorkShowsEdtInSummerAndEstInWinter) {
  EXPECT_EQ(at("America/New_York", summer), "17:05 EDT");
  EXPECT_EQ(at("America/New_York", winter), "17:05 EST");
}

TEST(LocalTime, ZonesWithoutDaylightSavingKeepOneAbbreviation) {
  EXPECT_EQ(at("America/Phoenix", summer), "14:05 MST");
  EXPECT_EQ(at("America/Phoenix", winter), "15:05 MST");
  EXPECT_EQ(at("America/Mexico_City", summer), "15:05 CST") << "Mexico ended daylight saving time in 2022";
}

TEST(LocalTime, NumericAbbreviationsAreWrittenAsUtcOffsets) {
  EXPECT_EQ(at("America/Sao_Paulo", summer), "18:05 UTC-3");
  EXPECT_EQ(at("Asia/Kathmandu", summer), "02:50 UTC+5:45") << "the next day, past midnight";
  EXPECT_EQ(at("UTC", summer), "21:05 UTC");
}

class AlertTime : public ::testing::Test {
 protected:
  // la (America/New_York here) -> la-east, la-south; sd: no zone, so the top-level one.
  AlertTime() : config_(make_config()), cipher_(testing::test_data_key), clock_(winter), ctx_(config_, cipher_, clock_) {}

  static config::Config make_config() {
    auto c = testing::test_config();
    c.time_zone = "America/Los_Angeles";
    c.regions.at(0).time_zone = "America/New_York";
    return c;
  }

  config::Config config_;
  storage::DataCipher cipher_;
  ManualClock clock_;
  Context ctx_;
};

TEST_F(AlertTime, ARegionInheritsItsParentsZone) {
  EXPECT_EQ(alert_time_text(ctx_, "la", winter), "17:05 EST");
  EXPECT_EQ(alert_time_text(ctx_, "la-east", winter), "17:05 EST");
  EXPECT_EQ(alert_time_text(ctx_, "la-east", summer), "17:05 EDT");
}

TEST_F(AlertTime, ARegionWithNoZoneAboveItUsesTheTopLevelOne) {
  EXPECT_EQ(alert_time_text(ctx_, "sd", winter), "14:05 PST");
  EXPECT_EQ(alert_time_text(ctx_, "", winter), "14:05 PST") << "unknown region";
  EXPECT_EQ(alert_time_text(ctx_, "no-such-region", summer), "14:05 PDT");
}

TEST_F(AlertTime, TheProcessTimeZoneIsIgnored) {
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  setenv("TZ", "Asia/Tokyo", 1);
  tzset();
  const auto text = alert_time_text(ctx_, "sd", winter);
  old ? setenv("TZ", saved.c_str(), 1) : unsetenv("TZ");
  tzset();
  EXPECT_EQ(text, "14:05 PST");
}

TEST(TimeZonesAtStartUp, AnUnknownZoneStopsTheStartUp) {
  auto c = testing::test_config();
  c.regions.at(1).time_zone = "Mars/Olympus_Mons";
  EXPECT_THROW(TimeZones{c}, std::runtime_error);
  c = testing::test_config();
  c.time_zone.clear();
  EXPECT_THROW(TimeZones{c}, std::runtime_error) << "a config built in code must name its zone too";
}

}  // namespace
}  // namespace centinela

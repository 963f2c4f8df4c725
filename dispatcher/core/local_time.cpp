#include "dispatcher/core/local_time.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include "dispatcher/core/context.hpp"

namespace centinela {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// tzdata's numeric abbreviations, "-03" or "+0545", as "UTC-3" and "UTC+5:45"; letters unchanged.
std::string readable_abbreviation(std::string_view abbrev) {
  const bool numeric = abbrev.size() >= 3 && (abbrev[0] == '+' || abbrev[0] == '-') &&
                       all_digits(abbrev.substr(1)) && (abbrev.size() == 3 || abbrev.size() == 5);
  if (!numeric) return std::string(abbrev);
  const int hours = (abbrev[1] - '0') * 10 + (abbrev[2] - '0');
  const int minutes = abbrev.size() == 5 ? (abbrev[3] - '0') * 10 + (abbrev[4] - '0') : 0;
  if (hours == 0 && minutes == 0) return "UTC";
  if (minutes == 0) return fmt::format("UTC{}{}", abbrev[0], hours);
  return fmt::format("UTC{}{}:{:02}", abbrev[0], hours, minutes);
}

}  // namespace

std::string clock_time_text(const date::time_zone& zone, Timestamp t) {
  using namespace std::chrono;
  // get_info is const and reads data loaded at start-up (TimeZones), so database threads may
  // call this at once with no lock.
  const auto instant = floor<seconds>(t);
  const date::sys_info info = zone.get_info(instant);
  const auto wall = instant + info.offset;  // the local clock, counted like UTC
  const auto of_day = floor<minutes>(wall - floor<days>(wall));
  return fmt::format("{:02}:{:02} {}", of_day.count() / 60, of_day.count() % 60,
                     readable_abbreviation(info.abbrev));
}

std::string alert_time_text(const Context& ctx, std::string_view region_id, Timestamp t) {
  return clock_time_text(ctx.time_zones().of_region(region_id), t);
}

}  // namespace centinela

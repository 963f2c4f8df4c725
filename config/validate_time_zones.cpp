// Checks of the time zones: a left-out top-level time_zone is warned about, every name must be in the tz
// database, valid names that read wrong get a warning, and an operator whose regions lie in
// several zones is told which one their shifts follow.
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "config/suggest.hpp"
#include "config/time_zone.hpp"
#include "config/validate_detail.hpp"

namespace centinela::config::detail {
namespace {

constexpr std::string_view example_hint =
    "an IANA name such as \"America/Los_Angeles\", as listed under /usr/share/zoneinfo";

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// What people write instead of a zone name. Edit distance would offer "MST" for "PST", so the
// abbreviations of the US zones are looked up by name first.
std::optional<std::string_view> zone_for_abbreviation(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 15> table{{
      {"pst", "America/Los_Angeles"}, {"pdt", "America/Los_Angeles"}, {"pacific", "America/Los_Angeles"},
      {"cst", "America/Chicago"},     {"cdt", "America/Chicago"},     {"central", "America/Chicago"},
      {"mdt", "America/Denver"},      {"mountain", "America/Denver"}, {"edt", "America/New_York"},
      {"eastern", "America/New_York"}, {"akst", "America/Anchorage"}, {"akdt", "America/Anchorage"},
      {"hawaii", "Pacific/Honolulu"}, {"arizona", "America/Phoenix"}, {"ast", "America/Puerto_Rico"}}};
  const std::string key = lower(word);
  for (const auto& [abbreviation, zone] : table)
    if (abbreviation == key) return zone;
  return std::nullopt;
}

std::string unknown_zone_hint(std::string_view name) {
  if (const auto zone = zone_for_abbreviation(name))
    return fmt::format("\"{}\" is not a zone name: did you mean \"{}\"?", name, *zone);
  // Place names only ("Area/Location", and UTC): the legacy short names are traps (see below).
  std::vector<std::string_view> places{"UTC"};
  for (const auto& zone : time_zone_names())
    if (zone.find('/') != std::string::npos) places.push_back(zone);
  if (auto close = closest_match(name, places); !close.empty())
    return fmt::format("did you mean \"{}\"?", close);
  return std::string{example_hint};
}

// Valid names that show members the wrong hour or a puzzling zone: "EST", "MST" and "HST" never
// change for daylight saving time (tzdata 2024b made them links to Panama, Phoenix and Honolulu),
// the POSIX-style "EST5EDT" names belong to no place, and "Etc/GMT+3" is UTC-3.
std::optional<std::pair<std::string, std::string>> misleading_zone(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> legacy{{
      {"EST", "America/New_York"}, {"MST", "America/Denver"}, {"HST", "Pacific/Honolulu"},
      {"EST5EDT", "America/New_York"}, {"CST6CDT", "America/Chicago"},
      {"MST7MDT", "America/Denver"}, {"PST8PDT", "America/Los_Angeles"}}};
  for (const auto& [legacy_name, place] : legacy) {
    if (name != legacy_name) continue;
    const std::string what = name.size() == 3
                                 ? fmt::format("\"{}\" never changes for daylight saving time", name)
                                 : fmt::format("\"{}\" is a legacy name, not a place", name);
    return std::pair{what, fmt::format("name the place instead, e.g. \"{}\"", place)};
  }
  if ((name.starts_with("Etc/GMT+") || name.starts_with("Etc/GMT-")) && name.substr(8) != "0")
    return std::pair{fmt::format("\"{}\" is UTC{}{}: POSIX inverts the sign", name,
                                 name[7] == '+' ? '-' : '+', name.substr(8)),
                     std::string{"name the place instead, e.g. \"America/Sao_Paulo\""}};
  return std::nullopt;
}

void check_zone(Reporter& r, const std::string& path, const std::string& name) {
  if (name == "localtime") {
    r.error(path, "\"localtime\" is whatever zone the machine is set to",
            "name the network's zone, e.g. \"America/Los_Angeles\", so the machine's setting never matters");
  } else if (!is_time_zone_name(name)) {
    r.error(path, fmt::format("unknown time zone \"{}\"", name), unknown_zone_hint(name));
  } else if (auto misleading = misleading_zone(name)) {
    r.warning(path, std::move(misleading->first), std::move(misleading->second));
  }
}

// Shifts follow the first region's clock; with regions in several zones that is a choice the
// coordinator should see once.
void check_operator_zones(Reporter& r, const Config& c) {
  for (std::size_t i = 0; i < c.operators.size(); ++i) {
    const Operator& op = c.operators[i];
    if (op.schedule.empty()) continue;
    const std::string& zone = operator_time_zone(c, op);
    for (const auto& region : op.regions) {
      const std::string& other = region_time_zone(c, region);
      if (other == zone) continue;
      r.warning(fmt::format("operators[{}].schedule", i),
                fmt::format("shifts are read in {}, the time zone of {} (the operator's first region), "
                            "but {} is in {}",
                            zone, op.regions.front(), region, other),
                "list first the region whose clock the shifts follow");
      break;
    }
  }
}

}  // namespace

void validate_time_zones(Reporter& r, const Config& c) {
  try {
    time_zone_names();
  } catch (const std::exception& e) {  // no zone can be checked, and the service could not run
    r.error("time_zone", fmt::format("cannot read the time zone database: {}", e.what()),
            "install the tzdata package (deploy/install-deps.sh does)");
    return;
  }
  check_zone(r, "time_zone", c.time_zone);  // parse_config fills a left-out one from the machine
  if (c.time_zone_from_machine)
    r.warning("time_zone",
              fmt::format("is not set: alert times and shifts follow this machine's zone ({})", c.time_zone),
              fmt::format("set the network's own zone, so moving the service changes nothing: {}", example_hint));
  for (std::size_t i = 0; i < c.regions.size(); ++i)
    if (!c.regions[i].time_zone.empty())
      check_zone(r, fmt::format("regions[{}].time_zone", i), c.regions[i].time_zone);
  check_operator_zones(r, c);
}

}  // namespace centinela::config::detail

// IANA time zone names in the configuration: which names the system's tz database knows, and
// which zone a region's alert times and an operator's shifts are read in (the inheritance rule,
// shared by check-config and by the dispatcher's start-up).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace centinela::config {

// Every zone name in the system's tz database (Debian's tzdata, /usr/share/zoneinfo), sorted.
// Read once. Throws std::runtime_error when the database cannot be read (tzdata missing).
const std::vector<std::string>& time_zone_names();

// The zone this machine runs in: $TZ when it names a zone ("America/Chicago" or ":America/Chicago"),
// else the zone /etc/localtime points to, else "UTC".
std::string machine_time_zone(const std::function<std::optional<std::string>(const std::string&)>& env);

// True when `name` is in time_zone_names() (exact spelling: "America/Los_Angeles").
bool is_time_zone_name(std::string_view name);

// The zone of region `region_id`: its own time_zone, else that of its nearest ancestor that sets
// one, else the top-level time_zone. An unknown or empty id (a report of unknown region) gets the
// top-level one.
const std::string& region_time_zone(const Config& c, std::string_view region_id);

// An operator's shifts follow the clock of their first region (the top-level zone when they list
// none): operators live where they respond, and a weekly shift cannot be translated into another
// zone whose daylight-saving dates differ.
const std::string& operator_time_zone(const Config& c, const Operator& op);

}  // namespace centinela::config

// The time zone of every region, looked up once at start-up: alert texts show a region's local
// time and operators' shifts run on their region's clock, whatever zone the machine is set to.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace date {
class time_zone;  // <date/tz.h> stays out of this widely included header
}

namespace centinela {

class TimeZones {
 public:
  // Resolves every region's zone (config::region_time_zone: inherited, else the top-level one).
  // Throws std::runtime_error for a name the tz database lacks: check-config rejects those, so
  // this means an unvalidated config or a tzdata that lost the zone.
  explicit TimeZones(const config::Config& cfg);

  // An unknown or empty id (a report of unknown region) gets the top-level zone.
  const date::time_zone& of_region(std::string_view region_id) const;
  // The zone of the operator's shifts: their first region's (config::operator_time_zone).
  const date::time_zone& of_operator(const config::Operator& op) const;
  const date::time_zone& top_level() const { return *top_level_; }

 private:
  const date::time_zone* top_level_ = nullptr;
  std::map<std::string, const date::time_zone*, std::less<>> by_region_;
};

}  // namespace centinela

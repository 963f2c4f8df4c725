#include "dispatcher/core/time_zones.hpp"

#include <stdexcept>

#include <date/tz.h>

#include "config/time_zone.hpp"

namespace centinela {
namespace {

const date::time_zone* locate(const std::string& name) {
  if (!config::is_time_zone_name(name))
    throw std::runtime_error("time zone \"" + name + "\" is not in the tz database (run check-config)");
  const date::time_zone* zone = date::locate_zone(name);
  // Reads the zone's file now, so a damaged tzdata stops the start-up instead of an alert text.
  zone->get_info(std::chrono::sys_seconds{});
  return zone;
}

}  // namespace

TimeZones::TimeZones(const config::Config& cfg) : top_level_(locate(cfg.time_zone)) {
  for (const auto& region : cfg.regions)
    by_region_.emplace(region.id, locate(config::region_time_zone(cfg, region.id)));
}

const date::time_zone& TimeZones::of_region(std::string_view region_id) const {
  const auto it = by_region_.find(region_id);
  return it == by_region_.end() ? *top_level_ : *it->second;
}

const date::time_zone& TimeZones::of_operator(const config::Operator& op) const {
  return op.regions.empty() ? *top_level_ : of_region(op.regions.front());
}

}  // namespace centinela

// Zone names from the tz database, and the region -> zone inheritance rule.
#include "config/time_zone.hpp"

#include <algorithm>

#include <date/tz.h>

namespace centinela::config {

const std::vector<std::string>& time_zone_names() {
  // If reading throws, the static is not initialized and the next call tries again.
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& zone : date::get_tzdb().zones) out.emplace_back(zone.name());
    std::sort(out.begin(), out.end());
    return out;
  }();
  return names;
}

std::string machine_time_zone(const std::function<std::optional<std::string>(const std::string&)>& env) {
  if (auto tz = env("TZ"); tz && !tz->empty()) {
    std::string name = tz->front() == ':' ? tz->substr(1) : *tz;
    if (is_time_zone_name(name)) return name;
  }
  try {
    return std::string(date::current_zone()->name());
  } catch (const std::exception&) {  // no /etc/localtime, or tzdata missing: check-config says which
    return "UTC";
  }
}

bool is_time_zone_name(std::string_view name) {
  const auto& names = time_zone_names();
  return std::binary_search(names.begin(), names.end(), name,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

const std::string& region_time_zone(const Config& c, std::string_view region_id) {
  const auto find = [&c](std::string_view id) -> const Region* {
    for (const auto& r : c.regions)
      if (r.id == id) return &r;
    return nullptr;
  };
  // Bounded by the region count: check-config rejects cycles, but this also runs on the config
  // it is checking.
  std::size_t steps = 0;
  for (const Region* r = find(region_id); r && steps <= c.regions.size(); r = find(r->parent), ++steps)
    if (!r->time_zone.empty()) return r->time_zone;
  return c.time_zone;
}

const std::string& operator_time_zone(const Config& c, const Operator& op) {
  return op.regions.empty() ? c.time_zone : region_time_zone(c, op.regions.front());
}

}  // namespace centinela::config

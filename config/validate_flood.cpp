// Checks of the flood defense: limits that can be met (a window whenever there is a maximum) and a
// blocklist of numbers written exactly as inbound texts carry them.
#include <map>
#include <string>

#include <fmt/format.h>

#include "config/validate_detail.hpp"

namespace centinela::config::detail {
namespace {

void check_limit(Reporter& r, const std::string& path, const RateLimit& limit) {
  if (limit.max_reports < 0)
    r.error(path + ".max_reports", "must be 0 (no limit) or more", "e.g. 3 reports per window");
  // A zero window would count nothing, so the limit would silently never apply.
  if (limit.max_reports > 0 && limit.window.count() <= 0)
    r.error(path + ".window", "must be longer than zero", "e.g. \"10m\"");
}

void check_blocklist(Reporter& r, const Config& c) {
  std::map<std::string, std::string> seen;  // number -> the path that first listed it
  for (std::size_t i = 0; i < c.flood.blocklist.size(); ++i) {
    const std::string path = fmt::format("flood.blocklist[{}]", i);
    const std::string& phone = c.flood.blocklist[i];
    // Messages never quote the number: problems may end up in logs, and numbers never should.
    if (!is_canonical_e164(phone)) {
      // Matched against the From of inbound texts, which is always canonical E.164.
      r.error(path, "is not a valid phone number written in E.164",
              "write '+', the country code and the number, no spaces: \"+12135550100\"");
    } else if (auto [it, fresh] = seen.emplace(phone, path); !fresh) {
      r.warning(path, fmt::format("same number as {}", it->second), "list each number once");
    }
  }
}

}  // namespace

void validate_flood(Reporter& r, const Config& c) {
  const auto& f = c.flood;
  check_limit(r, "flood.per_sender", f.per_sender);
  check_limit(r, "flood.per_region", f.per_region);
  check_blocklist(r, c);
  if (f.low_trust_rejections < 0)
    r.error("flood.low_trust_rejections", "must be 0 (never distrust) or more",
            "rejected reports, with none confirmed, after which a reporter is quarantined");
  if (f.burst.window.count() <= 0)
    r.error("flood.burst.window", "must be longer than zero", "e.g. \"10m\"");
  if (f.burst.new_reporters < 1)
    r.error("flood.burst.new_reporters", "must be at least 1",
            "reports from new numbers within the window that make a possible flood, e.g. 10");
  if (f.burst.max_operator_pages_per_window < 0)
    r.error("flood.burst.max_operator_pages_per_window", "must be 0 or more",
            "0 pages no one for reports from new numbers; they still wait in the queue");
}

}  // namespace centinela::config::detail

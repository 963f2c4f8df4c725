// Checks of operators: reachable phones, regions that exist, their own API token each (when they
// use the API), on-call shifts that mean something, enough operators over every region to reach
// its number of confirmations, and coordinators at the end of every escalation path.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "config/suggest.hpp"
#include "config/validate_detail.hpp"

namespace centinela::config::detail {
namespace {

std::string operator_path(std::size_t i) { return fmt::format("operators[{}]", i); }

void check_phone(Reporter& r, const std::string& path, const std::string& phone,
                 std::map<std::string, std::string>& phone_owner) {
  // Messages never quote the number: problems may end up in logs, and numbers never should.
  if (phone.empty()) {
    r.error(path, "is required", "the operator's mobile number in E.164, e.g. \"+12135550100\"");
  } else if (!is_canonical_e164(phone)) {
    r.error(path, "is not a valid phone number written in E.164",
            "write '+', the country code and the number, no spaces: \"+12135550100\"");
  } else if (auto [it, fresh] = phone_owner.emplace(phone, path); !fresh) {
    r.error(path, fmt::format("same phone number as {}", it->second),
            "inbound texts are matched to operators by number: each needs their own");
  }
}

void check_token(Reporter& r, const Config& c, const std::string& path, const std::string& hash,
                 std::map<std::string, std::string>& token_owner) {
  // Without a token the operator works by SMS only: the API refuses an empty hash.
  if (hash.empty()) return;
  if (!is_token_hash(hash)) {
    r.error(path, "must be \"sha256:\" followed by 64 lower-case hex digits",
            "run `centinela hash-token` and paste what it prints; never the token itself");
  } else if (hash == c.intake_token_hash) {
    r.error(path, "is the same token as intake_token_hash",
            "the public intake token must not grant operator rights: issue a separate token");
  } else if (auto [it, fresh] = token_owner.emplace(hash, path); !fresh) {
    r.error(path, fmt::format("same API token as {}", it->second),
            "each operator needs their own token so the audit trail names who acted");
  }
}

// Every region with the ids of itself and its ancestors, or nullopt when the chain is broken by
// a cycle or an unknown parent: those already have their own error, and counting along them
// would only add noise.
std::vector<std::optional<std::set<std::string_view>>> lineages(const Config& c) {
  std::map<std::string_view, const Region*> by_id;
  for (const auto& region : c.regions) by_id.emplace(region.id, &region);
  std::vector<std::optional<std::set<std::string_view>>> out;
  for (const auto& region : c.regions) {
    std::set<std::string_view> lineage;
    bool reaches_root = false;
    for (const Region* at = &region; at != nullptr;) {
      if (!lineage.insert(at->id).second) break;  // a cycle
      if (at->parent.empty()) {
        reaches_root = true;
        break;
      }
      auto parent = by_id.find(at->parent);
      at = parent == by_id.end() ? nullptr : parent->second;
    }
    out.push_back(reaches_root ? std::optional{std::move(lineage)} : std::nullopt);
  }
  return out;
}

// An operator covers a region when one of its regions is the region or an ancestor: reports go
// to the operators of their region and of every region above it.
bool covers(const Operator& op, const std::set<std::string_view>& lineage) {
  return std::any_of(op.regions.begin(), op.regions.end(),
                     [&](const std::string& id) { return lineage.contains(id); });
}

// If fewer operators cover a region than the confirmations it requires, no report there can ever
// become an alert: an error, whether the number comes from the region or from verification.
// A second approver for large alerts that nobody can give only holds those alerts: a warning.
void check_confirmations_reachable(Reporter& r, const Config& c,
                                   const std::vector<std::optional<std::set<std::string_view>>>& lines) {
  for (std::size_t i = 0; i < c.regions.size(); ++i) {
    if (!lines[i]) continue;
    const Region& region = c.regions[i];
    const int reachable = static_cast<int>(std::count_if(
        c.operators.begin(), c.operators.end(), [&](const Operator& op) { return covers(op, *lines[i]); }));
    const bool own = region.confirmations_required > 0;
    const int required = own ? region.confirmations_required : c.verification.confirmations_required;
    if (reachable < required) {
      r.error(own ? fmt::format("regions[{}].confirmations_required", i) : fmt::format("regions[{}]", i),
              fmt::format("reports in region \"{}\" can never be confirmed: {} operator(s) cover "
                          "it, {} is {}",
                          region.id, reachable,
                          own ? "its confirmations_required" : "verification.confirmations_required",
                          required),
              "add an operator for this region or one of its parents, or require fewer "
              "confirmations");
    } else if (c.verification.second_approver_above > 0 && reachable < 2) {
      r.warning(fmt::format("regions[{}]", i),
                fmt::format("alerts in region \"{}\" to more than {} members need a second "
                            "operator's YES, but only one operator covers it",
                            region.id, c.verification.second_approver_above),
                "add a second operator for this region or one of its parents, or raise "
                "verification.second_approver_above");
    }
  }
}

// Escalation's last tier pages coordinators. Once a network has any, a part of the tree none of
// them covers is a gap: a report nobody answers there would end up paging nobody. One warning
// names every such region (they include the top of the tree, so one coordinator there fixes all).
void check_coordinator_coverage(Reporter& r, const Config& c,
                                const std::vector<std::optional<std::set<std::string_view>>>& lines) {
  const auto is_coordinator = [](const Operator& op) { return op.role == OperatorRole::coordinator; };
  if (std::none_of(c.operators.begin(), c.operators.end(), is_coordinator)) return;
  std::vector<std::string_view> uncovered;
  std::optional<std::size_t> first;
  for (std::size_t i = 0; i < c.regions.size(); ++i) {
    if (!lines[i]) continue;
    const bool covered = std::any_of(c.operators.begin(), c.operators.end(), [&](const Operator& op) {
      return is_coordinator(op) && covers(op, *lines[i]);
    });
    if (covered) continue;
    if (!first) first = i;
    uncovered.push_back(c.regions[i].id);
  }
  if (!first) return;
  r.warning(fmt::format("regions[{}]", *first),
            fmt::format("no coordinator covers {} \"{}\": an unanswered report there escalates to "
                        "nobody",
                        uncovered.size() == 1 ? "region" : "regions",
                        fmt::join(uncovered, "\", \"")),
            "give a coordinator one of these regions or a region above them");
}

void check_schedule(Reporter& r, const std::string& path, const std::vector<Shift>& schedule) {
  const auto is_minute = [](int m) { return m >= 0 && m < 24 * 60; };
  for (std::size_t k = 0; k < schedule.size(); ++k) {
    const Shift& shift = schedule[k];
    const std::string shift_path = fmt::format("{}.schedule[{}]", path, k);
    if (shift.days.empty())
      r.error(shift_path + ".days", "at least one day is required",
              "e.g. [mon, tue], or one of daily, weekdays, weekends");
    for (const int day : shift.days) {
      if (day < 0 || day > 6) {
        r.error(shift_path + ".days", fmt::format("day {} is out of range", day),
                "0 = Sunday ... 6 = Saturday");
        break;
      }
    }
    if (!is_minute(shift.start_minute))
      r.error(shift_path + ".start", "is not a time of day", "24-hour clock, e.g. \"18:00\"");
    if (!is_minute(shift.end_minute) && shift.end_minute != 24 * 60)  // "24:00": end of the day
      r.error(shift_path + ".end", "is not a time of day", "24-hour clock, e.g. \"06:00\"");
    // Equal ends could mean no time at all or the whole day; neither is worth guessing.
    if (is_minute(shift.start_minute) && shift.start_minute == shift.end_minute)
      r.error(shift_path + ".end", "the shift ends when it starts",
              "for a whole day write start \"00:00\" and end \"24:00\"; an end before the start "
              "runs past midnight");
  }
}

}  // namespace

void validate_operators(Reporter& r, const Config& c) {
  if (c.operators.empty()) {
    r.error("operators", "at least one operator is required",
            "operators verify reports before anything is sent to members");
    return;
  }
  std::vector<std::string_view> region_ids;
  for (const auto& region : c.regions) region_ids.push_back(region.id);
  std::map<std::string, std::string> phone_owner;
  std::map<std::string, std::string> token_owner;
  std::map<std::string, std::string> name_owner;
  for (std::size_t i = 0; i < c.operators.size(); ++i) {
    const Operator& op = c.operators[i];
    const std::string path = operator_path(i);
    if (op.name.empty()) {
      r.error(path + ".name", "is required", "shown in the audit trail");
    } else if (auto [it, fresh] = name_owner.emplace(op.name, path); !fresh) {
      r.error(path + ".name", fmt::format("same name as {}", it->second),
              "claims, ON/OFF duty and the audit trail go by name: give each operator their own");
    }
    check_phone(r, path + ".phone", op.phone, phone_owner);
    check_token(r, c, path + ".api_token_hash", op.api_token_hash, token_owner);
    check_schedule(r, path, op.schedule);
    if (op.regions.empty())
      r.error(path + ".regions", "at least one region is required",
              "the regions whose reports this operator verifies (children included)");
    for (std::size_t k = 0; k < op.regions.size(); ++k) {
      const std::string& id = op.regions[k];
      if (std::find(region_ids.begin(), region_ids.end(), id) == region_ids.end())
        r.error(fmt::format("{}.regions[{}]", path, k), fmt::format("unknown region \"{}\"", id),
                suggestion_hint(id, region_ids));
    }
  }
  if (c.regions.empty()) return;
  const auto lines = lineages(c);
  check_confirmations_reachable(r, c, lines);
  check_coordinator_coverage(r, c, lines);
}

}  // namespace centinela::config::detail

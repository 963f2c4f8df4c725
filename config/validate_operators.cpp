// Checks of operators: reachable phones, regions that exist, their own API token each, and
// enough operators over every region to reach the configured number of confirmations.
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
  if (hash.empty()) {
    r.error(path, "is required", "run `centinela hash-token` and paste the sha256:... it prints");
  } else if (!is_token_hash(hash)) {
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

// Reports go to the operators of their region and of its ancestors; if fewer of them exist
// than the confirmations required, no report there can ever become an alert.
void check_confirmations_reachable(Reporter& r, const Config& c) {
  std::map<std::string, const Region*, std::less<>> by_id;
  for (const auto& region : c.regions) by_id.emplace(region.id, &region);
  for (std::size_t i = 0; i < c.regions.size(); ++i) {
    // The region and its ancestors. A chain broken by a cycle or an unknown parent already has
    // its own error, and counting along it would only add noise.
    std::set<std::string_view> lineage;
    bool reaches_root = false;
    for (const Region* at = &c.regions[i]; at != nullptr;) {
      if (!lineage.insert(at->id).second) break;  // a cycle
      if (at->parent.empty()) {
        reaches_root = true;
        break;
      }
      auto parent = by_id.find(at->parent);
      at = parent == by_id.end() ? nullptr : parent->second;
    }
    if (!reaches_root) continue;
    int reachable = 0;
    for (const auto& op : c.operators) {
      for (const auto& covered : op.regions) {
        if (lineage.contains(covered)) {
          ++reachable;
          break;
        }
      }
    }
    if (reachable < c.verification.confirmations_required)
      r.error(fmt::format("regions[{}]", i),
              fmt::format("reports in region \"{}\" can never be confirmed: {} operator(s) cover "
                          "it, verification.confirmations_required is {}",
                          c.regions[i].id, reachable, c.verification.confirmations_required),
              "add an operator for this region or one of its parents, or require fewer "
              "confirmations");
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
  for (std::size_t i = 0; i < c.operators.size(); ++i) {
    const Operator& op = c.operators[i];
    const std::string path = operator_path(i);
    if (op.name.empty()) r.error(path + ".name", "is required", "shown in the audit trail");
    check_phone(r, path + ".phone", op.phone, phone_owner);
    check_token(r, c, path + ".api_token_hash", op.api_token_hash, token_owner);
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
  if (!c.regions.empty()) check_confirmations_reachable(r, c);
}

}  // namespace centinela::config::detail

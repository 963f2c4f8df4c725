// Checks of the responder workflow's settings: quorums, the claim lease and required evidence,
// escalation, incident and relay windows, legal observers, and the drill test group.
#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "config/evidence.hpp"
#include "config/suggest.hpp"
#include "config/validate_detail.hpp"

namespace centinela::config::detail {
namespace {

void check_positive(Reporter& r, const std::string& path, std::chrono::seconds d,
                    std::string_view hint) {
  if (d.count() <= 0) r.error(path, "must be longer than zero", std::string{hint});
}

// Numbers texted by the service, written exactly as providers carry them. Messages never quote
// the number: problems may end up in logs, and numbers never should.
void check_number(Reporter& r, const std::string& path, const std::string& phone,
                  std::map<std::string, std::string>& owner, std::string_view what) {
  if (phone.empty()) {
    r.error(path, "is required", fmt::format("{} mobile number in E.164, e.g. \"+12135550100\"", what));
  } else if (!is_canonical_e164(phone)) {
    r.error(path, "is not a valid phone number written in E.164",
            "write '+', the country code and the number, no spaces: \"+12135550100\"");
  } else if (auto [it, fresh] = owner.emplace(phone, path); !fresh) {
    r.error(path, fmt::format("same phone number as {}", it->second), "list each number once");
  }
}

void check_verification(Reporter& r, const Config& c) {
  const VerificationPolicy& v = c.verification;
  for (std::size_t i = 0; i < c.regions.size(); ++i)
    if (c.regions[i].confirmations_required < 0)
      r.error(fmt::format("regions[{}].confirmations_required", i),
              "must be 0 (verification.confirmations_required) or more");
  if (v.second_approver_above < 0)
    r.error("verification.second_approver_above", "must be 0 (never) or more",
            "the audience size above which an alert needs a second operator's YES");
  check_positive(r, "verification.claim_lease", v.claim_lease,
                 "how long a claim holds without activity from its owner, e.g. \"15m\"");
  std::vector<std::string_view> fields(evidence_fields.begin(), evidence_fields.end());
  for (std::size_t i = 0; i < v.required_evidence.size(); ++i) {
    const std::string& name = v.required_evidence[i];
    if (!is_evidence_field(name))
      r.error(fmt::format("verification.required_evidence[{}]", i),
              fmt::format("unknown evidence field \"{}\"", name), suggestion_hint(name, fields));
  }
}

void check_observers(Reporter& r, const Config& c) {
  std::vector<std::string_view> region_ids;
  for (const auto& region : c.regions) region_ids.push_back(region.id);
  std::map<std::string, std::string> phone_owner;
  for (std::size_t i = 0; i < c.observers.size(); ++i) {
    const Observer& o = c.observers[i];
    const std::string path = fmt::format("observers[{}]", i);
    if (o.name.empty()) r.error(path + ".name", "is required", "who they are, e.g. \"Legal observers\"");
    check_number(r, path + ".phone", o.phone, phone_owner, "the observer's");
    if (o.regions.empty())
      r.error(path + ".regions", "at least one region is required",
              "the regions whose advisories this observer receives (children included)");
    for (std::size_t k = 0; k < o.regions.size(); ++k) {
      const std::string& id = o.regions[k];
      if (std::find(region_ids.begin(), region_ids.end(), id) == region_ids.end())
        r.error(fmt::format("{}.regions[{}]", path, k), fmt::format("unknown region \"{}\"", id),
                suggestion_hint(id, region_ids));
    }
  }
}

void check_test_group(Reporter& r, const Config& c) {
  std::map<std::string, std::string> seen;
  for (std::size_t i = 0; i < c.exercise.test_group.size(); ++i)
    check_number(r, fmt::format("exercise.test_group[{}]", i), c.exercise.test_group[i], seen,
                 "a test phone's");
}

}  // namespace

void validate_workflow(Reporter& r, const Config& c) {
  check_verification(r, c);
  check_positive(r, "escalation.unclaimed_after", c.escalation.unclaimed_after,
                 "how long a page waits for a CLAIM before the next tier is paged, e.g. \"5m\"");
  check_positive(r, "escalation.undecided_after", c.escalation.undecided_after,
                 "how long a claimed report waits for YES or NO before the next tier, e.g. \"15m\"");
  check_positive(r, "incidents.window", c.incidents.window,
                 "reports this close together in related regions are one incident, e.g. \"30m\"");
  check_positive(r, "relay.window", c.relay.window,
                 "how long a reporter's answer to MORE is relayed, e.g. \"2h\"");
  check_observers(r, c);
  check_test_group(r, c);
}

}  // namespace centinela::config::detail

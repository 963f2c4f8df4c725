// Fault plan parsing and the per-request decision (see faults.hpp).
#include "tests/fake_provider/faults.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace centinela::fake_provider {
namespace {

constexpr std::array<std::string_view, 11> known_keys{
    "latency_ms", "fail_next_429", "fail_next_500", "drop_next",     "ratio_429",    "ratio_500",
    "ratio_drop", "seed",          "retry_after_s", "every_nth_429", "every_nth_500"};

bool take_count(const nlohmann::json& j, const char* key, std::uint64_t& out, std::string& err) {
  if (!j.contains(key)) return true;
  const auto& v = j.at(key);
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0) {
    err = std::string(key) + " must be a non-negative integer";
    return false;
  }
  out = v.get<std::uint64_t>();
  return true;
}

bool take_ratio(const nlohmann::json& j, const char* key, double& out, std::string& err) {
  if (!j.contains(key)) return true;
  const auto& v = j.at(key);
  if (!v.is_number() || v.get<double>() < 0.0 || v.get<double>() > 1.0) {
    err = std::string(key) + " must be a number in [0, 1]";
    return false;
  }
  out = v.get<double>();
  return true;
}

}  // namespace

std::optional<std::string> FaultInjector::apply(const nlohmann::json& control) {
  if (!control.is_object()) return "control body must be a JSON object";
  for (const auto& [key, value] : control.items()) {
    if (std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end())
      return "unknown control key: " + key;
  }
  FaultPlan next = plan_;  // validate everything before changing anything
  std::uint64_t latency = static_cast<std::uint64_t>(plan_.latency.count());
  std::uint64_t retry_after = static_cast<std::uint64_t>(plan_.retry_after_s);
  std::string err;
  const bool ok = take_count(control, "latency_ms", latency, err) &&
                  take_count(control, "fail_next_429", next.fail_next_429, err) &&
                  take_count(control, "fail_next_500", next.fail_next_500, err) &&
                  take_count(control, "drop_next", next.drop_next, err) &&
                  take_ratio(control, "ratio_429", next.ratio_429, err) &&
                  take_ratio(control, "ratio_500", next.ratio_500, err) &&
                  take_ratio(control, "ratio_drop", next.ratio_drop, err) &&
                  take_count(control, "seed", next.seed, err) &&
                  take_count(control, "every_nth_429", next.every_nth_429, err) &&
                  take_count(control, "every_nth_500", next.every_nth_500, err) &&
                  take_count(control, "retry_after_s", retry_after, err);
  if (!ok) return err;
  if (latency > 600'000) return "latency_ms must be at most 600000";  // longer only hides hangs
  if (retry_after > 86'400) return "retry_after_s must be at most 86400";
  next.latency = std::chrono::milliseconds(latency);
  next.retry_after_s = static_cast<int>(retry_after);
  plan_ = next;
  if (control.contains("seed")) rng_.seed(plan_.seed);  // reseed only on request: keeps sequences
  return std::nullopt;
}

Fault FaultInjector::next() {
  ++requests_;
  if (plan_.fail_next_429 > 0) { --plan_.fail_next_429; return Fault::http_429; }
  if (plan_.fail_next_500 > 0) { --plan_.fail_next_500; return Fault::http_500; }
  if (plan_.drop_next > 0) { --plan_.drop_next; return Fault::drop; }
  if (plan_.every_nth_429 > 0 && requests_ % plan_.every_nth_429 == 0) return Fault::http_429;
  if (plan_.every_nth_500 > 0 && requests_ % plan_.every_nth_500 == 0) return Fault::http_500;
  const double total = plan_.ratio_429 + plan_.ratio_500 + plan_.ratio_drop;
  if (total <= 0.0) return Fault::none;  // the benchmark's usual path: no RNG draw at all
  const double r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  if (r < plan_.ratio_429) return Fault::http_429;
  if (r < plan_.ratio_429 + plan_.ratio_500) return Fault::http_500;
  if (r < total) return Fault::drop;
  return Fault::none;
}

nlohmann::json FaultInjector::to_json() const {
  return {{"latency_ms", plan_.latency.count()}, {"fail_next_429", plan_.fail_next_429},
          {"fail_next_500", plan_.fail_next_500}, {"drop_next", plan_.drop_next},
          {"ratio_429", plan_.ratio_429},         {"ratio_500", plan_.ratio_500},
          {"ratio_drop", plan_.ratio_drop},       {"seed", plan_.seed},
          {"every_nth_429", plan_.every_nth_429}, {"every_nth_500", plan_.every_nth_500},
          {"retry_after_s", plan_.retry_after_s}};
}

}  // namespace centinela::fake_provider

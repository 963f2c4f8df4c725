// Fault injection for the fake provider: counters ("fail the next k") are consumed first, then
// ratios drawn from a seeded RNG, so a test or benchmark can replay the same fault sequence.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

namespace centinela::fake_provider {

enum class Fault { none, http_429, http_500, drop };

struct FaultPlan {
  std::chrono::milliseconds latency{0};  // added before every Messages answer (timer, not sleep)
  std::uint64_t fail_next_429 = 0;
  std::uint64_t fail_next_500 = 0;
  std::uint64_t drop_next = 0;
  double ratio_429 = 0.0;
  double ratio_500 = 0.0;
  double ratio_drop = 0.0;
  // Periodic faults, counted over every Messages request (after the "next k" counters): every
  // N-th request is answered 429 (checked first), every M-th 500. 0: off. Deterministic, so a
  // test says "every 7th request fails" and means it.
  std::uint64_t every_nth_429 = 0;
  std::uint64_t every_nth_500 = 0;
  std::uint64_t seed = 1;
  int retry_after_s = 1;  // Retry-After sent with every 429
};

class FaultInjector {
 public:
  // Applies the keys present in `control` (the /_control body or the start flags). Unknown keys
  // and out-of-range values are refused as a whole, so a typo never half-applies.
  std::optional<std::string> apply(const nlohmann::json& control);
  Fault next();  // decides the fate of one Messages request
  const FaultPlan& plan() const { return plan_; }
  nlohmann::json to_json() const;

 private:
  FaultPlan plan_;
  std::uint64_t requests_ = 0;  // Messages requests seen, for the periodic faults
  std::mt19937_64 rng_{plan_.seed};
};

}  // namespace centinela::fake_provider

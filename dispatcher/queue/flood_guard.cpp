#include "dispatcher/queue/flood_guard.hpp"

namespace centinela::queue {
namespace {

FloodVerdict quarantined(std::string reason, bool burst) {
  return {true, std::move(reason), false, burst};
}

bool over(int count, const config::RateLimit& limit) {
  return limit.max_reports > 0 && count >= limit.max_reports;
}

}  // namespace

FloodVerdict judge_report(const FloodFacts& f, const config::FloodPolicy& p) {
  // Counting this report too: the burst starts with the new_reporters-th new number.
  const bool burst = f.has_reporter && f.new_reporter && f.new_recent + 1 >= p.burst.new_reporters;
  // The most specific reason first: it is what the operator reads in the queue.
  if (f.has_reporter && f.blocked) return quarantined("blocklist", burst);
  if (f.has_reporter && p.low_trust_rejections > 0 && f.confirmed == 0 &&
      f.rejected >= p.low_trust_rejections)
    return quarantined("low_trust", burst);
  if (f.has_reporter && over(f.sender_recent, p.per_sender)) return quarantined("sender_rate_limit", burst);
  // The page cap holds for every new number, burst or not: a flood of fresh numbers cannot
  // out-run it by arriving just before the burst is recognized.
  if (f.has_reporter && f.new_reporter && f.new_paged_recent >= p.burst.max_operator_pages_per_window)
    return quarantined("flood_page_cap", burst);
  if (over(f.region_recent, p.per_region)) return quarantined("region_rate_limit", burst);
  return {false, "", true, burst};
}

}  // namespace centinela::queue

// Flood defense, the decision: from counts gathered in one query (flood_facts.cpp) and the
// config, whether a new report pages operators or waits quarantined. Pure, so every rule is a
// row in a unit-test table. A quarantined report is still stored and listed for operators; only
// confirmation ever reaches members, so quarantine delays verification and never skips it.
#pragma once

#include <string>

#include "config/config.hpp"

namespace centinela::queue {

// What the database knew just before the report was stored (the report itself not included).
struct FloodFacts {
  bool has_reporter = false;   // false: an anonymous web-form report (only the region limit applies)
  bool blocked = false;        // the number is on flood.blocklist
  int sender_recent = 0;       // reports from this number within per_sender.window, quarantined too
  int region_recent = 0;       // reports in this region within per_region.window that paged
  int confirmed = 0;           // this number's reports, ever, by outcome
  int rejected = 0;
  bool new_reporter = false;   // no earlier report from this number and not a member
  int new_recent = 0;          // reports from new numbers within burst.window
  int new_paged_recent = 0;    // ... of which paged operators
};

struct FloodVerdict {
  bool quarantine = false;
  std::string reason;          // empty, or a code: blocklist, low_trust, sender_rate_limit, ...
  bool page_operators = true;  // always !quarantine; named for what the caller does with it
  bool burst = false;          // a new number inside a possible coordinated flood: group it
};

FloodVerdict judge_report(const FloodFacts& facts, const config::FloodPolicy& policy);

}  // namespace centinela::queue

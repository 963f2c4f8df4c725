// Flood defense, the facts: one query gathers what judge_report() (flood_guard.hpp) needs about
// a report about to be stored, under a lock so that concurrent reports are counted one by one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/queue/flood_guard.hpp"
#include "dispatcher/storage/crypto.hpp"
#include "providers/common/phone.hpp"

namespace centinela::queue {

struct Screening {
  FloodVerdict verdict;
  bool new_reporter = false;    // stored on the report: later bursts count it
  std::int64_t flood_group = 0;  // 0: not part of a burst
};

// The verdict on a report from `reporter` (absent: anonymous) with blind index `reporter_idx`
// in `region_id` (empty: unknown). Holds a transaction-level lock until `tx` ends: the caller
// stores the report in the same transaction, so the next report's counts include this one.
Screening screen_report(pqxx::work& tx, const Context& ctx, const std::optional<PhoneNumber>& reporter,
                        const storage::Bytes& reporter_idx, const std::string& region_id, Timestamp now);

}  // namespace centinela::queue

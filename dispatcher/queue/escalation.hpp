// Silence escalates. Each incident head carries its own timers in the database: next_tier_at
// (the next tier is paged if nobody claims, or the owner does not decide, by then) and
// claim_expires_at (the owner's lease). A timer survives a restart because it is a row, and
// fires once however many instances run because the loop takes the row FOR UPDATE SKIP LOCKED
// and moves the timer forward in the same transaction as the pages it queues.
#pragma once

#include <chrono>
#include <cstdint>

#include <pqxx/connection>
#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/queue/paging.hpp"

namespace centinela::queue {

// After a page: remember the tier, and when the next one is due. After the last tier the timer
// keeps running: silence then re-pages everyone already paged, until the report is decided or as
// old as an alert may be (alerts.expiry: a sighting that old is no longer news).
void schedule_next_tier(pqxx::work& tx, const Context& ctx, std::int64_t report_id, const PageResult& paged,
                        std::chrono::seconds wait);

struct EscalationCounts {
  int escalated = 0;      // incidents paged to a further tier, or reminded at the last one
  int claims_lapsed = 0;  // owners who went silent past their lease
  int operators_paged = 0;
};

// Fires every timer due at the clock's now, up to `limit` incidents per transaction.
EscalationCounts escalate_due(pqxx::connection& c, const Context& ctx, int limit = 50);

}  // namespace centinela::queue

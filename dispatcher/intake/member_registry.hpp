// Network members and their consent. Numbers are found by blind index and stored encrypted; every
// change of consent is written to the consent ledger with its time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/storage/consent.hpp"
#include "providers/common/phone.hpp"

namespace centinela::intake {

struct Member {
  std::int64_t id = 0;
  std::string language;
  std::string status;  // "active", "opted_out", or "pending" (asked to JOIN, never confirmed)
  bool active = false;
  std::vector<std::string> regions;  // confirmed subscriptions only
};

std::optional<Member> find_member(pqxx::transaction_base& tx, const Context& ctx, const PhoneNumber& phone);

// Appends to the consent ledger (storage/consent.hpp).
using storage::record_consent;

// The number's subscriber row, created with `status` when the number is new. An existing row
// takes `status` only when `set_status`, and keeps its language unless `language` names one.
struct SubscriberRow {
  std::int64_t id = 0;
  std::string language;
};
SubscriberRow upsert_subscriber(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone,
                                const std::string& status, bool set_status, const std::string& language,
                                Timestamp now);

// Subscribes at once: creates the member or reactivates them, adds the region, and sets the
// language when given. The second step of the double opt-in (see pending_join.hpp), and the whole
// of a JOIN from a number that is already a confirmed, active member.
Member join(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone, const std::string& region_id,
            const std::string& language, const std::string& event = "join");

// Opts the number out and drops its queued texts and pending joins. A number we have never seen
// is recorded as opted out too, so a repeated STOP is recognized. Returns false when the number
// was already opted out (nothing changed, and it already got its one confirmation).
bool opt_out(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone, const std::string& event,
             const std::string& detail = "");
bool opt_out_by_id(pqxx::work& tx, const Context& ctx, std::int64_t member_id, const std::string& event,
                   const std::string& detail = "");
bool opt_in(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone);
// Returns false when the number is not a member (nothing stored).
bool set_language(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone, const std::string& language);

// Removes one region (and a pending join of it). Returns false when the member was in neither.
bool leave_region(pqxx::work& tx, const Context& ctx, std::int64_t member_id, const std::string& region_id);

}  // namespace centinela::intake

// Double opt-in: a JOIN from a number that is not yet an active member only records a pending
// join and asks for YES; the YES within the configured window subscribes them. Alerts read only
// confirmed subscriptions of active members, so a pending number is never texted an alert.
#pragma once

#include <string>
#include <vector>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/intake/member_registry.hpp"
#include "providers/common/phone.hpp"

namespace centinela::intake {

struct JoinRequest {
  bool needs_confirmation = true;  // false: an active member, subscribed at once
  std::string language;            // the member's language after the request
};

// An active member adding a region is subscribed at once: the number already proved it is theirs
// and consented, and a second round trip would only slow them down. Anyone else (a new number, a
// pending one, one that opted out) gets a pending join that expires after
// members.join_confirmation_window.
JoinRequest request_join(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone,
                         const std::string& region_id, const std::string& language);

struct JoinConfirmation {
  enum class Kind { confirmed, expired, nothing_pending } kind = Kind::nothing_pending;
  std::vector<std::string> regions;  // confirmed, or (when expired) the ones that ran out
};

// The member's YES: every pending join still inside its window becomes a subscription and the
// member becomes active; expired ones are dropped. After an opt-out, a confirmed JOIN starts over:
// only the regions confirmed now are kept (START, not JOIN, restores the old ones).
JoinConfirmation confirm_joins(pqxx::work& tx, const Context& ctx, const Member& member);

}  // namespace centinela::intake

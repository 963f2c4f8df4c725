// Owning and working an incident: CLAIM under a lease, NOTE, and ADVISORY (the unverified level:
// coordinators and legal observers are told, members never are).
#pragma once

#include <string>

#include <pqxx/transaction>

#include "dispatcher/core/context.hpp"
#include "dispatcher/queue/responder_queue.hpp"

namespace centinela::queue {

// Makes the operator the incident's owner for verification.claim_lease (renewed by their own
// activity); everyone else paged about it is told it is taken. A live claim by someone else is
// refused with claim_held; the owner claiming again renews the lease.
Decision claim_report(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code);

// A note for the audit trail (what a call-back said, who is on the way).
Decision add_note(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                  const std::string& note);

// Marks the incident unverified and texts an advisory to the coordinators and observers of its
// region. It stays pending: a later YES can still verify it and alert members.
Decision send_advisory(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                       const std::string& summary);

}  // namespace centinela::queue

// Durable one-off texts (operator notifications and the like): queued in the same transaction as
// the event that caused them, so a crash can delay them but never lose them.
#pragma once

#include <cstdint>
#include <string>

#include <pqxx/transaction>

#include "dispatcher/core/clock.hpp"
#include "dispatcher/storage/crypto.hpp"
#include "providers/common/phone.hpp"

namespace centinela::storage {

// The order in which queued texts leave: urgent ones first (operator notifications,
// escalations, answers to operators, and the opt-out confirmation the carriers' rules want within
// minutes), then member alerts (deliveries), then routine replies to members (join
// confirmations, help). Stored in outbox.priority; alert deliveries sit between the two classes.
enum class TextPriority : int { urgent = 0, routine = 2 };

// `from_number`: one of our sending numbers that must send it (a reply leaves from the number the
// person texted); empty: any sender.
void enqueue_text(pqxx::work& tx, const DataCipher& cipher, const std::string& kind,
                  std::int64_t report_id, const PhoneNumber& to, const std::string& body,
                  Timestamp now, TextPriority priority = TextPriority::urgent,
                  const std::string& from_number = "");

}  // namespace centinela::storage

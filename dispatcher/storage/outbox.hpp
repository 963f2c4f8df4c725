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

void enqueue_text(pqxx::work& tx, const DataCipher& cipher, const std::string& kind,
                  std::int64_t report_id, const PhoneNumber& to, const std::string& body,
                  Timestamp now);

}  // namespace centinela::storage

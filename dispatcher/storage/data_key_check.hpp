// Is CENTINELA_DATA_KEY the key this database's data was sealed with? A wrong key would make every
// text fail to decrypt one by one; `serve` asks this once at start and refuses to run instead.
#pragma once

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "dispatcher/core/clock.hpp"
#include "dispatcher/storage/crypto.hpp"

namespace centinela::storage {

enum class DataKeyCheck {
  matches,    // the stored check value opens with this key
  recorded,   // no check value yet: stored data (if any) opens with this key, and the value is now stored
  wrong_key,  // the check value, or every sampled ciphertext, was sealed with another key
};

// Reads data_key_check; without a row, samples the newest ciphertexts of subscribers, reports and
// outbox (a database served before migration 7): if any exist and none opens, the key is wrong.
// Otherwise stores the check value, so later starts need no sample.
DataKeyCheck check_data_key(pqxx::connection& c, const DataCipher& cipher, Timestamp now);
// The same inside the caller's transaction (a migration's), which commits the check value with
// its own work, or not at all.
DataKeyCheck check_data_key(pqxx::transaction_base& tx, const DataCipher& cipher, Timestamp now);

}  // namespace centinela::storage

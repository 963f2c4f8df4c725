// The operator's words an alert carries (its summary): free text an operator wrote, stored
// encrypted like every other (alerts.summary_enc). Rows from before migration 7 that its keyed step
// has not reached keep them in the clear `summary` column.
#pragma once

#include <optional>
#include <string>

#include <pqxx/field>

#include "dispatcher/storage/crypto.hpp"

namespace centinela::alerts {

// The words of an alert row, from its `summary` and `summary_enc` columns; nullopt when the sealed
// words do not open with the data key.
std::optional<std::string> stored_words(const storage::DataCipher& cipher, const pqxx::field& clear,
                                        const pqxx::field& sealed);

}  // namespace centinela::alerts

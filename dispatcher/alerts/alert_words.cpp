#include "dispatcher/alerts/alert_words.hpp"

#include "dispatcher/storage/sql.hpp"

namespace centinela::alerts {

std::optional<std::string> stored_words(const storage::DataCipher& cipher, const pqxx::field& clear,
                                        const pqxx::field& sealed) {
  if (sealed.is_null()) return clear.as<std::string>();
  return cipher.decrypt(storage::bytes_of(sealed));
}

}  // namespace centinela::alerts

#include "dispatcher/storage/outbox.hpp"

#include <pqxx/pqxx>

#include "dispatcher/storage/sql.hpp"

namespace centinela::storage {

void enqueue_text(pqxx::work& tx, const DataCipher& cipher, const std::string& kind,
                  std::int64_t report_id, const PhoneNumber& to, const std::string& body,
                  Timestamp now, TextPriority priority, const std::string& from_number) {
  tx.exec_params(
      "INSERT INTO outbox (kind, report_id, to_enc, body_enc, created_at, priority, from_number) "
      "VALUES ($1, NULLIF($2, 0), $3, $4, to_timestamp($5 / 1e6), $6, NULLIF($7, ''))",
      kind, report_id, bin(cipher.encrypt(to.e164)), bin(cipher.encrypt(body)), to_micros(now),
      static_cast<int>(priority), from_number);
}

}  // namespace centinela::storage

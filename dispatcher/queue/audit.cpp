#include "dispatcher/queue/audit.hpp"

#include <pqxx/pqxx>

#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {

void audit(pqxx::work& tx, std::int64_t report_id, const std::string& actor, const std::string& channel,
           const std::string& action, const std::string& detail, Timestamp at) {
  tx.exec_params(
      "INSERT INTO report_actions (report_id, actor, channel, action, detail, at) "
      "VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1e6))",
      report_id, actor, channel, action, detail, storage::to_micros(at));
}

void audit_private(pqxx::work& tx, const storage::DataCipher& cipher, std::int64_t report_id, const std::string& actor,
                   const std::string& channel, const std::string& action, const std::string& text, Timestamp at) {
  tx.exec_params(
      "INSERT INTO report_actions (report_id, actor, channel, action, detail_enc, at) "
      "VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1e6))",
      report_id, actor, channel, action, storage::bin(cipher.encrypt(text)), storage::to_micros(at));
}

}  // namespace centinela::queue

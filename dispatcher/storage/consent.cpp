#include "dispatcher/storage/consent.hpp"

#include <pqxx/pqxx>

#include "dispatcher/storage/sql.hpp"

namespace centinela::storage {

void record_consent(pqxx::work& tx, std::int64_t member_id, const std::string& event, const std::string& region_id,
                    Timestamp at, const std::string& detail) {
  tx.exec_params(
      "INSERT INTO consent_events (subscriber_id, event, region_id, at, detail) "
      "VALUES ($1, $2, NULLIF($3, ''), to_timestamp($4 / 1e6), $5)",
      member_id, event, region_id, to_micros(at), detail);
}

bool opt_out_member(pqxx::work& tx, std::int64_t member_id, const std::string& event, const std::string& detail,
                    Timestamp now) {
  const auto changed = tx.exec_params(
      "UPDATE subscribers SET status = 'opted_out', updated_at = to_timestamp($2 / 1e6) "
      "WHERE id = $1 AND status <> 'opted_out' RETURNING id",
      member_id, to_micros(now));
  if (changed.empty()) return false;
  record_consent(tx, member_id, event, "", now, detail);
  tx.exec_params("DELETE FROM pending_joins WHERE subscriber_id = $1", member_id);
  // deliveries_queued_by_subscriber makes this a lookup, even after a fan-out of a million rows.
  tx.exec_params(
      "UPDATE deliveries SET status = 'failed', error = 'member opted out', "
      "  finished_at = to_timestamp($2 / 1e6) WHERE subscriber_id = $1 AND status = 'queued'",
      member_id, to_micros(now));
  return true;
}

std::optional<std::int64_t> member_id_of(pqxx::work& tx, const DataCipher& cipher, const PhoneNumber& phone) {
  const auto rows = tx.exec_params("SELECT id FROM subscribers WHERE phone_idx = $1", bin(cipher.blind_index(phone.e164)));
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::int64_t>();
}

}  // namespace centinela::storage

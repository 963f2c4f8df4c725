#include "dispatcher/storage/data_key_check.hpp"

#include <pqxx/pqxx>

#include "dispatcher/storage/sql.hpp"

namespace centinela::storage {
namespace {

constexpr std::string_view check_plaintext = "centinela data key check v1";
constexpr int sample_size = 16;  // per table: one readable row proves the key; rows can be damaged one by one

bool check_value_opens(const DataCipher& cipher, const pqxx::field& sealed) {
  const auto plain = cipher.decrypt(bytes_of(sealed));
  return plain && *plain == check_plaintext;
}

// True when some stored ciphertext exists and none of the sampled ones opens with this key.
bool stored_data_sealed_elsewhere(pqxx::transaction_base& tx, const DataCipher& cipher) {
  const auto sample = tx.exec_params(
      "(SELECT phone_enc FROM subscribers ORDER BY id DESC LIMIT $1) "
      "UNION ALL (SELECT text_enc FROM reports ORDER BY id DESC LIMIT $1) "
      "UNION ALL (SELECT to_enc FROM outbox ORDER BY id DESC LIMIT $1)",
      sample_size);
  if (sample.empty()) return false;
  for (const auto& row : sample)
    if (cipher.decrypt(bytes_of(row[0]))) return false;
  return true;
}

}  // namespace

DataKeyCheck check_data_key(pqxx::connection& c, const DataCipher& cipher, Timestamp now) {
  pqxx::work tx{c};
  const auto result = check_data_key(tx, cipher, now);
  tx.commit();
  return result;
}

DataKeyCheck check_data_key(pqxx::transaction_base& tx, const DataCipher& cipher, Timestamp now) {
  const auto stored = tx.exec("SELECT sealed FROM data_key_check WHERE id = 1");
  if (!stored.empty()) return check_value_opens(cipher, stored[0][0]) ? DataKeyCheck::matches : DataKeyCheck::wrong_key;
  if (stored_data_sealed_elsewhere(tx, cipher)) return DataKeyCheck::wrong_key;
  // Two instances starting at once: the second insert does nothing, and its check is the first's.
  tx.exec_params(
      "INSERT INTO data_key_check (id, sealed, created_at) VALUES (1, $1, to_timestamp($2 / 1e6)) "
      "ON CONFLICT DO NOTHING",
      bin(cipher.encrypt(check_plaintext)), to_micros(now));
  const auto winner = tx.exec1("SELECT sealed FROM data_key_check WHERE id = 1");
  return check_value_opens(cipher, winner[0]) ? DataKeyCheck::recorded : DataKeyCheck::wrong_key;
}

}  // namespace centinela::storage

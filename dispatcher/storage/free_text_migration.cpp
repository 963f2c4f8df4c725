#include "dispatcher/storage/free_text_migration.hpp"

#include <string>

#include <pqxx/pqxx>

#include "dispatcher/storage/data_key_check.hpp"
#include "dispatcher/storage/migrations.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::storage {
namespace {

// Report actions whose detail is an operator's own words. Other actions keep machine-made detail
// ("region la-east", "3 operators, tier 1"), which stays readable on the trail.
constexpr const char* free_text_actions = "('confirmed', 'confirmation_voided', 'rejected')";

}  // namespace

void encrypt_free_text(pqxx::work& tx, const DataCipher* cipher) {
  const auto alerts = tx.exec("SELECT id, summary FROM alerts WHERE summary_enc IS NULL AND summary <> ''");
  const auto actions = tx.exec(std::string("SELECT id, detail FROM report_actions WHERE detail_enc IS NULL ") +
                               "AND detail <> '' AND action IN " + free_text_actions);
  if (alerts.empty() && actions.empty()) return;
  if (!cipher)
    throw MissingDataKey("migration 7 encrypts " + std::to_string(alerts.size() + actions.size()) +
                         " stored operator texts: set CENTINELA_DATA_KEY to the service's data key and run "
                         "`centinela migrate` again");
  // Sealed with another key, these words would be lost for good: the service could never open them.
  if (check_data_key(tx, *cipher, std::chrono::system_clock::now()) == DataKeyCheck::wrong_key)
    throw WrongDataKey("CENTINELA_DATA_KEY is not the key this database's data was sealed with: migration 7 "
                       "would encrypt stored operator texts with it; run `centinela migrate` with the service's key");
  for (const auto& row : alerts)
    tx.exec_params("UPDATE alerts SET summary_enc = $2, summary = '' WHERE id = $1", row[0].as<std::int64_t>(),
                   bin(cipher->encrypt(row[1].as<std::string>())));
  for (const auto& row : actions)
    tx.exec_params("UPDATE report_actions SET detail_enc = $2, detail = '' WHERE id = $1",
                   row[0].as<std::int64_t>(), bin(cipher->encrypt(row[1].as<std::string>())));
}

}  // namespace centinela::storage

#include "dispatcher/storage/migrations.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <set>

#include "dispatcher/storage/schema_v1.sql.hpp"
#include "dispatcher/storage/schema_v2.sql.hpp"
#include "dispatcher/storage/schema_v3.sql.hpp"
#include "dispatcher/storage/schema_v4.sql.hpp"
#include "dispatcher/storage/schema_v5.sql.hpp"
#include "dispatcher/storage/schema_v6.sql.hpp"
#include "dispatcher/storage/schema_v7.sql.hpp"
#include "dispatcher/storage/free_text_migration.hpp"

namespace centinela::storage {
namespace {

// An arbitrary constant shared by every Centinela process: the advisory lock id for migrations.
constexpr long long migration_lock_id = 0x43454e54;  // "CENT"

void ensure_version_table(pqxx::work& tx) {
  tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "  version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)");
}

std::set<int> applied_versions(pqxx::transaction_base& tx) {
  std::set<int> out;
  const auto exists = tx.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].as<bool>();
  if (!exists) return out;
  for (const auto& row : tx.exec("SELECT version FROM schema_migrations")) out.insert(row[0].as<int>());
  return out;
}

}  // namespace

const std::vector<Migration>& all_migrations() {
  static const std::vector<Migration> migrations{
      {1, "spine", schema_v1},
      {2, "member_lifecycle", schema_v2},
      {3, "flood_defense", schema_v3},
      {4, "responder_workflow", schema_v4},
      {5, "alert_lifecycle", schema_v5},
      {6, "reply_sender", schema_v6},
      {7, "defects_found", schema_v7, &encrypt_free_text},
  };
  return migrations;
}

std::vector<int> migrate(pqxx::connection& c, const DataCipher* cipher) {
  std::vector<int> applied;
  {
    pqxx::work tx{c};
    ensure_version_table(tx);
    tx.commit();
  }
  // A session-level lock: it outlives the per-migration transactions below. libpqxx allows one
  // transaction object per connection at a time, so each lock call gets its own.
  const auto advisory = [&c](const char* fn) {
    pqxx::nontransaction tx{c};
    tx.exec_params(std::string("SELECT ") + fn + "($1)", migration_lock_id);
  };
  advisory("pg_advisory_lock");
  try {
    for (const auto& m : all_migrations()) {
      pqxx::work tx{c};
      if (applied_versions(tx).count(m.version)) continue;
      tx.exec(std::string(m.sql));
      if (m.keyed_step) m.keyed_step(tx, cipher);
      // The wall clock is right here: this records when an administrator ran the migration.
      tx.exec_params("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())",
                     m.version, std::string(m.name));
      tx.commit();
      applied.push_back(m.version);
    }
  } catch (...) {
    advisory("pg_advisory_unlock");
    throw;
  }
  advisory("pg_advisory_unlock");
  return applied;
}

std::vector<int> pending_migrations(pqxx::connection& c) {
  pqxx::read_transaction tx{c};
  const auto done = applied_versions(tx);
  std::vector<int> pending;
  for (const auto& m : all_migrations())
    if (!done.count(m.version)) pending.push_back(m.version);
  return pending;
}

}  // namespace centinela::storage

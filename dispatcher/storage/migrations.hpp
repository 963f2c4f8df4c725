// Versioned schema migrations. `centinela migrate` applies the pending ones; `serve` refuses to
// start on a database that is behind, so code never runs against a schema it does not expect.
#pragma once

#include <string_view>
#include <vector>

#include <pqxx/connection>

namespace centinela::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

const std::vector<Migration>& all_migrations();

// Applies every pending migration, each in its own transaction, under an advisory lock so two
// processes migrating at once do not race. Returns the versions applied.
std::vector<int> migrate(pqxx::connection& c);

// Versions known to this binary that the database has not applied yet.
std::vector<int> pending_migrations(pqxx::connection& c);

}  // namespace centinela::storage

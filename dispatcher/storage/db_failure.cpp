#include "dispatcher/storage/db_failure.hpp"

#include <array>

#include <pqxx/except>

namespace centinela::storage {

bool is_unavailable_sqlstate(std::string_view sqlstate) {
  static constexpr std::array<std::string_view, 4> going_away{"57P01", "57P02", "57P03", "57014"};
  if (sqlstate.size() != 5) return false;
  if (sqlstate.starts_with("08")) return true;
  for (const auto code : going_away)
    if (sqlstate == code) return true;
  return false;
}

bool is_outcome_unknown(const std::exception& e) {
  return dynamic_cast<const pqxx::in_doubt_error*>(&e) || dynamic_cast<const pqxx::statement_completion_unknown*>(&e);
}

bool is_database_unavailable(const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) return true;
  if (is_outcome_unknown(e)) return true;
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) return is_unavailable_sqlstate(sql->sqlstate());
  return false;
}

}  // namespace centinela::storage

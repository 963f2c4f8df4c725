// What an exception may say in a log. A PostgreSQL error's message and DETAIL can quote row
// values (a phone number's ciphertext, a reporter's words), so SQL errors are described by their
// SQLSTATE only.
#pragma once

#include <exception>
#include <string>

#include <pqxx/except>

namespace centinela::storage {

inline std::string safe_what(const std::exception& e) {
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) return "sqlstate " + sql->sqlstate();
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) return "database connection lost";
  return e.what();
}

}  // namespace centinela::storage

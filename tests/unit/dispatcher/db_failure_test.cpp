// storage::is_database_unavailable: which failures the HTTP edge answers 503 (retry) rather
// than 500 (a bug).
#include <stdexcept>

#include <gtest/gtest.h>
#include <pqxx/except>

#include "dispatcher/storage/db_failure.hpp"

namespace centinela::storage {
namespace {

TEST(DbFailure, LostOrRefusedConnectionsAreUnavailable) {
  EXPECT_TRUE(is_database_unavailable(pqxx::broken_connection{"server closed the connection unexpectedly"}));
  EXPECT_TRUE(is_database_unavailable(pqxx::too_many_connections{"sorry, too many clients already"}));
  EXPECT_TRUE(is_database_unavailable(pqxx::in_doubt_error{"connection lost while committing"}));
  EXPECT_TRUE(is_database_unavailable(pqxx::statement_completion_unknown{"connection lost"}));
}

TEST(DbFailure, OnlyALostCommitOrStatementLeavesTheOutcomeUnknown) {
  EXPECT_TRUE(is_outcome_unknown(pqxx::in_doubt_error{"connection lost while committing"}));
  EXPECT_TRUE(is_outcome_unknown(pqxx::statement_completion_unknown{"connection lost"}));
  EXPECT_FALSE(is_outcome_unknown(pqxx::broken_connection{"could not connect"})) << "nothing was sent: nothing stored";
  EXPECT_FALSE(is_outcome_unknown(pqxx::sql_error{"canceling statement due to statement timeout", "UPDATE", "57014"}));
}

TEST(DbFailure, ShutdownAndTimeoutSqlstatesAreUnavailable) {
  for (const char* code : {"08000", "08003", "08006", "08001", "08004", "57P01", "57P02", "57P03", "57014"}) {
    SCOPED_TRACE(code);
    EXPECT_TRUE(is_unavailable_sqlstate(code));
    EXPECT_TRUE(is_database_unavailable(pqxx::sql_error{"terminating connection", "SELECT 1", code}));
  }
}

TEST(DbFailure, BugsAndBadDataAreNot) {
  for (const char* code : {"23505", "23503", "42601", "42P01", "22P02", "40001", "40P01", "53100", "57000", "0800", ""}) {
    SCOPED_TRACE(code);
    EXPECT_FALSE(is_unavailable_sqlstate(code));
  }
  EXPECT_FALSE(is_database_unavailable(pqxx::unique_violation{"duplicate key", "INSERT", "23505"}));
  EXPECT_FALSE(is_database_unavailable(pqxx::syntax_error{"syntax error", "SELEC", "42601"}));
  EXPECT_FALSE(is_database_unavailable(pqxx::sql_error{"no sqlstate"}));
  EXPECT_FALSE(is_database_unavailable(pqxx::usage_error{"transaction still open"}));
  EXPECT_FALSE(is_database_unavailable(pqxx::conversion_error{"not an int"}));
  EXPECT_FALSE(is_database_unavailable(std::runtime_error{"bug"}));
  EXPECT_FALSE(is_database_unavailable(std::out_of_range{"map::at"}));
}

}  // namespace
}  // namespace centinela::storage

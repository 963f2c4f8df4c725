// A fresh, migrated PostgreSQL database per test, on the server deploy/test.sh starts (its libpq
// conninfo is in CENTINELA_TEST_PG). Dropped when the test ends. Never a mock: the SQL under test
// is the SQL that runs in production.
#pragma once

#include <atomic>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <unistd.h>

#include "dispatcher/storage/migrations.hpp"

namespace centinela::testing {

class TestDatabase {
 public:
  explicit TestDatabase(bool migrated = true) {
    const char* admin = std::getenv("CENTINELA_TEST_PG");
    if (!admin || !*admin)
      throw std::runtime_error("CENTINELA_TEST_PG is not set: run the tests through deploy/test.sh");
    admin_ = admin;
    static std::atomic<int> counter{0};
    name_ = "centinela_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    {
      pqxx::connection c(admin_);
      pqxx::nontransaction tx(c);
      tx.exec("DROP DATABASE IF EXISTS " + name_);
      tx.exec("CREATE DATABASE " + name_);
    }
    conninfo_ = admin_ + " dbname=" + name_;  // a later dbname overrides the first
    if (migrated) {
      pqxx::connection c(conninfo_);
      storage::migrate(c);
    }
  }
  ~TestDatabase() {
    try {
      pqxx::connection c(admin_);
      pqxx::nontransaction tx(c);
      tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "could not drop test database " << name_ << ": " << e.what();
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& conninfo() const { return conninfo_; }

  // A single value, for assertions.
  template <class T = long long>
  T scalar(const std::string& sql) const {
    pqxx::connection c(conninfo_);
    pqxx::read_transaction tx(c);
    return tx.exec1(sql)[0].as<T>();
  }

 private:
  std::string admin_;
  std::string name_;
  std::string conninfo_;
};

}  // namespace centinela::testing

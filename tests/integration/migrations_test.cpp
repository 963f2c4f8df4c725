// Migrations from an empty database, applied once, and checked by serve's start-up query.
#include <gtest/gtest.h>

#include "dispatcher/storage/migrations.hpp"
#include "tests/support/test_database.hpp"

namespace centinela::storage {
namespace {

TEST(Migrations, ApplyToAnEmptyDatabaseExactlyOnce) {
  testing::TestDatabase db(/*migrated=*/false);
  pqxx::connection c(db.conninfo());
  EXPECT_EQ(pending_migrations(c).size(), all_migrations().size());

  const auto applied = migrate(c);
  ASSERT_EQ(applied.size(), all_migrations().size());
  EXPECT_EQ(applied.front(), 1);
  EXPECT_TRUE(pending_migrations(c).empty());
  EXPECT_TRUE(migrate(c).empty()) << "a second run must apply nothing";

  for (const char* table : {"reports", "report_actions", "alerts", "subscribers", "subscriptions",
                            "consent_events", "deliveries", "delivery_receipts", "outbox", "inbound_messages"}) {
    EXPECT_TRUE(db.scalar<bool>(std::string("SELECT to_regclass('") + table + "') IS NOT NULL")) << table;
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM schema_migrations"), static_cast<long long>(all_migrations().size()));
}

TEST(Migrations, PhoneNumbersHaveNoPlaintextColumn) {
  testing::TestDatabase db;
  // Every column that could hold a number is bytea (ciphertext or blind index).
  EXPECT_EQ(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
                      "AND (column_name LIKE '%phone%' OR column_name LIKE 'reporter%' OR column_name LIKE 'to_%') "
                      "AND data_type <> 'bytea'"),
            0);
}

}  // namespace
}  // namespace centinela::storage

// The database: section's timeouts, on YAML so the positions of problems are checked too.
#include <gtest/gtest.h>

#include "config/validate.hpp"
#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

TEST(ValidateDatabase, TimeoutDefaults) {
  const LoadResult r = load(minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& d = r.config->database;
  EXPECT_EQ(d.connect_timeout, std::chrono::seconds{3});
  EXPECT_EQ(d.statement_timeout, std::chrono::seconds{5});
  EXPECT_EQ(d.call_timeout, std::chrono::seconds{10});
}

TEST(ValidateDatabase, TimeoutsAreRead) {
  const LoadResult r = load("database:\n"
                            "  connect_timeout: \"2s\"\n"
                            "  statement_timeout: \"1500ms\"\n"
                            "  call_timeout: \"4s\"\n" +
                            minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->database.connect_timeout, std::chrono::seconds{2});
  EXPECT_EQ(r.config->database.statement_timeout, std::chrono::milliseconds{1500});
  EXPECT_EQ(r.config->database.call_timeout, std::chrono::seconds{4});
}

TEST(ValidateDatabase, NonsenseTimeoutsHaveLineAndColumn) {
  const LoadResult r = load("database:\n"
                            "  connect_timeout: \"1s\"\n"
                            "  statement_timeout: \"-1s\"\n"
                            "  call_timeout: \"-1s\"\n" +
                            minimal_yaml());
  EXPECT_TRUE(has_error(r, "database.connect_timeout", {.line = 2, .message = "must be at least 2s"}));
  EXPECT_TRUE(has_error(r, "database.statement_timeout", {.line = 3}));  // durations are never negative
  EXPECT_TRUE(has_error(r, "database.call_timeout", {.line = 4}));

  const LoadResult shorter = load("database:\n  statement_timeout: \"10s\"\n  call_timeout: \"10s\"\n" + minimal_yaml());
  EXPECT_TRUE(has_error(shorter, "database.call_timeout", {.line = 3, .message_part = "longer than database.statement_timeout"}));
  const LoadResult off = load("database:\n  statement_timeout: \"0s\"\n  call_timeout: \"0s\"\n" + minimal_yaml());
  EXPECT_TRUE(off.ok()) << dump(off);
}

}  // namespace
}  // namespace centinela::config::testing

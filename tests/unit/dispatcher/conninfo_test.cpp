// storage::with_connection_defaults: the timeouts and keepalives are added only where the
// operator's conninfo (either form) or environment leaves them out, and nothing else changes.
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "dispatcher/storage/conninfo.hpp"

namespace centinela::storage {
namespace {

// What libpq itself reads back from a conninfo: the test trusts libpq, not our quoting.
std::map<std::string, std::string> libpq_reads(const std::string& conninfo) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(conninfo.c_str(), &error),
                                                                        &PQconninfoFree);
  if (!options) {
    const std::string message = error ? error : "?";
    PQfreemem(error);
    throw std::runtime_error("libpq cannot read " + conninfo + ": " + message);
  }
  std::map<std::string, std::string> out;
  for (const PQconninfoOption* o = options.get(); o->keyword; ++o)
    if (o->val) out[o->keyword] = o->val;
  return out;
}

const EnvLookup no_env = [](const char*) -> const char* { return nullptr; };

std::map<std::string, std::string> merged(const std::string& conninfo, const EnvLookup& env = no_env,
                                          ConnectionDefaults d = {}) {
  return libpq_reads(with_connection_defaults(conninfo, d, env));
}

TEST(Conninfo, AddsEveryBoundToAPlainConninfo) {
  const auto got = merged("host=/tmp/pg dbname=centinela user=centinela");
  EXPECT_EQ(got.at("host"), "/tmp/pg");
  EXPECT_EQ(got.at("dbname"), "centinela");
  EXPECT_EQ(got.at("user"), "centinela");
  EXPECT_EQ(got.at("connect_timeout"), "3");
  EXPECT_EQ(got.at("keepalives"), "1");
  EXPECT_EQ(got.at("keepalives_idle"), "5");
  EXPECT_EQ(got.at("keepalives_interval"), "2");
  EXPECT_EQ(got.at("keepalives_count"), "3");
  EXPECT_EQ(got.at("tcp_user_timeout"), "10000");
  EXPECT_EQ(got.at("options"), "-c statement_timeout=5000");
}

TEST(Conninfo, KeepsWhatTheOperatorSet) {
  const auto got = merged("host=db connect_timeout=10 keepalives=0 tcp_user_timeout=0");
  EXPECT_EQ(got.at("connect_timeout"), "10");
  EXPECT_EQ(got.at("keepalives"), "0");
  EXPECT_EQ(got.at("tcp_user_timeout"), "0");
  EXPECT_EQ(got.at("keepalives_idle"), "5");  // harmless with keepalives off; only what was left out
}

TEST(Conninfo, ReadsUrisWithSeveralHosts) {
  const auto got = merged("postgresql://app:p%40ss@db1:5433,db2:5434/centinela?connect_timeout=7&sslmode=require");
  EXPECT_EQ(got.at("host"), "db1,db2");
  EXPECT_EQ(got.at("port"), "5433,5434");
  EXPECT_EQ(got.at("user"), "app");
  EXPECT_EQ(got.at("password"), "p@ss");
  EXPECT_EQ(got.at("dbname"), "centinela");
  EXPECT_EQ(got.at("sslmode"), "require");
  EXPECT_EQ(got.at("connect_timeout"), "7");
  EXPECT_EQ(got.at("options"), "-c statement_timeout=5000");
}

TEST(Conninfo, AppendsTheStatementTimeoutToTheOperatorsOptions) {
  EXPECT_EQ(merged("host=db options='-c search_path=alerts'").at("options"),
            "-c search_path=alerts -c statement_timeout=5000");
  for (const char* theirs : {"-c statement_timeout=0", "-cstatement_timeout=1min", "--statement-timeout=30s",
                             "-c search_path=x --statement_timeout=2s"}) {
    SCOPED_TRACE(theirs);
    EXPECT_EQ(merged(std::string("host=db options='") + theirs + "'").at("options"), theirs);
  }
  // A name that merely ends the same way is another setting.
  EXPECT_EQ(merged("host=db options='-c my.xstatement_timeout=1'").at("options"),
            "-c my.xstatement_timeout=1 -c statement_timeout=5000");
}

TEST(Conninfo, EnvironmentVariablesCountAsSet) {
  const EnvLookup env = [](const char* name) -> const char* {
    if (std::string(name) == "PGCONNECT_TIMEOUT") return "20";
    if (std::string(name) == "PGOPTIONS") return "-c work_mem=64MB";
    return nullptr;
  };
  const auto got = merged("host=db", env);
  EXPECT_EQ(got.count("connect_timeout"), 0u) << "libpq reads PGCONNECT_TIMEOUT itself";
  EXPECT_EQ(got.at("options"), "-c work_mem=64MB -c statement_timeout=5000") << "PGOPTIONS kept, not replaced";

  const EnvLookup with_timeout = [](const char* name) -> const char* {
    return std::string(name) == "PGOPTIONS" ? "-c statement_timeout=0" : nullptr;
  };
  EXPECT_EQ(merged("host=db", with_timeout).count("options"), 0u);
}

TEST(Conninfo, ConfiguredValuesAndZeroStatementTimeout) {
  config::DatabaseConfig db;
  db.connect_timeout = std::chrono::milliseconds{2'500};
  db.statement_timeout = std::chrono::milliseconds{0};
  const auto got = merged("host=db", no_env, connection_defaults(db));
  EXPECT_EQ(got.at("connect_timeout"), "3") << "rounded up to whole seconds, never shorter";
  EXPECT_EQ(got.count("options"), 0u);
}

TEST(Conninfo, QuotesSurviveTheRoundTrip) {
  const auto got = merged(R"(host=db password='it\'s a \\ secret' application_name=centinela)");
  EXPECT_EQ(got.at("password"), R"(it's a \ secret)");
  EXPECT_EQ(got.at("application_name"), "centinela");
}

TEST(Conninfo, UnparseableConninfoNamesTheProblemWithoutQuotingIt) {
  try {
    with_connection_defaults("host=db passwordhunter2", {}, no_env);
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("database.url does not parse"), std::string::npos) << what;
    EXPECT_NE(what.find("missing \"=\""), std::string::npos) << what;
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
  }
  EXPECT_THROW(with_connection_defaults("nosuchkey=1", {}, no_env), std::invalid_argument);
  EXPECT_THROW(with_connection_defaults("postgresql://db/x?nosuchkey=1", {}, no_env), std::invalid_argument);
}

}  // namespace
}  // namespace centinela::storage

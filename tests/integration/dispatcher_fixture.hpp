// Fixture for integration tests of the dispatcher's use cases against a real PostgreSQL: a fresh
// migrated database, the test configuration, a manual clock and helpers to drive the flow.
#pragma once

#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "dispatcher/alerts/alert_words.hpp"
#include "dispatcher/core/context.hpp"
#include "dispatcher/fanout/text_store.hpp"
#include "dispatcher/intake/inbound_sms.hpp"
#include "dispatcher/intake/member_registry.hpp"
#include "dispatcher/queue/responder_queue.hpp"
#include "dispatcher/storage/sql.hpp"
#include "tests/support/test_config.hpp"
#include "tests/support/test_database.hpp"

namespace centinela::testing {

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest()
      : config_(test_config()),
        cipher_(test_data_key),
        clock_(std::chrono::sys_days{std::chrono::year{2026} / 11 / 26} + std::chrono::hours{10}),
        ctx_(std::make_unique<Context>(config_, cipher_, clock_)),
        conn_(db_.conninfo()) {}

  // Rebuilds the context after a test changed config_.
  void reload() { ctx_ = std::make_unique<Context>(config_, cipher_, clock_); }

  const config::Operator& op(const std::string& name) const {
    for (const auto& o : config_.operators)
      if (o.name == name) return o;
    throw std::invalid_argument("no operator " + name);
  }

  void join(const std::string& phone, const std::string& region, const std::string& language = "") {
    pqxx::work tx(conn_);
    intake::join(tx, *ctx_, PhoneNumber{phone}, region, language);
    tx.commit();
  }

  queue::FiledReport file(const std::string& text, const std::string& region) {
    pqxx::work tx(conn_);
    auto filed = queue::file_report(tx, *ctx_, {"api", std::nullopt, text, region}, "web_form", "api");
    tx.commit();
    return filed;
  }

  queue::Decision confirm(const std::string& op_name, const std::string& code, const std::string& region = "",
                          const std::string& summary = "vans at the corner") {
    pqxx::work tx(conn_);
    auto d = queue::confirm_report(tx, *ctx_, {op(op_name), "api"}, code, {summary, region, summary, true});
    tx.commit();
    return d;
  }

  // Materializes the whole audience in chunks of `chunk`; returns the deliveries planned.
  long long materialize(std::int64_t alert_id, std::size_t chunk = 2) {
    long long planned = 0;
    for (int guard = 0; guard < 10'000; ++guard) {
      const auto r = fanout::materialize_chunk(conn_, alert_id, chunk, clock_.now());
      planned += r.planned;
      if (r.done) return planned;
    }
    ADD_FAILURE() << "materialization did not finish";
    return planned;
  }

  // The phone numbers (decrypted) that hold a delivery of the alert.
  std::multiset<std::string> recipients(std::int64_t alert_id) {
    pqxx::read_transaction tx(conn_);
    std::multiset<std::string> out;
    for (const auto& row : tx.exec_params(
             "SELECT s.phone_enc FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id "
             "WHERE d.alert_id = $1",
             alert_id))
      out.insert(*cipher_.decrypt(storage::bytes_of(row[0])));
    return out;
  }

  // The words of the one alert matching `condition` (SQL over alerts), as members read them: they
  // are stored encrypted.
  std::string alert_words(const std::string& condition = "true") {
    pqxx::read_transaction tx(conn_);
    const auto row = tx.exec1("SELECT summary, summary_enc FROM alerts WHERE " + condition);
    return alerts::stored_words(cipher_, row[0], row[1]).value_or("<undecryptable>");
  }

  providers::InboundSms sms(const std::string& id, const std::string& from, const std::string& body) {
    return {id, PhoneNumber{from}, PhoneNumber{"+12135550100"}, body};
  }

  TestDatabase db_;
  config::Config config_;
  storage::DataCipher cipher_;
  ManualClock clock_;
  std::unique_ptr<Context> ctx_;
  pqxx::connection conn_;
};

}  // namespace centinela::testing

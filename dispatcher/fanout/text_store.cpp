// Sweeps over queued texts, an alert's progress, and delivery receipts.
#include "dispatcher/fanout/text_store.hpp"

#include <pqxx/pqxx>

#include "dispatcher/fanout/text_sql.hpp"
#include "dispatcher/storage/consent.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::fanout {

using storage::epoch_us;
using storage::to_micros;

namespace {

// One sweep statement over queued deliveries, $1 the clock's now; returns the rows it finished.
long long sweep_queued(pqxx::connection& c, const std::string& sql, Timestamp now) {
  pqxx::work tx{c};
  const auto n = tx.exec_params(sql, to_micros(now)).affected_rows();
  tx.commit();
  return static_cast<long long>(n);
}

}  // namespace

long long expire_overdue(pqxx::connection& c, Timestamp now) {
  const auto deliveries = sweep_queued(c,
                                       "UPDATE deliveries d SET status = 'expired', finished_at = to_timestamp($1 / 1e6) "
                                       "FROM alerts a WHERE a.id = d.alert_id AND d.status = 'queued' "
                                       "  AND a.expires_at <= to_timestamp($1 / 1e6)",
                                       now);
  const auto outbox = sweep_queued(c,
                                   "UPDATE outbox SET status = 'expired', finished_at = to_timestamp($1 / 1e6) "
                                   "WHERE status = 'queued' AND expires_at <= to_timestamp($1 / 1e6)",
                                   now);
  return deliveries + outbox;
}

long long cancel_leftovers_of_closed(pqxx::connection& c, Timestamp now) {
  return sweep_queued(c,
                      "UPDATE deliveries d SET status = 'cancelled', finished_at = to_timestamp($1 / 1e6), "
                      "  error = 'alert ' || a.state FROM alerts a "
                      "WHERE a.id = d.alert_id AND d.status = 'queued' AND a.state NOT IN ('active', 'held')",
                      now);
}

std::optional<AlertSummary> alert_summary(pqxx::connection& c, std::int64_t alert_id) {
  pqxx::read_transaction tx{c};
  const auto head = tx.exec_params(
      "SELECT a.id, r.code, a.region_id, " + epoch_us("a.created_at") + ", " + epoch_us("a.expires_at") +
          ", a.materialized_at IS NOT NULL, a.msg_type, a.status, a.urgency, a.severity, a.certainty, "
          "coalesce(a.references_id, 0), a.state, a.sender_name, coalesce(" + epoch_us("a.closed_at") +
          ", 0) FROM alerts a JOIN reports r ON r.id = a.report_id WHERE a.id = $1",
      alert_id);
  if (head.empty()) return std::nullopt;
  const auto& h = head[0];
  AlertSummary s;
  s.id = h[0].as<std::int64_t>();
  s.report_code = h[1].as<std::string>();
  s.region_id = h[2].as<std::string>();
  s.created_at_us = h[3].as<std::int64_t>();
  s.expires_at_us = h[4].as<std::int64_t>();
  s.materialized = h[5].as<bool>();
  s.msg_type = h[6].as<std::string>();
  s.status = h[7].as<std::string>();
  s.urgency = h[8].as<std::string>();
  s.severity = h[9].as<std::string>();
  s.certainty = h[10].as<std::string>();
  s.references_id = h[11].as<std::int64_t>();
  s.state = h[12].as<std::string>();
  s.sender = h[13].as<std::string>();
  s.closed_at_us = h[14].as<std::int64_t>();
  for (const auto& row : tx.exec_params(
           "SELECT status, count(*), count(*) FILTER (WHERE possible_duplicate), "
           "  count(*) FILTER (WHERE status = 'failed' AND error = 'undecryptable') "
           "FROM deliveries WHERE alert_id = $1 GROUP BY status",
           alert_id)) {
    s.by_status[row[0].as<std::string>()] = row[1].as<long long>();
    s.possible_duplicates += row[2].as<long long>();
    s.undecryptable += row[3].as<long long>();
  }
  return s;
}

void apply_receipt(pqxx::connection& c, const std::string& provider, const providers::DeliveryReceipt& r,
                   Timestamp now) {
  static constexpr std::array<std::string_view, 5> state_names{"queued", "sent", "delivered",
                                                               "undelivered", "failed"};
  const auto state = std::string(state_names[static_cast<std::size_t>(r.state)]);
  if (state == "queued") return;  // says nothing we do not know
  pqxx::work tx{c};
  tx.exec_params("SELECT pg_advisory_xact_lock(" + receipt_lock_key("$1", "$2") + ")", provider,
                 r.provider_message_id);
  tx.exec_params(
      "INSERT INTO delivery_receipts (provider, provider_message_id, state, error_code, received_at) "
      "VALUES ($1, $2, $3, $4, to_timestamp($5 / 1e6)) ON CONFLICT DO NOTHING",
      provider, r.provider_message_id, state, r.error_code, to_micros(now));
  tx.exec_params("UPDATE deliveries d SET status = $3 WHERE provider = $1 AND provider_message_id = $2 AND " +
                     rank_of("$3::text") + " > " + rank_of("d.status"),
                 provider, r.provider_message_id, state);
  // The carrier refused the text because the member opted out there: one opt-out, as a STOP.
  if (r.recipient_opted_out)
    for (const auto& row : tx.exec_params("SELECT subscriber_id FROM deliveries WHERE provider = $1 AND "
                                          "provider_message_id = $2",
                                          provider, r.provider_message_id))
      storage::opt_out_member(tx, row[0].as<std::int64_t>(), "provider_opt_out", "provider receipt", now);
  tx.commit();
}

}  // namespace centinela::fanout


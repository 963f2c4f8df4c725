// Recording what became of claimed texts, and putting texts left in doubt back in the queue.
#include "dispatcher/fanout/text_store.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "dispatcher/fanout/text_sql.hpp"
#include "dispatcher/storage/consent.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::fanout {

using storage::to_micros;

void record_results(pqxx::connection& c, const Context& ctx, const std::string& provider,
                    const std::vector<SendResult>& results) {
  nlohmann::json deliveries = nlohmann::json::array();
  nlohmann::json outbox = nlohmann::json::array();
  std::vector<std::int64_t> opted_out;
  for (const auto& r : results) {
    nlohmann::json row{{"id", r.id},
                       {"status", to_sql(r.state)},
                       {"counted", r.counts_as_attempt},
                       {"message_id", r.provider_message_id},
                       {"error", r.error},
                       {"retry_at_us", r.retry_at ? to_micros(*r.retry_at) : 0},
                       {"maybe_sent", r.possible_duplicate}};
    (r.kind == TextKind::delivery ? deliveries : outbox).push_back(std::move(row));
  }
  const auto now = to_micros(ctx.clock().now());
  pqxx::work tx{c};
  static const std::string set_columns =
      "status = r.status, provider_message_id = NULLIF(r.message_id, ''), error = NULLIF(r.error, ''), "
      "not_before = CASE WHEN r.retry_at_us = 0 THEN NULL ELSE to_timestamp(r.retry_at_us / 1e6) END, "
      "finished_at = CASE WHEN r.status = 'queued' THEN NULL ELSE to_timestamp($2 / 1e6) END, "
      "possible_duplicate = d.possible_duplicate OR r.maybe_sent, "
      "attempts = d.attempts - CASE WHEN r.counted THEN 0 ELSE 1 END ";
  static const std::string from_json =
      "FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, status text, message_id text, error text, "
      "retry_at_us bigint, maybe_sent boolean, counted boolean) ";
  if (!deliveries.empty()) {
    const auto rows = deliveries.dump();  // one serialization for the four statements below
    // A receipt can be committed between our UPDATE and our receipt sweep below, matching no
    // row in either. Both sides take the message id's advisory lock first (in a fixed order
    // here), so one of them always sees the other's commit.
    tx.exec_params(
        "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT " + receipt_lock_key("$2", "r.message_id") +
            " AS k FROM jsonb_to_recordset($1::jsonb) AS r(message_id text) WHERE r.message_id <> '' "
            "ORDER BY 1) keys",
        rows, provider);
    tx.exec_params("UPDATE deliveries d SET " + set_columns + from_json +
                       "WHERE d.id = r.id AND d.status = 'sending'",
                   rows, now);
    // A text that was in flight when its alert was cleared or retracted, and came back as a
    // retry, is cancelled: nothing of a closed alert leaves again.
    const bool any_retry = std::any_of(results.begin(), results.end(), [](const SendResult& r) {
      return r.kind == TextKind::delivery && r.state == NextState::queued;
    });
    if (any_retry)
      tx.exec_params(
          "UPDATE deliveries d SET status = 'cancelled', not_before = NULL, finished_at = to_timestamp($2 / 1e6), "
          "  error = 'alert ' || a.state "
          "FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, status text), alerts a "
          "WHERE d.id = r.id AND r.status = 'queued' AND d.status = 'queued' AND a.id = d.alert_id "
          "  AND a.state <> 'active'",
          rows, now);
    // Receipts that overtook this commit.
    tx.exec_params(
        "UPDATE deliveries d SET status = x.state FROM delivery_receipts x, "
        "  jsonb_to_recordset($1::jsonb) AS r(id bigint, message_id text) "
        "WHERE d.id = r.id AND x.provider = $2 AND x.provider_message_id = r.message_id "
        "  AND r.message_id <> '' AND " + rank_of("x.state") + " > " + rank_of("d.status"),
        rows, provider);
  }
  if (!outbox.empty()) {
    tx.exec_params("UPDATE outbox d SET " + set_columns + from_json +
                       "WHERE d.id = r.id AND d.status = 'sending'",
                   outbox.dump(), now);
  }
  // The provider refused the send because the number opted out there (Twilio 21610): the same
  // opt-out as a STOP, with the same effects, whether the text was an alert or a reply to a member.
  for (const auto& r : results) {
    if (!r.recipient_opted_out) continue;
    const auto member = r.kind == TextKind::delivery ? std::optional<std::int64_t>{r.subscriber_id}
                                                     : storage::member_id_of(tx, ctx.cipher(), r.to);
    if (member) storage::opt_out_member(tx, *member, "provider_opt_out", "provider", storage::from_micros(now));
  }
  tx.commit();
}

// A text of an alert closed (cleared, retracted) while it was in flight is cancelled, not queued.
constexpr std::string_view requeue_delivery_sql =
    "UPDATE deliveries d SET status = CASE WHEN a.state = 'active' THEN 'queued' ELSE 'cancelled' END, "
    "  possible_duplicate = true, not_before = NULL "
    "FROM alerts a WHERE a.id = d.alert_id AND d.status = 'sending' ";

constexpr std::string_view requeue_outbox_sql =
    "UPDATE outbox SET status = 'queued', possible_duplicate = true, not_before = NULL WHERE status = 'sending' ";

ResumeCounts requeue_in_doubt(pqxx::connection& c) {
  pqxx::work tx{c};
  ResumeCounts counts;
  counts.deliveries_in_doubt = tx.exec(std::string(requeue_delivery_sql)).affected_rows();
  counts.outbox_in_doubt = tx.exec(std::string(requeue_outbox_sql)).affected_rows();
  tx.commit();
  return counts;
}

long long requeue_stale(pqxx::connection& c, Timestamp sending_before) {
  pqxx::work tx{c};
  const auto since = to_micros(sending_before);
  const auto deliveries =
      tx.exec_params(std::string(requeue_delivery_sql) + "AND d.sending_at < to_timestamp($1 / 1e6)", since)
          .affected_rows();
  const auto outbox =
      tx.exec_params(std::string(requeue_outbox_sql) + "AND sending_at < to_timestamp($1 / 1e6)", since).affected_rows();
  tx.commit();
  return static_cast<long long>(deliveries + outbox);
}

}  // namespace centinela::fanout

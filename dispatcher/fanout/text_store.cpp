#include "dispatcher/fanout/text_store.hpp"

#include <limits>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "dispatcher/alerts/alert_kind.hpp"
#include "dispatcher/core/local_time.hpp"
#include "dispatcher/storage/outbox.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::fanout {
namespace {

using storage::bytes_of;
using storage::epoch_us;
using storage::from_micros;
using storage::to_micros;

// Receipt and delivery states share one ordering; an update only ever moves forward in it.
constexpr std::string_view status_rank_sql =
    "CASE %s WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 ELSE 3 END";

std::string rank_of(std::string_view column) {
  std::string sql(status_rank_sql);
  sql.replace(sql.find("%s"), 2, column);
  return sql;
}

// The advisory lock that orders a receipt against the recording of its send (see record_results).
std::string receipt_lock_key(std::string_view provider_sql, std::string_view message_id_sql) {
  return "hashtextextended(" + std::string(provider_sql) + " || ':' || " + std::string(message_id_sql) + ", 0)";
}

std::string decrypt_or_throw(const Context& ctx, const pqxx::field& f) {
  auto plain = ctx.cipher().decrypt(bytes_of(f));
  // Data sealed with another key: CENTINELA_DATA_KEY changed. Refuse loudly rather than send.
  if (!plain) throw std::runtime_error("stored ciphertext does not decrypt with the data key");
  return *plain;
}

// Outbox texts whose priority (storage::TextPriority) lies in [lowest, highest], by priority, oldest
// first: outbox_queued (priority, id) serves the ORDER BY.
void claim_outbox(pqxx::work& tx, const Context& ctx, const ClaimRequest& req, std::int64_t now, int lowest,
                  int highest, int limit, std::vector<OutgoingText>& out) {
  const auto rows = tx.exec_params(
      "WITH picked AS ("
      "  SELECT id FROM outbox WHERE status = 'queued' AND priority BETWEEN $4 AND $5 "
      "    AND (not_before IS NULL OR not_before <= to_timestamp($1 / 1e6)) "
      "    AND (from_number IS NULL OR from_number = $6) "
      "  ORDER BY priority, id LIMIT $2 FOR UPDATE SKIP LOCKED) "
      "UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1, provider = $3, "
      "  sending_at = to_timestamp($1 / 1e6) "
      "FROM picked WHERE o.id = picked.id RETURNING o.id, o.to_enc, o.body_enc, o.attempts",
      now, limit, req.provider, lowest, highest, req.sender);
  for (const auto& row : rows) {
    OutgoingText t;
    t.kind = TextKind::outbox;
    t.id = row[0].as<std::int64_t>();
    t.to = PhoneNumber{decrypt_or_throw(ctx, row[1])};
    t.body = decrypt_or_throw(ctx, row[2]);
    t.attempts = row[3].as<int>();
    out.push_back(std::move(t));
  }
}

// Alert texts: retraction corrections first (claim_rank 0), then by alert and delivery id; never a
// text of an expired alert, nor of one that a CLEAR or RETRACT closed. Drill texts carry the
// exercise prefix, and reach test-group numbers that are not (yet) confirmed members.
void claim_deliveries(pqxx::work& tx, const Context& ctx, const ClaimRequest& req, std::int64_t now,
                      int limit, std::vector<OutgoingText>& out) {
  const auto rows = tx.exec_params(
      "WITH picked AS ("
      "  SELECT d.id FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
      "  WHERE d.status = 'queued' AND a.state = 'active' AND a.expires_at > to_timestamp($1 / 1e6) "
      "    AND (d.not_before IS NULL OR d.not_before <= to_timestamp($1 / 1e6)) "
      "  ORDER BY d.claim_rank, d.alert_id, d.id LIMIT $2 FOR UPDATE OF d SKIP LOCKED) "
      "UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, "
      "  sending_at = to_timestamp($1 / 1e6), provider = $3, sender = $4 "
      "FROM picked, subscribers s, alerts a "
      "WHERE d.id = picked.id AND s.id = d.subscriber_id AND a.id = d.alert_id "
      "RETURNING d.id, d.subscriber_id, d.alert_id, d.attempts, s.phone_enc, s.language, "
      "  s.status = 'active' OR (a.status = 'exercise' AND s.status = 'pending'), a.summary, a.region_id, " +
          epoch_us("a.created_at") + ", " + epoch_us("a.expires_at") + ", a.msg_type, a.status = 'exercise'",
      now, limit, req.provider, req.sender);
  // Members of one alert share a handful of languages: render each (alert, language) once.
  std::map<std::pair<std::int64_t, std::string>, std::string> bodies;
  for (const auto& row : rows) {
    OutgoingText t;
    t.kind = TextKind::delivery;
    t.id = row[0].as<std::int64_t>();
    t.subscriber_id = row[1].as<std::int64_t>();
    t.alert_id = row[2].as<std::int64_t>();
    t.attempts = row[3].as<int>();
    t.to = PhoneNumber{decrypt_or_throw(ctx, row[4])};
    const auto language = row[5].as<std::string>();
    t.member_active = row[6].as<bool>();
    auto [it, fresh] = bodies.try_emplace({t.alert_id, language});
    if (fresh) {
      it->second = ctx.render(language, alerts::template_key(row[11].as<std::string>()),
                              {{"region", ctx.regions().name_of(row[8].as<std::string>())},
                               {"time", alert_time_text(ctx, row[8].as<std::string>(), from_micros(row[9].as<std::int64_t>()))},
                               {"summary", row[7].as<std::string>()}});
      if (row[12].as<bool>())
        it->second = alerts::with_exercise_prefix(ctx.render(language, "exercise_prefix"), it->second);
    }
    t.body = it->second;
    t.expires_at = from_micros(row[10].as<std::int64_t>());
    const auto left = *t.expires_at - from_micros(now);
    t.validity = std::max(std::chrono::seconds{1}, std::chrono::duration_cast<std::chrono::seconds>(left));
    out.push_back(std::move(t));
  }
}

}  // namespace

std::vector<OutgoingText> claim_texts(pqxx::connection& c, const Context& ctx, const ClaimRequest& req) {
  const auto now = to_micros(ctx.clock().now());
  std::vector<OutgoingText> out;
  pqxx::work tx{c};
  // Operator texts, then alert texts (priority 1), then routine replies to members and anything
  // below them (storage::TextPriority).
  constexpr int operator_class = static_cast<int>(storage::TextPriority::urgent);
  claim_outbox(tx, ctx, req, now, std::numeric_limits<short>::min(), operator_class, req.limit, out);
  if (const int left = req.limit - static_cast<int>(out.size()); left > 0)
    claim_deliveries(tx, ctx, req, now, left, out);
  if (const int left = req.limit - static_cast<int>(out.size()); left > 0)
    claim_outbox(tx, ctx, req, now, operator_class + 1, std::numeric_limits<short>::max(), left, out);
  tx.commit();  // `sending` is durable before any request leaves
  return out;
}

std::vector<std::int64_t> alerts_closed_since(pqxx::connection& c, Timestamp since) {
  pqxx::read_transaction tx{c};
  std::vector<std::int64_t> ids;
  for (const auto& row : tx.exec_params("SELECT id FROM alerts WHERE state <> 'active' AND closed_at >= to_timestamp($1 / 1e6)",
                                        to_micros(since)))
    ids.push_back(row[0].as<std::int64_t>());
  return ids;
}

void record_results(pqxx::connection& c, const Context& ctx, const std::string& provider,
                    const std::vector<SendResult>& results) {
  nlohmann::json deliveries = nlohmann::json::array();
  nlohmann::json outbox = nlohmann::json::array();
  std::vector<std::int64_t> opted_out;
  for (const auto& r : results) {
    nlohmann::json row{{"id", r.id},
                       {"status", r.status},
                       {"message_id", r.provider_message_id},
                       {"error", r.error},
                       {"retry_at_us", r.retry_at ? to_micros(*r.retry_at) : 0},
                       {"maybe_sent", r.possible_duplicate}};
    (r.kind == TextKind::delivery ? deliveries : outbox).push_back(std::move(row));
    if (r.recipient_opted_out && r.kind == TextKind::delivery) opted_out.push_back(r.subscriber_id);
  }
  const auto now = to_micros(ctx.clock().now());
  pqxx::work tx{c};
  static const std::string set_columns =
      "status = r.status, provider_message_id = NULLIF(r.message_id, ''), error = NULLIF(r.error, ''), "
      "not_before = CASE WHEN r.retry_at_us = 0 THEN NULL ELSE to_timestamp(r.retry_at_us / 1e6) END, "
      "finished_at = CASE WHEN r.status = 'queued' THEN NULL ELSE to_timestamp($2 / 1e6) END, "
      "possible_duplicate = d.possible_duplicate OR r.maybe_sent ";
  static const std::string from_json =
      "FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, status text, message_id text, error text, "
      "retry_at_us bigint, maybe_sent boolean) ";
  if (!deliveries.empty()) {
    // A receipt can be committed between our UPDATE and our receipt sweep below, matching no
    // row in either. Both sides take the message id's advisory lock first (in a fixed order
    // here), so one of them always sees the other's commit.
    tx.exec_params(
        "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT " + receipt_lock_key("$2", "r.message_id") +
            " AS k FROM jsonb_to_recordset($1::jsonb) AS r(message_id text) WHERE r.message_id <> '' "
            "ORDER BY 1) keys",
        deliveries.dump(), provider);
    tx.exec_params("UPDATE deliveries d SET " + set_columns + from_json +
                       "WHERE d.id = r.id AND d.status = 'sending'",
                   deliveries.dump(), now);
    // A text that was in flight when its alert was cleared or retracted, and came back as a
    // retry, is cancelled: nothing of a closed alert leaves again.
    tx.exec_params(
        "UPDATE deliveries d SET status = 'cancelled', not_before = NULL, finished_at = to_timestamp($2 / 1e6), "
        "  error = 'alert ' || a.state "
        "FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, status text), alerts a "
        "WHERE d.id = r.id AND r.status = 'queued' AND d.status = 'queued' AND a.id = d.alert_id "
        "  AND a.state <> 'active'",
        deliveries.dump(), now);
    // Receipts that overtook this commit.
    tx.exec_params(
        "UPDATE deliveries d SET status = x.state FROM delivery_receipts x, "
        "  jsonb_to_recordset($1::jsonb) AS r(id bigint, message_id text) "
        "WHERE d.id = r.id AND x.provider = $2 AND x.provider_message_id = r.message_id "
        "  AND r.message_id <> '' AND " + rank_of("x.state") + " > " + rank_of("d.status"),
        deliveries.dump(), provider);
  }
  if (!outbox.empty()) {
    tx.exec_params("UPDATE outbox d SET " + set_columns + from_json +
                       "WHERE d.id = r.id AND d.status = 'sending'",
                   outbox.dump(), now);
  }
  for (auto member : opted_out) {
    const auto changed = tx.exec_params(
        "UPDATE subscribers SET status = 'opted_out', updated_at = to_timestamp($2 / 1e6) "
        "WHERE id = $1 AND status = 'active' RETURNING id",
        member, now);
    if (!changed.empty())
      tx.exec_params(
          "INSERT INTO consent_events (subscriber_id, event, at) "
          "VALUES ($1, 'provider_opt_out', to_timestamp($2 / 1e6))",
          member, now);
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
  return sweep_queued(c,
                      "UPDATE deliveries d SET status = 'expired', finished_at = to_timestamp($1 / 1e6) "
                      "FROM alerts a WHERE a.id = d.alert_id AND d.status = 'queued' "
                      "  AND a.expires_at <= to_timestamp($1 / 1e6)",
                      now);
}

long long cancel_leftovers_of_closed(pqxx::connection& c, Timestamp now) {
  return sweep_queued(c,
                      "UPDATE deliveries d SET status = 'cancelled', finished_at = to_timestamp($1 / 1e6), "
                      "  error = 'alert ' || a.state FROM alerts a "
                      "WHERE a.id = d.alert_id AND d.status = 'queued' AND a.state NOT IN ('active', 'held')",
                      now);
}

std::vector<std::int64_t> alerts_to_materialize(pqxx::connection& c) {
  pqxx::read_transaction tx{c};
  std::vector<std::int64_t> ids;
  // A held update waits for its second approver: nothing of it is planned before.
  for (const auto& row : tx.exec("SELECT id FROM alerts WHERE materialized_at IS NULL AND state <> 'held' ORDER BY id"))
    ids.push_back(row[0].as<std::int64_t>());
  return ids;
}

namespace {

void mark_materialized(pqxx::work& tx, std::int64_t alert_id, std::int64_t upto, bool done, std::int64_t us) {
  tx.exec_params(
      "UPDATE alerts SET materialized_upto = GREATEST(materialized_upto, $2), "
      "  materialized_at = CASE WHEN $3 THEN to_timestamp($4 / 1e6) ELSE NULL END WHERE id = $1",
      alert_id, upto, done, us);
}

// An actual original: the next members of the audience, by subscriber id. Never for an exercise
// (its test group was planned at creation) nor for a closed or expired alert.
ChunkResult plan_members(pqxx::work& tx, std::int64_t alert_id, std::size_t chunk, std::int64_t us) {
  const auto row = tx.exec_params1(
      "WITH a AS (SELECT audience_regions, materialized_upto, expires_at, state, status, msg_type "
      "           FROM alerts WHERE id = $1), "
      "batch AS ("
      "  SELECT s.id FROM subscribers s, a "
      "  WHERE s.id > a.materialized_upto AND s.status = 'active' "
      "    AND a.msg_type = 'alert' AND a.status = 'actual' AND a.state = 'active' "
      "    AND a.expires_at > to_timestamp($3 / 1e6) "
      "    AND EXISTS (SELECT 1 FROM subscriptions sub WHERE sub.subscriber_id = s.id "
      "                AND sub.region_id = ANY(a.audience_regions)) "
      "  ORDER BY s.id LIMIT $2), "
      "ins AS (INSERT INTO deliveries (alert_id, subscriber_id, created_at) "
      "        SELECT $1, id, to_timestamp($3 / 1e6) FROM batch ON CONFLICT DO NOTHING RETURNING 1) "
      "SELECT (SELECT count(*) FROM batch), (SELECT coalesce(max(id), 0) FROM batch), "
      "       (SELECT count(*) FROM ins)",
      alert_id, static_cast<long long>(chunk), us);
  ChunkResult result;
  result.planned = row[2].as<long long>();
  result.done = row[0].as<long long>() < static_cast<long long>(chunk);
  mark_materialized(tx, alert_id, row[1].as<std::int64_t>(), result.done, us);
  return result;
}

}  // namespace

ChunkResult plan_follow_up(pqxx::work& tx, std::int64_t alert_id, std::int64_t original_id, bool correction,
                           std::size_t chunk, Timestamp now) {
  const auto us = to_micros(now);
  // Done when nothing of the original can still reach anyone: for a correction (the original is
  // closed, its queued texts cancelled) once nothing is in flight; for an update or all-clear once
  // the original is fully planned and nothing is queued or in flight. The check comes first:
  // anything it saw finished is visible to the insert's later snapshot, so no member is missed.
  const bool original_over = tx.exec_params1(
                                   "SELECT ($2 OR materialized_at IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM deliveries "
                                   "  WHERE alert_id = $1 AND status IN ('queued', 'sending')) "
                                   "FROM alerts WHERE id = $1",
                                   original_id, correction)[0]
                               .as<bool>();
  // Who the original reached: sent or delivered; for a correction also anyone a crash may have
  // texted already (possible_duplicate), whatever became of the resend.
  ChunkResult result;
  result.planned = static_cast<long long>(
      tx.exec_params(
            "INSERT INTO deliveries (alert_id, subscriber_id, created_at, claim_rank) "
            "SELECT $1, o.subscriber_id, to_timestamp($4 / 1e6), $5 FROM deliveries o "
            "WHERE o.alert_id = $2 "
            "  AND (o.status IN ('sent', 'delivered') OR ($6 AND o.possible_duplicate AND o.status <> 'sending')) "
            "  AND NOT EXISTS (SELECT 1 FROM deliveries f WHERE f.alert_id = $1 AND f.subscriber_id = o.subscriber_id) "
            "ORDER BY o.id LIMIT $3 ON CONFLICT DO NOTHING",
            alert_id, original_id, static_cast<long long>(chunk), us, correction ? 0 : 1, correction)
          .affected_rows());
  const bool more_now = result.planned >= static_cast<long long>(chunk);
  result.done = original_over && !more_now;
  result.waiting = !original_over && !more_now;
  mark_materialized(tx, alert_id, 0, result.done, us);
  return result;
}

ChunkResult materialize_chunk(pqxx::connection& c, std::int64_t alert_id, std::size_t chunk, Timestamp now) {
  pqxx::work tx{c};
  const auto us = to_micros(now);
  // The alert row is locked first: a CLEAR or RETRACT (which locks the original) either sees this
  // chunk's texts and cancels them, or this chunk sees the alert closed and plans nothing.
  const auto rows = tx.exec_params(
      "SELECT msg_type, coalesce(references_id, 0), state = 'active' AND expires_at > to_timestamp($2 / 1e6), "
      "  materialized_at IS NOT NULL, state = 'held' FROM alerts WHERE id = $1 FOR UPDATE",
      alert_id, us);
  ChunkResult result;
  if (rows.empty() || rows[0][3].as<bool>()) {
    result.done = true;
  } else if (rows[0][4].as<bool>()) {
    result.waiting = true;  // an update waiting for its second approver
  } else if (rows[0][0].as<std::string>() == "alert") {
    result = plan_members(tx, alert_id, chunk, us);
  } else if (!rows[0][2].as<bool>()) {
    // Closed or expired: nothing more to plan.
    result.done = true;
    mark_materialized(tx, alert_id, 0, true, us);
  } else {
    result = plan_follow_up(tx, alert_id, rows[0][1].as<std::int64_t>(), rows[0][0].as<std::string>() == "retract",
                            chunk, now);
  }
  tx.commit();
  return result;
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
           "SELECT status, count(*), count(*) FILTER (WHERE possible_duplicate) "
           "FROM deliveries WHERE alert_id = $1 GROUP BY status",
           alert_id)) {
    s.by_status[row[0].as<std::string>()] = row[1].as<long long>();
    s.possible_duplicates += row[2].as<long long>();
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
  tx.commit();
}

}  // namespace centinela::fanout

// Planning the fan-out: an alert's audience (or a follow-up's recipients) becomes queued
// deliveries, chunk by chunk.
#include "dispatcher/fanout/text_store.hpp"

#include <pqxx/pqxx>

#include "dispatcher/storage/sql.hpp"

namespace centinela::fanout {

using storage::to_micros;

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

}  // namespace centinela::fanout

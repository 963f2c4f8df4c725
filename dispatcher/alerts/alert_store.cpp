#include "dispatcher/alerts/alert_store.hpp"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "dispatcher/intake/member_registry.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::alerts {

using storage::to_micros;

std::int64_t create_alert(pqxx::work& tx, const Context& ctx, const NewAlert& alert) {
  const Timestamp now = ctx.clock().now();
  const auto expires = now + ctx.config().alerts.expiry;
  const auto audience = ctx.regions().alert_audience(alert.region_id);
  // An exercise is fully planned at birth (the schema insists): it never reaches the materializer.
  const auto id = tx.exec_params1(
                        "INSERT INTO alerts (report_id, region_id, audience_regions, summary_enc, created_at, "
                        "  expires_at, msg_type, status, certainty, sender_name, materialized_at) "
                        "VALUES ($1, $2, string_to_array($3, ','), $4, to_timestamp($5 / 1e6), "
                        "  to_timestamp($6 / 1e6), 'alert', CASE WHEN $7 THEN 'exercise' ELSE 'actual' END, $8, $9, "
                        "  CASE WHEN $7 THEN to_timestamp($5 / 1e6) END) RETURNING id",
                        alert.report_id, alert.region_id, storage::csv(audience), storage::bin(ctx.cipher().encrypt(alert.summary)), to_micros(now),
                        to_micros(expires), alert.exercise, alert.certainty, alert.sender)[0]
                      .as<std::int64_t>();
  if (!alert.exercise) return id;
  long long planned = 0;
  for (const auto& number : ctx.config().exercise.test_group) {
    // 'pending' and set_status=false: a new number is stored like an unconfirmed JOIN (no
    // subscription, never selected for a member alert); a known number keeps its status.
    const auto row = intake::upsert_subscriber(tx, ctx, PhoneNumber{number}, "pending", /*set_status=*/false, "", now);
    planned += tx.exec_params(
                     "INSERT INTO deliveries (alert_id, subscriber_id, created_at) "
                     "SELECT $1, id, to_timestamp($3 / 1e6) FROM subscribers WHERE id = $2 AND status <> 'opted_out' "
                     "ON CONFLICT DO NOTHING",
                     id, row.id, to_micros(now))
                   .affected_rows();
  }
  spdlog::info("event=exercise_alert_created alert_id={} test_group_texts={}", id, planned);
  return id;
}

}  // namespace centinela::alerts

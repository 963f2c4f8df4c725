#include "dispatcher/intake/pending_join.hpp"

#include <algorithm>

#include <pqxx/pqxx>

#include "dispatcher/storage/sql.hpp"

namespace centinela::intake {

using storage::to_micros;

JoinRequest request_join(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone,
                         const std::string& region_id, const std::string& language) {
  const auto member = find_member(tx, ctx, phone);
  if (member && member->active) {
    const auto joined = join(tx, ctx, phone, region_id, language);
    return {false, joined.language};
  }
  const Timestamp now = ctx.clock().now();
  const Timestamp expires = now + ctx.config().members.join_confirmation_window;
  // A new number is stored as 'pending' (never texted an alert); a known one keeps its status
  // until the YES. The language is a preference, not consent: it applies at once, so the request
  // to confirm is already in the member's language.
  const auto row = upsert_subscriber(tx, ctx, phone, "pending", /*set_status=*/false, language, now);
  // A repeated JOIN restarts the window: the member is evidently still interested.
  tx.exec_params(
      "INSERT INTO pending_joins (subscriber_id, region_id, requested_at, expires_at) "
      "VALUES ($1, $2, to_timestamp($3 / 1e6), to_timestamp($4 / 1e6)) "
      "ON CONFLICT (subscriber_id, region_id) DO UPDATE SET "
      "  requested_at = EXCLUDED.requested_at, expires_at = EXCLUDED.expires_at",
      row.id, region_id, to_micros(now), to_micros(expires));
  record_consent(tx, row.id, "join_requested", region_id, now);
  return {true, row.language};
}

JoinConfirmation confirm_joins(pqxx::work& tx, const Context& ctx, const Member& member) {
  const Timestamp now = ctx.clock().now();
  // Deleting returns every pending join once, so two concurrent YES texts cannot both confirm.
  const auto rows = tx.exec_params(
      "DELETE FROM pending_joins WHERE subscriber_id = $1 "
      "RETURNING region_id, expires_at > to_timestamp($2 / 1e6)",
      member.id, to_micros(now));
  JoinConfirmation live{JoinConfirmation::Kind::confirmed, {}};
  JoinConfirmation late{JoinConfirmation::Kind::expired, {}};
  for (const auto& r : rows) (r[1].as<bool>() ? live : late).regions.push_back(r[0].as<std::string>());
  std::sort(live.regions.begin(), live.regions.end());
  std::sort(late.regions.begin(), late.regions.end());
  if (live.regions.empty()) return late.regions.empty() ? JoinConfirmation{} : late;

  if (member.status == "opted_out")
    tx.exec_params("DELETE FROM subscriptions WHERE subscriber_id = $1", member.id);
  tx.exec_params(
      "UPDATE subscribers SET status = 'active', updated_at = to_timestamp($2 / 1e6) WHERE id = $1",
      member.id, to_micros(now));
  for (const auto& region : live.regions) {
    tx.exec_params(
        "INSERT INTO subscriptions (region_id, subscriber_id, created_at) "
        "VALUES ($1, $2, to_timestamp($3 / 1e6)) ON CONFLICT DO NOTHING",
        region, member.id, to_micros(now));
    record_consent(tx, member.id, "join_confirmed", region, now);
  }
  return live;
}

}  // namespace centinela::intake

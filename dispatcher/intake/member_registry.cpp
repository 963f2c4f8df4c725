#include "dispatcher/intake/member_registry.hpp"

#include <pqxx/pqxx>

#include "dispatcher/storage/consent.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::intake {

using storage::bin;
using storage::to_micros;

std::optional<Member> find_member(pqxx::transaction_base& tx, const Context& ctx, const PhoneNumber& phone) {
  const auto rows = tx.exec_params(
      "SELECT s.id, s.language, s.status, "
      "       coalesce(string_agg(sub.region_id, ',' ORDER BY sub.region_id), '') "
      "FROM subscribers s LEFT JOIN subscriptions sub ON sub.subscriber_id = s.id "
      "WHERE s.phone_idx = $1 GROUP BY s.id",
      bin(ctx.cipher().blind_index(phone.e164)));
  if (rows.empty()) return std::nullopt;
  Member m;
  m.id = rows[0][0].as<std::int64_t>();
  m.language = rows[0][1].as<std::string>();
  m.status = rows[0][2].as<std::string>();
  m.active = m.status == "active";
  const auto regions = rows[0][3].as<std::string>();
  for (std::size_t start = 0; start < regions.size();) {
    const auto end = std::min(regions.find(',', start), regions.size());
    m.regions.push_back(regions.substr(start, end - start));
    start = end + 1;
  }
  return m;
}

SubscriberRow upsert_subscriber(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone,
                                const std::string& status, bool set_status, const std::string& language,
                                Timestamp now) {
  const std::string new_language = language.empty() ? ctx.config().default_language : language;
  const auto row = tx.exec_params1(
      "INSERT INTO subscribers (phone_enc, phone_idx, language, status, created_at, updated_at) "
      "VALUES ($1, $2, $3, $5, to_timestamp($7 / 1e6), to_timestamp($7 / 1e6)) "
      "ON CONFLICT (phone_idx) DO UPDATE SET "
      "  status = CASE WHEN $6 THEN EXCLUDED.status ELSE subscribers.status END, "
      "  language = CASE WHEN $4 THEN EXCLUDED.language ELSE subscribers.language END, "
      "  updated_at = EXCLUDED.updated_at "
      "RETURNING id, language",
      bin(ctx.cipher().encrypt(phone.e164)), bin(ctx.cipher().blind_index(phone.e164)), new_language,
      !language.empty(), status, set_status, to_micros(now));
  return {row[0].as<std::int64_t>(), row[1].as<std::string>()};
}

Member join(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone, const std::string& region_id,
            const std::string& language, const std::string& event) {
  const Timestamp now = ctx.clock().now();
  // One row per number: a JOIN from a known number reactivates it and keeps its language unless
  // the JOIN names one.
  const auto id = upsert_subscriber(tx, ctx, phone, "active", /*set_status=*/true, language, now).id;
  tx.exec_params(
      "INSERT INTO subscriptions (region_id, subscriber_id, created_at) "
      "VALUES ($1, $2, to_timestamp($3 / 1e6)) ON CONFLICT DO NOTHING",
      region_id, id, to_micros(now));
  tx.exec_params("DELETE FROM pending_joins WHERE subscriber_id = $1 AND region_id = $2", id, region_id);
  record_consent(tx, id, event, region_id, now);
  return *find_member(tx, ctx, phone);
}

bool opt_out_by_id(pqxx::work& tx, const Context& ctx, std::int64_t member_id, const std::string& event,
                   const std::string& detail) {
  return storage::opt_out_member(tx, member_id, event, detail, ctx.clock().now());
}

bool opt_out(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone, const std::string& event,
             const std::string& detail) {
  if (const auto member = find_member(tx, ctx, phone)) return opt_out_by_id(tx, ctx, member->id, event, detail);
  // A stranger's STOP is remembered as an opt-out without regions: the next STOP from them is
  // then recognized as a repeat and gets no second confirmation.
  const Timestamp now = ctx.clock().now();
  const auto id = upsert_subscriber(tx, ctx, phone, "opted_out", /*set_status=*/true, "", now).id;
  record_consent(tx, id, event, "", now, detail);
  return true;
}

bool opt_in(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone) {
  const auto member = find_member(tx, ctx, phone);
  if (!member || member->status != "opted_out") return false;
  const Timestamp now = ctx.clock().now();
  tx.exec_params(
      "UPDATE subscribers SET status = 'active', updated_at = to_timestamp($2 / 1e6) WHERE id = $1",
      member->id, to_micros(now));
  record_consent(tx, member->id, "opt_in", "", now);
  return true;
}

bool set_language(pqxx::work& tx, const Context& ctx, const PhoneNumber& phone, const std::string& language) {
  const Timestamp now = ctx.clock().now();
  const auto changed = tx.exec_params(
      "UPDATE subscribers SET language = $2, updated_at = to_timestamp($3 / 1e6) "
      "WHERE phone_idx = $1 RETURNING id",
      bin(ctx.cipher().blind_index(phone.e164)), language, to_micros(now));
  if (changed.empty()) return false;
  record_consent(tx, changed[0][0].as<std::int64_t>(), "language", "", now, language);
  return true;
}

bool leave_region(pqxx::work& tx, const Context& ctx, std::int64_t member_id, const std::string& region_id) {
  const Timestamp now = ctx.clock().now();
  const auto left = tx.exec_params(
      "DELETE FROM subscriptions WHERE subscriber_id = $1 AND region_id = $2 RETURNING 1", member_id, region_id);
  const auto unasked = tx.exec_params(
      "DELETE FROM pending_joins WHERE subscriber_id = $1 AND region_id = $2 RETURNING 1", member_id, region_id);
  if (left.empty() && unasked.empty()) return false;
  record_consent(tx, member_id, "leave", region_id, now);
  return true;
}

}  // namespace centinela::intake

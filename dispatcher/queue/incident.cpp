#include "dispatcher/queue/incident.hpp"

#include <pqxx/pqxx>

#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {

using storage::to_micros;

std::optional<Incident> lock_incident(pqxx::work& tx, const std::string& code, Timestamp now) {
  const auto rows = tx.exec_params(
      "SELECT h.id, h.code, coalesce(h.region_id, ''), h.status, "
      "  CASE WHEN h.claim_expires_at > to_timestamp($2 / 1e6) THEN h.claimed_by ELSE '' END, "
      "  h.exercise, r.id, r.code "
      "FROM reports r JOIN reports h ON h.id = coalesce(r.incident_id, r.id) "
      "WHERE r.code = $1 FOR UPDATE OF h",
      code, to_micros(now));
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  return Incident{row[0].as<std::int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
                  row[3].as<std::string>(), row[4].is_null() ? "" : row[4].as<std::string>(), row[5].as<bool>(),
                  row[6].as<std::int64_t>(), row[7].as<std::string>()};
}

std::optional<Decision> refuse_command(const Context& ctx, const Actor& actor, const std::optional<Incident>& incident,
                                       const std::string& code, bool must_be_pending) {
  Decision d;
  d.code = code;
  if (!incident) {
    d.outcome = Outcome::unknown_report;
    return d;
  }
  d.status = incident->status;
  d.region_id = incident->region_id;
  const bool covered = incident->region_id.empty() ? ctx.regions().covers_unknown(actor.op.regions)
                                                   : ctx.regions().covers(actor.op.regions, incident->region_id);
  if (!covered) {
    d.outcome = Outcome::not_your_region;
    return d;
  }
  if (must_be_pending && incident->status != "pending") {
    d.outcome = Outcome::already_decided;
    return d;
  }
  return std::nullopt;
}

std::optional<std::int64_t> open_incident_for(pqxx::work& tx, const Context& ctx, const std::string& region_id,
                                              bool exercise, Timestamp now) {
  // Related areas: the region, everything above it and everything below it. An unknown region
  // only groups with other reports of unknown region.
  const auto related = region_id.empty() ? std::vector<std::string>{} : ctx.regions().alert_audience(region_id);
  const auto since = now - ctx.config().incidents.window;
  const auto rows = tx.exec_params(
      "SELECT h.id FROM reports h "
      "WHERE h.status = 'pending' AND h.incident_id IS NULL AND NOT h.quarantined AND h.exercise = $4 "
      "  AND (h.region_id = ANY(string_to_array($1, ',')) OR (h.region_id IS NULL AND $2)) "
      "  AND (h.created_at >= to_timestamp($3 / 1e6) OR EXISTS (SELECT 1 FROM reports m "
      "       WHERE m.incident_id = h.id AND m.created_at >= to_timestamp($3 / 1e6))) "
      "ORDER BY h.created_at DESC, h.id DESC LIMIT 1 FOR UPDATE OF h",
      storage::csv(related), region_id.empty(), to_micros(since), exercise);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::int64_t>();
}

void renew_claim(pqxx::work& tx, const Context& ctx, const Incident& incident, const Actor& actor) {
  if (incident.claimed_by != actor.op.name) return;
  tx.exec_params("UPDATE reports SET claim_expires_at = to_timestamp($2 / 1e6) WHERE id = $1", incident.id,
                 to_micros(ctx.clock().now() + ctx.config().verification.claim_lease));
}

}  // namespace centinela::queue

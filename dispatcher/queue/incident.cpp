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
  if (!ctx.regions().covers_report(actor.op.regions, incident->region_id)) {
    d.outcome = Outcome::not_your_region;
    return d;
  }
  if (must_be_pending && incident->status != "pending") {
    d.outcome = Outcome::already_decided;
    return d;
  }
  return std::nullopt;
}

std::optional<OpenIncident> open_incident_for(pqxx::work& tx, const Context& ctx, const std::string& region_id,
                                              bool exercise, Timestamp now) {
  const auto* region = ctx.regions().find(region_id);
  if (!region) return std::nullopt;
  // A pending head of the region, its parent or a child; a confirmed one only of the region or
  // its parent (the alert's audience covers the new report's area) and only while its alert is
  // live: after a CLEAR or RETRACT a new sighting is a new raid.
  std::vector<std::string> within_alert{region->id};
  if (!region->parent.empty()) within_alert.push_back(region->parent);
  auto related = within_alert;
  for (const auto& r : ctx.config().regions)
    if (r.parent == region->id) related.push_back(r.id);
  const auto rows = tx.exec_params(
      "SELECT h.id, h.code, h.status = 'confirmed' FROM reports h "
      "WHERE h.status IN ('pending', 'confirmed') AND h.incident_id IS NULL AND NOT h.quarantined "
      "  AND h.exercise = $3 AND h.created_at >= to_timestamp($2 / 1e6) "
      "  AND ((h.status = 'pending' AND h.region_id = ANY(string_to_array($1, ','))) "
      "    OR (h.status = 'confirmed' AND h.region_id = ANY(string_to_array($4, ',')) AND EXISTS ("
      "        SELECT 1 FROM alerts a WHERE a.report_id = h.id AND a.msg_type = 'alert' AND a.state = 'active' "
      "        AND a.expires_at > to_timestamp($5 / 1e6)))) "
      "ORDER BY h.created_at DESC, h.id DESC LIMIT 1 FOR UPDATE OF h",
      storage::csv(related), to_micros(now - ctx.config().incidents.window), exercise, storage::csv(within_alert),
      to_micros(now));
  if (rows.empty()) return std::nullopt;
  return OpenIncident{rows[0][0].as<std::int64_t>(), rows[0][1].as<std::string>(), rows[0][2].as<bool>()};
}

std::vector<std::string> incident_watchers(pqxx::transaction_base& tx, std::int64_t head_id, Timestamp now) {
  const auto rows = tx.exec_params(
      "SELECT claimed_by FROM reports WHERE id = $1 AND claim_expires_at > to_timestamp($2 / 1e6) "
      "  AND claimed_by IS NOT NULL",
      head_id, to_micros(now));
  if (!rows.empty()) return {rows[0][0].as<std::string>()};
  std::vector<std::string> out;
  for (const auto& row : tx.exec_params(
           "SELECT operator FROM report_pages WHERE report_id = $1 "
           "UNION SELECT substr(actor, length('operator:') + 1) FROM report_actions "
           "  WHERE report_id = $1 AND action = 'confirmed' AND actor LIKE 'operator:%' ORDER BY 1",
           head_id))
    out.push_back(row[0].as<std::string>());
  return out;
}

void renew_claim(pqxx::work& tx, const Context& ctx, const Incident& incident, const Actor& actor) {
  if (incident.claimed_by != actor.op.name) return;
  tx.exec_params("UPDATE reports SET claim_expires_at = to_timestamp($2 / 1e6) WHERE id = $1", incident.id,
                 to_micros(ctx.clock().now() + ctx.config().verification.claim_lease));
}

}  // namespace centinela::queue

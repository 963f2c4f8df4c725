// What operators see of reports: the pending list and one report's timeline, scoped to their
// regions (see responder_queue.hpp).
#include "dispatcher/queue/responder_queue.hpp"

#include <pqxx/pqxx>

#include "dispatcher/core/sms_text.hpp"
#include "dispatcher/queue/evidence.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {
namespace {

using storage::to_micros;

const std::string report_view_columns =
    "SELECT r.code, coalesce(r.region_id, ''), r.source, r.status, r.text_enc, " + storage::epoch_us("r.created_at") +
    ", (SELECT count(*) FROM report_actions a WHERE a.report_id = h.id AND a.action = 'confirmed'), "
    "r.quarantined, r.quarantine_reason, coalesce(r.flood_group, 0), "
    "h.code, (SELECT count(*) FROM reports m WHERE m.incident_id = h.id) + 1, coalesce(h.claimed_by, ''), "
    "coalesce(" + storage::epoch_us("h.claim_expires_at") + ", 0), h.escalation_tier, "
    "coalesce(h.verification_level, ''), h.evidence_enc, r.exercise, coalesce(h.region_id, '')";
constexpr std::string_view report_view_from = " FROM reports r JOIN reports h ON h.id = coalesce(r.incident_id, r.id) ";
constexpr int report_view_width = 19;

// The report as `op` may see it. A report that joined an incident headed in a region the operator
// does not cover shows only its own fields: the head's claim, checklist, verification level and
// confirmations belong to the operators of that region.
ReportView report_view(const Context& ctx, const config::Operator& op, const pqxx::row& row) {
  ReportView v;
  v.code = row[0].as<std::string>();
  v.region_id = row[1].as<std::string>();
  v.source = row[2].as<std::string>();
  v.status = row[3].as<std::string>();
  v.text = ctx.cipher().decrypt(storage::bytes_of(row[4])).value_or("<undecryptable>");
  v.created_at_us = row[5].as<std::int64_t>();
  v.confirmations = row[6].as<int>();
  v.quarantined = row[7].as<bool>();
  v.quarantine_reason = row[8].as<std::string>();
  v.flood_group = row[9].as<std::int64_t>();
  v.incident = row[10].as<std::string>();
  v.incident_reports = row[11].as<int>();
  v.exercise = row[17].as<bool>();
  if (!ctx.regions().covers_report(op.regions, row[18].as<std::string>())) {
    v.confirmations = 0;
    v.escalation_tier = 0;
    return v;
  }
  // A lapsed claim is no claim, whether or not the escalation loop has cleared it yet.
  const auto claim_expires = row[13].as<std::int64_t>();
  if (claim_expires > to_micros(ctx.clock().now())) {
    v.claimed_by = row[12].as<std::string>();
    v.claim_expires_at_us = claim_expires;
  }
  v.escalation_tier = row[14].as<int>();
  v.verification_level = row[15].as<std::string>();
  // Like the text: an unreadable checklist is shown as such, and the rest of the list still loads.
  v.evidence = decode_evidence(ctx, row[16]).value_or(Evidence{{"error", "<undecryptable>"}});
  return v;
}

}  // namespace

std::vector<ReportView> list_reports(pqxx::transaction_base& tx, const Context& ctx,
                                     const config::Operator& op, const std::string& status,
                                     int limit) {
  // Scope by the operator's regions in SQL, so the limit applies to what they may see.
  std::vector<std::string> visible;
  for (const auto& r : ctx.config().regions)
    if (ctx.regions().covers(op.regions, r.id)) visible.push_back(r.id);
  const bool sees_unknown = ctx.regions().covers_unknown(op.regions);
  const auto rows = tx.exec_params(
      report_view_columns + std::string(report_view_from) +
          "WHERE r.status = $1 "
          "AND (r.region_id = ANY(string_to_array($2, ',')) OR (r.region_id IS NULL AND $3)) "
          "ORDER BY r.created_at, r.id LIMIT $4",
      status, storage::csv(visible), sees_unknown, limit);
  std::vector<ReportView> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(report_view(ctx, op, row));
  return out;
}

std::vector<std::string> report_full_text(pqxx::transaction_base& tx, const Context& ctx, const config::Operator& op,
                                          const std::string& code) {
  const auto rows = tx.exec_params("SELECT coalesce(region_id, ''), text_enc FROM reports WHERE code = $1", code);
  if (rows.empty() || !ctx.regions().covers_report(op.regions, rows[0][0].as<std::string>())) return {};
  const auto text = sanitize_forwarded(ctx.cipher().decrypt(storage::bytes_of(rows[0][1])).value_or("<undecryptable>"));
  const auto& language = ctx.config().default_language;
  // Room for the words once the label is in: measured with the widest label this text can need.
  const auto label_units = sms_length(ctx.render(language, "operator_full_text",
                                                 {{"id", code}, {"part", "99"}, {"parts", "99"}, {"text", ""}}));
  const auto room = ctx.text_limit() > label_units + 20 ? ctx.text_limit() - label_units : 20;
  const auto parts = split_text(text, room);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out.push_back(ctx.render(language, "operator_full_text",
                             {{"id", code}, {"part", std::to_string(i + 1)}, {"parts", std::to_string(parts.size())},
                              {"text", parts[i]}}));
  return out;
}

std::optional<ReportTimeline> report_timeline(pqxx::transaction_base& tx, const Context& ctx,
                                              const config::Operator& op, const std::string& code) {
  const auto rows = tx.exec_params(report_view_columns +
                                       ", r.id, coalesce((SELECT a.id FROM alerts a WHERE a.report_id = h.id "
                                       "  ORDER BY a.id LIMIT 1), 0), h.id" +
                                       std::string(report_view_from) + "WHERE r.code = $1",
                                   code);
  if (rows.empty()) return std::nullopt;
  ReportTimeline t;
  t.report = report_view(ctx, op, rows[0]);
  if (!ctx.regions().covers_report(op.regions, t.report.region_id)) return std::nullopt;
  t.alert_id = rows[0][report_view_width + 1].as<std::int64_t>();
  // A report that joined an incident shows the incident's trail too (claims, evidence and the
  // decision live on its head), when the operator covers the head's region as well.
  const bool sees_head = ctx.regions().covers_report(op.regions, rows[0][report_view_width - 1].as<std::string>());
  const auto own_id = rows[0][report_view_width].as<std::int64_t>();
  for (const auto& row : tx.exec_params("SELECT " + storage::epoch_us("at") +
                                            ", actor, channel, action, detail, detail_enc FROM report_actions "
                                            "WHERE report_id = $1 OR report_id = $2 ORDER BY at, id",
                                        own_id, sees_head ? rows[0][report_view_width + 2].as<std::int64_t>() : own_id)) {
    std::string detail = row[4].as<std::string>();
    if (!row[5].is_null()) detail = ctx.cipher().decrypt(storage::bytes_of(row[5])).value_or("<undecryptable>");
    t.actions.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
                         row[3].as<std::string>(), std::move(detail)});
  }
  return t;
}

}  // namespace centinela::queue

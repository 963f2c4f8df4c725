#include "dispatcher/queue/responder_queue.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/queue/audit.hpp"
#include "dispatcher/queue/flood_facts.hpp"
#include "dispatcher/queue/operator_notify.hpp"
#include "dispatcher/queue/report_code.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {
namespace {

using storage::bin;
using storage::to_micros;

constexpr int max_code_attempts = 16;  // 28 million codes: a clash twice in a row is already rare

struct LockedReport {
  std::int64_t id = 0;
  std::string region_id;
  std::string status;
};

std::optional<LockedReport> lock_report(pqxx::work& tx, const std::string& code) {
  const auto rows = tx.exec_params(
      "SELECT id, coalesce(region_id, ''), status FROM reports WHERE code = $1 FOR UPDATE", code);
  if (rows.empty()) return std::nullopt;
  return LockedReport{rows[0][0].as<std::int64_t>(), rows[0][1].as<std::string>(),
                      rows[0][2].as<std::string>()};
}

// Checks shared by YES and NO: the report exists, is open, and lies in the operator's regions.
std::optional<Decision> refuse_decision(const Context& ctx, const Actor& actor,
                                        const std::optional<LockedReport>& report,
                                        const std::string& code) {
  Decision d;
  d.code = code;
  if (!report) {
    d.outcome = Outcome::unknown_report;
    return d;
  }
  d.status = report->status;
  d.region_id = report->region_id;
  const bool covered = report->region_id.empty()
                           ? ctx.regions().covers_unknown(actor.op.regions)
                           : ctx.regions().covers(actor.op.regions, report->region_id);
  if (!covered) {
    d.outcome = Outcome::not_your_region;
    return d;
  }
  if (report->status != "pending") {
    d.outcome = Outcome::already_decided;
    return d;
  }
  return std::nullopt;
}

std::int64_t create_alert(pqxx::work& tx, const Context& ctx, std::int64_t report_id,
                          const std::string& region_id, const std::string& summary, Timestamp now) {
  const auto audience = ctx.regions().alert_audience(region_id);
  const auto expires = now + ctx.config().alerts.expiry;
  return tx
      .exec_params1(
          "INSERT INTO alerts (report_id, region_id, audience_regions, summary, created_at, expires_at) "
          "VALUES ($1, $2, string_to_array($3, ','), $4, to_timestamp($5 / 1e6), to_timestamp($6 / 1e6)) "
          "RETURNING id",
          report_id, region_id, storage::csv(audience), summary, to_micros(now), to_micros(expires))[0]
      .as<std::int64_t>();
}

// The columns report_view() reads, in its order.
constexpr std::string_view report_view_columns =
    "SELECT r.code, coalesce(r.region_id, ''), r.source, r.status, r.text_enc, "
    "(extract(epoch from r.created_at) * 1000000)::bigint, "
    "(SELECT count(*) FROM report_actions a WHERE a.report_id = r.id AND a.action = 'confirmed'), "
    "r.quarantined, r.quarantine_reason, coalesce(r.flood_group, 0)";

ReportView report_view(const Context& ctx, const pqxx::row& row) {
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
  return v;
}

}  // namespace

FiledReport file_report(pqxx::work& tx, const Context& ctx, const NewReport& report,
                        const std::string& actor, const std::string& channel) {
  const Timestamp now = ctx.clock().now();
  const auto& cipher = ctx.cipher();
  const auto reporter_enc = report.reporter ? cipher.encrypt(report.reporter->e164) : storage::Bytes{};
  const auto reporter_idx = report.reporter ? cipher.blind_index(report.reporter->e164) : storage::Bytes{};
  const auto screening = screen_report(tx, ctx, report.reporter, reporter_idx, report.region_id, now);
  const auto& verdict = screening.verdict;
  FiledReport filed;
  filed.region_id = report.region_id;
  filed.quarantined = verdict.quarantine;
  for (int attempt = 0; attempt < max_code_attempts && filed.id == 0; ++attempt) {
    filed.code = new_report_code();
    const auto rows = tx.exec_params(
        "INSERT INTO reports (code, region_id, source, reporter_enc, reporter_idx, text_enc, created_at, "
        "                     quarantined, quarantine_reason, new_reporter, flood_group) "
        "VALUES ($1, NULLIF($2, ''), $3, NULLIF($4, ''::bytea), NULLIF($5, ''::bytea), $6, "
        "        to_timestamp($7 / 1e6), $8, $9, $10, NULLIF($11, 0)) "
        "ON CONFLICT (code) DO NOTHING RETURNING id",
        filed.code, report.region_id, report.source, bin(reporter_enc), bin(reporter_idx),
        bin(cipher.encrypt(report.text)), to_micros(now), verdict.quarantine, verdict.reason,
        screening.new_reporter, screening.flood_group);
    if (!rows.empty()) filed.id = rows[0][0].as<std::int64_t>();
  }
  if (filed.id == 0) throw std::runtime_error("could not allocate a unique report code");
  audit(tx, filed.id, actor, channel, "received",
        report.region_id.empty() ? "region unknown" : "region " + report.region_id, now);
  const std::string group =
      screening.flood_group ? " (flood group " + std::to_string(screening.flood_group) + ")" : "";
  if (verdict.quarantine) {
    // Stored and listed, but nobody is paged: operators find it in the queue.
    audit(tx, filed.id, "system", "system", "quarantined", verdict.reason + group, now);
  } else {
    if (screening.flood_group) audit(tx, filed.id, "system", "system", "flood_flagged", group.substr(1), now);
    filed.operators_notified = notify_operators(tx, ctx, filed, report.text);
    audit(tx, filed.id, "system", "system", "notified",
          std::to_string(filed.operators_notified) + " operators", now);
  }
  spdlog::info("event=report_filed report={} source={} region={} operators_notified={} quarantine={} flood_group={}",
               filed.code, report.source, report.region_id.empty() ? "unknown" : report.region_id,
               filed.operators_notified, verdict.quarantine ? verdict.reason : "none", screening.flood_group);
  return filed;
}

Decision confirm_report(pqxx::work& tx, const Context& ctx, const Actor& actor,
                        const std::string& code, const std::string& region_id,
                        const std::string& summary) {
  const Timestamp now = ctx.clock().now();
  auto report = lock_report(tx, code);
  if (!region_id.empty() && !ctx.regions().find(region_id)) {
    Decision d;
    d.code = code;
    d.outcome = Outcome::unknown_region;
    return d;
  }
  if (auto refused = refuse_decision(ctx, actor, report, code)) return *refused;

  Decision d;
  d.code = code;
  d.required = ctx.config().verification.confirmations_required;
  if (report->region_id.empty() || (!region_id.empty() && region_id != report->region_id)) {
    if (region_id.empty()) {
      d.outcome = Outcome::needs_region;
      d.status = report->status;
      return d;
    }
    // Moving a report is itself a decision: the operator must cover the destination too.
    if (!ctx.regions().covers(actor.op.regions, region_id)) {
      d.outcome = Outcome::not_your_region;
      return d;
    }
    tx.exec_params("UPDATE reports SET region_id = $2 WHERE id = $1", report->id, region_id);
    audit(tx, report->id, actor.name(), actor.channel, "region_set", region_id, now);
    report->region_id = region_id;
  }
  d.region_id = report->region_id;

  tx.exec_params(
      "INSERT INTO report_actions (report_id, actor, channel, action, detail, at) "
      "VALUES ($1, $2, $3, 'confirmed', $4, to_timestamp($5 / 1e6)) "
      "ON CONFLICT (report_id, actor) WHERE action = 'confirmed' DO NOTHING",
      report->id, actor.name(), actor.channel, summary, to_micros(now));
  d.confirmations = tx.exec_params1(
                          "SELECT count(*) FROM report_actions WHERE report_id = $1 AND action = 'confirmed'",
                          report->id)[0]
                        .as<int>();
  if (d.confirmations < d.required) {
    d.outcome = Outcome::confirmation_recorded;
    d.status = "pending";
    return d;
  }
  tx.exec_params(
      "UPDATE reports SET status = 'confirmed', decided_at = to_timestamp($2 / 1e6) WHERE id = $1",
      report->id, to_micros(now));
  const std::string alert_summary =
      summary.empty() ? ctx.render(ctx.config().default_language, "alert_default_summary") : summary;
  d.alert_id = create_alert(tx, ctx, report->id, report->region_id, alert_summary, now);
  audit(tx, report->id, "system", "system", "alert_created", "alert " + std::to_string(d.alert_id), now);
  d.outcome = Outcome::alert_created;
  d.status = "confirmed";
  spdlog::info("event=alert_created report={} alert_id={} region={} by={}", code, d.alert_id,
               d.region_id, actor.name());
  return d;
}

Decision reject_report(pqxx::work& tx, const Context& ctx, const Actor& actor,
                       const std::string& code, const std::string& reason) {
  const Timestamp now = ctx.clock().now();
  const auto report = lock_report(tx, code);
  if (auto refused = refuse_decision(ctx, actor, report, code)) return *refused;
  tx.exec_params(
      "UPDATE reports SET status = 'rejected', decided_at = to_timestamp($2 / 1e6) WHERE id = $1",
      report->id, to_micros(now));
  audit(tx, report->id, actor.name(), actor.channel, "rejected", reason, now);
  spdlog::info("event=report_rejected report={} by={}", code, actor.name());
  Decision d;
  d.outcome = Outcome::rejected;
  d.code = code;
  d.status = "rejected";
  d.region_id = report->region_id;
  return d;
}

std::vector<ReportView> list_reports(pqxx::transaction_base& tx, const Context& ctx,
                                     const config::Operator& op, const std::string& status,
                                     int limit) {
  // Scope by the operator's regions in SQL, so the limit applies to what they may see.
  std::vector<std::string> visible;
  for (const auto& r : ctx.config().regions)
    if (ctx.regions().covers(op.regions, r.id)) visible.push_back(r.id);
  const bool sees_unknown = ctx.regions().covers_unknown(op.regions);
  const auto rows = tx.exec_params(
      std::string(report_view_columns) +
          " FROM reports r WHERE r.status = $1 "
          "AND (r.region_id = ANY(string_to_array($2, ',')) OR (r.region_id IS NULL AND $3)) "
          "ORDER BY r.created_at, r.id LIMIT $4",
      status, storage::csv(visible), sees_unknown, limit);
  std::vector<ReportView> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(report_view(ctx, row));
  return out;
}

std::optional<ReportTimeline> report_timeline(pqxx::transaction_base& tx, const Context& ctx,
                                              const config::Operator& op, const std::string& code) {
  const auto rows = tx.exec_params(std::string(report_view_columns) +
                                       ", r.id, coalesce((SELECT a.id FROM alerts a WHERE a.report_id = r.id), 0) "
                                       "FROM reports r WHERE r.code = $1",
                                   code);
  if (rows.empty()) return std::nullopt;
  ReportTimeline t;
  t.report = report_view(ctx, rows[0]);
  const bool covered = t.report.region_id.empty() ? ctx.regions().covers_unknown(op.regions)
                                                  : ctx.regions().covers(op.regions, t.report.region_id);
  if (!covered) return std::nullopt;
  t.alert_id = rows[0][11].as<std::int64_t>();
  for (const auto& row : tx.exec_params("SELECT " + storage::epoch_us("at") +
                                            ", actor, channel, action, detail FROM report_actions "
                                            "WHERE report_id = $1 ORDER BY id",
                                        rows[0][10].as<std::int64_t>())) {
    t.actions.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
                         row[3].as<std::string>(), row[4].as<std::string>()});
  }
  return t;
}

}  // namespace centinela::queue

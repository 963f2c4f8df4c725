#include "dispatcher/queue/responder_queue.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/queue/audit.hpp"
#include "dispatcher/queue/flood_facts.hpp"
#include "dispatcher/queue/escalation.hpp"
#include "dispatcher/queue/evidence.hpp"
#include "dispatcher/queue/incident.hpp"
#include "dispatcher/queue/paging.hpp"
#include "dispatcher/alerts/alert_store.hpp"
#include "dispatcher/queue/report_code.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {
namespace {

using storage::bin;
using storage::to_micros;

constexpr int max_code_attempts = 16;  // 28 million codes: a clash twice in a row is already rare

// The first page about a new incident: tier 1, or the first tier with anyone in it.
int page_new_incident(pqxx::work& tx, const Context& ctx, FiledReport& filed, const NewReport& report) {
  const Timestamp now = ctx.clock().now();
  const auto* region = ctx.regions().find(report.region_id);
  const std::string body =
      drill_prefix(ctx, report.exercise) +
      ctx.render(ctx.config().default_language, "operator_new_report",
                 {{"id", filed.code}, {"region", region ? region->name : "?"}, {"text", report.text}});
  const auto paged = page_next_tier(tx, ctx, {filed.id, report.region_id, first_tier, "operator_new_report", body});
  schedule_next_tier(tx, ctx, filed.id, paged, ctx.config().escalation.unclaimed_after);
  audit(tx, filed.id, "system", "system", "notified",
        std::to_string(paged.paged) + " operators, tier " + std::to_string(paged.tier), now);
  return paged.paged;
}

// A further sighting of an incident: recorded on both trails, and told to whoever works the
// incident (its owner, or everyone paged about it): one raid pages once, but no sighting is lost.
// A sighting of a raid already confirmed is covered by its alert; the watchers decide on UPDATE.
int join_incident(pqxx::work& tx, const Context& ctx, FiledReport& filed, const OpenIncident& head,
                  const NewReport& report) {
  const Timestamp now = ctx.clock().now();
  filed.incident_code = head.code;
  if (head.confirmed)
    tx.exec_params("UPDATE reports SET status = 'confirmed', decided_at = to_timestamp($2 / 1e6) WHERE id = $1",
                   filed.id, to_micros(now));
  const auto count =
      tx.exec_params1("SELECT count(*) + 1 FROM reports WHERE incident_id = $1", head.id)[0].as<int>();
  audit(tx, filed.id, "system", "system", "joined_incident",
        head.code + (head.confirmed ? " (already confirmed)" : ""), now);
  audit(tx, head.id, "system", "system", "incident_report", filed.code + " (" + std::to_string(count) + " reports)",
        now);
  const auto watchers = incident_watchers(tx, head.id, now);
  const auto body = drill_prefix(ctx, report.exercise) +
                    ctx.render(ctx.config().default_language, "operator_incident_report",
                               {{"id", filed.code}, {"incident", head.code}, {"count", std::to_string(count)},
                                {"text", report.text}});
  for (const auto& name : watchers) text_operator(tx, ctx, name, head.id, "operator_incident_report", body);
  return static_cast<int>(watchers.size());
}

// Per-region quorum, and a second approver for a broadcast to more than
// verification.second_approver_above members.
int confirmations_required(pqxx::work& tx, const Context& ctx, const std::string& region_id, bool exercise) {
  const auto& policy = ctx.config().verification;
  const auto* region = ctx.regions().find(region_id);
  int required = region && region->confirmations_required > 0 ? region->confirmations_required
                                                                : policy.confirmations_required;
  if (policy.second_approver_above > 0 && required < 2) {
    const long long audience =
        exercise ? static_cast<long long>(ctx.config().exercise.test_group.size())
                 : tx.exec_params1("SELECT count(*) FROM subscribers s WHERE s.status = 'active' AND EXISTS ("
                                   "  SELECT 1 FROM subscriptions sub WHERE sub.subscriber_id = s.id "
                                   "  AND sub.region_id = ANY(string_to_array($1, ',')))",
                                   storage::csv(ctx.regions().alert_audience(region_id)))[0]
                       .as<long long>();
    if (audience > policy.second_approver_above) required = 2;
  }
  return required;
}

// The decision on an incident is the decision on every report still pending in it.
void close_incident(pqxx::work& tx, const Incident& incident, const std::string& status, const std::string& level,
                    const Actor& actor, Timestamp now) {
  const auto members = tx.exec_params(
      "UPDATE reports SET status = $2, verification_level = $3, decided_at = to_timestamp($4 / 1e6), "
      "  next_tier_at = NULL, claim_expires_at = NULL "
      "WHERE (id = $1 OR incident_id = $1) AND status = 'pending' RETURNING id",
      incident.id, status, level, to_micros(now));
  for (const auto& row : members) {
    const auto id = row[0].as<std::int64_t>();
    if (id != incident.id) audit(tx, id, actor.name(), actor.channel, status + "_with_incident", incident.code, now);
  }
}

// The columns report_view() reads, in its order: the report `r` and its incident's head `h`.
constexpr std::string_view report_view_columns =
    "SELECT r.code, coalesce(r.region_id, ''), r.source, r.status, r.text_enc, "
    "(extract(epoch from r.created_at) * 1000000)::bigint, "
    "(SELECT count(*) FROM report_actions a WHERE a.report_id = h.id AND a.action = 'confirmed'), "
    "r.quarantined, r.quarantine_reason, coalesce(r.flood_group, 0), "
    "h.code, (SELECT count(*) FROM reports m WHERE m.incident_id = h.id) + 1, coalesce(h.claimed_by, ''), "
    "coalesce((extract(epoch from h.claim_expires_at) * 1000000)::bigint, 0), h.escalation_tier, "
    "coalesce(h.verification_level, ''), h.evidence_enc, r.exercise";
constexpr std::string_view report_view_from = " FROM reports r JOIN reports h ON h.id = coalesce(r.incident_id, r.id) ";
constexpr int report_view_width = 18;

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
  v.incident = row[10].as<std::string>();
  v.incident_reports = row[11].as<int>();
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
  v.exercise = row[17].as<bool>();
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
  // A quarantined report never joins an incident: it must not reach an owner who trusts the crowd.
  const auto head = verdict.quarantine ? std::nullopt
                                       : open_incident_for(tx, ctx, report.region_id, report.exercise, now);
  FiledReport filed;
  filed.region_id = report.region_id;
  filed.quarantined = verdict.quarantine;
  for (int attempt = 0; attempt < max_code_attempts && filed.id == 0; ++attempt) {
    filed.code = new_report_code();
    const auto rows = tx.exec_params(
        "INSERT INTO reports (code, region_id, source, reporter_enc, reporter_idx, text_enc, created_at, "
        "                     quarantined, quarantine_reason, new_reporter, flood_group, incident_id, exercise) "
        "VALUES ($1, NULLIF($2, ''), $3, NULLIF($4, ''::bytea), NULLIF($5, ''::bytea), $6, "
        "        to_timestamp($7 / 1e6), $8, $9, $10, NULLIF($11, 0), NULLIF($12, 0), $13) "
        "ON CONFLICT (code) DO NOTHING RETURNING id",
        filed.code, report.region_id, report.source, bin(reporter_enc), bin(reporter_idx),
        bin(cipher.encrypt(report.text)), to_micros(now), verdict.quarantine, verdict.reason,
        screening.new_reporter, screening.flood_group, head ? head->id : 0, report.exercise);
    if (!rows.empty()) filed.id = rows[0][0].as<std::int64_t>();
  }
  if (filed.id == 0) throw std::runtime_error("could not allocate a unique report code");
  audit(tx, filed.id, actor, channel, "received",
        (report.region_id.empty() ? "region unknown" : "region " + report.region_id) +
            (report.exercise ? " (drill)" : ""),
        now);
  const std::string group =
      screening.flood_group ? " (flood group " + std::to_string(screening.flood_group) + ")" : "";
  if (verdict.quarantine) {
    // Stored and listed, but nobody is paged: operators find it in the queue.
    audit(tx, filed.id, "system", "system", "quarantined", verdict.reason + group, now);
  } else if (head) {
    if (screening.flood_group) audit(tx, filed.id, "system", "system", "flood_flagged", group.substr(1), now);
    filed.operators_notified = join_incident(tx, ctx, filed, *head, report);
  } else {
    if (screening.flood_group) audit(tx, filed.id, "system", "system", "flood_flagged", group.substr(1), now);
    filed.operators_notified = page_new_incident(tx, ctx, filed, report);
  }
  spdlog::info(
      "event=report_filed report={} source={} region={} operators_notified={} quarantine={} flood_group={} incident={}",
      filed.code, report.source, report.region_id.empty() ? "unknown" : report.region_id, filed.operators_notified,
      verdict.quarantine ? verdict.reason : "none", screening.flood_group,
      filed.incident_code.empty() ? filed.code : filed.incident_code);
  return filed;
}

Decision confirm_report(pqxx::work& tx, const Context& ctx, const Actor& actor,
                        const std::string& code, const std::string& region_id,
                        const std::string& summary) {
  const Timestamp now = ctx.clock().now();
  auto incident = lock_incident(tx, code, now);
  if (!region_id.empty() && !ctx.regions().find(region_id)) {
    Decision d;
    d.code = code;
    d.outcome = Outcome::unknown_region;
    return d;
  }
  if (auto refused = refuse_command(ctx, actor, incident, code)) return *refused;

  Decision d;
  d.code = code;
  if (incident->region_id.empty() || (!region_id.empty() && region_id != incident->region_id)) {
    if (region_id.empty()) {
      d.outcome = Outcome::needs_region;
      d.status = incident->status;
      return d;
    }
    // Moving a report is itself a decision: the operator must cover the destination too.
    if (!ctx.regions().covers(actor.op.regions, region_id)) {
      d.outcome = Outcome::not_your_region;
      return d;
    }
    tx.exec_params("UPDATE reports SET region_id = $2 WHERE id = $1", incident->id, region_id);
    // Confirmations given for the old region do not vouch for the new audience: they stay on the
    // trail, marked void, and the quorum starts again.
    const auto voided = tx.exec_params(
                              "UPDATE report_actions SET action = 'confirmation_voided' "
                              "WHERE report_id = $1 AND action = 'confirmed'",
                              incident->id)
                            .affected_rows();
    audit(tx, incident->id, actor.name(), actor.channel, "region_set",
          region_id + (voided ? " (" + std::to_string(voided) + " earlier confirmations void)" : ""), now);
    incident->region_id = region_id;
  }
  d.region_id = incident->region_id;
  d.missing = missing_evidence(tx, ctx, incident->id);
  if (!d.missing.empty()) {
    d.outcome = Outcome::evidence_missing;
    d.status = incident->status;
    return d;
  }
  d.required = confirmations_required(tx, ctx, incident->region_id, incident->exercise);

  tx.exec_params(
      "INSERT INTO report_actions (report_id, actor, channel, action, detail, at) "
      "VALUES ($1, $2, $3, 'confirmed', $4, to_timestamp($5 / 1e6)) "
      "ON CONFLICT (report_id, actor) WHERE action = 'confirmed' DO NOTHING",
      incident->id, actor.name(), actor.channel, summary, to_micros(now));
  d.confirmations = tx.exec_params1(
                          "SELECT count(*) FROM report_actions WHERE report_id = $1 AND action = 'confirmed'",
                          incident->id)[0]
                        .as<int>();
  if (d.confirmations < d.required) {
    d.outcome = Outcome::confirmation_recorded;
    d.status = "pending";
    return d;
  }
  close_incident(tx, *incident, "confirmed", "verified", actor, now);
  // What members read: the confirming operator's words, else the latest words of the quorum.
  const auto quorum_words = tx.exec_params(
      "SELECT detail FROM report_actions WHERE report_id = $1 AND action = 'confirmed' AND detail <> '' "
      "ORDER BY id DESC LIMIT 1",
      incident->id);
  const std::string alert_summary =
      !summary.empty()       ? summary
      : !quorum_words.empty() ? quorum_words[0][0].as<std::string>()
                              : ctx.render(ctx.config().default_language, "alert_default_summary");
  d.alert_id = alerts::create_alert(
      tx, ctx, {incident->id, incident->region_id, alert_summary, incident->exercise, "observed", actor.name()});
  audit(tx, incident->id, "system", "system", "alert_created", "alert " + std::to_string(d.alert_id), now);
  d.outcome = Outcome::alert_created;
  d.status = "confirmed";
  spdlog::info("event=alert_created report={} alert_id={} region={} by={} exercise={}", incident->code, d.alert_id,
               d.region_id, actor.name(), incident->exercise);
  return d;
}

Decision reject_report(pqxx::work& tx, const Context& ctx, const Actor& actor,
                       const std::string& code, const std::string& reason) {
  const Timestamp now = ctx.clock().now();
  const auto incident = lock_incident(tx, code, now);
  if (auto refused = refuse_command(ctx, actor, incident, code)) return *refused;
  audit(tx, incident->id, actor.name(), actor.channel, "rejected", reason, now);
  close_incident(tx, *incident, "rejected", "rejected", actor, now);
  spdlog::info("event=report_rejected report={} by={}", incident->code, actor.name());
  Decision d;
  d.outcome = Outcome::rejected;
  d.code = code;
  d.status = "rejected";
  d.region_id = incident->region_id;
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
      std::string(report_view_columns) + std::string(report_view_from) +
          "WHERE r.status = $1 "
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
                                       ", r.id, coalesce((SELECT a.id FROM alerts a WHERE a.report_id = h.id "
                                       "  ORDER BY a.id LIMIT 1), 0), h.id, coalesce(h.region_id, '')" +
                                       std::string(report_view_from) + "WHERE r.code = $1",
                                   code);
  if (rows.empty()) return std::nullopt;
  ReportTimeline t;
  t.report = report_view(ctx, rows[0]);
  if (!ctx.regions().covers_report(op.regions, t.report.region_id)) return std::nullopt;
  t.alert_id = rows[0][report_view_width + 1].as<std::int64_t>();
  // A report that joined an incident shows the incident's trail too (claims, evidence and the
  // decision live on its head), when the operator covers the head's region as well.
  const bool sees_head = ctx.regions().covers_report(op.regions, rows[0][report_view_width + 3].as<std::string>());
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

// Filing a report: screened by the flood guard, stored, grouped into an incident, and paged to the
// operators of its region (see responder_queue.hpp).
#include "dispatcher/queue/responder_queue.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/queue/audit.hpp"
#include "dispatcher/queue/escalation.hpp"
#include "dispatcher/queue/flood_facts.hpp"
#include "dispatcher/queue/incident.hpp"
#include "dispatcher/queue/paging.hpp"
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
  const std::string body = operator_text_quoting(
      ctx, "operator_new_report", {{"id", filed.code}, {"region", region ? region->name : "?"}, {"text", report.text}},
      filed.code, report.exercise);
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
  const auto body = operator_text_quoting(ctx, "operator_incident_report",
                                          {{"id", filed.code}, {"incident", head.code},
                                           {"count", std::to_string(count)}, {"text", report.text}},
                                          filed.code, report.exercise);
  for (const auto& name : watchers) text_operator(tx, ctx, name, head.id, "operator_incident_report", body);
  return static_cast<int>(watchers.size());
}

}  // namespace

FiledReport file_report(pqxx::work& tx, const Context& ctx, const NewReport& report,
                        const std::string& actor, const std::string& channel) {
  const Timestamp now = ctx.clock().now();
  const auto& cipher = ctx.cipher();
  const auto reporter_enc = report.reporter ? cipher.encrypt(report.reporter->e164) : storage::Bytes{};
  const auto reporter_idx = report.reporter ? cipher.blind_index(report.reporter->e164) : storage::Bytes{};
  // Only a proven number is screened as a reporter; a web form's contact is not one (NewReport).
  const auto screening = screen_report(tx, ctx, report.reporter, reporter_idx, report.region_id, now);
  const auto contact_enc = report.contact ? cipher.encrypt(report.contact->e164) : storage::Bytes{};
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
        "                     quarantined, quarantine_reason, new_reporter, flood_group, incident_id, exercise, "
        "                     contact_enc) "
        "VALUES ($1, NULLIF($2, ''), $3, NULLIF($4, ''::bytea), NULLIF($5, ''::bytea), $6, "
        "        to_timestamp($7 / 1e6), $8, $9, $10, NULLIF($11, 0), NULLIF($12, 0), $13, NULLIF($14, ''::bytea)) "
        "ON CONFLICT (code) DO NOTHING RETURNING id",
        filed.code, report.region_id, report.source, bin(reporter_enc), bin(reporter_idx),
        bin(cipher.encrypt(report.text)), to_micros(now), verdict.quarantine, verdict.reason,
        screening.new_reporter, screening.flood_group, head ? head->id : 0, report.exercise, bin(contact_enc));
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

}  // namespace centinela::queue

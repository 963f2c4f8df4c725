#include "dispatcher/queue/ownership.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/queue/audit.hpp"
#include "dispatcher/queue/escalation.hpp"
#include "dispatcher/queue/incident.hpp"
#include "dispatcher/queue/paging.hpp"
#include "dispatcher/storage/outbox.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {
namespace {

using storage::to_micros;

Decision answer(Outcome outcome, const std::string& code, const Incident& incident) {
  Decision d;
  d.outcome = outcome;
  d.code = code;
  d.status = incident.status;
  d.region_id = incident.region_id;
  return d;
}

}  // namespace

Decision claim_report(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code) {
  const auto now = ctx.clock().now();
  const auto incident = lock_incident(tx, code, now);
  if (auto refused = refuse_command(ctx, actor, incident, code)) return *refused;
  if (!incident->claimed_by.empty() && incident->claimed_by != actor.op.name) {
    auto d = answer(Outcome::claim_held, code, *incident);
    d.holder = incident->claimed_by;
    return d;
  }
  const auto& policy = ctx.config();
  const bool renewal = incident->claimed_by == actor.op.name;
  // The undecided clock starts at the first claim; a renewal only extends the lease.
  tx.exec_params(
      "UPDATE reports SET claimed_by = $2, claimed_at = CASE WHEN $5 THEN claimed_at ELSE to_timestamp($3 / 1e6) END, "
      "  claim_expires_at = to_timestamp($4 / 1e6), "
      "  next_tier_at = CASE WHEN $5 THEN next_tier_at ELSE to_timestamp($6 / 1e6) END "
      "WHERE id = $1",
      incident->id, actor.op.name, to_micros(now), to_micros(now + policy.verification.claim_lease), renewal,
      to_micros(now + policy.escalation.undecided_after));
  audit(tx, incident->id, actor.name(), actor.channel, renewal ? "claim_renewed" : "claimed", "", now);
  if (!renewal) {
    const auto taken = drill_prefix(ctx, incident->exercise) +
                       ctx.render(policy.default_language, "operator_claim_taken",
                                  {{"id", incident->code}, {"operator", actor.op.name}});
    for (const auto& name : paged_operators(tx, incident->id))
      if (name != actor.op.name) text_operator(tx, ctx, name, incident->id, "operator_claim_taken", taken);
    spdlog::info("event=report_claimed report={} by={}", incident->code, actor.name());
  }
  auto d = answer(Outcome::claimed, code, *incident);
  d.lease_minutes = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(policy.verification.claim_lease).count());
  return d;
}

Decision add_note(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                  const std::string& note) {
  const auto now = ctx.clock().now();
  const auto incident = lock_incident(tx, code, now);
  // Notes are welcome after the decision too: what happened next belongs on the trail.
  if (auto refused = refuse_command(ctx, actor, incident, code, false)) return *refused;
  audit_private(tx, ctx.cipher(), incident->id, actor.name(), actor.channel, "note", note, now);
  renew_claim(tx, ctx, *incident, actor);
  return answer(Outcome::note_recorded, code, *incident);
}

Decision send_advisory(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                       const std::string& summary) {
  const auto now = ctx.clock().now();
  const auto incident = lock_incident(tx, code, now);
  if (auto refused = refuse_command(ctx, actor, incident, code)) return *refused;
  const auto& cfg = ctx.config();
  const std::string body = ctx.render_within_limit(
      cfg.default_language, "advisory",
      {{"id", incident->code},
       {"region", ctx.regions().name_of(incident->region_id)},
       {"summary", summary.empty() ? ctx.render(cfg.default_language, "alert_default_summary") : summary}},
      "summary", "\u2026", drill_prefix(ctx, incident->exercise));
  int recipients = 0;
  for (const auto& op : cfg.operators) {
    if (op.role != config::OperatorRole::coordinator || !ctx.regions().covers_report(op.regions, incident->region_id)) continue;
    storage::enqueue_text(tx, ctx, {"advisory", incident->id, PhoneNumber{op.phone}, body});
    ++recipients;
  }
  for (const auto& observer : cfg.observers) {
    // Legal observers are real people on the street: a drill's advisory stays with the operators.
    if (incident->exercise || !ctx.regions().covers_report(observer.regions, incident->region_id)) continue;
    storage::enqueue_text(tx, ctx, {"advisory", incident->id, PhoneNumber{observer.phone}, body});
    ++recipients;
  }
  tx.exec_params("UPDATE reports SET verification_level = 'unverified' WHERE id = $1", incident->id);
  audit(tx, incident->id, actor.name(), actor.channel, "advisory_sent",
        std::to_string(recipients) + " coordinators and observers", now);
  renew_claim(tx, ctx, *incident, actor);
  spdlog::info("event=advisory_sent report={} by={} recipients={}", incident->code, actor.name(), recipients);
  auto d = answer(Outcome::advisory_sent, code, *incident);
  d.recipients = recipients;
  return d;
}

}  // namespace centinela::queue

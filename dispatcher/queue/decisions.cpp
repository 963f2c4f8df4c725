// Deciding an incident: confirmations toward the quorum and the alert they create, a move to
// another region, a rejection (see responder_queue.hpp).
#include "dispatcher/queue/responder_queue.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/alerts/alert_store.hpp"
#include "dispatcher/queue/audit.hpp"
#include "dispatcher/queue/evidence.hpp"
#include "dispatcher/queue/incident.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {
namespace {

using storage::to_micros;

// Per-region quorum, and a second approver for a broadcast to more than
// verification.second_approver_above members.
int confirmations_required(pqxx::work& tx, const Context& ctx, const std::string& region_id, bool exercise) {
  const auto& policy = ctx.config().verification;
  const auto* region = ctx.regions().find(region_id);
  int required = region && region->confirmations_required > 0 ? region->confirmations_required
                                                                : policy.confirmations_required;
  if (policy.second_approver_above > 0 && required < 2 &&
      audience_size(tx, ctx, region_id, exercise) > policy.second_approver_above)
    required = 2;
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

Decision answer(Outcome outcome, const std::string& code, const Incident* incident) {
  Decision d;
  d.outcome = outcome;
  d.code = code;
  if (incident) {
    d.status = incident->status;
    d.region_id = incident->region_id;
  }
  return d;
}

// The region the incident belongs to and the words members read, from what the operator said (see
// Confirmation); nullopt, with the refusal in `refused`, when the confirmation cannot count.
std::optional<std::pair<std::string, std::string>> region_and_words(const Context& ctx, const Actor& actor,
                                                                    const Incident& incident, const Confirmation& c,
                                                                    const std::string& code, Decision& refused) {
  if (incident.region_id.empty()) {
    if (c.region_id.empty()) {
      refused = answer(Outcome::needs_region, code, &incident);
      return std::nullopt;
    }
    // Placing a report is itself a decision: the operator must cover the region too.
    if (!ctx.regions().covers(actor.op.regions, c.region_id)) {
      refused = answer(Outcome::not_your_region, code, &incident);
      return std::nullopt;
    }
    return std::pair{c.region_id, c.region_explicit ? c.summary : c.summary_after_region};
  }
  if (c.region_id == incident.region_id)
    return std::pair{incident.region_id, c.region_explicit ? c.summary : c.summary_after_region};
  if (!c.region_id.empty() && c.region_explicit) {
    refused = answer(Outcome::region_differs, code, &incident);
    return std::nullopt;
  }
  return std::pair{incident.region_id, c.summary};
}

// The region changes; confirmations given for the old one stay on the trail, void. Returns how many.
int set_region(pqxx::work& tx, const Actor& actor, const Incident& incident, const std::string& region_id,
               const std::string& action, Timestamp now) {
  tx.exec_params("UPDATE reports SET region_id = $2 WHERE id = $1", incident.id, region_id);
  const auto voided = static_cast<int>(tx.exec_params(
                                             "UPDATE report_actions SET action = 'confirmation_voided' "
                                             "WHERE report_id = $1 AND action = 'confirmed'",
                                             incident.id)
                                           .affected_rows());
  audit(tx, incident.id, actor.name(), actor.channel, action,
        (incident.region_id.empty() ? std::string("unknown") : incident.region_id) + " -> " + region_id +
            (voided ? " (" + std::to_string(voided) + " earlier confirmations void)" : ""),
        now);
  return voided;
}

// What members read: the confirming operator's words, else the latest words of the quorum, else
// the template's default.
std::string alert_words(pqxx::work& tx, const Context& ctx, std::int64_t incident_id, const std::string& summary) {
  if (!summary.empty()) return summary;
  const auto quorum_words = tx.exec_params(
      "SELECT detail_enc FROM report_actions WHERE report_id = $1 AND action = 'confirmed' "
      "AND detail_enc IS NOT NULL ORDER BY id DESC LIMIT 1",
      incident_id);
  if (!quorum_words.empty())
    if (auto words = ctx.cipher().decrypt(storage::bytes_of(quorum_words[0][0])); words && !words->empty())
      return *words;
  return ctx.render(ctx.config().default_language, "alert_default_summary");
}

}  // namespace

long long audience_size(pqxx::transaction_base& tx, const Context& ctx, const std::string& region_id, bool exercise) {
  if (exercise) return static_cast<long long>(ctx.config().exercise.test_group.size());
  return tx
      .exec_params1("SELECT count(*) FROM subscribers s WHERE s.status = 'active' AND EXISTS ("
                    "  SELECT 1 FROM subscriptions sub WHERE sub.subscriber_id = s.id "
                    "  AND sub.region_id = ANY(string_to_array($1, ',')))",
                    storage::csv(ctx.regions().alert_audience(region_id)))[0]
      .as<long long>();
}

Decision confirm_report(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                        const Confirmation& confirmation) {
  const Timestamp now = ctx.clock().now();
  auto incident = lock_incident(tx, code, now);
  if (!confirmation.region_id.empty() && !ctx.regions().find(confirmation.region_id))
    return answer(Outcome::unknown_region, code, nullptr);
  if (auto refused = refuse_command(ctx, actor, incident, code)) return *refused;
  Decision d;
  const auto chosen = region_and_words(ctx, actor, *incident, confirmation, code, d);
  if (!chosen) return d;
  const auto [region_id, summary] = *chosen;
  if (region_id != incident->region_id) {
    set_region(tx, actor, *incident, region_id, "region_set", now);
    incident->region_id = region_id;
  }
  d = answer(Outcome::confirmation_recorded, code, &*incident);
  d.missing = missing_evidence(tx, ctx, incident->id);
  if (!d.missing.empty()) {
    d.outcome = Outcome::evidence_missing;
    return d;
  }
  d.required = confirmations_required(tx, ctx, incident->region_id, incident->exercise);
  d.members = audience_size(tx, ctx, incident->region_id, incident->exercise);
  // The words are free text an operator wrote: stored encrypted, like notes.
  tx.exec_params(
      "INSERT INTO report_actions (report_id, actor, channel, action, detail_enc, at) "
      "VALUES ($1, $2, $3, 'confirmed', NULLIF($4, ''::bytea), to_timestamp($5 / 1e6)) "
      "ON CONFLICT (report_id, actor) WHERE action = 'confirmed' DO NOTHING",
      incident->id, actor.name(), actor.channel,
      storage::bin(summary.empty() ? storage::Bytes{} : ctx.cipher().encrypt(summary)), to_micros(now));
  d.confirmations = tx.exec_params1(
                          "SELECT count(*) FROM report_actions WHERE report_id = $1 AND action = 'confirmed'",
                          incident->id)[0]
                        .as<int>();
  if (d.confirmations < d.required) return d;
  close_incident(tx, *incident, "confirmed", "verified", actor, now);
  d.alert_id = alerts::create_alert(tx, ctx,
                                    {incident->id, incident->region_id, alert_words(tx, ctx, incident->id, summary),
                                     incident->exercise, "observed", actor.name()});
  audit(tx, incident->id, "system", "system", "alert_created",
        "alert " + std::to_string(d.alert_id) + ", " + std::to_string(d.members) + " members", now);
  d.outcome = Outcome::alert_created;
  d.status = "confirmed";
  spdlog::info("event=alert_created report={} alert_id={} region={} members={} by={} exercise={}", incident->code,
               d.alert_id, d.region_id, d.members, actor.name(), incident->exercise);
  return d;
}

Decision move_report(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                     const std::string& region_id) {
  const Timestamp now = ctx.clock().now();
  const auto incident = lock_incident(tx, code, now);
  if (!ctx.regions().find(region_id)) return answer(Outcome::unknown_region, code, nullptr);
  if (auto refused = refuse_command(ctx, actor, incident, code)) return *refused;
  if (!ctx.regions().covers(actor.op.regions, region_id)) return answer(Outcome::not_your_region, code, &*incident);
  auto d = answer(Outcome::moved, code, &*incident);
  if (region_id != incident->region_id) d.voided = set_region(tx, actor, *incident, region_id, "moved", now);
  d.region_id = region_id;
  d.members = audience_size(tx, ctx, region_id, incident->exercise);
  renew_claim(tx, ctx, *incident, actor);
  spdlog::info("event=report_moved report={} region={} members={} voided={} by={}", incident->code, region_id,
               d.members, d.voided, actor.name());
  return d;
}

Decision reject_report(pqxx::work& tx, const Context& ctx, const Actor& actor,
                       const std::string& code, const std::string& reason) {
  const Timestamp now = ctx.clock().now();
  const auto incident = lock_incident(tx, code, now);
  if (auto refused = refuse_command(ctx, actor, incident, code)) return *refused;
  // The reason is the operator's own words: encrypted on the trail like a note.
  if (reason.empty()) {
    audit(tx, incident->id, actor.name(), actor.channel, "rejected", "", now);
  } else {
    audit_private(tx, ctx.cipher(), incident->id, actor.name(), actor.channel, "rejected", reason, now);
  }
  close_incident(tx, *incident, "rejected", "rejected", actor, now);
  spdlog::info("event=report_rejected report={} by={}", incident->code, actor.name());
  auto d = answer(Outcome::rejected, code, &*incident);
  d.status = "rejected";
  return d;
}

}  // namespace centinela::queue

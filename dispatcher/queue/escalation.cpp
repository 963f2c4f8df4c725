#include "dispatcher/queue/escalation.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/queue/audit.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {
namespace {

using storage::to_micros;

struct DueIncident {
  std::int64_t id = 0;
  std::string code;
  std::string region_id;
  std::string claimed_by;  // empty: unclaimed
  bool claim_lapsed = false;
  int tier = first_tier;
  std::string text;
  bool exercise = false;
  std::int64_t created_at_us = 0;
};

std::vector<DueIncident> lock_due(pqxx::work& tx, const Context& ctx, std::int64_t now, int limit) {
  const auto rows = tx.exec_params(
      "SELECT id, code, coalesce(region_id, ''), coalesce(claimed_by, ''), "
      "  claim_expires_at IS NOT NULL AND claim_expires_at <= to_timestamp($1 / 1e6), escalation_tier, text_enc, "
      "  exercise, " + storage::epoch_us("created_at") + " FROM reports "
      "WHERE status = 'pending' AND escalate_at <= to_timestamp($1 / 1e6) "
      "ORDER BY escalate_at LIMIT $2 FOR UPDATE SKIP LOCKED",
      now, limit);
  std::vector<DueIncident> out;
  for (const auto& row : rows) {
    DueIncident d;
    d.id = row[0].as<std::int64_t>();
    d.code = row[1].as<std::string>();
    d.region_id = row[2].as<std::string>();
    d.claimed_by = row[3].as<std::string>();
    d.claim_lapsed = row[4].as<bool>();
    d.tier = row[5].as<int>();
    d.text = ctx.cipher().decrypt(storage::bytes_of(row[6])).value_or("<undecryptable>");
    d.exercise = row[7].as<bool>();
    d.created_at_us = row[8].as<std::int64_t>();
    out.push_back(std::move(d));
  }
  return out;
}

// The owner went silent past the lease: the incident is open to anyone again, and they are told.
void lapse_claim(pqxx::work& tx, const Context& ctx, DueIncident& incident, Timestamp now) {
  tx.exec_params("UPDATE reports SET claimed_by = NULL, claimed_at = NULL, claim_expires_at = NULL WHERE id = $1",
                 incident.id);
  audit(tx, incident.id, "system", "system", "claim_lapsed", "operator:" + incident.claimed_by, now);
  text_operator(tx, ctx, incident.claimed_by, incident.id, "operator_claim_lapsed",
                drill_prefix(ctx, incident.exercise) +
                    ctx.render(ctx.config().default_language, "operator_claim_lapsed", {{"id", incident.code}}));
  spdlog::warn("event=claim_lapsed report={} operator={}", incident.code, incident.claimed_by);
  incident.claimed_by.clear();
}

}  // namespace

void schedule_next_tier(pqxx::work& tx, const Context& ctx, std::int64_t report_id, const PageResult& paged,
                        std::chrono::seconds wait) {
  const auto next = ctx.clock().now() + wait;
  tx.exec_params(
      "UPDATE reports SET escalation_tier = $2, "
      "  next_tier_at = CASE WHEN created_at + make_interval(secs => $4) > to_timestamp($3 / 1e6) "
      "                      THEN to_timestamp($3 / 1e6) END WHERE id = $1",
      report_id, paged.tier, to_micros(next), static_cast<double>(ctx.config().alerts.expiry.count()));
}

EscalationCounts escalate_due(pqxx::connection& c, const Context& ctx, int limit) {
  const Timestamp now = ctx.clock().now();
  const auto& policy = ctx.config().escalation;
  EscalationCounts counts;
  pqxx::work tx{c};
  for (auto& incident : lock_due(tx, ctx, to_micros(now), limit)) {
    const bool lapsed = incident.claim_lapsed && !incident.claimed_by.empty();
    if (lapsed) {
      lapse_claim(tx, ctx, incident, now);
      ++counts.claims_lapsed;
    }
    const bool undecided = !incident.claimed_by.empty();  // claimed, lease alive, next tier due
    const auto waited = std::chrono::duration_cast<std::chrono::minutes>(now - storage::from_micros(incident.created_at_us));
    const std::string body = operator_text_quoting(ctx, "operator_escalated",
                                                   {{"id", incident.code},
                                                    {"region", ctx.regions().name_of(incident.region_id)},
                                                    {"text", incident.text},
                                                    {"waited", std::to_string(waited.count())}},
                                                   incident.code, incident.exercise);
    auto paged =
        page_next_tier(tx, ctx, {incident.id, incident.region_id, incident.tier + 1, "operator_escalated", body});
    const bool reminder = paged.paged == 0;
    if (reminder) {
      // Every tier has been paged: silence reminds them all, so the incident is never forgotten
      // (and, after a lapsed claim, everyone learns it is open again).
      const auto everyone = paged_operators(tx, incident.id);
      for (const auto& name : everyone) text_operator(tx, ctx, name, incident.id, "operator_escalated", body);
      paged.paged = static_cast<int>(everyone.size());
      paged.tier = incident.tier;
    }
    schedule_next_tier(tx, ctx, incident.id, paged, undecided ? policy.undecided_after : policy.unclaimed_after);
    audit(tx, incident.id, "system", "system", "escalated",
          std::string(undecided ? "undecided" : "unclaimed") + ": tier " + std::to_string(paged.tier) + ", " +
              std::to_string(paged.paged) + " operators" + (reminder ? " (reminder)" : ""),
          now);
    spdlog::warn("event=report_escalated report={} tier={} reason={} operators={} reminder={}", incident.code,
                 paged.tier, undecided ? "undecided" : "unclaimed", paged.paged, reminder);
    ++counts.escalated;
    counts.operators_paged += paged.paged;
  }
  tx.commit();
  return counts;
}

}  // namespace centinela::queue

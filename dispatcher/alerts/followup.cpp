#include "dispatcher/alerts/followup.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "dispatcher/alerts/alert_words.hpp"
#include "dispatcher/fanout/text_store.hpp"
#include "dispatcher/queue/audit.hpp"
#include "dispatcher/queue/paging.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::alerts {
namespace {

using storage::to_micros;

struct Original {
  std::int64_t id = 0;
  std::int64_t report_id = 0;
  std::string report_code;
  std::string region_id;
  std::string summary;
  std::string state;
  bool exercise = false;
};

// The original an id refers to, locked: a follow-up and the materializer (which locks the alert
// it plans) never interleave, so no member is planned after a CLEAR or RETRACT cancelled the rest.
std::optional<Original> lock_original(pqxx::work& tx, const storage::DataCipher& cipher, std::int64_t alert_id) {
  const auto rows = tx.exec_params(
      "SELECT a.id, a.report_id, r.code, a.region_id, a.summary, a.summary_enc, a.state, a.status = 'exercise' "
      "FROM alerts a JOIN reports r ON r.id = a.report_id "
      "WHERE a.id = (SELECT coalesce(references_id, id) FROM alerts WHERE id = $1) FOR UPDATE OF a",
      alert_id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  // Words that no longer open are not repeated to members: a CLEAR without text then says only
  // what its template says.
  return Original{row[0].as<std::int64_t>(), row[1].as<std::int64_t>(), row[2].as<std::string>(),
                  row[3].as<std::string>(),  stored_words(cipher, row[4], row[5]).value_or(""),
                  row[6].as<std::string>(),  row[7].as<bool>()};
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// The follow-up row: same report, region, audience and status as the original. An all-clear is
// CAP urgency Past, severity Minor; updates and retractions keep the original's assessment.
std::int64_t insert_follow_up(pqxx::work& tx, const Context& ctx, const Original& o, FollowUpKind kind,
                              const std::string& summary, const std::string& sender, Timestamp now) {
  const bool clear = kind == FollowUpKind::clear;
  return tx
      .exec_params1(
          "INSERT INTO alerts (report_id, region_id, audience_regions, summary_enc, created_at, expires_at, "
          "  msg_type, references_id, status, urgency, severity, certainty, sender_name) "
          "SELECT report_id, region_id, audience_regions, $2, to_timestamp($3 / 1e6), to_timestamp($4 / 1e6), "
          "  $5, id, status, CASE WHEN $6 THEN 'past' ELSE urgency END, "
          "  CASE WHEN $6 THEN 'minor' ELSE severity END, certainty, $7 "
          "FROM alerts WHERE id = $1 RETURNING id",
          o.id, storage::bin(ctx.cipher().encrypt(summary)), to_micros(now), to_micros(now + ctx.config().alerts.expiry),
          std::string(kind_name(kind)), clear, sender)[0]
      .as<std::int64_t>();
}

// CLEAR and RETRACT: the original and its updates are closed, and their queued texts (retries
// waiting for their backoff included) cancelled. Texts `sending` now finish; should one come back
// as a retry, record_results cancels it (see text_store.cpp).
long long close_original(pqxx::work& tx, std::int64_t original_id, const std::string& state, Timestamp now) {
  tx.exec_params(
      "UPDATE alerts SET state = $2, closed_at = to_timestamp($3 / 1e6) "
      "WHERE id = $1 OR (references_id = $1 AND msg_type = 'update')",
      original_id, state, to_micros(now));
  return static_cast<long long>(
      tx.exec_params(
            "UPDATE deliveries SET status = 'cancelled', finished_at = to_timestamp($3 / 1e6), error = 'alert ' || $2 "
            "WHERE status = 'queued' AND alert_id IN "
            "  (SELECT id FROM alerts WHERE id = $1 OR (references_id = $1 AND msg_type = 'update'))",
            original_id, state, to_micros(now))
          .affected_rows());
}

// RETRACT: the correction is planned at once, ahead of every other alert, for everyone the
// original reached. Texts in flight join it when they turn out sent (the materializer finishes the
// plan); a text the sender drops at send time never left, so its member gets no correction.
long long plan_corrections(pqxx::work& tx, std::int64_t original_id, std::int64_t retraction_id, Timestamp now) {
  constexpr std::size_t everyone = std::numeric_limits<int>::max();
  return fanout::plan_follow_up(tx, retraction_id, original_id, /*correction=*/true, everyone, now).planned;
}

// UPDATE / CLEAR: who has the original now, and who may still get it. The materializer plans them.
// While the original is not fully planned, "may still get it" is its whole audience, not only the
// deliveries planned so far: a second approver is never skipped because planning is behind.
std::pair<long long, long long> reach_of(pqxx::work& tx, std::int64_t original_id) {
  const auto row = tx.exec_params1(
      "SELECT count(*) FILTER (WHERE d.status IN ('sent', 'delivered')), "
      "       count(*) FILTER (WHERE d.status IN ('queued', 'sending')), "
      "       (SELECT CASE WHEN a.materialized_at IS NOT NULL THEN 0 ELSE ("
      "          SELECT count(*) FROM subscribers s WHERE s.status = 'active' AND EXISTS ("
      "            SELECT 1 FROM subscriptions sub WHERE sub.subscriber_id = s.id "
      "            AND sub.region_id = ANY(a.audience_regions))) END FROM alerts a WHERE a.id = $1) "
      "FROM deliveries d WHERE d.alert_id = $1",
      original_id);
  const auto reached = row[0].as<long long>();
  const auto pending = std::max(row[1].as<long long>(), row[2].as<long long>() - reached);
  return {reached, pending};
}

std::string audit_action(FollowUpKind kind) {
  return kind == FollowUpKind::retract ? "retracted" : std::string(kind_name(kind)) + "_sent";
}

// Free words to many members on one operator's say-so are a broadcast like the alert itself: above
// verification.second_approver_above they wait for a second operator. CLEAR and RETRACT never
// wait: ending or correcting an alert must not be held up.
bool needs_second_approver(const Context& ctx, const Original& original, long long reach) {
  const auto limit = ctx.config().verification.second_approver_above;
  return limit > 0 && !original.exercise && reach > limit;
}

// The original `alert_id` refers to, locked, when the operator's regions cover it; fills the
// result's fields about it, and its outcome when the answer is no.
std::optional<Original> original_for(pqxx::work& tx, const Context& ctx, const config::Operator& op,
                                     std::int64_t alert_id, FollowUpResult& result) {
  auto original = lock_original(tx, ctx.cipher(), alert_id);
  if (!original) return std::nullopt;  // unknown_alert
  // Outside the operator's regions looks like absent to the caller; the outcome says which.
  if (!ctx.regions().covers(op.regions, original->region_id)) {
    result.outcome = FollowUpOutcome::not_your_region;
    return std::nullopt;
  }
  result.original_id = original->id;
  result.report_code = original->report_code;
  result.region_id = original->region_id;
  result.exercise = original->exercise;
  return original;
}

void hold_for_approval(pqxx::work& tx, const Context& ctx, const config::Operator& op, const std::string& channel,
                       const Original& original, FollowUpResult& result, const std::string& summary, Timestamp now) {
  tx.exec_params("UPDATE alerts SET state = 'held' WHERE id = $1", result.alert_id);
  result.outcome = FollowUpOutcome::held;
  const auto recipients = std::to_string(result.members + result.pending);
  queue::audit(tx, original.report_id, "operator:" + op.name, channel, "update_held",
               "alert " + std::to_string(result.alert_id) + ": " + recipients + " members, waits for APPROVE", now);
  // Cut to one text if it must be; the whole update is in GET /api/v1/alerts/{id}.
  const auto body = ctx.render_within_limit(ctx.config().default_language, "operator_approval_needed",
                                            {{"id", original.report_code},
                                             {"operator", op.name},
                                             {"recipients", recipients},
                                             {"text", summary}},
                                            "text", "\u2026");
  for (const auto& other : ctx.config().operators)
    if (other.name != op.name && ctx.regions().covers(other.regions, original.region_id))
      queue::text_operator(tx, ctx, other.name, original.report_id, "operator_approval_needed", body);
  spdlog::info("event=alert_follow_up_held alert_id={} original={} recipients={} by={}", result.alert_id, original.id,
               recipients, op.name);
}

}  // namespace

FollowUpResult approve_follow_up(pqxx::work& tx, const Context& ctx, const config::Operator& op,
                                 const std::string& channel, std::int64_t alert_id) {
  FollowUpResult result;
  const auto original = original_for(tx, ctx, op, alert_id, result);
  if (!original) return result;
  // A CLEAR or RETRACT since closed the held update too (close_original): nothing to approve.
  // At most one update is held per alert (a new one supersedes it); `alert_id` may name it.
  const auto held = tx.exec_params(
      "SELECT id, sender_name FROM alerts WHERE references_id = $1 AND state = 'held' "
      "  AND (id = $2 OR $2 = $1) ORDER BY id DESC LIMIT 1",
      original->id, alert_id);
  if (held.empty()) {
    result.outcome = FollowUpOutcome::nothing_to_approve;
    return result;
  }
  result.alert_id = held[0][0].as<std::int64_t>();
  if (held[0][1].as<std::string>() == op.name) {
    result.outcome = FollowUpOutcome::same_operator;
    return result;
  }
  const Timestamp now = ctx.clock().now();
  // Its clock starts at the approval: what members read is sent now, with a full life ahead.
  tx.exec_params(
      "UPDATE alerts SET state = 'active', created_at = to_timestamp($2 / 1e6), expires_at = to_timestamp($3 / 1e6) "
      "WHERE id = $1",
      result.alert_id, to_micros(now), to_micros(now + ctx.config().alerts.expiry));
  std::tie(result.members, result.pending) = reach_of(tx, original->id);
  result.outcome = FollowUpOutcome::approved;
  queue::audit(tx, original->report_id, "operator:" + op.name, channel, "update_approved",
               "alert " + std::to_string(result.alert_id) + " (update of alert " + std::to_string(original->id) +
                   "): " + std::to_string(result.members + result.pending) + " members",
               now);
  spdlog::info("event=alert_follow_up_approved alert_id={} original={} by={}", result.alert_id, original->id, op.name);
  return result;
}

std::string_view kind_name(FollowUpKind kind) {
  switch (kind) {
    case FollowUpKind::update: return "update";
    case FollowUpKind::clear: return "clear";
    case FollowUpKind::retract: return "retract";
  }
  return "update";
}

FollowUpResult send_follow_up(pqxx::work& tx, const Context& ctx, const config::Operator& op,
                              const std::string& channel, std::int64_t alert_id, FollowUpKind kind,
                              const std::string& text) {
  FollowUpResult result;
  const auto original = original_for(tx, ctx, op, alert_id, result);
  if (!original) return result;
  if (original->state == "cleared") result.outcome = FollowUpOutcome::already_cleared;
  if (original->state == "retracted") result.outcome = FollowUpOutcome::already_retracted;
  if (original->state != "active") return result;
  auto summary = trimmed(text);
  if (summary.empty() && kind == FollowUpKind::update) {
    result.outcome = FollowUpOutcome::text_required;
    return result;
  }
  if (summary.empty()) summary = original->summary;

  const Timestamp now = ctx.clock().now();
  // A new UPDATE replaces one still waiting for approval: an approver must never release words
  // their author has since corrected.
  if (kind == FollowUpKind::update)
    tx.exec_params("UPDATE alerts SET state = 'superseded', closed_at = to_timestamp($2 / 1e6) "
                   "WHERE references_id = $1 AND state = 'held'",
                   original->id, to_micros(now));
  result.alert_id = insert_follow_up(tx, ctx, *original, kind, summary, op.name, now);
  long long cancelled = 0;
  if (kind != FollowUpKind::update)
    cancelled = close_original(tx, original->id, kind == FollowUpKind::clear ? "cleared" : "retracted", now);
  if (kind == FollowUpKind::retract) {
    result.members = plan_corrections(tx, original->id, result.alert_id, now);
  } else {
    std::tie(result.members, result.pending) = reach_of(tx, original->id);
  }
  if (kind == FollowUpKind::update && needs_second_approver(ctx, *original, result.members + result.pending)) {
    hold_for_approval(tx, ctx, op, channel, *original, result, summary, now);
    return result;
  }
  result.outcome = FollowUpOutcome::sent;
  queue::audit(tx, original->report_id, "operator:" + op.name, channel, audit_action(kind),
               "alert " + std::to_string(result.alert_id) + " (" + std::string(kind_name(kind)) + " of alert " +
                   std::to_string(original->id) + "): " + std::to_string(result.members) + " members" +
                   (result.pending ? ", " + std::to_string(result.pending) + " more once their alert is sent" : "") +
                   (cancelled ? ", " + std::to_string(cancelled) + " queued texts cancelled" : ""),
               now);
  spdlog::info("event=alert_follow_up kind={} alert_id={} original={} members={} pending={} cancelled={} "
               "exercise={} by={}",
               kind_name(kind), result.alert_id, original->id, result.members, result.pending, cancelled,
               original->exercise, op.name);
  return result;
}

std::optional<std::int64_t> alert_for_report(pqxx::transaction_base& tx, const std::string& report_code) {
  std::string code = report_code;
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const auto rows = tx.exec_params(
      "SELECT a.id FROM reports r JOIN alerts a ON a.report_id = coalesce(r.incident_id, r.id) "
      "WHERE r.code = $1 AND a.msg_type = 'alert'",
      code);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::int64_t>();
}

}  // namespace centinela::alerts

#include "dispatcher/queue/flood_facts.hpp"

#include <algorithm>

#include <pqxx/pqxx>

#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {
namespace {

using storage::bin;
using storage::to_micros;

// An arbitrary constant: the advisory lock that orders report filing across every Centinela
// process. Without it two reports counted at once could both take the last page under a cap.
constexpr long long flood_lock_id = 0x464c4f4f;  // "FLOO"

// All counts in one round trip. $1 reporter blind index ('' for none: matches no row), $2 region
// ('' = unknown), $3 / $4 / $5 window starts (per sender / per region / burst) in microseconds.
constexpr const char* facts_sql =
    "SELECT "
    " (SELECT count(*) FROM reports WHERE reporter_idx = $1 AND created_at > to_timestamp($3 / 1e6)),"
    " (SELECT count(*) FROM reports WHERE region_id IS NOT DISTINCT FROM NULLIF($2, '') "
    "    AND NOT quarantined AND created_at > to_timestamp($4 / 1e6)),"
    // Only reports an operator verified earn trust: joining a confirmed raid's incident does not.
    " (SELECT count(*) FROM reports WHERE reporter_idx = $1 AND status = 'confirmed' "
    "    AND verification_level = 'verified'),"
    " (SELECT count(*) FROM reports WHERE reporter_idx = $1 AND status = 'rejected'),"
    // Seen before: an earlier report, or a member (a pending JOIN costs an attacker nothing, so
    // it does not count; a number that opted out was a real member).
    " EXISTS (SELECT 1 FROM reports WHERE reporter_idx = $1)"
    "   OR EXISTS (SELECT 1 FROM subscribers WHERE phone_idx = $1 AND status <> 'pending'),"
    " (SELECT count(*) FROM reports WHERE new_reporter AND created_at > to_timestamp($5 / 1e6)),"
    " (SELECT count(*) FROM reports WHERE new_reporter AND NOT quarantined "
    "    AND created_at > to_timestamp($5 / 1e6)),"
    " coalesce((SELECT max(flood_group) FROM reports WHERE flood_group IS NOT NULL "
    "    AND created_at > to_timestamp($5 / 1e6)), 0)";

bool blocklisted(const Context& ctx, const PhoneNumber& phone) {
  const auto& list = ctx.config().flood.blocklist;
  return std::find(list.begin(), list.end(), phone.e164) != list.end();
}

}  // namespace

Screening screen_report(pqxx::work& tx, const Context& ctx, const std::optional<PhoneNumber>& reporter,
                        const storage::Bytes& reporter_idx, const std::string& region_id, Timestamp now) {
  Screening s;
  // Taken for every report, operators' too: it also serializes incident grouping (a report that
  // runs alongside another must see it, or one raid becomes two incidents and two alerts).
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", flood_lock_id);
  // Operators file reports too (REPORT by SMS); they are trusted by config, never quarantined.
  if (reporter && ctx.operator_by_phone(reporter->e164)) return s;
  const auto& policy = ctx.config().flood;
  const auto row = tx.exec_params1(facts_sql, bin(reporter_idx), region_id,
                                   to_micros(now - policy.per_sender.window),
                                   to_micros(now - policy.per_region.window),
                                   to_micros(now - policy.burst.window));
  FloodFacts f;
  f.has_reporter = reporter.has_value();
  f.blocked = reporter && blocklisted(ctx, *reporter);
  f.sender_recent = row[0].as<int>();
  f.region_recent = row[1].as<int>();
  f.confirmed = row[2].as<int>();
  f.rejected = row[3].as<int>();
  f.new_reporter = reporter && !row[4].as<bool>();
  f.new_recent = row[5].as<int>();
  f.new_paged_recent = row[6].as<int>();
  s.verdict = judge_report(f, policy);
  s.new_reporter = f.new_reporter;
  if (s.verdict.burst) {
    // Join the flood already open in the window, or open one.
    s.flood_group = row[7].as<std::int64_t>();
    if (s.flood_group == 0) {
      s.flood_group = tx.exec1("SELECT nextval('flood_group_ids')")[0].as<std::int64_t>();
      // The new numbers that led up to the burst belong to it too: operators see it whole.
      tx.exec_params("UPDATE reports SET flood_group = $1 WHERE new_reporter AND flood_group IS NULL "
                     "AND created_at > to_timestamp($2 / 1e6)",
                     s.flood_group, to_micros(now - policy.burst.window));
    }
  }
  return s;
}

}  // namespace centinela::queue

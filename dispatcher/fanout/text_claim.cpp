// Claiming texts for a sender: see claim_texts in text_store.hpp.
#include "dispatcher/fanout/text_store.hpp"

#include <algorithm>
#include <limits>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "dispatcher/alerts/alert_kind.hpp"
#include "dispatcher/alerts/alert_words.hpp"
#include "dispatcher/core/local_time.hpp"
#include "dispatcher/storage/outbox.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::fanout {
namespace {

using storage::bytes_of;
using storage::epoch_us;
using storage::from_micros;
using storage::to_micros;

// A claimed row whose ciphertext does not open (damaged, or sealed with another key): it is failed
// in the claim's own transaction, so it can never come first again and stop the sender.
struct Unreadable {
  TextKind kind;
  std::int64_t id;
  std::int64_t alert_id;  // deliveries only
};

// One claim: its transaction and what it has gathered so far.
struct Claim {
  pqxx::work& tx;
  const Context& ctx;
  const ClaimRequest& req;
  std::int64_t now;
  std::vector<OutgoingText> texts;
  std::vector<Unreadable> unreadable;

  int left() const { return req.limit - static_cast<int>(texts.size()); }
};

// Outbox texts whose priority (storage::TextPriority) lies in [lowest, highest], by priority, oldest
// first: outbox_queued (priority, id) serves the ORDER BY. A text about a report is retried only
// while the report is pending: once it is decided, a late page says nothing useful.
void claim_outbox(Claim& c, int lowest, int highest) {
  if (c.left() <= 0) return;
  const auto rows = c.tx.exec_params(
      "WITH picked AS ("
      "  SELECT id FROM outbox WHERE status = 'queued' AND priority BETWEEN $4 AND $5 "
      "    AND (not_before IS NULL OR not_before <= to_timestamp($1 / 1e6)) "
      "    AND expires_at > to_timestamp($1 / 1e6) "
      "    AND (from_number IS NULL OR from_number = $6) "
      "  ORDER BY priority, id LIMIT $2 FOR UPDATE SKIP LOCKED) "
      "UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1, provider = $3, "
      "  sending_at = to_timestamp($1 / 1e6) "
      "FROM picked WHERE o.id = picked.id "
      "RETURNING o.id, o.to_enc, o.body_enc, o.attempts, " + epoch_us("o.expires_at") + ", "
      "  o.report_id IS NULL OR EXISTS (SELECT 1 FROM reports r WHERE r.id = o.report_id AND r.status = 'pending')",
      c.now, c.left(), c.req.provider, lowest, highest, c.req.sender);
  for (const auto& row : rows) {
    const auto id = row[0].as<std::int64_t>();
    auto to = c.ctx.cipher().decrypt(bytes_of(row[1]));
    auto body = c.ctx.cipher().decrypt(bytes_of(row[2]));
    if (!to || !body) {
      c.unreadable.push_back({TextKind::outbox, id, 0});
      continue;
    }
    OutgoingText t;
    t.kind = TextKind::outbox;
    t.id = id;
    t.to = PhoneNumber{std::move(*to)};
    t.body = std::move(*body);
    t.attempts = row[3].as<int>();
    t.expires_at = from_micros(row[4].as<std::int64_t>());
    t.retry_until = row[5].as<bool>() ? t.expires_at : from_micros(c.now);
    c.texts.push_back(std::move(t));
  }
}

// The rows of `picked` (a CTE of delivery ids, locked) become `sending`; what a sender needs comes
// back. Drill texts reach test-group numbers that are not (yet) confirmed members.
const std::string claim_picked_deliveries =
    "UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, "
    "  sending_at = to_timestamp($1 / 1e6), provider = $3, sender = $4 "
    "FROM picked, subscribers s, alerts a "
    "WHERE d.id = picked.id AND s.id = d.subscriber_id AND a.id = d.alert_id "
    "RETURNING d.id, d.subscriber_id, d.alert_id, d.attempts, s.phone_enc, s.language, "
    "  s.status = 'active' OR (a.status = 'exercise' AND s.status = 'pending'), a.summary, a.summary_enc, "
    "  a.region_id, " + epoch_us("a.created_at") + ", " + epoch_us("a.expires_at") +
    ", a.msg_type, a.status = 'exercise'";

// A delivery the claim may take: queued, its backoff over, its alert live.
constexpr std::string_view claimable =
    "d.status = 'queued' AND (d.not_before IS NULL OR d.not_before <= to_timestamp($1 / 1e6)) "
    "AND EXISTS (SELECT 1 FROM alerts l WHERE l.id = d.alert_id AND l.state = 'active' "
    "            AND l.expires_at > to_timestamp($1 / 1e6))";

// Renders each (alert, language) once: members of one alert share a handful of languages.
class AlertBodies {
 public:
  explicit AlertBodies(const Context& ctx) : ctx_(ctx) {}

  // nullopt when the alert's words do not decrypt.
  std::optional<std::string> body(const pqxx::row& row, const std::string& language) {
    const auto alert_id = row[2].as<std::int64_t>();
    auto [it, fresh] = bodies_.try_emplace({alert_id, language});
    if (fresh) {
      const auto summary = alerts::stored_words(ctx_.cipher(), row[7], row[8]);
      if (summary) {
        const auto region = row[9].as<std::string>();
        const auto prefix =
            row[13].as<bool>() ? alerts::with_exercise_prefix(ctx_.render(language, "exercise_prefix"), "") : "";
        // A long summary is cut, never the end of the template (what to do, how to opt out).
        it->second = ctx_.render_within_limit(
            language, alerts::template_key(row[12].as<std::string>()),
            {{"region", ctx_.regions().name_of(region)},
             {"time", alert_time_text(ctx_, region, from_micros(row[10].as<std::int64_t>()))},
             {"summary", *summary}},
            "summary", "\u2026", prefix);
      }
    }
    return it->second;
  }

 private:
  const Context& ctx_;
  std::map<std::pair<std::int64_t, std::string>, std::optional<std::string>> bodies_;
};

// Runs one claim statement over deliveries: `picked_sql` is the CTE body choosing locked ids, with
// $1 now, $2 limit, $3 provider, $4 sender and any extra parameters after them.
template <class... Extra>
pqxx::result claim_delivery_rows(Claim& c, const std::string& picked_sql, int limit, const Extra&... extra) {
  return c.tx.exec_params("WITH picked AS (" + picked_sql + ") " + claim_picked_deliveries, c.now,
                          limit, c.req.provider, c.req.sender, extra...);
}

// The texts of claimed delivery rows, in delivery id order per alert; unreadable rows are set aside.
std::vector<OutgoingText> claimed_deliveries(Claim& c, AlertBodies& bodies, const pqxx::result& rows) {
  std::vector<OutgoingText> out;
  for (const auto& row : rows) {
    OutgoingText t;
    t.kind = TextKind::delivery;
    t.id = row[0].as<std::int64_t>();
    t.subscriber_id = row[1].as<std::int64_t>();
    t.alert_id = row[2].as<std::int64_t>();
    t.attempts = row[3].as<int>();
    auto to = c.ctx.cipher().decrypt(bytes_of(row[4]));
    auto body = bodies.body(row, row[5].as<std::string>());
    if (!to || !body) {
      c.unreadable.push_back({TextKind::delivery, t.id, t.alert_id});
      continue;
    }
    t.to = PhoneNumber{std::move(*to)};
    t.body = std::move(*body);
    t.member_active = row[6].as<bool>();
    t.expires_at = from_micros(row[11].as<std::int64_t>());
    t.retry_until = t.expires_at;
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const OutgoingText& a, const OutgoingText& b) {
    return std::pair{a.alert_id, a.id} < std::pair{b.alert_id, b.id};
  });
  return out;
}

// Live alerts with a text to send now, the one after `after` first (then round to the start).
std::vector<std::int64_t> alerts_in_turn(Claim& c, std::int64_t after) {
  std::vector<std::int64_t> ids;
  for (const auto& row : c.tx.exec_params(
           "SELECT a.id FROM alerts a WHERE a.state = 'active' AND a.expires_at > to_timestamp($1 / 1e6) "
           "  AND EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.claim_rank = 1 "
           "    AND d.status = 'queued' AND (d.not_before IS NULL OR d.not_before <= to_timestamp($1 / 1e6))) "
           "ORDER BY a.id",
           c.now))
    ids.push_back(row[0].as<std::int64_t>());
  std::rotate(ids.begin(), std::upper_bound(ids.begin(), ids.end(), after), ids.end());
  return ids;
}

// Interleaves per-alert runs (each in id order, the alerts in `turn` order): A1 B1 A2 B2 ..., so
// the first text of every alert leaves early in the batch.
std::vector<OutgoingText> interleave(std::vector<OutgoingText> claimed, const std::vector<std::int64_t>& turn) {
  std::vector<std::vector<OutgoingText>> runs(turn.size());
  for (auto& t : claimed) {
    const auto at = std::find(turn.begin(), turn.end(), t.alert_id) - turn.begin();
    runs[static_cast<std::size_t>(at)].push_back(std::move(t));
  }
  std::vector<OutgoingText> out;
  for (std::size_t i = 0; out.size() < claimed.size(); ++i)
    for (auto& run : runs)
      if (i < run.size()) out.push_back(std::move(run[i]));
  return out;
}

// Alert texts: retraction corrections (claim_rank 0) first, then equal shares of every live alert,
// then, when an alert had fewer texts than its share, the rest from any of them.
std::int64_t claim_alert_texts(Claim& c) {
  AlertBodies bodies(c.ctx);
  const auto append = [&c](std::vector<OutgoingText> claimed) {
    for (auto& t : claimed) c.texts.push_back(std::move(t));
  };
  const std::string where = std::string(claimable);
  const std::string in_order = " ORDER BY d.claim_rank, d.alert_id, d.id ";
  // As many of `rank` as the batch has room for, oldest alert first.
  const auto claim_in_order = [&](std::string_view rank) {
    if (c.left() <= 0) return;
    append(claimed_deliveries(
        c, bodies,
        claim_delivery_rows(c, "SELECT d.id FROM deliveries d WHERE d.claim_rank = " + std::string(rank) + " AND " +
                                   where + in_order + "LIMIT $2 FOR UPDATE SKIP LOCKED",
                            c.left())));
  };
  claim_in_order("0");
  if (c.left() <= 0) return 0;
  const auto turn = alerts_in_turn(c, c.req.rotate_after_alert);
  if (turn.empty()) return 0;
  // The batch split as evenly as it goes; the alerts first in turn take the remainder.
  const int total = c.left();
  const int n = static_cast<int>(turn.size());
  std::vector<int> shares(turn.size(), total / n);
  for (int i = 0; i < total % n; ++i) ++shares[static_cast<std::size_t>(i)];
  append(interleave(
      claimed_deliveries(
          c, bodies,
          claim_delivery_rows(c,
                              "SELECT p.id FROM unnest(string_to_array($5, ',')::bigint[], "
                              "  string_to_array($6, ',')::int[]) AS live(alert_id, share), LATERAL ("
                              "    SELECT d.id FROM deliveries d WHERE d.claim_rank = 1 AND d.alert_id = live.alert_id "
                              "    AND " + where + in_order + "LIMIT live.share FOR UPDATE SKIP LOCKED) p LIMIT $2",
                              total, storage::csv(turn), storage::csv(shares))),
      turn));
  claim_in_order("1");
  return turn.front();
}

// Fails what could not be read, in the claim's transaction: the sender never sees these rows again.
void fail_unreadable(Claim& c) {
  std::vector<std::int64_t> deliveries;
  std::vector<std::int64_t> outbox;
  for (const auto& u : c.unreadable) {
    (u.kind == TextKind::delivery ? deliveries : outbox).push_back(u.id);
    spdlog::error("event=text_undecryptable kind={} id={} alert_id={} note=\"stored ciphertext does not open with "
                  "the data key: failed, never sent\"",
                  u.kind == TextKind::delivery ? "delivery" : "outbox", u.id, u.alert_id);
  }
  const auto fail = [&c](const char* table, const std::vector<std::int64_t>& ids) {
    if (ids.empty()) return;
    c.tx.exec_params(std::string("UPDATE ") + table +
                         " SET status = 'failed', error = 'undecryptable', finished_at = to_timestamp($2 / 1e6) "
                         "WHERE id = ANY(string_to_array($1, ',')::bigint[])",
                     storage::csv(ids), c.now);
  };
  fail("deliveries", deliveries);
  fail("outbox", outbox);
}

}  // namespace

ClaimedBatch claim_texts(pqxx::connection& conn, const Context& ctx, const ClaimRequest& req) {
  pqxx::work tx{conn};
  Claim c{tx, ctx, req, to_micros(ctx.clock().now()), {}, {}};
  // Operator texts, then alert texts (priority 1), then routine replies to members and anything
  // below them (storage::TextPriority).
  constexpr int operator_class = static_cast<int>(storage::TextPriority::urgent);
  claim_outbox(c, std::numeric_limits<short>::min(), operator_class);
  const auto first_alert = claim_alert_texts(c);
  claim_outbox(c, operator_class + 1, std::numeric_limits<short>::max());
  fail_unreadable(c);
  tx.commit();  // `sending` is durable before any request leaves
  return {std::move(c.texts), first_alert, static_cast<long long>(c.unreadable.size())};
}

std::vector<std::int64_t> alerts_closed_since(pqxx::connection& c, Timestamp since) {
  pqxx::read_transaction tx{c};
  std::vector<std::int64_t> ids;
  for (const auto& row : tx.exec_params("SELECT id FROM alerts WHERE state <> 'active' AND closed_at >= to_timestamp($1 / 1e6)",
                                        to_micros(since)))
    ids.push_back(row[0].as<std::int64_t>());
  return ids;
}

}  // namespace centinela::fanout

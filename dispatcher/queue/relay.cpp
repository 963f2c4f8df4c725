#include "dispatcher/queue/relay.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/queue/audit.hpp"
#include "dispatcher/queue/incident.hpp"
#include "dispatcher/queue/paging.hpp"
#include "dispatcher/storage/outbox.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::queue {

using storage::to_micros;

Decision ask_reporter(pqxx::work& tx, const Context& ctx, const Actor& actor, const std::string& code,
                      const std::string& question) {
  const auto now = ctx.clock().now();
  const auto incident = lock_incident(tx, code, now);
  if (auto refused = refuse_command(ctx, actor, incident, code)) return *refused;
  Decision d;
  d.code = code;
  d.status = incident->status;
  d.region_id = incident->region_id;
  // Only a number that texted us in is asked: a web form's contact number was never proven to be
  // the reporter's (anyone can type a stranger's), and a number that opted out is never texted.
  const auto reporter = tx.exec_params1(
      "SELECT r.reporter_enc, r.reporter_idx, coalesce(s.language, ''), "
      "  r.source = 'sms' AND coalesce(s.status, '') <> 'opted_out' FROM reports r "
      "LEFT JOIN subscribers s ON s.phone_idx = r.reporter_idx WHERE r.id = $1",
      incident->report_id);
  if (reporter[0].is_null() || !reporter[3].as<bool>()) {
    d.outcome = Outcome::no_reporter;
    return d;
  }
  const auto number = ctx.cipher().decrypt(storage::bytes_of(reporter[0]));
  if (!number) throw std::runtime_error("stored reporter number does not decrypt with the data key");
  const auto language = reporter[2].as<std::string>();
  storage::enqueue_text(tx, ctx,
                        {"reporter_question", incident->report_id, PhoneNumber{*number},
                         ctx.render(language.empty() ? ctx.config().default_language : language,
                                    "reporter_question", {{"question", question}})});
  tx.exec_params(
      "INSERT INTO relays (report_id, operator, reporter_idx, asked_at, expires_at) "
      "VALUES ($1, $2, $3, to_timestamp($4 / 1e6), to_timestamp($5 / 1e6))",
      incident->report_id, actor.op.name, storage::bin(storage::bytes_of(reporter[1])), to_micros(now),
      to_micros(now + ctx.config().relay.window));
  audit_private(tx, ctx.cipher(), incident->report_id, actor.name(), actor.channel, "question", question, now);
  renew_claim(tx, ctx, *incident, actor);
  d.outcome = Outcome::question_sent;
  return d;
}

bool relay_reporter_reply(pqxx::work& tx, const Context& ctx, const PhoneNumber& from, const std::string& text) {
  const auto now = ctx.clock().now();
  // The latest question still open about a report still pending: once decided, a text is news.
  const auto rows = tx.exec_params(
      "SELECT l.id, l.report_id, l.operator, r.code FROM relays l JOIN reports r ON r.id = l.report_id "
      "JOIN reports h ON h.id = coalesce(r.incident_id, r.id) "
      "WHERE l.reporter_idx = $1 AND l.expires_at > to_timestamp($2 / 1e6) AND h.status = 'pending' "
      "ORDER BY l.asked_at DESC LIMIT 1 FOR UPDATE OF l",
      storage::bin(ctx.cipher().blind_index(from.e164)), to_micros(now));
  if (rows.empty()) return false;
  const auto report_id = rows[0][1].as<std::int64_t>();
  const auto operator_name = rows[0][2].as<std::string>();
  const auto code = rows[0][3].as<std::string>();
  // An operator removed from config since cannot be told: the text is filed as usual instead.
  if (!ctx.operator_by_name(operator_name)) return false;
  // One question, one answer: the reporter's next texts are reports again.
  tx.exec_params("UPDATE relays SET expires_at = to_timestamp($2 / 1e6) WHERE id = $1", rows[0][0].as<std::int64_t>(),
                 to_micros(now));
  // An answer too long for one text is cut with an ellipsis; the whole of it is on the report's
  // trail (GET /api/v1/reports/{id}), encrypted like every free text a reporter writes.
  text_operator(tx, ctx, operator_name, report_id, "operator_reporter_reply",
                ctx.render_within_limit(ctx.config().default_language, "operator_reporter_reply",
                                        {{"id", code}, {"text", text}}, "text", "…"));
  audit_private(tx, ctx.cipher(), report_id, "reporter", "sms", "reporter_reply",
                "to operator:" + operator_name + ": " + text, now);
  spdlog::info("event=reporter_reply_relayed report={} operator={} from={}", code, operator_name, from);
  return true;
}

}  // namespace centinela::queue

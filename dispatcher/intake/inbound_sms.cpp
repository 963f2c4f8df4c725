#include "dispatcher/intake/inbound_sms.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/core/overloaded.hpp"
#include "dispatcher/intake/member_sms.hpp"
#include "dispatcher/intake/region_guess.hpp"
#include "dispatcher/intake/sms_command.hpp"
#include "dispatcher/queue/responder_queue.hpp"
#include "dispatcher/storage/sql.hpp"

namespace centinela::intake {
namespace {

using storage::bin;


// The operator's answer to YES or NO, in the network's default language.
std::string decision_reply(const Context& ctx, const queue::Decision& d) {
  const auto& lang = ctx.config().default_language;
  using queue::Outcome;
  switch (d.outcome) {
    case Outcome::confirmation_recorded:
      return ctx.render(lang, "operator_confirmed",
                        {{"id", d.code}, {"confirmations", std::to_string(d.confirmations)},
                         {"required", std::to_string(d.required)}});
    case Outcome::alert_created:
      return ctx.render(lang, "operator_alert_sent", {{"id", d.code}, {"region", ctx.regions().name_of(d.region_id)}});
    case Outcome::rejected:
      return ctx.render(lang, "operator_rejected", {{"id", d.code}});
    case Outcome::unknown_report:
      return ctx.render(lang, "operator_unknown_report", {{"id", d.code}});
    case Outcome::not_your_region:
      return ctx.render(lang, "operator_not_your_region", {{"id", d.code}});
    case Outcome::already_decided:
      return ctx.render(lang, "operator_already_decided", {{"id", d.code}, {"status", d.status}});
    case Outcome::unknown_region:
    case Outcome::needs_region:
      return ctx.render(lang, "operator_needs_region",
                        {{"id", d.code}, {"keywords", ctx.regions().keyword_list()}});
  }
  return {};
}

InboundResult apply_operator_sms(pqxx::work& tx, const Context& ctx, const config::Operator& op,
                                 const providers::InboundSms& sms) {
  const queue::Actor actor{op, "sms"};
  const auto& lang = ctx.config().default_language;
  InboundResult result;
  std::visit(
      overloaded{
          [&](const ConfirmCommand& c) {
            const auto d = queue::confirm_report(tx, ctx, actor, c.report_code, c.region_id, c.summary);
            result.alert_created = d.outcome == queue::Outcome::alert_created;
            result.reply = decision_reply(ctx, d);
          },
          [&](const RejectCommand& c) {
            result.reply = decision_reply(ctx, queue::reject_report(tx, ctx, actor, c.report_code, c.reason));
          },
          [&](const FileReportCommand& c) {
            const auto filed = queue::file_report(
                tx, ctx, {"sms", sms.from, c.text, guess_region(c.text, ctx.regions(), op.regions)},
                actor.name(), "sms");
            result.texts_queued = filed.operators_notified > 0;
            result.reply = ctx.render(lang, "operator_report_filed", {{"id", filed.code}});
          },
          [&](const OperatorHelpCommand&) { result.reply = ctx.render(lang, "operator_help"); },
      },
      parse_operator_sms(sms.body, ctx.regions()));
  return result;
}

}  // namespace

InboundResult apply_inbound_sms(pqxx::connection& conn, const Context& ctx,
                                const std::string& provider, const providers::InboundSms& sms) {
  pqxx::work tx{conn};
  const auto now = storage::to_micros(ctx.clock().now());
  const auto fresh = tx.exec_params(
      "INSERT INTO inbound_messages (provider, provider_message_id, received_at) "
      "VALUES ($1, $2, to_timestamp($3 / 1e6)) ON CONFLICT DO NOTHING RETURNING 1",
      provider, sms.provider_message_id, now);
  if (fresh.empty()) {
    const auto row = tx.exec_params1(
        "SELECT reply_enc FROM inbound_messages WHERE provider = $1 AND provider_message_id = $2",
        provider, sms.provider_message_id);
    InboundResult replay;
    replay.duplicate = true;
    if (!row[0].is_null()) replay.reply = ctx.cipher().decrypt(storage::bytes_of(row[0])).value_or("");
    spdlog::info("event=inbound_duplicate provider={} from={}", provider, sms.from);
    return replay;
  }
  const auto* op = ctx.operator_by_phone(sms.from.e164);
  InboundResult result;
  if (!op) {
    result = apply_member_sms(tx, ctx, sms);
  } else if (sms.provider_handled.empty()) {
    result = apply_operator_sms(tx, ctx, *op, sms);
  } else {
    // The provider answered an operator's STOP/START/HELP itself; an operator's consent is
    // managed in config, so there is nothing to record and nothing more to say.
    spdlog::warn("event=operator_keyword_handled_by_provider operator={} keyword={}", op->name, sms.provider_handled);
  }
  tx.exec_params(
      "UPDATE inbound_messages SET reply_enc = $3 WHERE provider = $1 AND provider_message_id = $2",
      provider, sms.provider_message_id, bin(ctx.cipher().encrypt(result.reply)));
  tx.commit();
  return result;
}

}  // namespace centinela::intake

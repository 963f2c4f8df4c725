#include "dispatcher/intake/operator_sms.hpp"

#include <pqxx/pqxx>

#include "dispatcher/core/overloaded.hpp"
#include "dispatcher/intake/region_guess.hpp"
#include "dispatcher/intake/sms_command.hpp"
#include "dispatcher/queue/responder_queue.hpp"

namespace centinela::intake {
namespace {

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

}  // namespace

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


}  // namespace centinela::intake

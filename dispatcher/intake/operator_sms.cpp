#include "dispatcher/intake/operator_sms.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/alerts/followup.hpp"
#include "dispatcher/core/overloaded.hpp"
#include "dispatcher/intake/region_guess.hpp"
#include "dispatcher/intake/sms_command.hpp"
#include "dispatcher/queue/evidence.hpp"
#include "dispatcher/queue/on_call.hpp"
#include "dispatcher/queue/ownership.hpp"
#include "dispatcher/queue/relay.hpp"
#include "dispatcher/queue/responder_queue.hpp"

namespace centinela::intake {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "-" : out;
}

// The answer to a command on a report, in the network's default language.
std::string decision_reply(const Context& ctx, const queue::Decision& d) {
  const auto& lang = ctx.config().default_language;
  using queue::Outcome;
  switch (d.outcome) {
    case Outcome::confirmation_recorded:
      return ctx.render(lang, "operator_confirmed",
                        {{"id", d.code}, {"confirmations", std::to_string(d.confirmations)},
                         {"required", std::to_string(d.required)}, {"region", ctx.regions().name_of(d.region_id)},
                         {"members", std::to_string(d.members)}});
    case Outcome::alert_created:
      return ctx.render(lang, "operator_alert_sent",
                        {{"id", d.code}, {"region", ctx.regions().name_of(d.region_id)},
                         {"members", std::to_string(d.members)}});
    case Outcome::moved:
      return ctx.render(lang, "operator_moved",
                        {{"id", d.code}, {"region", ctx.regions().name_of(d.region_id)},
                         {"members", std::to_string(d.members)}, {"voided", std::to_string(d.voided)}});
    case Outcome::region_differs:  // only the API names a region apart from the words
      return {};
    case Outcome::rejected:
      return ctx.render(lang, "operator_rejected", {{"id", d.code}});
    case Outcome::unknown_report:
      return ctx.render(lang, "operator_unknown_report", {{"id", d.code}});
    case Outcome::not_your_region:
      return ctx.render(lang, "operator_not_your_region", {{"id", d.code}});
    case Outcome::already_decided:
      return ctx.render(lang, "operator_already_decided", {{"id", d.code}, {"status", d.status}});
    case Outcome::unknown_region:
      return ctx.render(lang, "operator_unknown_region",
                        {{"id", d.code}, {"keywords", ctx.regions().keyword_list()}});
    case Outcome::needs_region:
      return ctx.render(lang, "operator_needs_region",
                        {{"id", d.code}, {"keywords", ctx.regions().keyword_list()}});
    case Outcome::evidence_missing:
      return ctx.render(lang, "operator_evidence_missing", {{"id", d.code}, {"missing", joined(d.missing)}});
    case Outcome::claimed:
      return ctx.render(lang, "operator_claimed", {{"id", d.code}, {"minutes", std::to_string(d.lease_minutes)}});
    case Outcome::claim_held:
      return ctx.render(lang, "operator_claim_held", {{"id", d.code}, {"operator", d.holder}});
    case Outcome::evidence_recorded:
      return ctx.render(lang, "operator_evidence_recorded", {{"id", d.code}, {"missing", joined(d.missing)}});
    case Outcome::note_recorded:
      return ctx.render(lang, "operator_note_recorded", {{"id", d.code}});
    case Outcome::advisory_sent:
      return ctx.render(lang, "operator_advisory_sent", {{"id", d.code}});
    case Outcome::question_sent:
      return ctx.render(lang, "operator_question_sent", {{"id", d.code}});
    case Outcome::no_reporter:
      return ctx.render(lang, "operator_no_reporter", {{"id", d.code}});
  }
  return {};
}

alerts::FollowUpKind follow_up_kind(FollowUp kind) {
  switch (kind) {
    case FollowUp::update: return alerts::FollowUpKind::update;
    case FollowUp::clear: return alerts::FollowUpKind::clear;
    case FollowUp::retract: return alerts::FollowUpKind::retract;
  }
  return alerts::FollowUpKind::update;
}

// The answer to UPDATE, CLEAR, RETRACT or APPROVE on report `code`.
std::string follow_up_reply(const Context& ctx, const std::string& code, alerts::FollowUpKind kind,
                            const alerts::FollowUpResult& r) {
  const auto& lang = ctx.config().default_language;
  using alerts::FollowUpOutcome;
  switch (r.outcome) {
    case FollowUpOutcome::sent:
      return ctx.render(lang, "operator_followup_sent", {{"id", code}, {"kind", std::string(alerts::kind_name(kind))}});
    case FollowUpOutcome::unknown_alert:
      return ctx.render(lang, "operator_no_alert", {{"id", code}});
    case FollowUpOutcome::not_your_region:
      return ctx.render(lang, "operator_not_your_region", {{"id", code}});
    case FollowUpOutcome::already_cleared:
      return ctx.render(lang, "operator_already_decided", {{"id", code}, {"status", "cleared"}});
    case FollowUpOutcome::already_retracted:
      return ctx.render(lang, "operator_already_decided", {{"id", code}, {"status", "retracted"}});
    case FollowUpOutcome::text_required:
      return ctx.render(lang, "operator_help");
    case FollowUpOutcome::held:
    case FollowUpOutcome::same_operator:
      return ctx.render(lang, "operator_update_held",
                        {{"id", code}, {"recipients", std::to_string(r.members + r.pending)}});
    case FollowUpOutcome::approved:
      return ctx.render(lang, "operator_update_approved",
                        {{"id", code}, {"recipients", std::to_string(r.members + r.pending)}});
    case FollowUpOutcome::nothing_to_approve:
      return ctx.render(lang, "operator_nothing_to_approve", {{"id", code}});
  }
  return {};
}

}  // namespace

InboundResult apply_operator_sms(pqxx::work& tx, const Context& ctx, const config::Operator& op,
                                 const providers::InboundSms& sms) {
  const queue::Actor actor{op, "sms"};
  const auto& lang = ctx.config().default_language;
  InboundResult result;
  const auto reply_to = [&](const queue::Decision& d) { result.reply = decision_reply(ctx, d); };
  // A follow-up command names a report; it acts on its incident's alert (none: unknown_alert).
  const auto on_alert_of = [&](const std::string& code, const auto& act) {
    const auto alert_id = alerts::alert_for_report(tx, code);
    return alert_id ? act(*alert_id) : alerts::FollowUpResult{};
  };
  std::visit(
      overloaded{
          [&](const ConfirmCommand& c) {
            const auto d = queue::confirm_report(tx, ctx, actor, c.report_code,
                                                 {c.summary, c.region_id, c.summary_after_region, false});
            result.alert_created = d.outcome == queue::Outcome::alert_created;
            reply_to(d);
          },
          [&](const MoveCommand& c) {
            reply_to(c.region_id.empty() ? queue::Decision{queue::Outcome::unknown_region, c.report_code}
                                         : queue::move_report(tx, ctx, actor, c.report_code, c.region_id));
          },
          [&](const FullTextCommand& c) {
            auto parts = queue::report_full_text(tx, ctx, op, c.report_code);
            if (parts.empty()) {
              result.reply = ctx.render(lang, "operator_unknown_report", {{"id", c.report_code}});
              return;
            }
            result.reply = std::move(parts.front());
            result.further_replies.assign(std::make_move_iterator(parts.begin() + 1),
                                          std::make_move_iterator(parts.end()));
          },
          [&](const RejectCommand& c) { reply_to(queue::reject_report(tx, ctx, actor, c.report_code, c.reason)); },
          [&](const FileReportCommand& c) {
            queue::NewReport report{"sms", sms.from, c.text, guess_region(c.text, ctx.regions(), op.regions)};
            report.exercise = c.exercise;
            const auto filed = queue::file_report(tx, ctx, report, actor.name(), "sms");
            result.texts_queued = filed.operators_notified > 0;
            result.reply = ctx.render(lang, "operator_report_filed", {{"id", filed.code}});
          },
          [&](const DutyCommand& c) {
            queue::set_on_call(tx, op, c.on_call, ctx.clock().now());
            spdlog::info("event=operator_duty operator={} on_call={}", op.name, c.on_call);
            result.reply = ctx.render(lang, c.on_call ? "operator_on_call" : "operator_off_call");
          },
          [&](const ClaimCommand& c) {
            const auto d = queue::claim_report(tx, ctx, actor, c.report_code);
            result.texts_queued = d.outcome == queue::Outcome::claimed;
            reply_to(d);
          },
          [&](const NoteCommand& c) { reply_to(queue::add_note(tx, ctx, actor, c.report_code, c.text)); },
          [&](const EvidenceCommand& c) {
            reply_to(queue::record_evidence(tx, ctx, actor, c.report_code, c.field, c.text));
          },
          [&](const AdvisoryCommand& c) {
            const auto d = queue::send_advisory(tx, ctx, actor, c.report_code, c.summary);
            result.texts_queued = d.recipients > 0;
            reply_to(d);
          },
          [&](const AskReporterCommand& c) {
            const auto d = queue::ask_reporter(tx, ctx, actor, c.report_code, c.question);
            result.texts_queued = d.outcome == queue::Outcome::question_sent;
            reply_to(d);
          },
          [&](const FollowUpCommand& c) {
            const auto kind = follow_up_kind(c.kind);
            const auto r = on_alert_of(c.report_code, [&](std::int64_t alert_id) {
              return alerts::send_follow_up(tx, ctx, op, "sms", alert_id, kind, c.text);
            });
            result.alert_created = r.outcome == alerts::FollowUpOutcome::sent;
            result.texts_queued = r.outcome == alerts::FollowUpOutcome::held;
            result.reply = follow_up_reply(ctx, c.report_code, kind, r);
          },
          [&](const ApproveCommand& c) {
            const auto r = on_alert_of(c.report_code, [&](std::int64_t alert_id) {
              return alerts::approve_follow_up(tx, ctx, op, "sms", alert_id);
            });
            result.alert_created = r.outcome == alerts::FollowUpOutcome::approved;
            result.reply = follow_up_reply(ctx, c.report_code, alerts::FollowUpKind::update, r);
          },
          [&](const OperatorHelpCommand&) { result.reply = ctx.render(lang, "operator_help"); },
      },
      parse_operator_sms(sms.body, ctx.regions()));
  return result;
}

}  // namespace centinela::intake

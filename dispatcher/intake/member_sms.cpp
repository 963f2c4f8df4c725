#include "dispatcher/intake/member_sms.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "dispatcher/core/overloaded.hpp"
#include "dispatcher/intake/member_registry.hpp"
#include "dispatcher/intake/pending_join.hpp"
#include "dispatcher/intake/region_guess.hpp"
#include "dispatcher/intake/sms_command.hpp"
#include "dispatcher/queue/relay.hpp"
#include "dispatcher/queue/responder_queue.hpp"

namespace centinela::intake {
namespace {


std::string region_names(const Context& ctx, const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + ctx.regions().name_of(id);
  return out;
}

std::string first_keyword(const Context& ctx, const std::string& id) {
  const auto* r = ctx.regions().find(id);
  return r && !r->keywords.empty() ? r->keywords.front() : id;
}

// The provider (Twilio Advanced Opt-Out) already acted on a keyword and answered the sender. We
// record the same effect, and answer nothing: a second confirmation is exactly what the FCC's
// one-text rule forbids.
InboundResult apply_provider_handled(pqxx::work& tx, const Context& ctx, const providers::InboundSms& sms) {
  if (sms.provider_handled == "STOP") {
    if (opt_out(tx, ctx, sms.from, "opt_out", "provider"))
      spdlog::info("event=member_opted_out member={} via=provider", sms.from);
  } else if (sms.provider_handled == "START") {
    if (opt_in(tx, ctx, sms.from)) spdlog::info("event=member_opted_in member={} via=provider", sms.from);
  }
  return {};  // HELP, and anything else the provider answered: nothing for us to add
}

// YES: confirm pending joins; with none pending, a YES from an opted-out number is an opt-in
// (it is one of the carriers' standard opt-in words), and otherwise just gets the help text.
std::string confirm_reply(pqxx::work& tx, const Context& ctx, const std::optional<Member>& member,
                          const std::string& lang, const std::map<std::string, std::string>& help_values,
                          const PhoneNumber& from) {
  if (!member) return ctx.render(lang, "help", help_values);
  const auto c = confirm_joins(tx, ctx, *member);
  using Kind = JoinConfirmation::Kind;
  if (c.kind == Kind::confirmed) {
    spdlog::info("event=member_joined member={} regions={}", from, c.regions.size());
    return ctx.render(lang, "join_ok", {{"region", region_names(ctx, c.regions)}});
  }
  if (c.kind == Kind::expired)
    return ctx.render(lang, "join_expired",
                      {{"region", region_names(ctx, c.regions)}, {"keyword", first_keyword(ctx, c.regions.front())}});
  if (opt_in(tx, ctx, from)) return ctx.render(lang, "start_ok");
  return ctx.render(lang, "help", help_values);
}

std::string leave_reply(pqxx::work& tx, const Context& ctx, const std::optional<Member>& member,
                        const std::string& lang, const std::string& region_id, const PhoneNumber& from) {
  const std::map<std::string, std::string> values{{"region", ctx.regions().name_of(region_id)}};
  if (!member || !leave_region(tx, ctx, member->id, region_id)) return ctx.render(lang, "leave_not_member", values);
  spdlog::info("event=member_left member={} region={}", from, region_id);
  std::vector<std::string> kept;
  for (const auto& r : member->regions)
    if (r != region_id) kept.push_back(r);
  // Leaving the last region keeps the member (language, consent) with nothing to receive; only
  // STOP opts out, so a LEAVE never triggers the opt-out confirmation by surprise.
  if (kept.empty()) return ctx.render(lang, "leave_ok_last", values);
  return ctx.render(lang, "leave_ok", {{"region", values.at("region")}, {"regions", region_names(ctx, kept)}});
}

}  // namespace

InboundResult apply_member_sms(pqxx::work& tx, const Context& ctx, const providers::InboundSms& sms) {
  if (!sms.provider_handled.empty()) return apply_provider_handled(tx, ctx, sms);
  const auto member = find_member(tx, ctx, sms.from);
  std::string lang = member ? member->language : ctx.config().default_language;
  const std::map<std::string, std::string> help_values{
      {"contact", ctx.config().organization_contact}, {"keywords", ctx.regions().keyword_list()}};
  InboundResult result;
  const auto command = parse_member_sms(sms.body, ctx.regions(), ctx.vocabulary());
  // An answer to a responder's MORE question goes to them, whatever it looks like ("Sí", "YES",
  // "two vans"), except what must always be answered: STOP, HELP, and the YES of a pending JOIN.
  const bool must_handle = std::holds_alternative<OptOutCommand>(command) ||
                           std::holds_alternative<HelpCommand>(command) ||
                           (std::holds_alternative<ConfirmJoinCommand>(command) && member && member->status == "pending");
  if (!must_handle && queue::relay_reporter_reply(tx, ctx, sms.from, sms.body)) {
    result.texts_queued = true;
    return result;
  }
  std::visit(
      overloaded{
          [&](const JoinCommand& c) {
            const auto req = request_join(tx, ctx, sms.from, c.region_id, c.language);
            spdlog::info("event={} member={} region={}", req.needs_confirmation ? "join_requested" : "member_joined",
                         sms.from, c.region_id);
            result.reply = ctx.render(req.language, req.needs_confirmation ? "join_confirm_request" : "join_ok",
                                      {{"region", ctx.regions().name_of(c.region_id)}});
          },
          [&](const ConfirmJoinCommand&) { result.reply = confirm_reply(tx, ctx, member, lang, help_values, sms.from); },
          [&](const LeaveCommand& c) { result.reply = leave_reply(tx, ctx, member, lang, c.region_id, sms.from); },
          [&](const LeaveNearMissCommand&) {
            result.reply = ctx.render(lang, "leave_unknown_region", {{"keywords", ctx.regions().keyword_list()}});
          },
          [&](const OptOutCommand&) {
            // Exactly one confirmation: a number already opted out got it the first time.
            if (opt_out(tx, ctx, sms.from, "opt_out", "keyword")) {
              spdlog::info("event=member_opted_out member={}", sms.from);
              result.reply = ctx.render(lang, "stop_ok");
              result.urgent_reply = true;
            }
          },
          [&](const OptInCommand&) {
            if (member && !member->active) {
              // START answers a pending JOIN as YES does; after an opt-out it restores the old regions.
              result.reply = confirm_reply(tx, ctx, member, lang, help_values, sms.from);
            } else {
              result.reply = member ? ctx.render(lang, "start_ok") : ctx.render(lang, "help", help_values);
            }
          },
          [&](const HelpCommand&) { result.reply = ctx.render(lang, "help", help_values); },
          [&](const NearMissCommand&) {
            result.reply = ctx.render(lang, "join_unknown_region", {{"keywords", ctx.regions().keyword_list()}});
          },
          [&](const LanguageCommand& c) {
            // Answered in the new language, so the member sees at once that it worked.
            result.reply = set_language(tx, ctx, sms.from, c.language)
                               ? ctx.render(c.language, "language_ok")
                               : ctx.render(c.language, "help", help_values);
          },
          [&](const SightingReport& r) {
            const auto region =
                guess_region(r.text, ctx.regions(), member ? member->regions : std::vector<std::string>{});
            const auto filed = queue::file_report(tx, ctx, {"sms", sms.from, r.text, region}, "reporter", "sms");
            result.texts_queued = filed.operators_notified > 0;
            result.reply = ctx.render(lang, "report_received");
          },
      },
      command);
  return result;
}

}  // namespace centinela::intake

// Web-form intake and the operator API over reports: the same commands operators text (YES, NO,
// CLAIM, evidence, NOTE, ADVISORY, MORE, ON/OFF), as JSON.
#include <pqxx/pqxx>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "dispatcher/api/handlers.hpp"
#include "dispatcher/api/request_parsing.hpp"
#include "dispatcher/intake/region_guess.hpp"
#include "dispatcher/queue/evidence.hpp"
#include "dispatcher/queue/on_call.hpp"
#include "dispatcher/queue/ownership.hpp"
#include "dispatcher/queue/relay.hpp"
#include "dispatcher/queue/responder_queue.hpp"

namespace centinela::api {
namespace {

using nlohmann::json;

WebResponse to_response(const ApiError& e) { return error_response(e.status, e.code, e.message); }

const config::Operator* authenticate_operator(const WebRequest& req, const ApiContext& api) {
  return api.ctx.operator_by_token(bearer_token(req));
}

WebResponse unauthorized() {
  WebResponse r = error_response(401, "unauthorized", "a valid bearer token is required");
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

WebResponse decision_response(const queue::Decision& d) {
  using queue::Outcome;
  switch (d.outcome) {
    case Outcome::confirmation_recorded:
      return json_response(200, {{"report_id", d.code}, {"status", d.status},
                                 {"confirmations", d.confirmations}, {"required", d.required},
                                 {"region", d.region_id}, {"members", d.members}});
    case Outcome::alert_created:
      return json_response(200, {{"report_id", d.code}, {"status", d.status}, {"alert_id", d.alert_id},
                                 {"region", d.region_id}, {"members", d.members}});
    case Outcome::moved:
      return json_response(200, {{"report_id", d.code}, {"status", d.status}, {"region", d.region_id},
                                 {"members", d.members}, {"voided_confirmations", d.voided}});
    case Outcome::region_differs:
      return json_response(409, {{"error", "region_differs"},
                                 {"message", "the report is in " + d.region_id +
                                                 ": move it first with POST /api/v1/reports/" + d.code + "/move"},
                                 {"region", d.region_id}});
    case Outcome::rejected:
      return json_response(200, {{"report_id", d.code}, {"status", d.status}});
    case Outcome::unknown_report:
      return error_response(404, "unknown_report", "no report has the id " + d.code);
    case Outcome::not_your_region:
      return error_response(403, "not_your_region", "this report is outside your regions");
    case Outcome::unknown_region:
      return error_response(422, "unknown_region", "no such region");
    case Outcome::needs_region:
      return error_response(422, "region_required", "this report has no region: give one with \"region\"");
    case Outcome::already_decided:
      return error_response(409, "already_decided", "the report is already " + d.status);
    case Outcome::evidence_missing:
      return json_response(422, {{"error", "evidence_missing"},
                                 {"message", "fill the required evidence before confirming"},
                                 {"missing", d.missing}});
    case Outcome::claimed:
      return json_response(200, {{"report_id", d.code}, {"status", d.status}, {"lease_minutes", d.lease_minutes}});
    case Outcome::claim_held:
      return json_response(409, {{"error", "claimed"}, {"message", "the report is claimed by " + d.holder},
                                 {"claimed_by", d.holder}});
    case Outcome::evidence_recorded:
      return json_response(200, {{"report_id", d.code}, {"status", d.status}, {"missing", d.missing}});
    case Outcome::note_recorded:
    case Outcome::question_sent:
      return json_response(200, {{"report_id", d.code}, {"status", d.status}});
    case Outcome::advisory_sent:
      return json_response(200, {{"report_id", d.code}, {"status", d.status}, {"verification_level", "unverified"},
                                 {"recipients", d.recipients}});
    case Outcome::no_reporter:
      return error_response(422, "no_reporter", "this report came without a number to ask");
  }
  return error_response(500, "internal", "unexpected decision");
}

json report_json(const queue::ReportView& r) {
  return {{"id", r.code}, {"region", r.region_id.empty() ? json(nullptr) : json(r.region_id)},
          {"source", r.source}, {"status", r.status}, {"text", r.text},
          {"created_at_ms", r.created_at_us / 1000}, {"confirmations", r.confirmations},
          {"quarantined", r.quarantined},
          {"quarantine_reason", r.quarantined ? json(r.quarantine_reason) : json(nullptr)},
          {"flood_group", r.flood_group ? json(r.flood_group) : json(nullptr)},
          {"incident", r.incident}, {"incident_reports", r.incident_reports},
          {"claimed_by", r.claimed_by.empty() ? json(nullptr) : json(r.claimed_by)},
          {"claim_expires_at_ms", r.claim_expires_at_us ? json(r.claim_expires_at_us / 1000) : json(nullptr)},
          {"escalation_tier", r.escalation_tier},
          {"verification_level", r.verification_level.empty() ? json(nullptr) : json(r.verification_level)},
          {"evidence", r.evidence}, {"exercise", r.exercise}};
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The shape of every operator command on a report: authenticate, parse the body, act in one
// transaction, answer with the outcome, and wake the fan-out for whatever texts were queued.
template <class Parse, class Act>
asio::awaitable<WebResponse> act_on_report(const WebRequest& req, ApiContext& api, const PathParams& params,
                                           Parse parse, Act act) {
  const auto* op = authenticate_operator(req, api);
  if (!op) co_return unauthorized();
  auto parsed = parse(req.body);
  if (auto* err = std::get_if<ApiError>(&parsed)) co_return to_response(*err);
  const auto request = std::get<0>(std::move(parsed));
  const auto code = upper(params.at("id"));
  const auto decision = co_await api.db.run([&](pqxx::connection& c) {
    pqxx::work tx{c};
    auto d = act(tx, queue::Actor{*op, "api"}, code, request);
    tx.commit();
    return d;
  });
  api.fanout.wake();
  co_return decision_response(decision);
}

auto text_body(const char* key, std::size_t max, bool optional = false) {
  return [key, max, optional](std::string_view body) { return parse_text_field(body, key, max, optional); };
}

}  // namespace

asio::awaitable<WebResponse> handle_create_report(const WebRequest& req, ApiContext& api, const PathParams&) {
  if (!api.ctx.is_intake_token(bearer_token(req))) co_return unauthorized();
  auto parsed = parse_new_report(req.body, api.ctx.regions());
  if (auto* err = std::get_if<ApiError>(&parsed)) co_return to_response(*err);
  auto report = std::get<NewReportRequest>(std::move(parsed));
  if (report.region_id.empty()) report.region_id = intake::guess_region(report.text, api.ctx.regions(), {});
  const auto filed = co_await api.db.run([&](pqxx::connection& c) {
    pqxx::work tx{c};
    // The form's contact_phone was never proven to be the reporter's: a number to call back only.
    queue::NewReport filing{"api", std::nullopt, report.text, report.region_id};
    filing.contact = report.contact;
    auto f = queue::file_report(tx, api.ctx, filing, "web_form", "api");
    tx.commit();  // durable before the 202
    return f;
  });
  if (filed.operators_notified > 0) api.fanout.wake();
  co_return json_response(202, {{"report_id", filed.code}, {"status", "pending"},
                                {"region", filed.region_id.empty() ? json(nullptr) : json(filed.region_id)}});
}

asio::awaitable<WebResponse> handle_list_reports(const WebRequest& req, ApiContext& api, const PathParams&) {
  const auto* op = authenticate_operator(req, api);
  if (!op) co_return unauthorized();
  const auto status = query_param(req, "status").value_or("pending");
  if (status != "pending" && status != "confirmed" && status != "rejected")
    co_return error_response(422, "invalid_status", "status must be pending, confirmed or rejected");
  const auto reports = co_await api.db.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx{c};
    return queue::list_reports(tx, api.ctx, *op, status, 200);
  });
  json items = json::array();
  for (const auto& r : reports) items.push_back(report_json(r));
  co_return json_response(200, {{"reports", items}});
}

asio::awaitable<WebResponse> handle_get_report(const WebRequest& req, ApiContext& api, const PathParams& params) {
  const auto* op = authenticate_operator(req, api);
  if (!op) co_return unauthorized();
  const auto code = upper(params.at("id"));
  const auto timeline = co_await api.db.run([&](pqxx::connection& c) {
    pqxx::read_transaction tx{c};
    return queue::report_timeline(tx, api.ctx, *op, code);
  });
  if (!timeline) co_return error_response(404, "unknown_report", "no report has the id " + code);
  json body = report_json(timeline->report);
  body["alert_id"] = timeline->alert_id ? json(timeline->alert_id) : json(nullptr);
  json actions = json::array();
  for (const auto& a : timeline->actions) {
    actions.push_back({{"at_ms", a.at_us / 1000}, {"actor", a.actor}, {"channel", a.channel},
                       {"action", a.action}, {"detail", a.detail}});
  }
  body["timeline"] = std::move(actions);
  co_return json_response(200, body);
}

asio::awaitable<WebResponse> handle_confirm_report(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await act_on_report(
      req, api, params, [&](std::string_view body) { return parse_decision(body, api.ctx.regions()); },
      [&](pqxx::work& tx, const queue::Actor& actor, const std::string& code, const DecisionRequest& d) {
        // "region" in the API is meant as a region: it places a report whose region is unknown, and
        // a different one than the report's is refused (moving is /move's job).
        return queue::confirm_report(tx, api.ctx, actor, code, {d.summary, d.region_id, d.summary, true});
      });
}

asio::awaitable<WebResponse> handle_move_report(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await act_on_report(
      req, api, params, [&](std::string_view body) { return parse_move(body, api.ctx.regions()); },
      [&](pqxx::work& tx, const queue::Actor& actor, const std::string& code, const std::string& region_id) {
        return queue::move_report(tx, api.ctx, actor, code, region_id);
      });
}

asio::awaitable<WebResponse> handle_reject_report(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await act_on_report(
      req, api, params, [&](std::string_view body) { return parse_decision(body, api.ctx.regions()); },
      [&](pqxx::work& tx, const queue::Actor& actor, const std::string& code, const DecisionRequest& d) {
        return queue::reject_report(tx, api.ctx, actor, code, d.summary);
      });
}

asio::awaitable<WebResponse> handle_claim_report(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await act_on_report(
      req, api, params, [](std::string_view) { return std::variant<bool, ApiError>(true); },
      [&](pqxx::work& tx, const queue::Actor& actor, const std::string& code, bool) {
        return queue::claim_report(tx, api.ctx, actor, code);
      });
}

asio::awaitable<WebResponse> handle_report_evidence(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await act_on_report(
      req, api, params, parse_evidence,
      [&](pqxx::work& tx, const queue::Actor& actor, const std::string& code,
          const std::map<std::string, std::string>& fields) {
        queue::Decision d;
        for (const auto& [field, text] : fields) {
          d = queue::record_evidence(tx, api.ctx, actor, code, field, text);
          if (d.outcome != queue::Outcome::evidence_recorded) break;
        }
        return d;
      });
}

asio::awaitable<WebResponse> handle_report_note(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await act_on_report(
      req, api, params, text_body("text", 480),
      [&](pqxx::work& tx, const queue::Actor& actor, const std::string& code, const std::string& text) {
        return queue::add_note(tx, api.ctx, actor, code, text);
      });
}

asio::awaitable<WebResponse> handle_report_advisory(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await act_on_report(
      req, api, params, text_body("summary", 480, /*optional=*/true),
      [&](pqxx::work& tx, const queue::Actor& actor, const std::string& code, const std::string& summary) {
        return queue::send_advisory(tx, api.ctx, actor, code, summary);
      });
}

asio::awaitable<WebResponse> handle_report_question(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await act_on_report(
      req, api, params, text_body("question", 320),
      [&](pqxx::work& tx, const queue::Actor& actor, const std::string& code, const std::string& question) {
        return queue::ask_reporter(tx, api.ctx, actor, code, question);
      });
}

asio::awaitable<WebResponse> handle_set_duty(const WebRequest& req, ApiContext& api, const PathParams&) {
  const auto* op = authenticate_operator(req, api);
  if (!op) co_return unauthorized();
  auto parsed = parse_duty(req.body);
  if (auto* err = std::get_if<ApiError>(&parsed)) co_return to_response(*err);
  const bool on_call = std::get<bool>(parsed);
  co_await api.db.run([&](pqxx::connection& c) {
    pqxx::work tx{c};
    queue::set_on_call(tx, *op, on_call, api.ctx.clock().now());
    tx.commit();
  });
  spdlog::info("event=operator_duty operator={} on_call={} channel=api", op->name, on_call);
  co_return json_response(200, {{"operator", op->name}, {"on_call", on_call}});
}

}  // namespace centinela::api

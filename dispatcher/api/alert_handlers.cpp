// The operator API over alerts: GET /api/v1/alerts/{id} (CAP-like fields and how far the fan-out
// has come, by delivery state, with the count of possible duplicates: texts resent after a crash
// left them in doubt), and POST /api/v1/alerts/{id}/update | clear | retract.
#include <charconv>
#include <ctime>
#include <optional>

#include <pqxx/pqxx>

#include <nlohmann/json.hpp>

#include "dispatcher/alerts/alert_kind.hpp"
#include "dispatcher/alerts/followup.hpp"
#include "dispatcher/api/handlers.hpp"
#include "dispatcher/api/request_parsing.hpp"
#include "dispatcher/fanout/text_store.hpp"

namespace centinela::api {
namespace {

using nlohmann::json;

constexpr std::size_t max_follow_up_chars = 480;  // what an operator's summary may hold (parse_decision)

WebResponse unauthorized() {
  WebResponse r = error_response(401, "unauthorized", "a valid bearer token is required");
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

std::optional<std::int64_t> parse_alert_id(const std::string& raw) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
  if (ec != std::errc{} || end != raw.data() + raw.size() || id <= 0) return std::nullopt;
  return id;
}

WebResponse unknown_alert(const std::string& raw_id) {
  return error_response(404, "unknown_alert", "no alert has the id " + raw_id);
}

// CAP's dateTime form: "2026-11-26T12:00:00+00:00".
std::string cap_time(std::int64_t us) {
  const std::time_t t = static_cast<std::time_t>(us / 1'000'000);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &utc);
  return buf;
}

// {"text": "..."}: the operator's words. UPDATE needs them; CLEAR and RETRACT may omit them (the
// original's summary is used). An empty body is a follow-up without words.
std::variant<std::string, ApiError> parse_follow_up(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::string{};
  const auto j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return ApiError{400, "malformed_json", "the body must be a JSON object"};
  for (const auto& [key, value] : j.items())
    if (key != "text") return ApiError{400, "unknown_field", "unknown field '" + key + "'"};
  if (!j.contains("text") || j["text"].is_null()) return std::string{};
  if (!j["text"].is_string()) return ApiError{400, "invalid_field", "text must be a string"};
  auto text = j["text"].get<std::string>();
  if (text.size() > max_follow_up_chars)
    return ApiError{400, "text_too_long", "text must be at most 480 bytes"};
  return text;
}

WebResponse follow_up_response(const alerts::FollowUpResult& r, alerts::FollowUpKind kind, const std::string& raw_id) {
  using alerts::FollowUpOutcome;
  switch (r.outcome) {
    case FollowUpOutcome::sent: {
      auto res = json_response(201, {{"alert_id", r.alert_id},
                                     {"references", r.original_id},
                                     {"msg_type", alerts::kind_name(kind)},
                                     {"report_id", r.report_code},
                                     {"region", r.region_id},
                                     {"exercise", r.exercise},
                                     {"members", r.members},
                                     {"pending", r.pending}});
      res.headers.emplace_back("Location", "/api/v1/alerts/" + std::to_string(r.alert_id));
      return res;
    }
    // Outside the operator's regions looks the same as absent: an alert id reveals nothing.
    case FollowUpOutcome::unknown_alert:
    case FollowUpOutcome::not_your_region:
      return unknown_alert(raw_id);
    case FollowUpOutcome::already_cleared:
      return error_response(409, "already_cleared", "the alert was cleared: nothing more can be sent about it");
    case FollowUpOutcome::already_retracted:
      return error_response(409, "already_retracted", "the alert was retracted: nothing more can be sent about it");
    case FollowUpOutcome::text_required:
      return error_response(400, "text_required", "an update needs \"text\"");
    case FollowUpOutcome::held:
      return json_response(202, {{"alert_id", r.alert_id}, {"references", r.original_id}, {"state", "held"},
                                 {"recipients", r.members + r.pending},
                                 {"message", "waits for a second operator: POST /api/v1/alerts/" +
                                                 std::to_string(r.original_id) + "/approve"}});
    case FollowUpOutcome::approved:
      return json_response(200, {{"alert_id", r.alert_id}, {"references", r.original_id}, {"state", "active"},
                                 {"members", r.members}, {"pending", r.pending}});
    case FollowUpOutcome::nothing_to_approve:
      return error_response(404, "nothing_to_approve", "no update of this alert waits for approval");
    case FollowUpOutcome::same_operator:
      return error_response(409, "second_approver_required", "another operator must approve this update");
  }
  return error_response(500, "internal", "unexpected outcome");
}

asio::awaitable<WebResponse> follow_up(const WebRequest& req, ApiContext& api, const PathParams& params,
                                       alerts::FollowUpKind kind) {
  const auto* op = api.ctx.operator_by_token(bearer_token(req));
  if (!op) co_return unauthorized();
  const auto& raw_id = params.at("id");
  const auto id = parse_alert_id(raw_id);
  if (!id) co_return unknown_alert(raw_id);
  auto parsed = parse_follow_up(req.body);
  if (const auto* err = std::get_if<ApiError>(&parsed)) co_return error_response(err->status, err->code, err->message);
  const auto text = std::get<std::string>(std::move(parsed));
  const auto result = co_await api.db.run([&](pqxx::connection& c) {
    pqxx::work tx{c};
    auto r = alerts::send_follow_up(tx, api.ctx, *op, "api", *id, kind, text);
    using alerts::FollowUpOutcome;
    if (r.outcome == FollowUpOutcome::sent || r.outcome == FollowUpOutcome::held) tx.commit();  // durable first
    return r;
  });
  api.fanout.wake();
  co_return follow_up_response(result, kind, raw_id);
}

}  // namespace

asio::awaitable<WebResponse> handle_get_alert(const WebRequest& req, ApiContext& api, const PathParams& params) {
  const auto* op = api.ctx.operator_by_token(bearer_token(req));
  if (!op) co_return unauthorized();
  const auto& raw_id = params.at("id");
  const auto id = parse_alert_id(raw_id);
  if (!id) co_return unknown_alert(raw_id);
  const auto summary = co_await api.db.run([&](pqxx::connection& c) { return fanout::alert_summary(c, *id); });
  // Outside the operator's regions looks the same as absent: an alert id reveals nothing.
  if (!summary || !api.ctx.regions().covers(op->regions, summary->region_id)) co_return unknown_alert(raw_id);
  json deliveries = json::object();
  long long total = 0;
  for (const auto* status :
       {"queued", "sending", "sent", "delivered", "undelivered", "failed", "expired", "cancelled"}) {
    const auto it = summary->by_status.find(status);
    const long long n = it == summary->by_status.end() ? 0 : it->second;
    deliveries[status] = n;
    total += n;
  }
  deliveries["total"] = total;
  const auto cap = alerts::cap_message_type(summary->msg_type);
  co_return json_response(
      200, {{"id", summary->id},
            {"report_id", summary->report_code},
            {"region", summary->region_id},
            {"kind", summary->msg_type},
            {"msg_type", cap.msg_type},
            {"response_type", cap.response_type.empty() ? json(nullptr) : json(cap.response_type)},
            {"status", alerts::cap_word(summary->status)},
            {"urgency", alerts::cap_word(summary->urgency)},
            {"severity", alerts::cap_word(summary->severity)},
            {"certainty", alerts::cap_word(summary->certainty)},
            {"sender", summary->sender},
            {"sent", cap_time(summary->created_at_us)},
            {"expires", cap_time(summary->expires_at_us)},
            {"references", summary->references_id ? json(summary->references_id) : json(nullptr)},
            {"state", summary->state},
            {"closed_at_ms", summary->closed_at_us ? json(summary->closed_at_us / 1000) : json(nullptr)},
            {"created_at_ms", summary->created_at_us / 1000},
            {"expires_at_ms", summary->expires_at_us / 1000},
            {"fully_planned", summary->materialized},
            {"deliveries", deliveries},
            {"possible_duplicates", summary->possible_duplicates},
            {"undecryptable", summary->undecryptable}});
}

asio::awaitable<WebResponse> handle_update_alert(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await follow_up(req, api, params, alerts::FollowUpKind::update);
}

asio::awaitable<WebResponse> handle_clear_alert(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await follow_up(req, api, params, alerts::FollowUpKind::clear);
}

asio::awaitable<WebResponse> handle_approve_alert(const WebRequest& req, ApiContext& api, const PathParams& params) {
  const auto* op = api.ctx.operator_by_token(bearer_token(req));
  if (!op) co_return unauthorized();
  const auto& raw_id = params.at("id");
  const auto id = parse_alert_id(raw_id);
  if (!id) co_return unknown_alert(raw_id);
  const auto result = co_await api.db.run([&](pqxx::connection& c) {
    pqxx::work tx{c};
    auto r = alerts::approve_follow_up(tx, api.ctx, *op, "api", *id);
    if (r.outcome == alerts::FollowUpOutcome::approved) tx.commit();
    return r;
  });
  api.fanout.wake();
  co_return follow_up_response(result, alerts::FollowUpKind::update, raw_id);
}

asio::awaitable<WebResponse> handle_retract_alert(const WebRequest& req, ApiContext& api, const PathParams& params) {
  co_return co_await follow_up(req, api, params, alerts::FollowUpKind::retract);
}

}  // namespace centinela::api

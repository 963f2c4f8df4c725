// GET /api/v1/alerts/{id}: how far an alert's fan-out has come, by delivery state, with the count
// of possible duplicates (texts resent after a crash left them in doubt).
#include <charconv>

#include <pqxx/pqxx>

#include <nlohmann/json.hpp>

#include "dispatcher/api/handlers.hpp"
#include "dispatcher/api/request_parsing.hpp"
#include "dispatcher/fanout/text_store.hpp"

namespace centinela::api {

asio::awaitable<WebResponse> handle_get_alert(const WebRequest& req, ApiContext& api, const PathParams& params) {
  const auto* op = api.ctx.operator_by_token(bearer_token(req));
  if (!op) co_return error_response(401, "unauthorized", "a valid bearer token is required");
  const auto& raw_id = params.at("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(raw_id.data(), raw_id.data() + raw_id.size(), id);
  if (ec != std::errc{} || end != raw_id.data() + raw_id.size() || id <= 0)
    co_return error_response(404, "unknown_alert", "no alert has the id " + raw_id);
  const auto summary = co_await api.db.run([id](pqxx::connection& c) { return fanout::alert_summary(c, id); });
  // Outside the operator's regions looks the same as absent: an alert id reveals nothing.
  if (!summary || !api.ctx.regions().covers(op->regions, summary->region_id))
    co_return error_response(404, "unknown_alert", "no alert has the id " + raw_id);
  nlohmann::json deliveries = nlohmann::json::object();
  long long total = 0;
  for (const auto* status : {"queued", "sending", "sent", "delivered", "undelivered", "failed", "expired"}) {
    const auto it = summary->by_status.find(status);
    const long long n = it == summary->by_status.end() ? 0 : it->second;
    deliveries[status] = n;
    total += n;
  }
  deliveries["total"] = total;
  co_return json_response(200, {{"id", summary->id},
                                {"report_id", summary->report_code},
                                {"region", summary->region_id},
                                {"created_at_ms", summary->created_at_us / 1000},
                                {"expires_at_ms", summary->expires_at_us / 1000},
                                {"fully_planned", summary->materialized},
                                {"deliveries", deliveries},
                                {"possible_duplicates", summary->possible_duplicates}});
}

}  // namespace centinela::api

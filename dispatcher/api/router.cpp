#include "dispatcher/api/router.hpp"

#include <array>

#include "dispatcher/api/handlers.hpp"

namespace centinela::api {
namespace {

constexpr std::array endpoints{
    Endpoint{"GET", "/healthz", &handle_health},
    Endpoint{"POST", "/webhooks/{provider}/sms", &handle_inbound_sms},
    Endpoint{"POST", "/webhooks/{provider}/status", &handle_status_callback},
    Endpoint{"POST", "/api/v1/reports", &handle_create_report},
    Endpoint{"GET", "/api/v1/reports", &handle_list_reports},
    Endpoint{"GET", "/api/v1/reports/{id}", &handle_get_report},
    Endpoint{"POST", "/api/v1/reports/{id}/confirm", &handle_confirm_report},
    Endpoint{"POST", "/api/v1/reports/{id}/reject", &handle_reject_report},
    Endpoint{"POST", "/api/v1/reports/{id}/move", &handle_move_report},
    Endpoint{"POST", "/api/v1/reports/{id}/claim", &handle_claim_report},
    Endpoint{"POST", "/api/v1/reports/{id}/evidence", &handle_report_evidence},
    Endpoint{"POST", "/api/v1/reports/{id}/notes", &handle_report_note},
    Endpoint{"POST", "/api/v1/reports/{id}/advisory", &handle_report_advisory},
    Endpoint{"POST", "/api/v1/reports/{id}/questions", &handle_report_question},
    Endpoint{"POST", "/api/v1/duty", &handle_set_duty},
    Endpoint{"GET", "/api/v1/alerts/{id}", &handle_get_alert},
    Endpoint{"POST", "/api/v1/alerts/{id}/update", &handle_update_alert},
    Endpoint{"POST", "/api/v1/alerts/{id}/clear", &handle_clear_alert},
    Endpoint{"POST", "/api/v1/alerts/{id}/retract", &handle_retract_alert},
    Endpoint{"POST", "/api/v1/alerts/{id}/approve", &handle_approve_alert},
};

std::string_view next_segment(std::string_view& rest) {
  const auto slash = rest.find('/');
  const auto seg = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  return seg;
}

}  // namespace

bool match_path(std::string_view pattern, std::string_view path, PathParams& params) {
  if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
  pattern.remove_prefix(1);
  path.remove_prefix(1);
  PathParams found;
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty()) return false;
    const auto want = next_segment(pattern);
    const auto got = next_segment(path);
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (got.empty()) return false;
      found.emplace(std::string(want.substr(1, want.size() - 2)), std::string(got));
    } else if (want != got) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

asio::awaitable<WebResponse> route(const WebRequest& req, ApiContext& api) {
  const std::string_view target = req.target;
  const auto path = target.substr(0, target.find('?'));
  bool path_known = false;
  for (const auto& e : endpoints) {
    PathParams params;
    if (!match_path(e.pattern, path, params)) continue;
    path_known = true;
    if (e.method == req.method) co_return co_await e.handler(req, api, params);
  }
  if (path_known) co_return error_response(405, "method_not_allowed", "this path does not accept " + req.method);
  co_return error_response(404, "not_found", "no such endpoint");
}

}  // namespace centinela::api

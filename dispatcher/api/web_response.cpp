#include "dispatcher/api/web_response.hpp"

#include <string>

#include <nlohmann/json.hpp>

namespace centinela::api {

WebResponse json_response(int status, const nlohmann::json& body) {
  // Replace invalid UTF-8 (a reporter's text can hold anything) rather than throw: one bad report
  // must not make the list of pending reports unreadable.
  return WebResponse{status, "application/json",
                     body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {}};
}

WebResponse error_response(int status, std::string_view code, std::string_view message) {
  return json_response(status, {{"error", code}, {"message", message}});
}

WebResponse unavailable_response(std::string_view message) {
  WebResponse out = error_response(503, "unavailable", message);
  out.headers.emplace_back("Retry-After", std::to_string(unavailable_retry_after_seconds));
  return out;
}

}  // namespace centinela::api

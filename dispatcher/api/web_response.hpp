// An HTTP response as plain values (no Beast), so handlers are testable and Beast stays in the
// one file that owns sockets. Errors always carry {"error": code, "message": text}.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace centinela::api {

struct WebResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

WebResponse json_response(int status, const nlohmann::json& body);
WebResponse error_response(int status, std::string_view code, std::string_view message);

// How long a client should wait before retrying after a 503 "unavailable": the database comes
// back, or the service restarts, within seconds; Twilio and most clients retry on their own.
inline constexpr int unavailable_retry_after_seconds = 5;

// 503 {"error": "unavailable"} with Retry-After: the database cannot be reached or gave up, and
// nothing was stored, so the client may retry the same request.
WebResponse unavailable_response(std::string_view message);

}  // namespace centinela::api

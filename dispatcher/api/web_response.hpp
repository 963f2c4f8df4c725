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

}  // namespace centinela::api

#include "dispatcher/api/web_response.hpp"

#include <nlohmann/json.hpp>

namespace centinela::api {

WebResponse json_response(int status, const nlohmann::json& body) {
  return WebResponse{status, "application/json", body.dump(), {}};
}

WebResponse error_response(int status, std::string_view code, std::string_view message) {
  return json_response(status, {{"error", code}, {"message", message}});
}

}  // namespace centinela::api

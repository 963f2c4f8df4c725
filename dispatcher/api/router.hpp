// Routes are a table: easy to read, to test, and it keeps 404 (no such path) apart from 405 (path
// exists, wrong method). Path segments written "{name}" capture a value.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "dispatcher/api/api_context.hpp"
#include "dispatcher/api/web_response.hpp"
#include "providers/common/web_request.hpp"

namespace centinela::api {

using PathParams = std::map<std::string, std::string, std::less<>>;
using Handler = asio::awaitable<WebResponse> (*)(const WebRequest&, ApiContext&, const PathParams&);

struct Endpoint {
  std::string_view method;
  std::string_view pattern;  // "/api/v1/reports/{id}/confirm"
  Handler handler;
};

// Matches `path` (no query string) against `pattern`; fills `params` on success.
bool match_path(std::string_view pattern, std::string_view path, PathParams& params);

// Routes to the handler, or answers 404/405 itself.
asio::awaitable<WebResponse> route(const WebRequest& req, ApiContext& api);

}  // namespace centinela::api

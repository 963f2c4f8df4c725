// Calls the real router with a real database pool, as the HTTP server would, for API tests that
// need no socket: status and parsed JSON body.
#pragma once

#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "dispatcher/api/api_context.hpp"
#include "dispatcher/api/router.hpp"
#include "dispatcher/fanout/fanout_engine.hpp"

namespace centinela::testing {

inline std::pair<int, nlohmann::json> call_api(const Context& ctx, const std::string& conninfo,
                                               const std::string& method, const std::string& target,
                                               const std::string& bearer_token, const std::string& body = "") {
  asio::io_context io;
  storage::DbPool pool(conninfo, 1);
  fanout::FanoutEngine engine(io.get_executor(), ctx, pool, {});
  api::ApiContext api{ctx, pool, engine, {}};
  WebRequest req{method, target, {{"authorization", "Bearer " + bearer_token}}, body};
  api::WebResponse res;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> { res = co_await api::route(req, api); },
                 [](std::exception_ptr e) {
                   if (e) std::rethrow_exception(e);  // out of io.run(): fails the test
                 });
  io.run();
  return {res.status, res.body.empty() ? nlohmann::json() : nlohmann::json::parse(res.body)};
}

}  // namespace centinela::testing

// Request handling for the fake provider: a route table from (method, path) to handlers that
// turn a parsed request into an Outcome. No sockets here; the session applies the Outcome.
#pragma once

#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <chrono>
#include <optional>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "tests/fake_provider/callbacks.hpp"
#include "tests/fake_provider/faults.hpp"
#include "tests/fake_provider/options.hpp"
#include "tests/fake_provider/store.hpp"
#include "tests/fake_provider/twilio_wire.hpp"

namespace centinela::fake_provider {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Everything a handler may touch. One io thread owns it all, so there are no locks.
struct App {
  const Options& opts;
  Store& store;
  FaultInjector& faults;
  SidGenerator& sids;
  CallbackSender* callbacks = nullptr;  // null with --no-callbacks
};

struct Outcome {
  Response res;
  std::chrono::milliseconds delay{0};  // injected latency, waited on a timer by the session
  bool drop = false;                   // close without answering
  std::optional<CallbackJob> callback;  // queued when the answer is written, so the delay counts
                                        // from the 201 the client sees
};

Outcome route(const Request& req, App& app);

}  // namespace centinela::fake_provider

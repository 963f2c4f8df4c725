// The HTTP front door: accepts connections, reads requests with deadlines and size limits, hands
// them to the router, and writes the answers. The only file of the dispatcher that includes Beast.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "dispatcher/api/api_context.hpp"
#include "providers/common/net.hpp"

namespace centinela::api {

class HttpServer {
 public:
  HttpServer(asio::any_io_executor ex, ApiContext& api, const config::ServerConfig& cfg);
  ~HttpServer();

  // Binds and listens on "host:port" (port 0: any free port); returns the bound "host:port".
  // Throws std::system_error when the address cannot be bound.
  std::string listen(const std::string& host_port);

  // The accept loop; returns once stop_accepting() has closed the listener.
  asio::awaitable<void> run();

  // Closes the listener; requests that arrive on open connections get 503 from now on.
  void stop_accepting();
  // Resumes when every open request has been answered, or when `grace` has passed.
  asio::awaitable<void> drain(std::chrono::milliseconds grace);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace centinela::api

// The fake provider's listeners: accept loops and keep-alive HTTP/1.1 sessions over plain TCP or
// TLS, each socket operation with a deadline and each request with a size limit.
#pragma once

#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "tests/fake_provider/routes.hpp"

namespace centinela::fake_provider {

// Serves until the acceptor is closed. `tls` null: plain HTTP.
boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor, App& app,
                                         boost::asio::ssl::context* tls);

}  // namespace centinela::fake_provider

// The one header that owns the Asio includes every coroutine file needs (no Beast here: Beast is
// heavy and only the HTTP files include it, through the precompiled header).
#pragma once

#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

namespace centinela {

namespace asio = boost::asio;
using boost::system::error_code;

inline constexpr auto use_awaitable = asio::use_awaitable;  // 1.74 has no default token

// Completion token that stores the error in `ec` instead of throwing: used wherever an error is
// an expected outcome (timeouts, closed peers) that the caller inspects.
inline auto ec_into(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

}  // namespace centinela

// Builds the configured providers: the one place that knows every provider type.
#pragma once

#include <memory>

#include "providers/provider.hpp"  // first: net.hpp includes <utility> before any Asio header

#include <boost/asio/any_io_executor.hpp>

#include "config/config.hpp"

namespace centinela::providers {

// `executor` runs the provider's network I/O (the service's single network thread). Throws
// std::invalid_argument for an unknown type or a provider whose settings are unusable.
std::unique_ptr<Provider> make_provider(const config::Provider& cfg, asio::any_io_executor executor);

}  // namespace centinela::providers

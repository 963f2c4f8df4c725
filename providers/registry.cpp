// Provider factory: see registry.hpp.
#include "providers/registry.hpp"

#include <stdexcept>

#include "providers/console/console_provider.hpp"
#include "providers/twilio/twilio_client.hpp"

namespace centinela::providers {

std::unique_ptr<Provider> make_provider(const config::Provider& cfg, asio::any_io_executor executor) {
  if (cfg.type == "twilio") return std::make_unique<twilio::TwilioProvider>(cfg, std::move(executor));
  if (cfg.type == "console") return std::make_unique<console::ConsoleProvider>(cfg);
  throw std::invalid_argument("provider '" + cfg.name + "': unknown type '" + cfg.type +
                              "' (known: twilio, console)");
}

}  // namespace centinela::providers

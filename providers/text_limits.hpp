// The longest body each provider type accepts, in UTF-16 code units (what "characters" means to
// them). A longer one is refused (Twilio 21617) and the text is never sent, so every text we
// generate is fitted to the smallest limit among the configured providers.
#pragma once

#include <cstddef>
#include <string_view>

namespace centinela::providers {

// Twilio: "The text of the message you want to send. Can be up to 1,600 characters in length."
inline constexpr std::size_t twilio_max_body = 1600;

// The console provider imitates Twilio's limit, so the quick start shows what production does.
constexpr std::size_t max_body_length(std::string_view type) {
  if (type == "twilio" || type == "console") return twilio_max_body;
  return twilio_max_body;  // a type this build does not know is refused by the registry anyway
}

}  // namespace centinela::providers

// The longest body each provider type accepts, in UTF-16 code units (what "characters" means to
// them). A longer one is refused (Twilio 21617) and the text is never sent, so every text we
// generate is fitted to the smallest limit among the configured providers.
#pragma once

#include <cstddef>
#include <string_view>

namespace centinela::providers {

// Twilio: "The text of the message you want to send. Can be up to 1,600 characters in length."
inline constexpr std::size_t twilio_max_body = 1600;

// Every type this build knows takes Twilio's limit: twilio, and console, which imitates it so the
// quick start shows what production does. A provider with another limit adds its case here.
constexpr std::size_t max_body_length(std::string_view /*type*/) { return twilio_max_body; }

}  // namespace centinela::providers

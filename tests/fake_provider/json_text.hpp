// A minimal JSON string writer for the send hot path: building an nlohmann object per message
// (a std::map and ~20 allocations) was the fake's top cost in the 100k-message benchmark.
#pragma once

#include <string>
#include <string_view>

namespace centinela::fake_provider {

// Appends s as a quoted JSON string. Invalid UTF-8 becomes U+FFFD, as nlohmann's "replace" does,
// so a client's bad bytes never make the fake emit invalid JSON.
void append_json_string(std::string& out, std::string_view s);

// Appends "key": (quoted key followed by a colon) for hand-built objects.
inline void append_json_key(std::string& out, std::string_view key) {
  append_json_string(out, key);
  out.push_back(':');
}

}  // namespace centinela::fake_provider

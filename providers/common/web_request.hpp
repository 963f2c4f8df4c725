// A received HTTP request reduced to plain values, so that webhook parsing and signature checks
// are pure functions that unit tests can call without Beast or sockets.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace centinela {

struct WebRequest {
  std::string method;                         // "POST"
  std::string target;                         // path and query as received: "/webhooks/twilio/sms?x=1"
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string_view header(std::string_view lower_name) const {
    auto it = headers.find(std::string(lower_name));
    return it == headers.end() ? std::string_view{} : std::string_view{it->second};
  }
};

}  // namespace centinela

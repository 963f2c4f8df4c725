// What an alert row is (alerts.msg_type) and how it reads to members and to CAP consumers: pure
// mappings shared by the alert store, the fan-out (which renders the texts) and the API.
#pragma once

#include <string>
#include <string_view>

namespace centinela::alerts {

// The template members read for each msg_type; every one has the placeholders region time summary.
inline std::string_view template_key(std::string_view msg_type) {
  if (msg_type == "update") return "alert_update";
  if (msg_type == "clear") return "alert_clear";
  if (msg_type == "retract") return "alert_retract";
  return "alert";
}

// CAP 1.2 msgType and responseType: an all-clear is an Update whose responseType is AllClear
// (CAP has no msgType for it); a retraction is a Cancel.
struct CapMessageType {
  std::string_view msg_type;
  std::string_view response_type;  // empty: none
};
inline CapMessageType cap_message_type(std::string_view msg_type) {
  if (msg_type == "update") return {"Update", ""};
  if (msg_type == "clear") return {"Update", "AllClear"};
  if (msg_type == "retract") return {"Cancel", ""};
  return {"Alert", ""};
}

// "exercise" -> "Exercise": CAP spells its enumerations capitalized; the database keeps them lower.
inline std::string cap_word(std::string_view word) {
  std::string out(word);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// Every text of a drill starts with the exercise prefix, so nobody mistakes it for a raid.
inline std::string with_exercise_prefix(const std::string& prefix, const std::string& body) {
  if (prefix.empty()) return body;
  const char last = prefix.back();
  return prefix + (last == ' ' || last == '\n' ? "" : " ") + body;
}

}  // namespace centinela::alerts

// A text claimed for sending and what became of it. Alert deliveries and outbox texts (operator
// notifications) travel through the same sender, so one type describes both.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "dispatcher/core/clock.hpp"
#include "providers/common/phone.hpp"

namespace centinela::fanout {

enum class TextKind { delivery, outbox };

struct OutgoingText {
  TextKind kind = TextKind::delivery;
  std::int64_t id = 0;
  std::int64_t subscriber_id = 0;  // deliveries only
  std::int64_t alert_id = 0;       // deliveries only
  PhoneNumber to;
  std::string body;
  std::chrono::seconds validity{0};  // time left until the alert expires
  std::optional<Timestamp> expires_at;  // deliveries: never send at or after this
  int attempts = 0;                  // including this one
  bool member_active = true;         // false: opted out since the fan-out was planned: skip
};

struct SendResult {
  TextKind kind = TextKind::delivery;
  std::int64_t id = 0;
  std::int64_t subscriber_id = 0;
  std::string status;  // the delivery's next state: sent, queued (retry), failed
  std::string provider_message_id;
  std::string error;
  std::optional<Timestamp> retry_at;
  bool recipient_opted_out = false;  // the provider says this number opted out
  bool possible_duplicate = false;   // the provider may already have it (see SendOutcome)
};

}  // namespace centinela::fanout

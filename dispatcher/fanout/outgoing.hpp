// A text claimed for sending and what became of it. Alert deliveries and outbox texts (operator
// notifications, replies) travel through the same sender, so one type describes both.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
  Timestamp expires_at{};            // never sent at or after this: the alert's expiry, the text's own deadline
  // A retryable failure is retried until this moment, then the text is `expired`: the alert's expiry,
  // or for an outbox text its own deadline (for a page, the moment its report was decided).
  Timestamp retry_until{};
  int attempts = 0;                  // including this one
  bool member_active = true;         // false: opted out since the fan-out was planned: skip
};

// What a text becomes once its send (or its skip) is recorded.
enum class NextState {
  sent,       // the provider accepted it
  queued,     // retry at retry_at
  failed,     // permanent: the provider refused this text to this number, or it cannot be read
  expired,    // its deadline passed before it could be sent
  cancelled,  // its alert was closed (CLEAR, RETRACT) before it left
};
std::string_view to_sql(NextState s);

struct SendResult {
  TextKind kind = TextKind::delivery;
  std::int64_t id = 0;
  std::int64_t subscriber_id = 0;
  NextState state = NextState::failed;
  std::string provider_message_id;
  std::string error;
  std::optional<Timestamp> retry_at;
  bool recipient_opted_out = false;  // the provider says this number opted out
  PhoneNumber to;                    // the recipient (an outbox text's only link to its member)
  bool possible_duplicate = false;   // the provider may already have it (see SendOutcome)
  // A throttled request (429) was refused before the provider looked at it: it is no attempt.
  bool counts_as_attempt = true;
};

}  // namespace centinela::fanout

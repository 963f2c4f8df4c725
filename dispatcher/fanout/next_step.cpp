#include "dispatcher/fanout/next_step.hpp"

#include <algorithm>

namespace centinela::fanout {

std::chrono::milliseconds RetryPolicy::backoff(int attempt) const {
  auto delay = first_backoff;
  for (int i = 1; i < attempt && delay < max_backoff; ++i) delay *= 2;
  return std::min(delay, max_backoff);
}

SendResult next_step(const OutgoingText& text, const providers::SendOutcome& outcome,
                     const RetryPolicy& policy, Timestamp now) {
  SendResult r;
  r.kind = text.kind;
  r.id = text.id;
  r.subscriber_id = text.subscriber_id;
  r.error = outcome.detail;
  r.possible_duplicate = outcome.maybe_delivered;
  switch (outcome.cls) {
    case providers::SendClass::accepted:
      r.status = "sent";
      r.provider_message_id = outcome.provider_message_id;
      r.error.clear();
      break;
    case providers::SendClass::retryable:
      if (text.attempts < policy.max_attempts) {
        r.status = "queued";
        r.retry_at = now + std::max(policy.backoff(text.attempts),
                                    outcome.retry_after.value_or(std::chrono::milliseconds{0}));
      } else {
        r.status = "failed";
      }
      break;
    case providers::SendClass::permanent:
      r.status = "failed";
      break;
    case providers::SendClass::opted_out:
      r.status = "failed";
      r.recipient_opted_out = true;
      break;
  }
  return r;
}

}  // namespace centinela::fanout

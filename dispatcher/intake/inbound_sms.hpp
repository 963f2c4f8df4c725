// One inbound text, applied exactly once: the webhook's effect and the reply are committed in one
// transaction keyed by the provider's message id, so a retried webhook changes nothing and queues
// no second reply.
#pragma once

#include <string>
#include <vector>

#include <pqxx/connection>

#include "dispatcher/core/context.hpp"
#include "providers/provider.hpp"

namespace centinela::intake {

struct InboundResult {
  // The reply queued in the outbox for the sender (empty: none). On a duplicate: the reply queued
  // the first time, which is not queued again.
  std::string reply;
  std::vector<std::string> further_replies;  // sent after `reply` (FULL <id>: the rest of a long text)
  bool duplicate = false;   // a retry of a message already applied
  bool alert_created = false;
  bool texts_queued = false;  // texts (the reply, operator notifications) waiting in the outbox
  // The reply is urgent, not routine: an opt-out confirmation must not wait behind an alert.
  bool urgent_reply = false;
};

// The reply is not the webhook's answer: it leaves through the outbox, paced with everything else
// the sender sends, as an operator-class text when the sender is an operator and as a routine one
// (after member alerts) otherwise.
InboundResult apply_inbound_sms(pqxx::connection& conn, const Context& ctx,
                                const std::string& provider, const providers::InboundSms& sms);

}  // namespace centinela::intake
